"""Fixtures of the web page tests (shared with the API tests: tests/api/fixtures.py)."""

from tests.api.fixtures import (
    _matplotlib_home,
    api,
    app,
    backend,
    multi_app,
    sqlite_api,
    sqlite_app,
    web_pg_url,
)

__all__ = [
    "_matplotlib_home",
    "api",
    "app",
    "backend",
    "multi_app",
    "sqlite_api",
    "sqlite_app",
    "web_pg_url",
]
