"""Fixtures of the API tests (defined in tests/api/fixtures.py, shared with the web tests)."""

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
