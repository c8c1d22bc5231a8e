"""Schemathesis against the app's own OpenAPI schema with every check it has (``--checks all``):
for generated requests, valid and invalid, no 5xx, every response's status, content type, headers
and body match the schema, invalid data is refused and valid data accepted, and a 405 lists the
allowed methods. The chart and statistics routes are also fuzzed over a diary holding dates from
year 1 and year 9999 (stored before the input checks refused them).

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
from schemathesis.checks import CHECKS as REGISTRY
from schemathesis.checks import load_all_checks
from schemathesis.config import SchemathesisConfig

from tests.api.support import build
from tests.api.test_chart_limits import store_extremes

load_all_checks()
CHECKS = list(REGISTRY.get_all())
"""Every check schemathesis has (``schemathesis run --checks all``)."""
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "422", "429"]
            }
        }
    }
)
"""Schema-valid data may still get a 422 problem: some of the diary's rules cannot be written in
JSON Schema (times from 1900 to one day from now, ``ended_at`` after ``started_at``, a medicine
named when ``kind`` is medicine, no control characters, a password that is not common or built
from the username). Every other check runs as schemathesis sets it up."""
EXAMPLES = 25


def fuzz(app: FastAPI, keep: Callable[[str, str], bool]) -> list[str]:
    """Run every kept operation; return a description of each that failed."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=CONFIG)
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
def test_chart_routes_survive_fuzzing_with_extreme_stored_dates(sqlite_app: FastAPI) -> None:
    store_extremes(sqlite_app)
    failures = fuzz(
        sqlite_app,
        lambda method, path: (
            method == "GET"
            and path.startswith(("/api/v1/charts", "/api/v1/stats", "/api/v1/dashboard", *DIARY))
        ),
    )
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

    monkeypatch.setattr(repo.doses, "list", crash)
    failures = fuzz(sqlite_app, lambda method, path: (method, path) == ("GET", "/api/v1/doses"))
    assert len(failures) == 1 and "500" in failures[0]
