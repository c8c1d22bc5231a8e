"""Opening the diary: where it lives, SQLite settings (owner-only file, WAL, foreign keys, busy
timeout, BEGIN IMMEDIATE for writes), and clear errors for databases that are not ready."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from sqlalchemy import event, text

from spasmcare.diary import open_repository
from spasmcare.diary.db import (
    BUSY_TIMEOUT_MS,
    create_engine_for,
    default_url,
    schema_state,
    sqlite_path,
    upgrade,
)
from spasmcare.errors import InputError, StorageError
from tests.diary.factories import episode, profile


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_default_diary_is_a_sqlite_file_in_the_data_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPASMCARE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SPASMCARE_DATABASE_URL", raising=False)
    url = default_url()
    assert sqlite_path(url) == tmp_path / "data" / "diary.sqlite3"
    monkeypatch.setenv("SPASMCARE_DATABASE_URL", "postgresql://me@db.example/diary")
    assert default_url() == "postgresql://me@db.example/diary"


def test_a_new_sqlite_diary_is_private_migrated_and_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "diary.sqlite3"
    with open_repository(f"sqlite:///{path}") as repo:
        me = repo.profiles.create(profile()).id
        repo.episodes.create(me, episode())
        assert mode(path) == 0o600
        for extra in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            if extra.exists():
                assert mode(extra) == 0o600, extra.name
        assert schema_state(repo.engine) == "current"  # type: ignore[attr-defined]
        with repo.engine.connect() as conn:  # type: ignore[attr-defined]
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == BUSY_TIMEOUT_MS
    assert mode(path.parent) == 0o700


def test_writes_begin_immediate_and_reads_do_not(sqlite_url: str) -> None:
    with open_repository(sqlite_url) as repo:
        seen: list[str] = []
        event.listen(
            repo.engine,  # type: ignore[attr-defined]
            "before_cursor_execute",
            lambda conn, cursor, statement, *args: seen.append(statement),
        )
        me = repo.profiles.create(profile()).id
        assert seen[0] == "BEGIN IMMEDIATE"
        seen.clear()
        repo.profiles.get(me)
        assert seen[0] == "BEGIN"


def test_an_old_diary_asks_for_an_upgrade(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    engine = create_engine_for(url)
    upgrade(engine, "0001")
    engine.dispose()
    with pytest.raises(StorageError) as info:
        open_repository(url)
    assert "spasmcare db upgrade" in str(info.value)


def test_a_database_that_is_not_a_diary_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    engine = create_engine_for(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE profiles (x INTEGER)"))
    engine.dispose()
    with pytest.raises(StorageError) as info:
        open_repository(url)
    assert "not a diary" in info.value.summary


def test_an_empty_postgresql_database_needs_db_upgrade_first(fresh_pg_url: str) -> None:
    with pytest.raises(StorageError) as info:
        open_repository(fresh_pg_url)
    assert "spasmcare db upgrade" in str(info.value)
    upgrade(fresh_pg_url)
    with open_repository(fresh_pg_url) as repo:
        assert repo.profiles.list().total == 0


def test_a_plain_postgresql_url_uses_psycopg_3() -> None:
    engine = create_engine_for("postgresql://me@localhost/diary")
    assert engine.dialect.driver == "psycopg"
    engine.dispose()


def test_an_unreachable_server_is_a_storage_error_without_the_password() -> None:
    with pytest.raises(StorageError) as info:
        open_repository("postgresql://me:s3cret@127.0.0.1:1/diary")
    assert "s3cret" not in str(info.value)
    assert "s3cret" not in repr(info.value.problems)


@pytest.mark.parametrize("url", ["not a url", "nosuchdb://x/y"])
def test_a_bad_url_is_an_input_error(url: str) -> None:
    with pytest.raises(InputError) as info:
        create_engine_for(url)
    assert info.value.problems[0].path == "database_url"
