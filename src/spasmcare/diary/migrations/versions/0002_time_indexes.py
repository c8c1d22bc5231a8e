"""Indexes on (profile, time) for every record kind: the dashboard, lists and time windows use them.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_episodes_profile_id_started_at", "episodes", ["profile_id", "started_at"]),
    ("ix_treatments_profile_id_started_at", "treatments", ["profile_id", "started_at"]),
    ("ix_doses_profile_id_taken_at", "doses", ["profile_id", "taken_at"]),
    ("ix_triage_results_profile_id_taken_at", "triage_results", ["profile_id", "taken_at"]),
    ("ix_scale_results_profile_id_taken_at", "scale_results", ["profile_id", "taken_at"]),
    (
        "ix_scale_results_profile_id_scale_taken_at",
        "scale_results",
        ["profile_id", "scale", "taken_at"],
    ),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
