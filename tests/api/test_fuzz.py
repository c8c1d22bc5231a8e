"""Schemathesis against the app's own OpenAPI schema: for generated requests, valid and invalid, no
5xx, every response's status, content type and body match the schema, and invalid data is refused.

Single-user mode covers every route (the diary included); multi-user mode the account routes and
the 401s of a diary route. Each operation runs as Hypothesis tests through ``operation.as_strategy()``
(schemathesis' pytest fixture loader relies on a pytest internal that pytest 9 removed); every
failing operation is reported, not only the first.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.support import build

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
EXAMPLES = 25


def fuzz(app: FastAPI, keep: Callable[[str, str], bool]) -> list[str]:
    """Run every kept operation; return a description of each that failed."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: list[str] = []
    ran = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if not keep(operation.method.upper(), operation.path):
            continue
        ran += 1

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate(checks=CHECKS)

        try:
            check()
        except (Exception, BaseExceptionGroup) as exc:
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}"[:3000])
    assert ran > 0
    return failures


DIARY = (
    "/api/v1/episodes",
    "/api/v1/treatments",
    "/api/v1/doses",
    "/api/v1/triage-results",
    "/api/v1/scale-results",
    "/api/v1/profile",
    "/api/v1/import",
    "/api/v1/export",
)


@pytest.mark.slow
def test_diary_routes_survive_fuzzing(sqlite_app: FastAPI) -> None:
    failures = fuzz(sqlite_app, lambda method, path: path.startswith(DIARY))
    assert not failures, "\n\n".join(failures)


@pytest.mark.slow
def test_other_routes_survive_fuzzing(sqlite_app: FastAPI) -> None:
    failures = fuzz(sqlite_app, lambda method, path: not path.startswith(DIARY))
    assert not failures, "\n\n".join(failures)


@pytest.mark.slow
def test_account_routes_survive_fuzzing(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    apps = build(request, tmp_path, "sqlite", multi_user=True)
    app = next(apps)
    try:
        failures = fuzz(
            app,
            lambda method, path: path.startswith("/api/v1/account") or path == "/api/v1/episodes",
        )
    finally:
        next(apps, None)
    assert not failures, "\n\n".join(failures)


def test_the_fuzzer_reports_a_server_error(
    sqlite_app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The harness above can fail: a route that crashes is reported."""
    repo = sqlite_app.state.spasmcare.storage.repository

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("planted")

    monkeypatch.setattr(repo, "list_doses", crash)
    failures = fuzz(sqlite_app, lambda method, path: (method, path) == ("GET", "/api/v1/doses"))
    assert len(failures) == 1 and "500" in failures[0]
