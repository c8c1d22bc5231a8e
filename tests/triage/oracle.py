"""One oracle for interview tests and benchmarks: the answers a person would give, taken from a
case, and an interview answered from them."""

from __future__ import annotations

from typing import Any

from spasmcare.knowledge import KnowledgeBase
from spasmcare.triage import Interview


def case_answers(intake: dict[str, Any], kb: KnowledgeBase) -> dict[str, Any]:
    """Every answer the interview could ask, from a case's intake: an unlisted finding is no, an
    unlisted new_or_changed_pain is yes (missing counts as new, policy v2 C56), and fields the case
    leaves out get ordinary values."""
    full = dict(intake)
    full["findings"] = {
        **dict.fromkeys(kb.findings, False),
        "new_or_changed_pain": True,
        **intake.get("findings", {}),
    }
    full.setdefault("medicines", [])
    full.setdefault("pain", 4)
    full.setdefault("onset", "gradual")
    full.setdefault("duration_days", 1)
    full.setdefault("sex", "female")
    full.setdefault("pregnant", False)
    return full


def run_oracle_interview(
    full: dict[str, Any], kb: KnowledgeBase, start: dict[str, Any] | None = None
) -> Interview:
    """Answer every question the interview asks from the full answers (checklists in the object
    form: each option true, false or "unsure"; an empty list is not an answer)."""
    interview = Interview(kb, answers=start)
    for _ in range(80):
        q = interview.next_question()
        if q is None:
            return interview
        if q.field == "medicines":
            interview.answer(q.id, full.get("medicines", []))
        elif q.field is not None:
            interview.answer(q.id, full[q.field])
        elif q.kind == "yesno":
            interview.answer(q.id, full["findings"][q.id])
        else:
            interview.answer(q.id, {o.value: full["findings"][o.value] for o in q.options})
    raise AssertionError("the interview did not end")
