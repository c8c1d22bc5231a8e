"""Web accounts (issue 14): sessions remember when they were last used and by which browser (the
account page lists them), and failed logins are replaced by a throttle that counts every password
try before checking it and answers with growing delays per username and address.

Revision ID: acc2
Revises: 0004
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "acc2"
down_revision = "0004"
branch_labels = None
depends_on = None


def _time(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.add_column("sessions", _time("last_seen_at", nullable=True))
    op.add_column("sessions", sa.Column("user_agent", sa.String(200), nullable=True))
    op.drop_index("ix_login_failures_key_at", table_name="login_failures")
    op.drop_table("login_failures")
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        _time("last_failure_at"),
        _time("blocked_until"),
        sa.PrimaryKeyConstraint("key", name="pk_login_throttle"),
    )


def downgrade() -> None:
    op.drop_table("login_throttle")
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        _time("at"),
        sa.PrimaryKeyConstraint("id", name="pk_login_failures"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_login_failures_key_at", "login_failures", ["key", "at"])
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("user_agent")
        batch.drop_column("last_seen_at")
