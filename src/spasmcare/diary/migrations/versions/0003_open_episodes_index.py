"""A partial index on open episodes (``ended_at IS NULL``) per profile, for the dashboard's count of
open episodes and the "not getting better after 4 weeks" check: without it, counting them reads every
one of the profile's episode rows from the table.

Revision ID: 0003
Revises: acc1
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "acc1"
branch_labels = None
depends_on = None

OPEN = sa.text("ended_at IS NULL")


def upgrade() -> None:
    op.create_index(
        "ix_episodes_open",
        "episodes",
        ["profile_id"],
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )


def downgrade() -> None:
    op.drop_index("ix_episodes_open", table_name="episodes")
