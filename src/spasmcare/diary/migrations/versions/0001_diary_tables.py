"""The diary tables: profiles, episodes, treatments, doses, triage results and scale results.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
AUTO = {"sqlite_autoincrement": True}


def _time(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _stamps() -> list[sa.Column[object]]:
    return [_time("created_at"), _time("updated_at")]


def _id() -> sa.Column[object]:
    return sa.Column("id", sa.Integer(), primary_key=True)


def _owner(table: str) -> sa.Column[object]:
    return sa.Column(
        "profile_id",
        sa.Integer(),
        sa.ForeignKey("profiles.id", ondelete="CASCADE", name=f"fk_{table}_profile_id_profiles"),
        nullable=False,
    )


def _episode(table: str, ondelete: str) -> sa.Column[object]:
    return sa.Column(
        "episode_id",
        sa.Integer(),
        sa.ForeignKey("episodes.id", ondelete=ondelete, name=f"fk_{table}_episode_id_episodes"),
        nullable=True,
    )


def upgrade() -> None:
    op.create_table(
        "profiles",
        _id(),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("age", sa.SmallInteger(), nullable=True),
        _time("age_recorded_at", nullable=True),
        sa.Column("sex", sa.String(10), nullable=True),
        sa.Column("conditions", JSON, nullable=False),
        sa.Column("medicines", JSON, nullable=False),
        sa.Column("owner", sa.String(200), nullable=True),
        *_stamps(),
        sa.PrimaryKeyConstraint("id", name="pk_profiles"),
        **AUTO,
    )
    op.create_index("ix_profiles_owner", "profiles", ["owner"])
    op.create_table(
        "episodes",
        _id(),
        _owner("episodes"),
        _time("started_at"),
        _time("ended_at", nullable=True),
        sa.Column("regions", JSON, nullable=False),
        sa.Column("worst_pain", sa.SmallInteger(), nullable=False),
        sa.Column("spasm_frequency", sa.SmallInteger(), nullable=True),
        sa.Column("triggers", JSON, nullable=False),
        sa.Column("suspected_causes", JSON, nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        *_stamps(),
        sa.PrimaryKeyConstraint("id", name="pk_episodes"),
        **AUTO,
    )
    op.create_table(
        "treatments",
        _id(),
        _owner("treatments"),
        _episode("treatments", "CASCADE"),
        sa.Column("kind", sa.String(20), nullable=False),
        _time("started_at"),
        sa.Column("medicine", sa.String(100), nullable=True),
        sa.Column("dose_mg", sa.Float(), nullable=True),
        sa.Column("relief", sa.SmallInteger(), nullable=True),
        sa.Column("duration_minutes", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        *_stamps(),
        sa.PrimaryKeyConstraint("id", name="pk_treatments"),
        **AUTO,
    )
    op.create_index("ix_treatments_episode_id", "treatments", ["episode_id"])
    op.create_table(
        "doses",
        _id(),
        _owner("doses"),
        sa.Column(
            "treatment_id",
            sa.Integer(),
            sa.ForeignKey(
                "treatments.id", ondelete="CASCADE", name="fk_doses_treatment_id_treatments"
            ),
            nullable=True,
        ),
        sa.Column("medicine", sa.String(100), nullable=False),
        sa.Column("amount_mg", sa.Float(), nullable=False),
        _time("taken_at"),
        sa.Column("notes", sa.Text(), nullable=False),
        *_stamps(),
        sa.PrimaryKeyConstraint("id", name="pk_doses"),
        **AUTO,
    )
    op.create_index("ix_doses_treatment_id", "doses", ["treatment_id"])
    op.create_table(
        "triage_results",
        _id(),
        _owner("triage_results"),
        _episode("triage_results", "SET NULL"),
        _time("taken_at"),
        sa.Column("intake", JSON, nullable=False),
        sa.Column("result", JSON, nullable=False),
        sa.Column("disposition", sa.String(20), nullable=False),
        sa.Column("rules_fired", JSON, nullable=False),
        sa.Column("knowledge_version", sa.String(40), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        *_stamps(),
        sa.PrimaryKeyConstraint("id", name="pk_triage_results"),
        **AUTO,
    )
    op.create_index("ix_triage_results_episode_id", "triage_results", ["episode_id"])
    op.create_table(
        "scale_results",
        _id(),
        _owner("scale_results"),
        _episode("scale_results", "SET NULL"),
        sa.Column("scale", sa.String(40), nullable=False),
        _time("taken_at"),
        sa.Column("responses", JSON, nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("valid", sa.Boolean(), nullable=False),
        sa.Column("band", sa.String(40), nullable=True),
        sa.Column("risk", sa.String(40), nullable=True),
        sa.Column("result", JSON, nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        *_stamps(),
        sa.PrimaryKeyConstraint("id", name="pk_scale_results"),
        **AUTO,
    )
    op.create_index("ix_scale_results_episode_id", "scale_results", ["episode_id"])


def downgrade() -> None:
    for table in ("scale_results", "triage_results", "doses", "treatments", "episodes", "profiles"):
        op.drop_table(table)
