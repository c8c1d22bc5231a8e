"""Multi-user isolation: for every route that reads or changes diary data, user B gets 404 on user A's
records, sees none of them in lists, exports or statistics, and cannot link to them. Logged-out
requests get 401. The routes are read from the app itself, so a new route cannot be forgotten."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.api.diary_data import KINDS, Kind, create
from tests.api.support import all_routes, client, csrf_of, is_problem, register_and_login

KIND_BY_SEGMENT = {
    "episodes": "episodes",
    "treatments": "treatments",
    "doses": "doses",
    "triage-results": "triage-results",
    "scale-results": "scale-results",
}
PARAM = re.compile(r"\{(\w+)\}")
RECORD_PARAMS = {"record_id", "episode_id", "treatment_id", "dose_id"}
OTHER_PARAMS = {"scale_id", "kind", "topic_id", "service_id"}  # not diary records


def record_routes(app: FastAPI) -> list[tuple[str, str, str]]:
    """(method, path template, record kind) of every route that takes a diary record id."""
    found = []
    for method, path in all_routes(app):
        params = PARAM.findall(path)
        unknown = set(params) - RECORD_PARAMS - OTHER_PARAMS
        assert not unknown, f"classify the path parameter of {path}: diary record or not?"
        if not set(params) & RECORD_PARAMS:
            continue
        segments = [s for s in path.split("/") if s and not s.startswith("{")]
        kind = next(KIND_BY_SEGMENT[s] for s in reversed(segments) if s in KIND_BY_SEGMENT)
        found.append((method, path, kind))
    return found


def test_the_isolation_check_sees_every_record_route(multi_app: FastAPI) -> None:
    routes = {(m, p) for m, p, _ in record_routes(multi_app)}
    for kind in KIND_BY_SEGMENT:
        for method in ("GET", "PATCH", "DELETE"):
            assert (method, f"/api/v1/{kind}/{{record_id}}") in routes
    assert ("GET", "/diary/episodes/{episode_id}") in routes
    assert ("POST", "/diary/episodes/{episode_id}/delete") in routes
    assert len(routes) >= 15 + 7


def _records_of_a(a: TestClient) -> dict[str, dict[str, Any]]:
    return {kind.path: create(a, kind) for kind in KINDS}


def _call(b: TestClient, method: str, path: str, kind: Kind, token: str) -> Any:
    if path.startswith("/api/"):
        body = kind.change if method == "PATCH" else None
        return b.request(method, path, json=body)
    data = {"csrf_token": token, "regions": "neck", "worst_pain": "3", "kind": "heat"}
    return b.request(method, path, data=data if method == "POST" else None)


def test_user_b_gets_404_on_every_record_of_user_a(multi_app: FastAPI) -> None:
    a = register_and_login(multi_app, "alice")
    b = register_and_login(multi_app, "bob")
    records = _records_of_a(a)
    token = csrf_of(b.get("/diary/new").text)
    kinds = {k.path: k for k in KINDS}
    checked = 0
    for method, template, kind_name in record_routes(multi_app):
        record = records[kind_name]
        path = PARAM.sub(str(record["id"]), template)
        r = _call(b, method, path, kinds[kind_name], token)
        assert r.status_code == 404, (method, path, r.status_code, r.text[:200])
        checked += 1
    assert checked >= 22
    # Nothing of A's was changed or deleted by B's attempts.
    for kind in KINDS:
        again = a.get(f"/api/v1/{kind.path}/{records[kind.path]['id']}")
        assert again.status_code == 200 and again.json() == records[kind.path]


def test_lists_exports_and_statistics_show_only_ones_own_records(multi_app: FastAPI) -> None:
    a = register_and_login(multi_app, "alice")
    b = register_and_login(multi_app, "bob")
    _records_of_a(a)
    for kind in KINDS:
        assert b.get(f"/api/v1/{kind.path}").json() == {
            "items": [],
            "total": 0,
            "limit": 50,
            "offset": 0,
        }
        assert a.get(f"/api/v1/{kind.path}").json()["total"] >= 1
    exported = b.get("/api/v1/export").json()
    assert all(exported[k] == [] for k in ("episodes", "treatments", "doses", "triage_results"))
    assert b.get("/api/v1/stats").json()["episodes"] == 0
    assert b.get("/api/v1/dashboard").json()["episodes_total"] == 0
    assert a.get("/api/v1/profile").json()["id"] != b.get("/api/v1/profile").json()["id"]
    assert "alice" not in b.get("/diary").text


@pytest.mark.parametrize("kind", [k for k in KINDS if k.needs_episode], ids=lambda k: k.path)
def test_user_b_cannot_link_a_record_to_user_as_episode(multi_app: FastAPI, kind: Kind) -> None:
    a = register_and_login(multi_app, "alice")
    b = register_and_login(multi_app, "bob")
    episode = create(a, KINDS[0])["id"]
    r = b.post(f"/api/v1/{kind.path}", json=kind.create_body(episode))
    body = is_problem(r, 422)
    assert body["errors"][0]["path"] == "episode_id"
    assert b.get(f"/api/v1/{kind.path}").json()["total"] == 0


def test_importing_touches_only_ones_own_diary(multi_app: FastAPI) -> None:
    a = register_and_login(multi_app, "alice")
    b = register_and_login(multi_app, "bob")
    _records_of_a(a)
    exported = a.get("/api/v1/export").json()
    assert b.post("/api/v1/import", json=exported).status_code == 200
    assert b.get("/api/v1/episodes").json()["total"] == len(exported["episodes"])
    assert a.get("/api/v1/episodes").json()["total"] == len(exported["episodes"])


DIARY_READS = (
    "/api/v1/episodes",
    "/api/v1/treatments",
    "/api/v1/doses",
    "/api/v1/triage-results",
    "/api/v1/scale-results",
    "/api/v1/profile",
    "/api/v1/dashboard",
    "/api/v1/stats",
    "/api/v1/charts/pain",
    "/api/v1/export",
    "/api/v1/episodes/1",
)


def test_logged_out_requests_to_diary_routes_are_401(multi_app: FastAPI) -> None:
    anonymous = client(multi_app)
    for path in DIARY_READS:
        body = is_problem(anonymous.get(path), 401)
        assert "log in" in body["detail"]
    is_problem(anonymous.post("/api/v1/episodes", json=KINDS[0].body), 401)
    is_problem(anonymous.post("/api/v1/import", json={}), 401)
    page = anonymous.get("/diary", headers={"accept": "text/html"}, follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/account/login")


def test_triage_needs_no_account(multi_app: FastAPI) -> None:
    anonymous = client(multi_app)
    r = anonymous.post("/api/v1/triage", json={"age": 40, "regions": ["neck"]})
    assert r.status_code == 200
    assert anonymous.get("/triage").status_code == 200


def test_a_forged_or_expired_session_is_refused(multi_app: FastAPI) -> None:
    a = register_and_login(multi_app, "alice")
    token = a.cookies.get("spasmcare_session")
    assert token
    forged = client(multi_app, cookies={"spasmcare_session": token[:-2] + "xx"})
    is_problem(forged.get("/api/v1/episodes"), 401)
    assert a.post("/api/v1/account/logout").status_code == 204
    stale = client(multi_app, cookies={"spasmcare_session": token})
    is_problem(stale.get("/api/v1/episodes"), 401)
