"""Every API route answers a valid request with success, on SQLite and on PostgreSQL. The routes are
read from the app: a new route without a request here fails the test. Also pins the public API of
the app, api, web and accounts packages."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

import spasmcare.accounts
import spasmcare.api
import spasmcare.app
import spasmcare.web
from tests.api.diary_data import KINDS, create
from tests.api.support import PASSWORD, all_routes, client

WHEN = "2025-05-01T08:00:00Z"


def _requests(
    ids: dict[str, int], topic: str, export: dict[str, Any]
) -> dict[tuple[str, str], tuple[str, dict[str, Any]]]:
    """A valid request for each route: (method, template) -> (concrete path, httpx kwargs)."""
    intake = {"age": 40, "regions": ["neck"], "pain": 3}
    out: dict[tuple[str, str], tuple[str, dict[str, Any]]] = {
        ("GET", "/healthz"): ("/healthz", {}),
        ("GET", "/api/v1/ping"): ("/api/v1/ping", {}),
        ("POST", "/api/v1/triage"): ("/api/v1/triage", {"json": intake}),
        ("POST", "/api/v1/interview"): ("/api/v1/interview", {"json": {"answers": {}}}),
        ("POST", "/api/v1/triage/understand"): (
            "/api/v1/triage/understand",
            {"json": {"text": "low back spasm since yesterday, no fever"}},
        ),
        ("GET", "/api/v1/rules"): ("/api/v1/rules", {}),
        ("POST", "/api/v1/plan"): ("/api/v1/plan", {"json": intake}),
        ("GET", "/api/v1/scales"): ("/api/v1/scales", {}),
        ("GET", "/api/v1/scales/{scale_id}"): ("/api/v1/scales/nrs", {}),
        ("POST", "/api/v1/scales/{scale_id}/score"): (
            "/api/v1/scales/nrs/score",
            {"json": {"responses": {"score": 4}}},
        ),
        ("POST", "/api/v1/scales/{scale_id}/compare"): (
            "/api/v1/scales/nrs/compare",
            {"json": {"before": {"score": 8}, "after": {"score": 3}}},
        ),
        ("POST", "/api/v1/scales/{scale_id}/results"): (
            "/api/v1/scales/nrs/results",
            {"json": {"responses": {"score": 4}}},
        ),
        ("GET", "/api/v1/search"): ("/api/v1/search", {"params": {"q": "heat"}}),
        ("GET", "/api/v1/topics"): ("/api/v1/topics", {}),
        ("GET", "/api/v1/topics/{topic_id}"): (f"/api/v1/topics/{topic}", {}),
        ("GET", "/api/v1/profile"): ("/api/v1/profile", {}),
        ("PATCH", "/api/v1/profile"): ("/api/v1/profile", {"json": {"age": 41}}),
        ("GET", "/api/v1/dashboard"): ("/api/v1/dashboard", {}),
        ("GET", "/api/v1/stats"): ("/api/v1/stats", {}),
        ("GET", "/api/v1/charts/{kind}"): ("/api/v1/charts/relief", {}),
        ("GET", "/api/v1/export"): ("/api/v1/export", {}),
        ("POST", "/api/v1/import"): ("/api/v1/import", {"json": export}),
        ("GET", "/cds-services"): ("/cds-services", {}),
        ("POST", "/cds-services/{service_id}"): (
            "/cds-services/spasmcare-triage",
            {
                "json": {
                    "hook": "patient-view",
                    "hookInstance": "1",
                    "context": {"userId": "Practitioner/1", "patientId": "1"},
                }
            },
        ),
    }
    for kind in KINDS:
        base = f"/api/v1/{kind.path}"
        record = f"{base}/{ids[kind.path]}"
        episode = ids["episodes"] if kind.needs_episode else None
        out[("GET", base)] = (base, {})
        out[("POST", base)] = (base, {"json": kind.create_body(episode)})
        out[("GET", f"{base}/{{record_id}}")] = (record, {})
        out[("PATCH", f"{base}/{{record_id}}")] = (record, {"json": kind.change})
        out[("DELETE", f"{base}/{{record_id}}")] = (record, {})
    return out


ACCOUNT = {
    ("POST", "/api/v1/account/register"): (
        "/api/v1/account/register",
        {"json": {"username": "zoe", "password": PASSWORD}},
    ),
    ("POST", "/api/v1/account/login"): (
        "/api/v1/account/login",
        {"json": {"username": "zoe", "password": PASSWORD}},
    ),
    ("GET", "/api/v1/account"): ("/api/v1/account", {}),
    ("GET", "/api/v1/account/sessions"): ("/api/v1/account/sessions", {}),
    ("POST", "/api/v1/account/sessions/end-others"): ("/api/v1/account/sessions/end-others", {}),
    ("POST", "/api/v1/account/logout"): ("/api/v1/account/logout", {}),
}
NEW_PASSWORD = "a quieter back by spring"


def _api_routes(app: FastAPI) -> list[tuple[str, str]]:
    return [
        (m, p) for m, p in all_routes(app) if p.startswith(("/api/", "/healthz", "/cds-services"))
    ]


def test_every_api_route_answers_a_valid_request(app: FastAPI) -> None:
    api = client(app)
    ids = {kind.path: create(api, kind)["id"] for kind in KINDS}
    topic = api.get("/api/v1/topics").json()[0]["id"]
    export = api.get("/api/v1/export").json()
    requests = _requests(ids, topic, export)
    routes = _api_routes(app)
    missing = [r for r in routes if r not in requests]
    assert not missing, f"add a request for {missing}"
    deletes = [r for r in routes if r[0] == "DELETE"]
    for route in [r for r in routes if r[0] != "DELETE"] + deletes:
        path, kwargs = requests[route]
        r = api.request(route[0], path, **kwargs)
        if route == ("POST", "/cds-services/{service_id}"):
            assert r.status_code in (200, 412), r.text  # 412: the EHR sent no prefetch
            continue
        assert 200 <= r.status_code < 300, (route, r.status_code, r.text[:300])


def test_every_account_route_answers_a_valid_request(multi_app: FastAPI) -> None:
    api = client(multi_app)
    routes = [r for r in _api_routes(multi_app) if r[1].startswith("/api/v1/account")]
    assert set(routes) == set(ACCOUNT) | {
        ("POST", "/api/v1/account/delete"),
        ("POST", "/api/v1/account/password"),
    }
    for route in (
        ("POST", "/api/v1/account/register"),
        ("POST", "/api/v1/account/login"),
        ("GET", "/api/v1/account"),
        ("GET", "/api/v1/account/sessions"),
        ("POST", "/api/v1/account/sessions/end-others"),
    ):
        path, kwargs = ACCOUNT[route]
        r = api.request(route[0], path, **kwargs)
        assert 200 <= r.status_code < 300, (route, r.text)
    r = api.post(
        "/api/v1/account/password",
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
    )
    assert r.status_code == 204, r.text
    r = api.post("/api/v1/account/delete", json={"password": NEW_PASSWORD})
    assert r.status_code == 204
    register_again = api.post(
        "/api/v1/account/register", json={"username": "zoe", "password": PASSWORD}
    )
    assert register_again.status_code == 201
    api.post("/api/v1/account/login", json={"username": "zoe", "password": PASSWORD})
    assert api.post("/api/v1/account/logout").status_code == 204


def test_public_api_of_the_web_packages() -> None:
    assert spasmcare.app.__all__ == ["create_app"]
    assert sorted(spasmcare.api.__all__) == [
        "PROBLEM_MEDIA_TYPE",
        "ProblemDetails",
        "api_router",
        "install_problem_handlers",
        "problem_response",
    ]
    assert sorted(spasmcare.web.__all__) == ["install_web", "web_router"]
    assert sorted(spasmcare.accounts.__all__) == [
        "ARGON2_LANES",
        "ARGON2_MEMORY_KIB",
        "ARGON2_TIME_COST",
        "Account",
        "Accounts",
        "AuthenticationError",
        "FREE_TRIES_PER_ADDRESS",
        "FREE_TRIES_PER_USER",
        "MAX_DELAY",
        "MAX_PASSWORD",
        "MAX_SESSIONS",
        "MIN_PASSWORD",
        "RateLimitedError",
        "SESSION_LIFETIME",
        "SessionInfo",
        "check_password",
        "normalise_username",
        "password_problems",
    ]
    for module in (spasmcare.app, spasmcare.api, spasmcare.web, spasmcare.accounts):
        for name in module.__all__:
            assert getattr(module, name) is not None
