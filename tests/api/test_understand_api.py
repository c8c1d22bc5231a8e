"""POST /api/v1/triage/understand: a story read into a partial intake with its evidence (documented in
the OpenAPI schema); bad input is a message, not an error; and the interview API starts from the
confirmed partial intake, asking what is still open, or showing an emergency at once."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from spasmcare.knowledge import KnowledgeBase
from spasmcare.understand import understand
from spasmcare.understand.text import EMPTY, NO_WORDS, NOT_ENGLISH, TOO_LONG
from tests.api.support import is_problem

URL = "/api/v1/triage/understand"


def test_a_story_is_read_with_its_evidence(sqlite_api: TestClient, kb: KnowledgeBase) -> None:
    text = "45, can't feel my bum when I wipe, low back pain since Tuesday, no fever"
    r = sqlite_api.post(URL, json={"text": text, "today": "2026-12-03"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body == understand(text, kb, today=date(2026, 12, 3)).model_dump(mode="json")
    assert body["intake"] == {
        "age": 45,
        "regions": ["lower_back"],
        "duration_days": 2,
        "findings": {"saddle_numbness": True, "fever": False},
    }
    first = body["findings"][0]
    assert first["finding"] == "saddle_numbness" and first["emergency"] is True
    assert text[first["span"]["start"] : first["span"]["end"]] == first["span"]["text"]
    assert body["message"] is None
    assert body["knowledge_version"] == kb.version


def test_the_route_is_documented(sqlite_api: TestClient) -> None:
    schema = sqlite_api.get("/openapi.json").json()
    op = schema["paths"][URL]["post"]
    assert "Nothing is decided" in op["description"]
    assert {"200", "422"} <= set(op["responses"])
    out = schema["components"]["schemas"]["Understanding"]
    assert {"intake", "findings", "fields", "medicines", "set_aside", "unplaced", "message"} <= set(
        out["properties"]
    )
    body = schema["components"]["schemas"]["UnderstandIn"]
    assert body["properties"]["text"]["maxLength"] == 20_000
    interview = schema["paths"]["/api/v1/interview"]["post"]["description"]
    assert "/api/v1/triage/understand" in interview


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", EMPTY),
        ("x" * 10_000, TOO_LONG),
        ("Me duele mucho la espalda y tengo fiebre", NOT_ENGLISH),
        ("😀😀😀", NO_WORDS),
        ("\x00\x01\x02\x03\x04\xff\xfe", NO_WORDS),
    ],
)
def test_bad_input_is_a_message_not_an_error(
    sqlite_api: TestClient, text: str, message: str
) -> None:
    r = sqlite_api.post(URL, json={"text": text})
    assert r.status_code == 200, r.text
    assert r.json()["message"] == message
    assert r.json()["findings"] == []


def test_what_is_not_a_story_is_a_422(sqlite_api: TestClient) -> None:
    is_problem(sqlite_api.post(URL, json={"text": "a" * 20_001}), 422)
    is_problem(sqlite_api.post(URL, json={"text": 5}), 422)
    is_problem(sqlite_api.post(URL, json={"story": "back pain"}), 422)
    is_problem(sqlite_api.post(URL, json={"text": "back pain", "today": "Tuesday"}), 422)


def test_an_old_knowledge_base_says_it_cannot_read_free_text(sqlite_api: TestClient) -> None:
    r = sqlite_api.post(URL + "?knowledge_version=1.0.0", json={"text": "back pain"})
    assert r.status_code == 200
    assert "1.0.0" in r.json()["message"]


def _interview(api: TestClient, answers: dict[str, Any], answer: Any = None) -> dict[str, Any]:
    body: dict[str, Any] = {"answers": answers}
    if answer is not None:
        body["answer"] = answer
    r = api.post("/api/v1/interview", json=body)
    assert r.status_code == 200, r.text
    data: dict[str, Any] = r.json()
    return data


def test_the_interview_starts_from_the_confirmed_intake(sqlite_api: TestClient) -> None:
    story = sqlite_api.post(URL, json={"text": "34, low back spasm, no fever, peeing fine"}).json()
    step = _interview(sqlite_api, story["intake"])
    assert step["done"] is False
    assert step["question"]["id"] not in ("age", "regions")
    assert step["answers"]["age"] == 34
    assert step["answers"]["findings"]["fever"] is False
    asked: list[str] = []
    answers = step["answers"]
    while not step["done"]:
        q = step["question"]
        asked.append(q["id"])
        value: Any = {
            "number": 3,
            "choice": q["options"][0]["value"] if q["options"] else None,
            "multi": [q["options"][0]["value"]] if q["options"] else None,
            "yesno": False,
            "names": [],
            "checklist": "none",
        }[q["kind"]]
        step = _interview(sqlite_api, answers, {"question_id": q["id"], "value": value})
        answers = step["answers"]
    assert not {"age", "regions", "fever"} & set(asked)
    assert step["result"]["complete"] is True


def test_a_confirmed_emergency_sign_ends_the_interview_at_once(sqlite_api: TestClient) -> None:
    text = "I'm 45, low back pain and I can't feel my bum when I wipe"
    story = sqlite_api.post(URL, json={"text": text}).json()
    step = _interview(sqlite_api, story["intake"])
    assert step["done"] is True
    assert step["result"]["disposition"] == "emergency"


def test_without_age_the_interview_asks_it_first_and_checks_the_rest(
    sqlite_api: TestClient,
) -> None:
    story = sqlite_api.post(URL, json={"text": "can't pee, low back pain"}).json()
    step = _interview(sqlite_api, story["intake"])
    assert step["question"]["id"] == "age"
    step = _interview(sqlite_api, step["answers"], {"question_id": "age", "value": 50})
    assert step["done"] is True and step["result"]["disposition"] == "emergency"
    problem = is_problem(
        sqlite_api.post(
            "/api/v1/interview", json={"answers": {"findings": {"feverr": True}, "pain": 11}}
        ),
        422,
    )
    paths = {p["path"] for p in problem["errors"]}
    assert {"findings.feverr", "pain"} <= paths
