"""Diary fixtures: a repository on each backend (SQLite, PostgreSQL) and a settable clock.

PostgreSQL tests use one database per test process (pytest-xdist workers do not share), migrated
once and emptied after every test; they are skipped outside `make test` (see tests/conftest.py).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from spasmcare.diary import DiaryRepository
from spasmcare.diary.db import create_engine_for, upgrade

BACKENDS = ("sqlite", "postgres")
TABLES = "profiles, episodes, treatments, doses, triage_results, scale_results"


class Clock:
    """A clock the test moves by hand; starts at a fixed UTC time."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> datetime:
        self.now += timedelta(**kwargs)
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(autouse=True)
def _matplotlib_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path_factory.getbasetemp() / "mpl"))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated empty SQLite diary, copied for each test (migrating every time is slower)."""
    path = tmp_path_factory.mktemp("template") / "diary.sqlite3"
    engine = create_engine_for(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    target = tmp_path / "diary.sqlite3"
    shutil.copyfile(sqlite_template, target)
    target.chmod(0o600)
    return f"sqlite:///{target}"


def new_pg_database(pg_url: str, prefix: str) -> str:
    """Create an empty PostgreSQL database on the test server; return its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(pg_url).set(database=name).render_as_string(hide_password=False)


def drop_pg_database(pg_url: str, url: str) -> None:
    name = make_url(url).database
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def pg_diary_url(pg_url: str) -> Iterator[str]:
    """A migrated PostgreSQL diary database for this test process."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    url = new_pg_database(pg_url, f"diary_{worker}")
    upgrade(url)
    yield url
    drop_pg_database(pg_url, url)


@pytest.fixture
def pg_engine(pg_diary_url: str) -> Iterator[Engine]:
    engine = create_engine_for(pg_diary_url)
    yield engine
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def fresh_pg_url(pg_url: str) -> Iterator[str]:
    """An empty (not migrated) PostgreSQL database, dropped afterwards."""
    url = new_pg_database(pg_url, "diary_fresh")
    yield url
    drop_pg_database(pg_url, url)


def backend_url(request: pytest.FixtureRequest, backend: str) -> str:
    if backend == "sqlite":
        return str(request.getfixturevalue("sqlite_url"))
    request.getfixturevalue("pg_engine")  # empties the tables after the test
    return str(request.getfixturevalue("pg_diary_url"))


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def repo(request: pytest.FixtureRequest, backend: str, clock: Clock) -> Iterator[DiaryRepository]:
    """The same diary interface on every backend."""
    url = backend_url(request, backend)
    sql = DiaryRepository(create_engine_for(url), clock=clock)
    yield sql
    sql.close()


@pytest.fixture(params=("sqlite", "postgres"))
def sql_url(request: pytest.FixtureRequest) -> str:
    """A migrated, empty SQL diary on each SQL backend."""
    return backend_url(request, str(request.param))
