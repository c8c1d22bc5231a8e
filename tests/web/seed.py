"""A diary with every kind of record, written through the REST API (a TestClient or an httpx client
of a running server): episodes open and ended, treatments of every kind, doses, triage results of
every level under every knowledge-base version, and a result of every scale.

Used by the crawl tests, the screenshot script (scripts/screenshots.py) and the page benchmark.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from spasmcare.diary.schemas import TREATMENT_KINDS
from spasmcare.knowledge import available_versions, load_knowledge
from spasmcare.scales import catalogue, list_scales
from spasmcare.triage import evaluate, parse_intake

CALM: dict[str, Any] = {
    "age": 40,
    "sex": "male",
    "regions": ["lower_back"],
    "onset": "sudden",
    "pain": 5,
    "duration_days": 2,
}
LEVELS: dict[str, dict[str, Any]] = {
    "emergency": {"bowel_incontinence": True},
    "urgent": {"fever": True},
    "self_care": {},
}


def scale_responses(scale_id: str) -> dict[str, Any]:
    """Valid responses for any scale: the second answer of each item (a text item gets words)."""
    cat = catalogue()
    scale = cat.scale(scale_id)
    responses: dict[str, Any] = {}
    for item in scale.items:
        if item.answer_set:
            answers = cat.answers(item).answers
            responses[item.id] = answers[min(1, len(answers) - 1)].value
        else:
            responses[item.id] = "lower back, left side"
    return responses


def _ok(response: Any) -> dict[str, Any]:
    assert response.status_code in (200, 201), response.text
    data: dict[str, Any] = response.json()
    return data


def triage_bodies(now: datetime) -> list[dict[str, Any]]:
    """A saved triage result of each level under each knowledge-base version (all findings not
    asked count as "no" here: these are stored results, not answers to replay)."""
    bodies = []
    for n, version in enumerate(available_versions()):
        kb = load_knowledge(version)
        for m, (level, findings) in enumerate(LEVELS.items()):
            data = {**CALM, "findings": dict.fromkeys(kb.findings, False) | findings}
            intake = parse_intake(data, kb)
            result = evaluate(intake, kb)
            assert result.disposition.value == level, (version, level, result.disposition)
            bodies.append(
                {
                    "taken_at": (now - timedelta(days=20 - 3 * n - m)).isoformat(),
                    "intake": intake.model_dump(mode="json", exclude_none=True),
                    "result": result.model_dump(mode="json"),
                }
            )
    return bodies


def seed_every_kind(client: Any, now: datetime | None = None) -> dict[str, list[int]]:
    """Fill the caller's diary; returns the ids of what was made, by kind."""
    now = now or datetime.now(UTC)
    made: dict[str, list[int]] = {"episodes": [], "treatments": [], "doses": []}
    episodes = [
        {
            "started_at": (now - timedelta(days=40)).isoformat(),
            "ended_at": (now - timedelta(days=37)).isoformat(),
            "regions": ["lower_back"],
            "worst_pain": 7,
            "spasm_frequency": 3,
            "triggers": ["lifting", "gardening"],
            "suspected_causes": ["heavy box"],
            "notes": "Could not stand up straight for a day.",
        },
        {
            "started_at": (now - timedelta(days=9)).isoformat(),
            "ended_at": (now - timedelta(days=8)).isoformat(),
            "regions": ["neck", "upper_back"],
            "worst_pain": 4,
            "triggers": ["desk work"],
        },
        {
            "started_at": (now - timedelta(hours=5)).isoformat(),
            "regions": ["calf"],
            "worst_pain": 6,
        },
    ]
    for body in episodes:
        made["episodes"].append(_ok(client.post("/api/v1/episodes", json=body))["id"])
    for n, kind in enumerate(TREATMENT_KINDS):
        body: dict[str, Any] = {
            "kind": kind,
            "episode_id": made["episodes"][n % len(made["episodes"])],
            "started_at": (now - timedelta(hours=4, minutes=n)).isoformat(),
            "relief": n % 11,
            "duration_minutes": 20,
        }
        if kind == "medicine":
            body.update(medicine="ibuprofen", dose_mg=400)
        made["treatments"].append(_ok(client.post("/api/v1/treatments", json=body))["id"])
    for hours, medicine, amount in ((30, "naproxen", 220), (3, "acetaminophen", 500)):
        body = {
            "medicine": medicine,
            "amount_mg": amount,
            "taken_at": (now - timedelta(hours=hours)).isoformat(),
        }
        made["doses"].append(_ok(client.post("/api/v1/doses", json=body))["id"])
    made["triage"] = [
        _ok(client.post("/api/v1/triage-results", json=b))["id"] for b in triage_bodies(now)
    ]
    made["scales"] = []
    for n, scale in enumerate(list_scales()):
        body = {
            "responses": scale_responses(scale.id),
            "taken_at": (now - timedelta(days=15 - n)).isoformat(),
        }
        made["scales"].append(
            _ok(client.post(f"/api/v1/scales/{scale.id}/results", json=body))["id"]
        )
    unscored = {"responses": {"score": None}, "taken_at": (now - timedelta(days=1)).isoformat()}
    made["scales"].append(_ok(client.post("/api/v1/scales/nrs/results", json=unscored))["id"])
    return made


__all__ = ["CALM", "interview_pages", "scale_responses", "seed_every_kind", "triage_bodies"]


def interview_pages(kb: Any = None) -> list[str]:
    """Addresses of interview pages a link from ``/`` does not reach by itself (each page of the
    interview has its own address, /triage?s=...): a checklist, the pain question, the self-care
    result, an emergency, a result with "not sure" answers, and the plan's last form."""
    from spasmcare.triage import Interview
    from spasmcare.web.interview_form import steps_token

    kb = kb or load_knowledge()
    calm = {**CALM, "medicines": [], "regions": ["lower_back"]}

    def walk(stop: Any, choose: Any, *, context: bool = False) -> str:
        interview = Interview(kb, context=context)
        steps: list[tuple[str, Any]] = []
        while (question := interview.next_question()) is not None and not stop(question):
            value = choose(question)
            interview.answer(question.id, value)
            steps.append((question.id, value))
        return steps_token(steps)

    def calmly(question: Any) -> Any:
        if question.id in calm:
            return calm[question.id]
        return "none" if question.kind == "checklist" else False

    def unsure(question: Any) -> Any:
        if question.kind == "checklist" and question.unsure:
            return {o.value: "unsure" for o in question.options[:1]} | {
                o.value: False for o in question.options[1:]
            }
        return calmly(question)

    def emergency(question: Any) -> Any:
        if question.kind == "checklist" and "bladder_dysfunction" in [
            o.value for o in question.options
        ]:
            return ["bladder_dysfunction"]
        return calmly(question)

    never = lambda question: False  # noqa: E731
    return [
        "/triage?s=" + walk(lambda q: q.kind == "checklist", calmly),
        "/triage?s=" + walk(lambda q: q.id == "pain", calmly),
        "/triage?s=" + walk(never, calmly),
        "/triage?s=" + walk(never, emergency),
        "/triage?s=" + walk(never, unsure),
        "/triage?mode=plan&s=" + walk(never, calmly, context=True),
    ]
