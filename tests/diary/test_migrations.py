"""Alembic migrations: an empty and a populated database reach the newest schema, on SQLite and
PostgreSQL, and the migrated schema is exactly the one the code describes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from spasmcare.accounts.tables import metadata as accounts_metadata
from spasmcare.diary import open_repository
from spasmcare.diary.db import (
    create_engine_for,
    current_revision,
    downgrade,
    head_revision,
    schema_state,
    upgrade,
)
from spasmcare.diary.tables import metadata

DIARY_TABLES = {"profiles", "episodes", "treatments", "doses", "triage_results", "scale_results"}


@pytest.fixture(params=("sqlite", "postgres"))
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'new.sqlite3'}"
    return str(request.getfixturevalue("fresh_pg_url"))


def test_an_empty_database_is_upgraded_to_the_newest_schema(empty_url: str) -> None:
    engine = create_engine_for(empty_url)
    assert schema_state(engine) == "empty"
    assert upgrade(engine) == head_revision()
    assert schema_state(engine) == "current"
    assert set(inspect(engine).get_table_names()) >= DIARY_TABLES
    assert upgrade(engine) == head_revision(), "upgrading again changes nothing"
    engine.dispose()


def test_the_migrated_schema_matches_the_tables_in_the_code(empty_url: str) -> None:
    """The migration chain also creates the web accounts' tables (migration ``acc1``)."""
    engine = create_engine_for(empty_url)
    upgrade(engine)
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "target_metadata": [metadata, accounts_metadata]}
        )
        differences = compare_metadata(context, [metadata, accounts_metadata])
    engine.dispose()
    assert differences == []


def test_partial_indexes_have_the_where_clause_the_tables_say(empty_url: str) -> None:
    """Alembic's comparison above does not look at an index's WHERE: checked here, per database.
    On PostgreSQL the clause is declared when the engine is made (tables.postgresql_options)."""
    engine = create_engine_for(empty_url)
    upgrade(engine)
    name = engine.dialect.name
    reflected = {i["name"]: i for i in inspect(engine).get_indexes("episodes")}
    engine.dispose()
    declared = {i.name: i for i in metadata.tables["episodes"].indexes}
    partial = {
        index: str(found["dialect_options"][f"{name}_where"]).strip("()")
        for index, found in reflected.items()
        if f"{name}_where" in found.get("dialect_options", {})
    }
    assert partial == {"ix_episodes_open": "ended_at IS NULL"}
    for index, clause in partial.items():
        assert str(declared[index].dialect_options[name]["where"]) == clause


def test_a_populated_database_keeps_its_rows_through_the_upgrade(empty_url: str) -> None:
    engine = create_engine_for(empty_url)
    upgrade(engine, "0001")
    assert schema_state(engine) == "behind"
    when = datetime(2025, 4, 1, 7, 30, tzinfo=UTC)
    stamp = when if engine.dialect.name == "postgresql" else when.replace(tzinfo=None)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO profiles (name, conditions, medicines, created_at, updated_at) "
                "VALUES ('Old', '[]', '[\"ibuprofen\"]', :t, :t)"
            ),
            {"t": stamp},
        )
        profile_id = conn.execute(text("SELECT id FROM profiles")).scalar_one()
        for pain in (4, 7):
            conn.execute(
                text(
                    "INSERT INTO episodes (profile_id, started_at, regions, worst_pain, triggers, "
                    "suspected_causes, notes, created_at, updated_at) VALUES "
                    "(:p, :t, '[\"neck\"]', :pain, '[\"desk\"]', '[]', '', :t, :t)"
                ),
                {"p": profile_id, "t": stamp, "pain": pain},
            )
    indexes = {i["name"] for i in inspect(engine).get_indexes("episodes")}
    assert "ix_episodes_profile_id_started_at" not in indexes
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    indexes = {i["name"] for i in inspect(engine).get_indexes("episodes")}
    assert "ix_episodes_profile_id_started_at" in indexes
    engine.dispose()

    with open_repository(empty_url) as repo:
        profile = repo.profiles.get(profile_id)
        assert profile.medicines == ["ibuprofen"]
        episodes = repo.episodes.list(profile_id).items
        assert sorted(e.worst_pain for e in episodes) == [4, 7]
        assert all(e.started_at == when and e.triggers == ["desk"] for e in episodes)


def test_downgrade_to_nothing_and_back(empty_url: str) -> None:
    engine = create_engine_for(empty_url)
    upgrade(engine)
    downgrade(engine, "base")
    assert not DIARY_TABLES & set(inspect(engine).get_table_names())
    upgrade(engine)
    assert schema_state(engine) == "current"
    engine.dispose()


def test_the_newest_revision_read_from_the_files_is_alembics_head() -> None:
    """Opening the diary compares ``alembic_version`` with the head read from the migration files'
    text, without importing Alembic; it must be the head Alembic itself finds."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from spasmcare.diary.revisions import MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    script = ScriptDirectory.from_config(config)
    assert head_revision() == script.get_current_head()
    from spasmcare.diary.revisions import revisions

    assert set(revisions()) == {rev.revision for rev in script.walk_revisions()}


def test_opening_a_current_diary_imports_neither_alembic_nor_the_orm(tmp_path: Path) -> None:
    """Fast commands: a diary at the newest schema is opened with one plain query."""
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'diary.sqlite3'}"
    upgrade(url)
    code = (
        "import sys\n"
        "from spasmcare.diary import ProfileCreate, open_repository\n"
        f"with open_repository({url!r}) as repo:\n"
        "    repo.profiles.create(ProfileCreate())\n"
        "loaded = [m for m in ('alembic', 'sqlalchemy.orm') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
