"""SQLAlchemy Core tables of the diary, defined like :mod:`spasmcare.accounts.tables`. Every row
belongs to a profile (``profile_id``, indexed, deleted with it). Times are stored in UTC: ``timestamptz`` on PostgreSQL, UTC text on SQLite.

The schema is created and changed only by the Alembic migrations in ``migrations/``; a test checks that
the migrated schema matches these tables.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    TypeDecorator,
    text,
)
from sqlalchemy.types import TypeEngine

from spasmcare.diary.times import as_utc, from_sqlite_text

__all__ = [
    "NAMING",
    "UTCDateTime",
    "doses",
    "episodes",
    "metadata",
    "profiles",
    "scale_results",
    "treatments",
    "triage_results",
]

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime stored in UTC; naive values are refused on the way in."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the diary; times must carry a time zone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def result_processor(self, dialect: Dialect, coltype: object) -> Callable[[Any], Any] | None:
        if dialect.name != "sqlite":
            return super().result_processor(dialect, coltype)

        def parse(value: str | None) -> datetime | None:
            return None if value is None else from_sqlite_text(value)

        return parse

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else as_utc(value)


OPEN_EPISODES = text("ended_at IS NULL")
"""The open-episodes index (``ix_episodes_open``) is partial: only episodes not yet ended."""


class JsonType(TypeDecorator[Any]):
    """JSON: ``jsonb`` on PostgreSQL, JSON text on SQLite. The PostgreSQL type is imported only for
    a PostgreSQL database (importing that dialect took ~40 ms of every diary command's start)."""

    impl = JSON
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import JSONB

            return dialect.type_descriptor(JSONB())
        return dialect.type_descriptor(JSON())


metadata = MetaData(naming_convention=NAMING)

# Every table has ``sqlite_autoincrement``: ids are never reused on SQLite either, so an old link to
# a deleted record cannot show a new one.


def _id() -> Column[int]:
    return Column("id", Integer, primary_key=True)


def _owner() -> Column[int]:
    return Column(
        "profile_id", Integer, ForeignKey("profiles.id", ondelete="CASCADE"), nullable=False
    )


def _episode_link(ondelete: str) -> Column[int]:
    return Column("episode_id", Integer, ForeignKey("episodes.id", ondelete=ondelete))


def _time(name: str, nullable: bool = False) -> Column[datetime]:
    return Column(name, UTCDateTime(), nullable=nullable)


def _required(name: str, kind: Any) -> Column[Any]:
    return Column(name, kind, nullable=False)


profiles = Table(
    "profiles",
    metadata,
    _id(),
    _required("name", String(100)),
    Column("age", SmallInteger),
    _time("age_recorded_at", nullable=True),
    Column("sex", String(10)),
    _required("conditions", JsonType),
    _required("medicines", JsonType),
    Column("owner", String(200), index=True),
    _time("created_at"),
    _time("updated_at"),
    sqlite_autoincrement=True,
)

episodes = Table(
    "episodes",
    metadata,
    _id(),
    _owner(),
    _time("started_at"),
    _time("ended_at", nullable=True),
    _required("regions", JsonType),
    _required("worst_pain", SmallInteger),
    Column("spasm_frequency", SmallInteger),
    _required("triggers", JsonType),
    _required("suspected_causes", JsonType),
    _required("notes", Text),
    _time("created_at"),
    _time("updated_at"),
    Index(None, "profile_id", "started_at"),
    Index("ix_episodes_open", "profile_id", sqlite_where=OPEN_EPISODES),  # see postgresql_options
    sqlite_autoincrement=True,
)

treatments = Table(
    "treatments",
    metadata,
    _id(),
    _owner(),
    _episode_link("CASCADE"),
    _required("kind", String(20)),
    _time("started_at"),
    Column("medicine", String(100)),
    Column("dose_mg", Float),
    Column("relief", SmallInteger),
    Column("duration_minutes", Integer),
    _required("notes", Text),
    _time("created_at"),
    _time("updated_at"),
    Index(None, "profile_id", "started_at"),
    Index(None, "episode_id"),
    sqlite_autoincrement=True,
)

doses = Table(
    "doses",
    metadata,
    _id(),
    _owner(),
    Column("treatment_id", Integer, ForeignKey("treatments.id", ondelete="CASCADE")),
    _required("medicine", String(100)),
    _required("amount_mg", Float),
    _time("taken_at"),
    _required("notes", Text),
    _time("created_at"),
    _time("updated_at"),
    Index(None, "profile_id", "taken_at"),
    Index(None, "treatment_id"),
    sqlite_autoincrement=True,
)

triage_results = Table(
    "triage_results",
    metadata,
    _id(),
    _owner(),
    _episode_link("SET NULL"),
    _time("taken_at"),
    _required("intake", JsonType),
    _required("result", JsonType),
    _required("disposition", String(20)),
    _required("rules_fired", JsonType),
    _required("knowledge_version", String(40)),
    _required("notes", Text),
    _time("created_at"),
    _time("updated_at"),
    Index(None, "profile_id", "taken_at"),
    Index(None, "episode_id"),
    sqlite_autoincrement=True,
)

scale_results = Table(
    "scale_results",
    metadata,
    _id(),
    _owner(),
    _episode_link("SET NULL"),
    _required("scale", String(40)),
    _time("taken_at"),
    _required("responses", JsonType),
    Column("score", Float),
    _required("valid", Boolean),
    Column("band", String(40)),
    Column("risk", String(40)),
    _required("result", JsonType),
    _required("notes", Text),
    _time("created_at"),
    _time("updated_at"),
    Index(None, "profile_id", "scale", "taken_at"),
    Index(None, "profile_id", "taken_at"),
    Index(None, "episode_id"),
    sqlite_autoincrement=True,
)


def postgresql_options() -> None:
    """Declare the tables' PostgreSQL-only options: the open-episodes index is partial there too.

    They are declared when a PostgreSQL database is opened (:func:`spasmcare.diary.db.
    create_engine_for`), not in ``Index(...)``: naming a ``postgresql_*`` option imports SQLAlchemy's
    PostgreSQL dialect (~20 ms), which a SQLite diary never needs. Calling it again changes nothing.
    """
    (index,) = (i for i in episodes.indexes if i.name == "ix_episodes_open")
    index.dialect_options["postgresql"]["where"] = OPEN_EPISODES
