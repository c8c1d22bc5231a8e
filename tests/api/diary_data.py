"""Valid bodies for every kind of diary record, a change for each, and the routes, for the CRUD and
isolation tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient

WHEN = "2025-05-01T08:00:00+02:00"


@dataclass(frozen=True)
class Kind:
    path: str
    body: dict[str, Any]
    change: dict[str, Any]
    changed_field: str
    needs_episode: bool = False

    def create_body(self, episode_id: int | None) -> dict[str, Any]:
        body = dict(self.body)
        if self.needs_episode:
            body["episode_id"] = episode_id
        return body


TRIAGE_RESULT = {
    "disposition": "self_care",
    "label": "Self-care",
    "instruction": "Home care is reasonable for now.",
    "reasons": [],
    "rules_fired": [],
    "unanswered": [],
    "complete": True,
    "knowledge_version": "1.0.0",
    "notice": "Information, not a diagnosis.",
}

KINDS: tuple[Kind, ...] = (
    Kind(
        "episodes",
        {"started_at": WHEN, "regions": ["lower_back"], "worst_pain": 6, "triggers": ["lifting"]},
        {"worst_pain": 3, "ended_at": "2025-05-02T08:00:00+00:00"},
        "worst_pain",
    ),
    Kind(
        "treatments",
        {"kind": "heat", "started_at": WHEN, "relief": 5, "duration_minutes": 20},
        {"relief": 8},
        "relief",
        needs_episode=True,
    ),
    Kind(
        "doses",
        {"medicine": "ibuprofen", "amount_mg": 400, "taken_at": WHEN},
        {"amount_mg": 200},
        "amount_mg",
    ),
    Kind(
        "triage-results",
        {"taken_at": WHEN, "intake": {"age": 40, "regions": ["neck"]}, "result": TRIAGE_RESULT},
        {"notes": "felt better by the evening"},
        "notes",
        needs_episode=True,
    ),
    Kind(
        "scale-results",
        {"scale": "nrs", "taken_at": WHEN, "responses": {"score": 6}, "score": 6, "valid": True},
        {"notes": "after the walk"},
        "notes",
        needs_episode=True,
    ),
)


def new_episode(api: TestClient) -> int:
    r = api.post("/api/v1/episodes", json=KINDS[0].body)
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def create(api: TestClient, kind: Kind) -> dict[str, Any]:
    episode = new_episode(api) if kind.needs_episode else None
    r = api.post(f"/api/v1/{kind.path}", json=kind.create_body(episode))
    assert r.status_code == 201, r.text
    data: dict[str, Any] = r.json()
    return data
