"""Triage over HTTP: the same result as `spasmcare triage --json`, the interview one stateless step at a
time (to an emergency and to self-care), and the rules."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from spasmcare.config import DEFAULT_EMERGENCY_CALL
from spasmcare.knowledge import KnowledgeBase
from spasmcare.triage import evaluate, parse_intake
from tests.api.support import is_problem


def test_every_shared_case_gets_the_engines_result(
    sqlite_api: TestClient, cases: list[dict[str, Any]], kb: KnowledgeBase
) -> None:
    for case in cases:
        r = sqlite_api.post("/api/v1/triage", json=case["intake"])
        assert r.status_code == 200, (case.get("id"), r.text)
        expected = evaluate(
            parse_intake(case["intake"], kb), kb, emergency_call=DEFAULT_EMERGENCY_CALL
        )
        assert r.json() == expected.to_dict()
        assert r.json()["disposition"] == case["expected"], case.get("id")


def test_the_result_is_exactly_what_the_cli_prints(
    sqlite_api: TestClient, cases: list[dict[str, Any]], tmp_path: Path
) -> None:
    intake = next(c["intake"] for c in cases if c["expected"] == "emergency")
    path = tmp_path / "intake.json"
    path.write_text(json.dumps(intake))
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPASMCARE_")}
    cli = subprocess.run(
        [sys.executable, "-m", "spasmcare", "triage", "--input", str(path), "--json"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    assert sqlite_api.post("/api/v1/triage", json=intake).json() == json.loads(cli.stdout)


def _walk(
    api: TestClient, answer_for: Any, *, context: bool = False
) -> tuple[dict[str, Any], list[str]]:
    """Run the interview over the API, answering with ``answer_for(question)``."""
    answers: dict[str, Any] = {}
    asked: list[str] = []
    body: dict[str, Any] = {"answers": answers, "context": context}
    for _ in range(60):
        r = api.post("/api/v1/interview", json=body)
        assert r.status_code == 200, r.text
        step = r.json()
        if step["done"]:
            assert step["question"] is None and step["result"] is not None
            return step, asked
        question = step["question"]
        asked.append(question["id"])
        body = {
            "answers": step["answers"],
            "answer": {"question_id": question["id"], "value": answer_for(question)},
            "context": context,
        }
    raise AssertionError("the interview did not end")


def _calm(question: dict[str, Any]) -> Any:
    return {
        "age": 35,
        "regions": ["lower_back"],
        "pain": 4,
        "onset": "sudden",
        "sex": "male",
        "duration_days": 2,
    }.get(question["id"], [] if question["kind"] == "checklist" else False)


def test_the_interview_reaches_self_care_after_asking_every_warning_sign(
    sqlite_api: TestClient,
) -> None:
    final, asked = _walk(sqlite_api, _calm)
    result = final["result"]
    assert result["disposition"] == "self_care"
    assert result["complete"] is True and result["unanswered"] == []
    assert asked[:2] == ["age", "regions"]


def test_the_interview_stops_at_the_first_emergency(sqlite_api: TestClient) -> None:
    def answer(question: dict[str, Any]) -> Any:
        if question["kind"] == "checklist" and any(
            o["value"] == "chest_pain" for o in question["options"]
        ):
            return ["chest_pain"]
        return _calm(question)

    final, asked = _walk(sqlite_api, answer)
    assert final["result"]["disposition"] == "emergency"
    assert "E5" in final["result"]["rules_fired"]
    assert "Call" in final["result"]["instruction"]
    assert len(asked) <= 4, "nothing more is asked once it is an emergency"
    assert final["answers"]["findings"]["chest_pain"] is True


def test_the_interview_can_ask_the_care_plan_context(sqlite_api: TestClient) -> None:
    _, asked = _walk(sqlite_api, _calm, context=True)
    assert asked[-1] == "context"


def test_an_answer_to_another_question_or_of_the_wrong_kind_is_a_422(
    sqlite_api: TestClient,
) -> None:
    r = sqlite_api.post(
        "/api/v1/interview", json={"answers": {}, "answer": {"question_id": "pain", "value": 3}}
    )
    error = is_problem(r, 422)["errors"][0]
    assert error["path"] == "pain" and "age" in error["allowed"]
    r = sqlite_api.post(
        "/api/v1/interview", json={"answers": {}, "answer": {"question_id": "age", "value": "x"}}
    )
    error = is_problem(r, 422)["errors"][0]
    assert error["path"] == "age" and "0 to 120" in error["allowed"]


def test_answers_so_far_that_are_not_an_intake_are_a_422(sqlite_api: TestClient) -> None:
    for answers in (
        {"age": 40, "regions": ["elbow"]},
        {"age": 40, "regions": ["neck"], "findings": [1, 2]},
        {"age": 40, "regions": ["neck"], "findings": "fever"},
        {"age": 40, "regions": ["neck"], "wings": True},
    ):
        r = sqlite_api.post("/api/v1/interview", json={"answers": answers})
        assert r.status_code == 422, (answers, r.text)
        is_problem(r, 422)


def test_the_interview_is_stateless(sqlite_api: TestClient) -> None:
    body = {"answers": {"age": 50}, "answer": {"question_id": "regions", "value": ["neck"]}}
    first = sqlite_api.post("/api/v1/interview", json=body).json()
    again = sqlite_api.post("/api/v1/interview", json=body).json()
    assert first == again
    assert first["answers"]["regions"] == ["neck"]


def test_an_older_knowledge_version_can_be_asked_for_and_an_unknown_one_is_404(
    sqlite_api: TestClient, kb: KnowledgeBase
) -> None:
    intake = {"age": 40, "regions": ["neck"]}
    r = sqlite_api.post(f"/api/v1/triage?knowledge_version={kb.version}", json=intake)
    assert r.json()["knowledge_version"] == kb.version
    is_problem(sqlite_api.post("/api/v1/triage?knowledge_version=0.0.1", json=intake), 404)


def test_the_rules_list_names_every_rule_with_its_sources(
    sqlite_api: TestClient, kb: KnowledgeBase
) -> None:
    data = sqlite_api.get("/api/v1/rules").json()
    assert data["knowledge_version"] == kb.version
    assert [r["id"] for r in data["rules"]] == [r.id for r in kb.rules]
    assert all(r["sources"] for r in data["rules"])


def test_a_configured_emergency_number_is_used(tmp_path: Path) -> None:
    from spasmcare.app import create_app
    from tests.api.support import client, make_settings

    app = create_app(make_settings(tmp_path, emergency_number="000"))
    try:
        r = client(app).post(
            "/api/v1/triage",
            json={"age": 40, "regions": ["neck"], "findings": {"stroke_signs": True}},
        )
        assert r.json()["instruction"].startswith("Call 000")
    finally:
        app.state.spasmcare.storage.close()
