"""The adaptive interview: emergency questions first, stops at an emergency, asks only what applies."""

from __future__ import annotations

import statistics
from typing import Any

import pytest

from spasmcare.errors import IntakeError
from spasmcare.knowledge import KnowledgeBase
from spasmcare.triage import Interview
from tests.conftest import load_cases
from tests.triage.test_properties import run_oracle_interview


def _oracle(case: dict[str, Any]) -> dict[str, Any]:
    """Answers from a case: a finding the case does not list is answered no."""
    intake = case["intake"]
    full = dict(intake)
    full["findings"] = {**dict.fromkeys(_all_findings(), False), **intake["findings"]}
    full.setdefault("pain", 4)
    full.setdefault("onset", "gradual")
    full.setdefault("duration_days", 1)
    full.setdefault("sex", "female")
    full.setdefault("pregnant", False)
    return full


def _all_findings() -> list[str]:
    from spasmcare.knowledge import load_knowledge

    return list(load_knowledge().findings)


def test_first_questions_are_age_regions_then_red_flags(kb: KnowledgeBase) -> None:
    interview = Interview(kb)
    q = interview.next_question()
    assert q is not None and q.id == "age" and q.kind == "number"
    interview.answer("age", 40)
    q = interview.next_question()
    assert q is not None and q.id == "regions" and q.kind == "multi"
    interview.answer("regions", ["lower_back"])
    q = interview.next_question()
    assert q is not None and q.kind == "checklist"
    assert {o.value for o in q.options} == {
        "bladder_dysfunction",
        "bowel_incontinence",
        "saddle_numbness",
        "sexual_dysfunction",
    }


def test_stops_at_first_emergency(kb: KnowledgeBase) -> None:
    interview = Interview(kb, emergency_call="112")
    interview.answer("age", 40)
    interview.answer("regions", ["lower_back"])
    interview.answer("nerves_below", ["saddle_numbness"])
    assert interview.next_question() is None and interview.done
    result = interview.result()
    assert result.disposition.value == "emergency"
    assert result.rules[0] == "E1"
    assert "112" in result.instruction


def test_checklist_unticked_items_become_false(kb: KnowledgeBase) -> None:
    interview = Interview(kb)
    interview.answer("age", 40)
    interview.answer("regions", ["lower_back"])
    interview.answer("nerves_below", [])
    findings = interview.answers()["findings"]
    assert findings == {
        "bladder_dysfunction": False,
        "bowel_incontinence": False,
        "saddle_numbness": False,
        "sexual_dysfunction": False,
    }


def test_only_questions_that_apply(kb: KnowledgeBase) -> None:
    full = {
        "age": 40,
        "regions": ["lower_back"],
        "sex": "male",
        "pain": 3,
        "onset": "gradual",
        "duration_days": 2,
        "findings": dict.fromkeys(kb.findings, False),
    }
    interview = run_oracle_interview(full)
    answered = set(interview.answers()["findings"])
    assert not answered & {
        "calf_swelling",
        "cold_pale_leg",
        "tendon_snap",
        "nausea_vomiting",
        "vaginal_bleeding",
        "regular_tightening",
    }
    assert "pregnant" not in interview.asked  # a man is not asked about pregnancy
    assert interview.result().complete


def test_calf_region_asks_leg_signs_early(kb: KnowledgeBase) -> None:
    interview = Interview(kb)
    interview.answer("age", 30)
    interview.answer("regions", ["calf"])
    interview.answer("nerves_below", [])
    interview.answer("heart_brain", [])
    q = interview.next_question()
    assert q is not None and "calf_swelling" in {o.value for o in q.options}


def test_urgent_level_skips_urgent_only_questions(kb: KnowledgeBase) -> None:
    """Once a rule at 'urgent' fired, questions that can only lead to 'urgent' are not asked."""
    full = {
        "age": 30,
        "regions": ["lower_back"],
        "sex": "male",
        "pain": 3,
        "onset": "gradual",
        "duration_days": 2,
        "findings": {**dict.fromkeys(kb.findings, False), "fever": True},
    }
    interview = run_oracle_interview(full)
    assert interview.result().disposition.value == "urgent"
    findings = interview.answers()["findings"]
    for urgent_only in (
        "night_pain",
        "pain_unrelieved",
        "weight_loss",
        "osteoporosis",
        "recurrent",
    ):
        assert urgent_only not in findings, urgent_only


def test_self_care_is_concluded_only_when_complete(kb: KnowledgeBase) -> None:
    for case in load_cases():
        full = _oracle(case)
        interview = run_oracle_interview(full)
        result = interview.result()
        if result.disposition.value == "self_care":
            assert result.complete, (case["id"], result.unanswered)


def test_interview_length_on_shared_cases(kb: KnowledgeBase) -> None:
    """Emergencies show early; no case needs many questions (the benchmark reports the figures)."""
    emergency_counts = []
    for case in load_cases():
        interview = run_oracle_interview(_oracle(case))
        assert interview.result().disposition.value == case["expected"], case["id"]
        assert len(interview.asked) <= 25, case["id"]
        if case["expected"] == "emergency":
            emergency_counts.append(len(interview.asked))
    assert statistics.median(emergency_counts) <= 6


def test_bad_answers_are_refused_with_what_is_allowed(kb: KnowledgeBase) -> None:
    interview = Interview(kb)
    with pytest.raises(IntakeError) as info:
        interview.answer("age", 130)
    assert "0 to 120" in str(info.value)
    with pytest.raises(IntakeError):
        interview.answer("age", "forty")
    with pytest.raises(IntakeError) as info:
        interview.answer("regions", ["lower_back"])  # not the current question
    assert "current question is age" in str(info.value)
    interview.answer("age", 40)
    with pytest.raises(IntakeError) as info:
        interview.answer("regions", ["back"])
    assert "lower_back" in str(info.value)
    interview.answer("regions", ["neck"])
    with pytest.raises(IntakeError):
        interview.answer("nerves_below", ["chest_pain"])  # not on this checklist
    assert interview.asked == ["age", "regions"]


def test_resume_from_answers_is_stateless(kb: KnowledgeBase) -> None:
    first = Interview(kb)
    first.answer("age", 52)
    first.answer("regions", ["flank"])
    resumed = Interview(kb, answers=first.answers())
    assert resumed.next_question() == first.next_question()


def test_resume_with_invalid_answers_is_refused(kb: KnowledgeBase) -> None:
    with pytest.raises(IntakeError):
        Interview(kb, answers={"age": 40, "regions": ["lower_back"], "findings": {"feverr": True}})


def test_context_questions_only_with_a_plan(kb: KnowledgeBase) -> None:
    full = {
        "age": 40,
        "regions": ["lower_back"],
        "sex": "male",
        "pain": 3,
        "onset": "gradual",
        "duration_days": 2,
        "findings": dict.fromkeys(kb.findings, False),
    }
    plain = run_oracle_interview(full)
    assert "context" not in plain.asked
    interview = Interview(kb, context=True)
    for _ in range(40):
        q = interview.next_question()
        if q is None:
            break
        if q.field:
            interview.answer(q.id, full[q.field])
        elif q.kind == "yesno":
            interview.answer(q.id, False)
        else:
            interview.answer(q.id, [])
    assert interview.asked[-1] == "context"
