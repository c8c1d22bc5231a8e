"""Triage over HTTP: the same result as `spasmcare triage --json`, the interview one stateless step at a
time (to an emergency and to self-care), and the rules."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
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
        assert r.json() == expected.model_dump(mode="json")
        assert r.json()["disposition"] == case["expected"], case.get("id")


def test_the_result_is_exactly_what_the_cli_prints(
    sqlite_api: TestClient, cases: list[dict[str, Any]], tmp_path: Path
) -> None:
    intake = next(c["intake"] for c in cases if c["expected"] == "emergency")
    path = tmp_path / "intake.json"
    path.write_text(json.dumps(intake))
    kept = ("SPASMCARE_DATA_DIR", "SPASMCARE_CACHE_DIR")  # the test's own folders, no other setting
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPASMCARE_") or k in kept}
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


CALM: dict[str, Any] = {
    "age": 35,
    "regions": ["lower_back"],
    "medicines": [],
    "pain": 4,
    "onset": "sudden",
    "sex": "male",
    "duration_days": 2,
}


def _calm(question: dict[str, Any]) -> Any:
    """Nothing wrong: "none" for every checklist, false for every yes/no question."""
    if question["id"] in CALM:
        return CALM[question["id"]]
    return "none" if question["kind"] == "checklist" else False


def _step(api: TestClient, answers: dict[str, Any], question_id: str, value: Any) -> Any:
    return api.post(
        "/api/v1/interview",
        json={"answers": answers, "answer": {"question_id": question_id, "value": value}},
    )


def _until(api: TestClient, done: Any, answer_for: Any = _calm) -> dict[str, Any]:
    """Answer over the API until ``done(question)``; the step whose question that is."""
    step: dict[str, Any] = api.post("/api/v1/interview", json={"answers": {}}).json()
    for _ in range(60):
        question = step["question"]
        assert question is not None, "the interview ended first"
        if done(question):
            return step
        r = _step(api, step["answers"], question["id"], answer_for(question))
        assert r.status_code == 200, r.text
        step = r.json()
    raise AssertionError("never got there")


def _has(finding: str) -> Any:
    return lambda q: q["kind"] == "checklist" and finding in [o["value"] for o in q["options"]]


def test_the_interview_reaches_self_care_after_asking_every_warning_sign(
    sqlite_api: TestClient,
) -> None:
    final, asked = _walk(sqlite_api, _calm)
    result = final["result"]
    assert result["disposition"] == "self_care"
    assert result["complete"] is True and result["unanswered"] == []
    assert asked[:2] == ["age", "regions"]


def test_the_interview_stops_at_the_first_emergency(sqlite_api: TestClient) -> None:
    chest: list[str] = []

    def answer(question: dict[str, Any]) -> Any:
        if _has("chest_pain")(question):
            chest.append(question["id"])
            return ["chest_pain"]  # the list form: these yes, all others no
        return _calm(question)

    final, asked = _walk(sqlite_api, answer)
    assert final["result"]["disposition"] == "emergency"
    assert "E5" in final["result"]["rules_fired"]
    assert "Call" in final["result"]["instruction"]
    assert asked[-1:] == chest, "nothing more is asked once it is an emergency"
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


def test_every_question_says_whether_not_sure_is_an_answer(sqlite_api: TestClient) -> None:
    seen: dict[str, dict[str, Any]] = {}

    def record(question: dict[str, Any]) -> Any:
        seen[question["id"]] = question
        return _calm(question)

    _walk(sqlite_api, record)
    for question in seen.values():
        assert "unsure" in question and "self_check" in question
        if question["kind"] in ("yesno", "checklist"):
            assert question["unsure"] is True, question["id"]
        assert question["self_check"] is None, "no self-check without a not-sure answer"
    assert seen["onset"]["unsure"] is True
    assert "unsure" in [o["value"] for o in seen["onset"]["options"]]
    assert seen["medicines"]["kind"] == "names"


def test_unsure_about_saddle_numbness_brings_its_self_check_and_n1(
    sqlite_api: TestClient, kb: KnowledgeBase
) -> None:
    step = _until(sqlite_api, _has("saddle_numbness"))
    question = step["question"]
    options = [o["value"] for o in question["options"]]
    value = {o: ("unsure" if o == "saddle_numbness" else False) for o in options}
    r = _step(sqlite_api, step["answers"], question["id"], value)  # the object form
    assert r.status_code == 200, r.text
    step = r.json()
    assert step["answers"]["findings"]["saddle_numbness"] == "unsure"
    again = step["question"]
    assert again["id"] == "saddle_numbness" and again["kind"] == "yesno"
    assert again["self_check"] == kb.findings["saddle_numbness"].self_check
    assert again["self_check"] and again["unsure"] is True

    r = _step(sqlite_api, step["answers"], "saddle_numbness", "unsure")  # yesno "unsure"
    assert r.status_code == 200, r.text
    step = r.json()
    assert step["answers"]["findings"]["saddle_numbness"] == "unsure"
    assert step["answers"]["self_checked"] == ["saddle_numbness"]
    assert step["question"]["id"] != "saddle_numbness", "the second answer is kept"

    answers = step["answers"]
    for _ in range(60):
        if step["done"]:
            break
        q = step["question"]
        step = _step(sqlite_api, answers, q["id"], _calm(q)).json()
        answers = step["answers"]
    result = step["result"]
    assert result["disposition"] == "urgent" and "N1" in result["rules_fired"]
    assert result["unsure"] == ["saddle_numbness"]
    assert "saddle_numbness" not in result["unanswered"]
    n1 = next(r for r in result["reasons"] if r["rule"] == "N1")
    assert kb.findings["saddle_numbness"].label in n1["advice"]


def test_checklist_answers_as_a_list_as_none_and_as_an_object(sqlite_api: TestClient) -> None:
    step = _until(sqlite_api, lambda q: q["kind"] == "checklist")
    question = step["question"]
    options = [o["value"] for o in question["options"]]
    findings = {
        "list": ({o: o == options[0] for o in options}, [options[0]]),
        "none": (dict.fromkeys(options, False), "none"),
        "object, one left out": (
            {o: (True if o == options[0] else "unsure") for o in options},
            {options[0]: True},
        ),
        "object": (
            {o: (False if o == options[0] else "unsure") for o in options},
            {o: (False if o == options[0] else "unsure") for o in options},
        ),
    }
    for name, (expected, value) in findings.items():
        r = _step(sqlite_api, step["answers"], question["id"], value)
        assert r.status_code == 200, (name, r.text)
        got = r.json()["answers"]["findings"]
        assert {o: got[o] for o in options} == expected, name


def test_an_empty_checklist_is_refused_naming_the_question(sqlite_api: TestClient) -> None:
    step = _until(sqlite_api, lambda q: q["kind"] == "checklist")
    question = step["question"]
    for value in ([], None, "", {"not_an_option": True}, "maybe"):
        r = _step(sqlite_api, step["answers"], question["id"], value)
        errors = is_problem(r, 422)["errors"]
        assert errors[0]["path"].split(".")[0] == question["id"], (value, errors)
    r = _step(sqlite_api, step["answers"], question["id"], [])
    error = is_problem(r, 422)["errors"][0]
    assert error["path"] == question["id"] and "nothing was ticked" in error["message"]
    assert '"none"' in error["allowed"]
    option = question["options"][0]["value"]
    r = _step(sqlite_api, step["answers"], question["id"], {option: "maybe"})
    assert is_problem(r, 422)["errors"][0]["path"] == f"{question['id']}.{option}"


def test_a_yes_no_question_takes_true_false_or_unsure_only(sqlite_api: TestClient) -> None:
    def unsure_nerves(question: dict[str, Any]) -> Any:
        if _has("saddle_numbness")(question):
            return {"saddle_numbness": "unsure"}
        return _calm(question)

    step = _until(sqlite_api, lambda q: q["kind"] == "yesno", unsure_nerves)
    question = step["question"]
    for value in ("maybe", "yes", None, [], 1):
        r = _step(sqlite_api, step["answers"], question["id"], value)
        error = is_problem(r, 422)["errors"][0]
        assert error["path"] == question["id"] and "unsure" in error["allowed"], value
    r = _step(sqlite_api, step["answers"], question["id"], "unsure")
    assert r.status_code == 200


def test_triage_takes_unsure_for_findings_pregnancy_and_onset(sqlite_api: TestClient) -> None:
    intake = {
        "age": 30,
        "regions": ["lower_back"],
        "sex": "female",
        "pregnant": "unsure",
        "onset": "unsure",
        "findings": {"saddle_numbness": "unsure", "fever": False},
    }
    r = sqlite_api.post("/api/v1/triage", json=intake)
    assert r.status_code == 200, r.text
    result = r.json()
    assert "saddle_numbness" in result["unsure"] and "pregnant" in result["unsure"]
    assert "onset" in result["unsure"]
    assert not set(result["unsure"]) & set(result["unanswered"]), "unsure is an answer"
    assert "N1" in result["rules_fired"] and result["disposition"] == "urgent"


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"age": "unsure"}, "age"),
        ({"pain": "unsure"}, "pain"),
        ({"sex": "unsure"}, "sex"),
        ({"duration_days": "unsure"}, "duration_days"),
        ({"regions": ["unsure"]}, "regions"),
        ({"findings": {"fever": "maybe"}}, "findings.fever"),
        ({"findings": {"fever": "Unsure"}}, "findings.fever"),
        ({"findings": {"fever": None}}, "findings.fever"),
        ({"pregnant": "maybe"}, "pregnant"),
        ({"onset": "sometimes"}, "onset"),
        ({"medicines": "unsure"}, "medicines"),
    ],
)
def test_unsure_anywhere_else_is_a_422_naming_the_field(
    sqlite_api: TestClient, change: dict[str, Any], path: str
) -> None:
    intake = {"age": 30, "regions": ["lower_back"], **change}
    errors = is_problem(sqlite_api.post("/api/v1/triage", json=intake), 422)["errors"]
    assert any(
        e["path"] == path or e["path"].startswith((f"{path}[", f"{path}.")) for e in errors
    ), errors


def test_the_openapi_schema_documents_not_sure(sqlite_api: TestClient) -> None:
    spec = sqlite_api.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    result = schemas["TriageResult"]
    assert "unsure" in result["properties"] and "unanswered" in result["properties"]
    question = schemas["Question"]["properties"]
    assert "names" in question["kind"]["enum"]
    assert "self_check" in question and "unsure" in question
    body = spec["paths"]["/api/v1/triage"]["post"]["requestBody"]["content"]["application/json"]
    intake = body["schema"]["properties"]
    unsure = {"const": "unsure", "type": "string"}
    assert unsure in intake["findings"]["additionalProperties"]["anyOf"]
    assert unsure in intake["pregnant"]["anyOf"]
    assert "unsure" in intake["onset"]["anyOf"][0]["enum"]
    value = schemas["AnswerIn"]["properties"]["value"]
    assert "unsure" in value["description"] and '"none"' in value["description"]
