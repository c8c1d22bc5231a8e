"""Odd input is a 4xx problem, never a 500 or a broken diary: numbers that are not finite, JSON nested
deeper than anyone writes it, whole numbers with thousands of digits, report dates in year 1, bodies
not declared as JSON (415), and methods a route does not have (405 with ``Allow``)."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from spasmcare.safejson import MAX_DEPTH
from tests.api.support import all_routes, csrf_of, is_problem

NOW = "2025-05-01T08:00:00Z"
SCALE = {"scale": "nrs", "taken_at": NOW, "responses": {"pain": 5}, "score": 5.0}
JSON = {"content-type": "application/json"}
NOT_FINITE = ("NaN", "Infinity", "-Infinity", "1e400", "-1e999")
DEEP_ROUTES = (
    "/api/v1/triage",
    "/api/v1/interview",
    "/api/v1/plan",
    "/api/v1/import",
    "/api/v1/episodes",
    "/api/v1/scales/nrs/score",
    "/cds-services/spasmcare-triage",
)


def raw_post(c: TestClient, path: str, text: str) -> Any:
    return c.post(path, content=text.encode(), headers=JSON)


@pytest.mark.parametrize("literal", NOT_FINITE)
def test_a_score_that_is_not_finite_is_refused_and_the_diary_stays_readable(
    api: TestClient, literal: str
) -> None:
    body = json.dumps(SCALE).replace('"score": 5.0', f'"score": {literal}')
    problem = is_problem(raw_post(api, "/api/v1/scale-results", body), 422)
    assert [e["path"] for e in problem["errors"]] == ["score"]
    assert "finite" in problem["errors"][0]["allowed"]
    nested = json.dumps({**SCALE, "responses": {"pain": 5, "extra": [1, 2]}}).replace(
        "[1, 2]", f"[1, {literal}]"
    )
    problem = is_problem(raw_post(api, "/api/v1/scale-results", nested), 422)
    assert [e["path"] for e in problem["errors"]] == ["responses.extra[1]"]
    dose = f'{{"medicine": "ibuprofen", "amount_mg": {literal}, "taken_at": "{NOW}"}}'
    assert [e["path"] for e in is_problem(raw_post(api, "/api/v1/doses", dose), 422)["errors"]] == [
        "amount_mg"
    ]
    intake = f'{{"age": 40, "regions": ["neck"], "pain": {literal}}}'
    assert [
        e["path"] for e in is_problem(raw_post(api, "/api/v1/triage", intake), 422)["errors"]
    ] == ["pain"]
    assert api.get("/api/v1/scale-results").json()["total"] == 0
    assert api.get("/api/v1/export").status_code == 200
    assert api.get("/diary/results", headers={"accept": "text/html"}).status_code == 200


def test_an_import_file_with_a_number_that_is_not_finite_is_refused(api: TestClient) -> None:
    api.post("/api/v1/scale-results", json=SCALE)
    exported = api.get("/api/v1/export").text
    broken = exported.replace('"score":5.0', '"score":NaN')
    assert broken != exported
    problem = is_problem(raw_post(api, "/api/v1/import", broken), 422)
    assert [e["path"] for e in problem["errors"]] == ["scale_results[0].score"]
    token = csrf_of(api.get("/export").text)
    r = api.post(
        "/diary/import",
        data={"csrf_token": token},
        files={"file": ("diary.json", broken.encode(), "application/json")},
    )
    assert r.status_code == 422 and "scale_results[0].score" in r.text
    assert api.get("/api/v1/scale-results").json()["total"] == 1, "nothing imported"


@pytest.mark.parametrize("path", DEEP_ROUTES)
@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 1000, 100_000])
def test_json_nested_too_deep_is_a_4xx_problem(api: TestClient, path: str, depth: int) -> None:
    text = '{"a": ' * depth + "1" + "}" * depth
    problem = is_problem(raw_post(api, path, text), 422)
    assert "nested" in problem["errors"][0]["message"]


def test_an_import_page_upload_nested_too_deep_is_refused(api: TestClient) -> None:
    token = csrf_of(api.get("/export").text)
    r = api.post(
        "/diary/import",
        data={"csrf_token": token},
        files={"file": ("diary.json", b"[" * 5000 + b"]" * 5000, "application/json")},
    )
    assert r.status_code == 422 and "nested" in r.text


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/triage", {"regions": ["neck"]}),
        ("/api/v1/plan", {"regions": ["neck"]}),
        ("/api/v1/episodes", {"started_at": NOW, "regions": ["neck"], "worst_pain": 3}),
    ],
)
def test_a_whole_number_with_thousands_of_digits_is_a_4xx_problem(
    api: TestClient, path: str, body: dict[str, Any]
) -> None:
    key = "worst_pain" if "worst_pain" in body else "age"
    text = json.dumps({**body, key: 1}).replace(f'"{key}": 1', f'"{key}": {"9" * 5000}')
    problem = is_problem(raw_post(api, path, text), 422)
    assert [e["path"] for e in problem["errors"]] == [key]
    assert "9999" not in problem["errors"][0]["message"], "the number is not echoed"


@pytest.mark.parametrize(
    "query",
    [
        "from=0001-01-01&to=0001-01-01",
        "from=0001-01-01",
        "to=0001-01-02",
        "from=9999-12-30&to=9999-12-31",
        "from=1899-12-31&to=1900-01-05",
    ],
)
def test_report_dates_out_of_range_are_a_4xx_problem(api: TestClient, query: str) -> None:
    problem = is_problem(api.get(f"/report/download?{query}&format=html"), 422)
    assert problem["errors"][0]["path"] in ("from", "to")
    api.cookies.set("spasmcare_tz", "Pacific/Kiritimati")
    is_problem(api.get(f"/report/download?{query}&format=html"), 422)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/v1/episodes"),
        ("PATCH", "/api/v1/profile"),
        ("POST", "/api/v1/import"),
        ("POST", "/api/v1/triage"),
    ],
)
@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_a_body_not_declared_as_json_gets_415(
    api: TestClient, method: str, path: str, content_type: str | None
) -> None:
    body = json.dumps({"started_at": NOW, "regions": ["neck"], "worst_pain": 3}).encode()
    headers = {} if content_type is None else {"content-type": content_type}
    is_problem(api.request(method, path, content=body, headers=headers), 415)
    assert api.get("/api/v1/episodes").json()["total"] == 0


def test_every_405_lists_every_method_of_the_path(app: FastAPI, api: TestClient) -> None:
    methods: dict[str, set[str]] = defaultdict(set)
    for method, path in all_routes(app):
        methods[path].add(method)
    checked = 0
    for path, known in methods.items():
        if "{" in path:
            url = path.replace("{record_id}", "1").replace("{kind}", "pain")
            url = url.split("{")[0] + "x" if "{" in url else url
            if "{" in path.replace("{record_id}", "").replace("{kind}", ""):
                continue
        else:
            url = path
        for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
            if method in known:
                continue
            r = api.request(method, url)
            if r.status_code != 405:
                continue
            checked += 1
            allow = {m.strip() for m in r.headers.get("allow", "").split(",") if m.strip()}
            expected = known | ({"HEAD"} if "GET" in known else set())
            assert allow == expected, (method, url, r.headers.get("allow"))
    assert checked > 50


@pytest.mark.parametrize(
    "raw", ["[" * 5000 + "]" * 5000, '{"pain": ' + "9" * 5000 + "}", '{"pain": NaN}']
)
def test_a_scale_form_with_odd_answers_is_refused(api: TestClient, raw: str) -> None:
    token = csrf_of(api.get("/scales/nrs").text)
    r = api.post("/scales/nrs/save", data={"csrf_token": token, "responses": raw})
    assert r.status_code == 422, r.text[:300]
    assert api.get("/api/v1/scale-results").json()["total"] == 0
