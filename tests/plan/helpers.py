"""Small helpers shared by the care-plan tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from spasmcare.knowledge import KnowledgeBase
from spasmcare.plan import CarePlan, DoseTaken, MedicineAdvice, build_plan
from spasmcare.triage import parse_intake

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)

BASE: dict[str, Any] = {
    "age": 40,
    "sex": "male",
    "regions": ["lower_back"],
    "onset": "sudden",
    "pain": 5,
    "duration_days": 1,
    "findings": {},
}


def intake_data(**changes: Any) -> dict[str, Any]:
    """The base self-care intake (a 40-year-old man with a sudden lower-back spasm) with changes."""
    data = {**BASE, "findings": dict(BASE["findings"])}
    findings = changes.pop("findings", {})
    data.update(changes)
    data["findings"].update(findings)
    return data


def plan_for(
    kb: KnowledgeBase,
    *,
    doses: Sequence[DoseTaken] = (),
    now: datetime | None = None,
    **changes: Any,
) -> CarePlan:
    return build_plan(parse_intake(intake_data(**changes), kb), kb, doses=doses, now=now or NOW)


def advice(plan: CarePlan, medicine: str) -> MedicineAdvice:
    found = plan.medicine(medicine)
    assert found is not None, f"no advice for {medicine} in a {plan.disposition.value} plan"
    return found


def reason_ids(advice_: MedicineAdvice) -> list[str]:
    return [r.id for r in advice_.reasons]


CALM_ANSWERS: dict[str, Any] = {
    "age": 40,
    "sex": "male",
    "regions": ["lower_back"],
    "onset": "sudden",
    "pain": 5,
    "duration_days": 1,
    "medicines": [],
}


def calm_intake(kb: KnowledgeBase, **changes: Any) -> dict[str, Any]:
    """A complete intake from the interview answered calmly ("none of these", "no"), with the
    plan's context: a self-care result that needs no further question."""
    from spasmcare.triage import Interview

    answers = {**CALM_ANSWERS, **changes}
    interview = Interview(kb, emergency_call="999")
    while (question := interview.next_question()) is not None:
        value = answers.get(question.id, "none" if question.kind == "checklist" else False)
        interview.answer(question.id, value)
    data = {k: v for k, v in interview.answers().items() if k != "self_checked"}
    data.setdefault("conditions", [])
    return data
