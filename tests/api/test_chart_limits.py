"""One person's odd dates cannot stall the server: times outside 1900 to one day ahead are refused
on input; charts draw at most the last ten years whatever is stored (rows stored before this rule
included); and charts are not drawn one at a time behind a process-wide lock."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from spasmcare.diary import EpisodeCreate, ScaleRecordCreate, TreatmentCreate
from tests.api.support import client, is_problem

NOW = datetime.now(UTC)
EXTREMES = (datetime(1, 1, 1, tzinfo=UTC), datetime(9999, 12, 31, tzinfo=UTC))


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/episodes", {"regions": ["neck"], "worst_pain": 3}, "started_at"),
        ("/api/v1/doses", {"medicine": "ibuprofen", "amount_mg": 200}, "taken_at"),
        ("/api/v1/treatments", {"kind": "heat"}, "started_at"),
    ],
)
@pytest.mark.parametrize(
    "when",
    [
        "0001-01-01T00:00:00Z",
        "1899-12-31T23:59:59Z",
        "9999-12-31T00:00:00Z",
        "two days ahead",
    ],
)
def test_times_outside_1900_to_one_day_ahead_are_refused(
    api: TestClient, path: str, body: dict[str, Any], field: str, when: str
) -> None:
    if when == "two days ahead":
        when = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    problem = is_problem(api.post(path, json={**body, field: when}), 422)
    assert [e["path"] for e in problem["errors"]] == [field]
    assert "1900" in (problem["errors"][0]["allowed"] or "")
    assert api.get(path).json()["total"] == 0


@pytest.mark.parametrize("when", ["1900-01-01T00:00:00Z", "20 hours ahead"])
def test_the_ends_of_the_range_are_accepted(api: TestClient, when: str) -> None:
    if when == "20 hours ahead":
        when = (datetime.now(UTC) + timedelta(hours=20)).isoformat()
    body = {"regions": ["neck"], "worst_pain": 3, "started_at": when}
    assert api.post("/api/v1/episodes", json=body).status_code == 201


def store_extremes(app: FastAPI) -> None:
    """Rows with dates the input check now refuses, as a diary written before it may hold."""
    context = app.state.spasmcare
    repo = context.storage.repository
    profile = context.storage.local_profile_id()
    for when in EXTREMES:
        repo.episodes.create(
            profile,
            EpisodeCreate.model_construct(
                started_at=when,
                ended_at=None,
                regions=["neck"],
                worst_pain=7,
                spasm_frequency=None,
                triggers=[],
                suspected_causes=[],
                notes="",
            ),
            [
                TreatmentCreate.model_construct(
                    kind="heat",
                    started_at=when,
                    episode_id=None,
                    medicine=None,
                    dose_mg=None,
                    relief=5,
                    duration_minutes=None,
                    notes="",
                )
            ],
        )
        repo.scale_records.create(
            profile,
            ScaleRecordCreate.model_construct(
                scale="nrs",
                taken_at=when,
                responses={"pain": 4},
                score=4.0,
                valid=True,
                band=None,
                risk=None,
                result={},
                episode_id=None,
                notes="",
            ),
        )
    repo.episodes.create(
        profile, EpisodeCreate(started_at=NOW - timedelta(days=3), regions=["neck"], worst_pain=5)
    )


@pytest.mark.slow
def test_charts_of_a_diary_with_extreme_stored_dates_are_quick(sqlite_app: FastAPI) -> None:
    store_extremes(sqlite_app)
    c = client(sqlite_app)
    for path in (
        "/api/v1/charts/episodes",
        "/api/v1/charts/pain",
        "/api/v1/charts/relief",
        "/api/v1/charts/pain?format=png",
        "/api/v1/stats",
        "/api/v1/dashboard",
        "/api/v1/episodes",
        "/api/v1/export",
        "/api/v1/export?format=csv",
        "/report/download?format=html",
    ):
        started = time.monotonic()
        r = c.get(path)
        assert r.status_code == 200, (path, r.text[:300])
        assert time.monotonic() - started < 5, path
    for page in ("/diary", "/diary/charts", "/diary/results", "/diary/doses"):
        assert c.get(page, headers={"accept": "text/html"}).status_code == 200, page
    svg = c.get("/api/v1/charts/episodes").text
    assert "the last 10 years" in svg


def test_a_slow_chart_does_not_hold_up_other_charts(
    sqlite_app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    from spasmcare.diary import charts

    real = charts.chart_figure
    entered = threading.Event()
    release = threading.Event()

    def slow(kind: str, *args: Any, **kwargs: Any) -> Any:
        if kind == "episodes":
            entered.set()
            release.wait(20)
        return real(kind, *args, **kwargs)

    monkeypatch.setattr(charts, "chart_figure", slow)
    first: list[int] = []
    worker = threading.Thread(
        target=lambda: first.append(client(sqlite_app).get("/api/v1/charts/episodes").status_code)
    )
    worker.start()
    try:
        assert entered.wait(10), "the first chart never started"
        started = time.monotonic()
        other = client(sqlite_app).get("/api/v1/charts/relief")
        waited = time.monotonic() - started
    finally:
        release.set()
        worker.join(30)
    assert other.status_code == 200 and first == [200]
    assert waited < 10, f"the second chart waited {waited:.1f} s for the first"
