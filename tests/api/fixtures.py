"""Fixtures shared by the API, web page and browser tests: the app on SQLite and PostgreSQL,
single-user and multi-user. Imported by their conftest files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.api.support import BACKENDS, build, client, new_pg_database


@pytest.fixture(autouse=True)
def _matplotlib_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path_factory.getbasetemp() / "mpl"))


@pytest.fixture(scope="session")
def web_pg_url(pg_url: str) -> str:
    """A migrated PostgreSQL database for this test process."""
    return new_pg_database(pg_url)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def app(request: pytest.FixtureRequest, tmp_path: Path, backend: str) -> Iterator[FastAPI]:
    """Single-user mode (the default)."""
    yield from build(request, tmp_path, backend)


@pytest.fixture
def multi_app(request: pytest.FixtureRequest, tmp_path: Path, backend: str) -> Iterator[FastAPI]:
    """Multi-user mode: accounts, sessions, per-user diaries."""
    yield from build(request, tmp_path, backend, multi_user=True)


@pytest.fixture
def api(app: FastAPI) -> TestClient:
    return client(app)


@pytest.fixture
def sqlite_app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[FastAPI]:
    """Single-user mode on SQLite only (for tests about the app rather than the database)."""
    yield from build(request, tmp_path, "sqlite")


@pytest.fixture
def sqlite_api(sqlite_app: FastAPI) -> TestClient:
    return client(sqlite_app)
