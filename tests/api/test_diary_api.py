"""Diary CRUD over HTTP for every kind of record, with paging and filters, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from tests.api.diary_data import KINDS, Kind, create, new_episode
from tests.api.support import is_problem


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.path)
def test_create_read_update_delete(api: TestClient, kind: Kind) -> None:
    record = create(api, kind)
    url = f"/api/v1/{kind.path}/{record['id']}"
    assert api.get(url).json() == record
    changed = api.patch(url, json=kind.change)
    assert changed.status_code == 200, changed.text
    assert changed.json()[kind.changed_field] == kind.change[kind.changed_field]
    assert api.get(url).json()[kind.changed_field] == kind.change[kind.changed_field]
    assert api.delete(url).status_code == 204
    is_problem(api.get(url), 404)
    is_problem(api.delete(url), 404)
    is_problem(api.patch(url, json=kind.change), 404)


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.path)
def test_create_answers_201_with_the_location(api: TestClient, kind: Kind) -> None:
    episode = new_episode(api) if kind.needs_episode else None
    r = api.post(f"/api/v1/{kind.path}", json=kind.create_body(episode))
    assert r.status_code == 201
    assert r.headers["location"] == f"/api/v1/{kind.path}/{r.json()['id']}"
    assert r.json()["profile_id"] >= 1


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.path)
def test_lists_are_paged_newest_first(api: TestClient, kind: Kind) -> None:
    base = datetime(2025, 1, 1, 12, tzinfo=UTC)
    field = {"episodes": "started_at", "treatments": "started_at", "doses": "taken_at"}.get(
        kind.path, "taken_at"
    )
    episode = new_episode(api) if kind.needs_episode else None
    for day in range(5):
        body = {**kind.create_body(episode), field: (base + timedelta(days=day)).isoformat()}
        assert api.post(f"/api/v1/{kind.path}", json=body).status_code == 201
    extra = 1 if kind.path == "episodes" and kind.needs_episode else 0
    page = api.get(f"/api/v1/{kind.path}?limit=2&offset=1").json()
    assert page["limit"] == 2 and page["offset"] == 1
    assert page["total"] == 5 + extra
    times = [item[field] for item in page["items"]]
    assert times == sorted(times, reverse=True) and len(times) == 2
    since = (base + timedelta(days=3)).isoformat()
    window = api.get(f"/api/v1/{kind.path}", params={"since": since}).json()
    assert window["total"] == 2


def test_list_filters(api: TestClient) -> None:
    first = new_episode(api)
    second = new_episode(api)
    for episode in (first, second, second):
        body = {"kind": "stretch", "started_at": "2025-05-01T09:00:00Z", "episode_id": episode}
        assert api.post("/api/v1/treatments", json=body).status_code == 201
    assert api.get(f"/api/v1/treatments?episode_id={second}").json()["total"] == 2
    for medicine in ("ibuprofen", "naproxen"):
        body = {"medicine": medicine, "amount_mg": 200, "taken_at": "2025-05-01T09:00:00Z"}
        api.post("/api/v1/doses", json=body)
    doses = api.get("/api/v1/doses?medicine=naproxen").json()
    assert [d["medicine"] for d in doses["items"]] == ["naproxen"]
    api.post("/api/v1/scales/nrs/results", json={"responses": {"score": 4}})
    api.post("/api/v1/scales/psfs/results", json={"responses": {"frequency": 0}})
    assert api.get("/api/v1/scale-results?scale=nrs").json()["total"] == 1


def test_a_medicine_treatment_with_a_dose_records_the_dose_too(api: TestClient) -> None:
    episode = new_episode(api)
    body = {
        "kind": "medicine",
        "medicine": "Ibuprofen",
        "dose_mg": 400,
        "started_at": "2025-05-01T09:00:00Z",
        "episode_id": episode,
        "relief": 6,
    }
    treatment = api.post("/api/v1/treatments", json=body).json()
    doses = api.get("/api/v1/doses").json()["items"]
    assert [(d["medicine"], d["amount_mg"], d["treatment_id"]) for d in doses] == [
        ("ibuprofen", 400, treatment["id"])
    ]
    r = api.patch(f"/api/v1/doses/{doses[0]['id']}", json={"amount_mg": 1})
    is_problem(r, 409)


def test_deleting_an_episode_deletes_its_treatments(api: TestClient) -> None:
    episode = new_episode(api)
    api.post(
        "/api/v1/treatments",
        json={"kind": "rest", "started_at": "2025-05-01T09:00:00Z", "episode_id": episode},
    )
    assert api.delete(f"/api/v1/episodes/{episode}").status_code == 204
    assert api.get("/api/v1/treatments").json()["total"] == 0


def test_a_link_to_a_missing_episode_is_refused(api: TestClient) -> None:
    body = {"kind": "heat", "started_at": "2025-05-01T09:00:00Z", "episode_id": 4242}
    body_error = is_problem(api.post("/api/v1/treatments", json=body), 422)
    assert body_error["errors"][0]["path"] == "episode_id"
    assert api.get("/api/v1/treatments").json()["total"] == 0


def test_profile_dashboard_and_the_owner_cannot_be_changed(api: TestClient) -> None:
    profile = api.get("/api/v1/profile").json()
    assert profile["owner"] is None
    changed = api.patch("/api/v1/profile", json={"age": 52, "medicines": ["sertraline"]})
    assert changed.status_code == 200 and changed.json()["age"] == 52
    is_problem(api.patch("/api/v1/profile", json={"owner": "account:2"}), 422)
    is_problem(api.patch("/api/v1/profile", json={"conditions": ["broken_heart"]}), 422)
    new_episode(api)
    dashboard = api.get("/api/v1/dashboard").json()
    assert dashboard["episodes_total"] == 1 and dashboard["latest_episode"]["worst_pain"] == 6


@pytest.mark.parametrize(
    "path", ["episodes", "treatments", "doses", "triage-results", "scale-results"]
)
@pytest.mark.parametrize("record_id", ["0", "-3", "abc", "99999999999999"])
def test_bad_record_ids_are_422(api: TestClient, path: str, record_id: str) -> None:
    body = is_problem(api.get(f"/api/v1/{path}/{record_id}"), 422)
    assert body["errors"][0]["path"] == "record_id"
