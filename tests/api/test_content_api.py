"""The care plan, scales, statistics, charts, export and import, and learn routes over HTTP."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from spasmcare.api.insights import SVG_POLICY
from spasmcare.config import DEFAULT_EMERGENCY_CALL
from spasmcare.knowledge import KnowledgeBase
from spasmcare.knowledge.learn import active_topics
from spasmcare.plan import build_plan
from spasmcare.scales import compare, score
from spasmcare.triage import parse_intake
from tests.api.diary_data import KINDS, create
from tests.api.support import client, is_problem

INTAKE = {"age": 40, "regions": ["lower_back"], "pain": 5, "medicines": ["ibuprofen"]}


def test_the_plan_is_the_libraries_plan(sqlite_api: TestClient, kb: KnowledgeBase) -> None:
    r = sqlite_api.post("/api/v1/plan?diary_doses=false", json=INTAKE)
    assert r.status_code == 200
    expected = build_plan(parse_intake(INTAKE, kb), kb, emergency_call=DEFAULT_EMERGENCY_CALL)
    assert r.json() == expected.model_dump(mode="json")
    assert any(m["id"] for m in r.json()["medicines"])


def test_the_plan_counts_doses_recorded_in_the_diary(sqlite_api: TestClient) -> None:
    now = datetime.now(UTC)
    for hours in (1, 5, 9, 13):
        body = {
            "medicine": "acetaminophen",
            "amount_mg": 1000,
            "taken_at": (now - timedelta(hours=hours)).isoformat(),
        }
        assert sqlite_api.post("/api/v1/doses", json=body).status_code == 201
    intake = {"age": 40, "regions": ["lower_back"], "pain": 5}
    with_diary = sqlite_api.post("/api/v1/plan", json=intake).json()
    without = sqlite_api.post("/api/v1/plan?diary_doses=false", json=intake).json()
    assert with_diary["warnings"] != without["warnings"]
    texts = " ".join(w["text"] for w in with_diary["warnings"]).lower()
    assert "acetaminophen" in texts or "4,000" in texts or "4000" in texts


def test_the_plan_checks_its_intake(sqlite_api: TestClient) -> None:
    body = is_problem(
        sqlite_api.post("/api/v1/plan", json={"age": 40, "regions": ["neck"], "conditions": ["x"]}),
        422,
    )
    assert body["errors"][0]["path"] == "conditions[0]"


def test_an_emergency_plan_says_to_call(sqlite_api: TestClient) -> None:
    plan = sqlite_api.post(
        "/api/v1/plan",
        json={"age": 60, "regions": ["lower_back"], "findings": {"saddle_numbness": True}},
    ).json()
    assert plan["disposition"] == "emergency" and plan["medicines"] == []
    assert "Call" in plan["instruction"]


def test_scales_list_score_compare_and_save(sqlite_api: TestClient) -> None:
    scales = {s["id"]: s for s in sqlite_api.get("/api/v1/scales").json()}
    assert {"nrs", "psfs", "mas", "odi", "rmdq", "startback", "ndi"} <= set(scales)
    assert scales["nrs"]["form"]["items"] and scales["odi"]["form"] is None, (
        "no copyrighted wording"
    )
    r = sqlite_api.post("/api/v1/scales/nrs/score", json={"responses": {"score": 7}})
    assert r.json() == score("nrs", {"score": 7}).model_dump(mode="json")
    r = sqlite_api.post(
        "/api/v1/scales/nrs/compare", json={"before": {"score": 8}, "after": {"score": 4}}
    )
    assert r.json() == compare(
        "nrs", score("nrs", {"score": 8}), score("nrs", {"score": 4})
    ).model_dump(mode="json")
    assert r.json()["verdict"] == "improved"
    is_problem(
        sqlite_api.post("/api/v1/scales/psfs/compare", json={"before": {}, "after": {}}), 422
    )
    bad = is_problem(
        sqlite_api.post("/api/v1/scales/nrs/score", json={"responses": {"score": 11}}), 422
    )
    assert bad["errors"][0]["path"] == "score"
    saved = sqlite_api.post(
        "/api/v1/scales/nrs/results", json={"responses": {"score": 3}, "notes": "morning"}
    )
    assert (
        saved.status_code == 201
        and saved.json()["score"] == 3
        and saved.json()["notes"] == "morning"
    )
    assert saved.headers["location"] == f"/api/v1/scale-results/{saved.json()['id']}"
    is_problem(sqlite_api.get("/api/v1/scales/nope"), 404)


def test_stats_and_charts(sqlite_api: TestClient) -> None:
    for kind in KINDS:
        create(sqlite_api, kind)
    stats = sqlite_api.get("/api/v1/stats?tz=Europe/Paris").json()
    assert stats["episodes"] == 4 and stats["treatments"] == 1
    svg = sqlite_api.get("/api/v1/charts/pain?format=svg")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert (
        svg.headers["content-security-policy"] == SVG_POLICY
        and "script" not in svg.headers["content-security-policy"]
    )
    assert b"<title" in svg.content and b"<script" not in svg.content
    png = sqlite_api.get("/api/v1/charts/episodes?format=png")
    assert png.headers["content-type"] == "image/png" and png.content[:8] == b"\x89PNG\r\n\x1a\n"


def test_export_json_and_csv_and_import_round_trip(app: FastAPI) -> None:
    api = client(app)
    for kind in KINDS:
        create(api, kind)
    exported = api.get("/api/v1/export")
    assert exported.headers["content-disposition"].startswith(
        'attachment; filename="spasmcare-diary-'
    )
    data: dict[str, Any] = exported.json()
    assert data["format"] == "spasmcare-diary" and len(data["episodes"]) == 4
    zipped = api.get("/api/v1/export?format=csv")
    names = zipfile.ZipFile(io.BytesIO(zipped.content)).namelist()
    assert "episodes.csv" in names and "profile.csv" in names
    summary = api.post("/api/v1/import", json=data).json()
    assert summary["counts"]["episodes"] == 4 and summary["created_profile"] is False
    assert api.get("/api/v1/episodes").json()["total"] == 8


def test_a_bad_import_names_every_bad_record_and_writes_nothing(sqlite_api: TestClient) -> None:
    create(sqlite_api, KINDS[0])
    data = sqlite_api.get("/api/v1/export").json()
    data["episodes"][0]["worst_pain"] = 11
    data["episodes"].append({"nonsense": True})
    body = is_problem(sqlite_api.post("/api/v1/import", json=data), 422)
    paths = [e["path"] for e in body["errors"]]
    assert "episodes[0].worst_pain" in paths and any(p.startswith("episodes[1]") for p in paths)
    assert sqlite_api.get("/api/v1/episodes").json()["total"] == 1
    is_problem(sqlite_api.post("/api/v1/import", json=[1, 2]), 422)


def test_search_and_topics(sqlite_api: TestClient, kb: KnowledgeBase) -> None:
    found = sqlite_api.get("/api/v1/search", params={"q": "tylenol"}).json()
    assert found["results"] and found["knowledge_version"] == kb.version
    only_rules = sqlite_api.get(
        "/api/v1/search", params={"q": "numb groin", "kinds": "rule"}
    ).json()
    assert only_rules["results"] and {r["kind"] for r in only_rules["results"]} == {"rule"}
    is_problem(sqlite_api.get("/api/v1/search", params={"q": "!!!"}), 422)
    is_problem(sqlite_api.get("/api/v1/search", params={"q": "back", "kinds": "poem"}), 422)
    topics = sqlite_api.get("/api/v1/topics").json()
    assert [t["id"] for t in topics] == [t.id for t in active_topics(kb)]
    assert topics[0]["id"] == "warning_signs", "most important first"
    one = sqlite_api.get(f"/api/v1/topics/{topics[0]['id']}").json()
    assert one["sections"] and one["sources"]
    is_problem(sqlite_api.get("/api/v1/topics/no_such_topic"), 404)
