"""Bad input gets a 4xx problem details answer naming the field: malformed JSON, wrong types,
unknown fields, oversize bodies, the wrong content type; never a stack trace, and nothing is stored."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from spasmcare.api.middleware import DEFAULT_BODY_LIMIT
from tests.api.support import is_problem

EPISODE = {"started_at": "2025-05-01T08:00:00+02:00", "regions": ["lower_back"], "worst_pain": 6}


@pytest.mark.parametrize(
    "path",
    ["/api/v1/triage", "/api/v1/interview", "/api/v1/plan", "/api/v1/episodes", "/api/v1/import"],
)
def test_malformed_json_is_a_400_problem(sqlite_api: TestClient, path: str) -> None:
    r = sqlite_api.post(path, content=b'{"age": 40,', headers={"content-type": "application/json"})
    body = is_problem(r, 400)
    assert body["errors"] and "JSON" in body["errors"][0]["message"]


def test_a_body_that_is_not_json_is_refused(sqlite_api: TestClient) -> None:
    r = sqlite_api.post("/api/v1/triage", content=b"age=40", headers={"content-type": "text/plain"})
    is_problem(r, 415)
    r = sqlite_api.post(
        "/api/v1/episodes", content=b"age=40", headers={"content-type": "text/plain"}
    )
    assert 400 <= r.status_code < 500
    is_problem(r, r.status_code)


def test_wrong_types_name_every_bad_field(sqlite_api: TestClient) -> None:
    r = sqlite_api.post(
        "/api/v1/triage",
        json={"age": "forty", "regions": "neck", "pain": 11, "findings": {"fever": "yes"}},
    )
    body = is_problem(r, 422)
    paths = {e["path"] for e in body["errors"]}
    assert {"age", "regions", "pain", "findings.fever"} <= paths
    pain = next(e for e in body["errors"] if e["path"] == "pain")
    assert pain["allowed"] == "0 to 10"


def test_unknown_fields_are_refused(sqlite_api: TestClient) -> None:
    r = sqlite_api.post("/api/v1/triage", json={"age": 40, "regions": ["neck"], "agee": 3})
    body = is_problem(r, 422)
    assert body["errors"][0]["path"] == "agee"
    r = sqlite_api.post("/api/v1/episodes", json={**EPISODE, "colour": "red"})
    body = is_problem(r, 422)
    assert [e["path"] for e in body["errors"]] == ["colour"]
    r = sqlite_api.post("/api/v1/interview", json={"answers": {}, "extra": 1})
    assert is_problem(r, 422)["errors"][0]["path"] == "extra"


def test_unknown_finding_ids_get_a_suggestion(sqlite_api: TestClient) -> None:
    r = sqlite_api.post(
        "/api/v1/triage", json={"age": 40, "regions": ["neck"], "findings": {"feverr": True}}
    )
    error = is_problem(r, 422)["errors"][0]
    assert error["path"] == "findings.feverr" and "fever" in error["allowed"]


def test_diary_fields_are_checked_with_their_path_and_nothing_is_stored(
    sqlite_api: TestClient,
) -> None:
    r = sqlite_api.post(
        "/api/v1/episodes", json={**EPISODE, "worst_pain": 11, "started_at": "yesterday"}
    )
    body = is_problem(r, 422)
    assert {e["path"] for e in body["errors"]} == {"worst_pain", "started_at"}
    r = sqlite_api.post("/api/v1/episodes", json={**EPISODE, "started_at": "2025-05-01T08:00:00"})
    assert is_problem(r, 422)["errors"][0]["path"] == "started_at"
    assert sqlite_api.get("/api/v1/episodes").json()["total"] == 0


def test_oversize_bodies_are_refused_before_they_are_read(sqlite_api: TestClient) -> None:
    big = b'{"notes": "' + b"x" * DEFAULT_BODY_LIMIT + b'"}'
    body = is_problem(
        sqlite_api.post(
            "/api/v1/episodes", content=big, headers={"content-type": "application/json"}
        ),
        413,
    )
    assert str(DEFAULT_BODY_LIMIT) in body["errors"][0]["allowed"]


def test_oversize_bodies_without_a_length_header_are_refused_too(sqlite_api: TestClient) -> None:
    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(30):
            yield b"x" * 50_000

    r = sqlite_api.post(
        "/api/v1/triage", content=chunks(), headers={"content-type": "application/json"}
    )
    is_problem(r, 413)


def test_imports_may_be_larger_than_other_bodies(sqlite_api: TestClient) -> None:
    big = b'{"format": "nope", "pad": "' + b"x" * (DEFAULT_BODY_LIMIT + 10) + b'"}'
    r = sqlite_api.post("/api/v1/import", content=big, headers={"content-type": "application/json"})
    body = is_problem(r, 422)  # read and checked, not refused for its size
    assert any(e["path"] == "format" for e in body["errors"])


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/api/v1/episodes", "limit=0"),
        ("/api/v1/episodes", "limit=100000"),
        ("/api/v1/episodes", "offset=-1"),
        ("/api/v1/episodes", "since=not-a-time"),
        ("/api/v1/episodes", "since=2025-01-01T00:00:00"),
        ("/api/v1/stats", "tz=Mars/Olympus"),
        ("/api/v1/charts/pain", "format=gif"),
        ("/api/v1/triage-results", "limit=abc"),
    ],
)
def test_bad_query_parameters_are_422_problems_naming_the_parameter(
    sqlite_api: TestClient, path: str, query: str
) -> None:
    name = query.split("=")[0]
    body = is_problem(sqlite_api.get(f"{path}?{query}"), 422)
    assert any(e["path"] == name for e in body["errors"]), body


def test_unknown_routes_and_methods_are_problems(sqlite_api: TestClient) -> None:
    is_problem(sqlite_api.get("/api/v1/nothing-here"), 404)
    is_problem(sqlite_api.put("/api/v1/episodes"), 405)
    is_problem(sqlite_api.get("/api/v1/charts/unknown"), 422)
    is_problem(sqlite_api.get("/api/v1/scales/nope"), 404)


def test_a_cross_site_post_is_refused(sqlite_api: TestClient) -> None:
    body = is_problem(
        sqlite_api.post(
            "/api/v1/episodes", json=EPISODE, headers={"Origin": "https://evil.example"}
        ),
        403,
    )
    assert body["errors"][0]["path"] == "Origin"
    is_problem(
        sqlite_api.post("/api/v1/episodes", json=EPISODE, headers={"Sec-Fetch-Site": "cross-site"}),
        403,
    )
    ok = sqlite_api.post("/api/v1/episodes", json=EPISODE, headers={"Origin": "http://testserver"})
    assert ok.status_code == 201
    assert sqlite_api.get("/api/v1/episodes").json()["total"] == 1


@pytest.mark.parametrize("when", ["0001-01-01T00:30:00+01:00", "9999-12-31T23:30:00-05:00"])
def test_times_at_the_edge_of_the_calendar_are_refused_not_crashed_on(
    sqlite_api: TestClient, when: str
) -> None:
    r = sqlite_api.post("/api/v1/episodes", json={**EPISODE, "started_at": when})
    is_problem(r, 422)
    r = sqlite_api.get("/api/v1/episodes", params={"since": when})
    assert is_problem(r, 422)["errors"][0]["path"] == "since"
    assert sqlite_api.get("/api/v1/episodes").json()["total"] == 0
