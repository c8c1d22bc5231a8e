"""Building the web app for tests: settings on a temporary SQLite file or a PostgreSQL database,
single-user or multi-user, and TestClients that log in.

PostgreSQL: one database per test process, migrated once, emptied before each test that uses it.
"""

from __future__ import annotations

import re
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from spasmcare.app import create_app
from spasmcare.config import Settings
from spasmcare.diary.db import DEFAULT_FILE, create_engine_for, upgrade

BACKENDS = ("sqlite", "postgres")
PASSWORD = "correct horse battery"
TEST_HOST = "testserver"
"""The host name TestClient sends; the app answers only to names it is told (SPASMCARE_ALLOWED_HOSTS)."""
TABLES = (
    "login_throttle, sessions, users, scale_results, triage_results, doses, treatments, "
    "episodes, profiles"
)


_TEMPLATE: dict[str, Path] = {}


def sqlite_template(directory: Path) -> Path:
    """A migrated empty SQLite diary, made once per test process and copied for each app."""
    if "path" not in _TEMPLATE:
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / "template.sqlite3"
        engine = create_engine_for(f"sqlite:///{path}")
        upgrade(engine)
        engine.dispose()
        _TEMPLATE["path"] = path
    return _TEMPLATE["path"]


def make_settings(tmp_path: Path, database_url: str | None = None, **extra: Any) -> Settings:
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    if database_url is None and not (data / DEFAULT_FILE).exists():
        target = data / DEFAULT_FILE
        shutil.copyfile(sqlite_template(tmp_path.parent / "spasmcare-template"), target)
        target.chmod(0o600)
    extra.setdefault("allowed_hosts", [TEST_HOST])
    return Settings(
        data_dir=data,
        database_url=database_url,
        secret_key="test-secret-key-for-csrf-tokens-0123456789",
        **extra,
    )


def new_pg_database(pg_url: str) -> str:
    name = f"web_{uuid.uuid4().hex[:10]}"
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(pg_url).set(database=name).render_as_string(hide_password=False)
    engine = create_engine_for(url)
    upgrade(engine)
    engine.dispose()
    return url


def empty_pg(url: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))
    engine.dispose()


def database_url(request: pytest.FixtureRequest, backend: str) -> str | None:
    """None (SQLite in the data folder) or an emptied PostgreSQL database of this test process."""
    if backend == "sqlite":
        return None
    url: str = request.getfixturevalue("web_pg_url")
    empty_pg(url)
    return url


def build(
    request: pytest.FixtureRequest, tmp_path: Path, backend: str, **extra: Any
) -> Iterator[FastAPI]:
    settings = make_settings(tmp_path, database_url(request, backend), **extra)
    app = create_app(settings)
    try:
        yield app
    finally:
        app.state.spasmcare.storage.close()


def client(app: FastAPI, **kwargs: Any) -> TestClient:
    return TestClient(app, raise_server_exceptions=False, **kwargs)


def register_and_login(app: FastAPI, username: str) -> TestClient:
    """A client logged in as a new account (multi-user mode)."""
    c = client(app)
    r = c.post("/api/v1/account/register", json={"username": username, "password": PASSWORD})
    assert r.status_code == 201, r.text
    r = c.post("/api/v1/account/login", json={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return c


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def is_problem(response: Any, status: int) -> dict[str, Any]:
    """Assert an RFC 9457 problem with this status; return its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["title"]
    assert isinstance(body["errors"], list)
    assert "Traceback" not in response.text and 'File "' not in response.text
    return body


def all_routes(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path) of every route of the app, through included routers."""

    def walk(routes: list[Any]) -> Iterator[tuple[str, str]]:
        for route in routes:
            if hasattr(route, "effective_candidates"):  # a router included in another
                yield from walk(route.effective_candidates())
                continue
            original = getattr(route, "original_route", route)
            methods = getattr(original, "methods", None) or ()
            for method in sorted(methods):
                if method != "HEAD":
                    yield method, str(route.path)

    return list(walk(app.routes))
