"""The adaptive interview: emergency questions first, stops at an emergency, asks only what applies."""

from __future__ import annotations

import statistics
from typing import Any

import pytest

from spasmcare.errors import IntakeError
from spasmcare.knowledge import KnowledgeBase, load_knowledge
from spasmcare.triage import Interview
from tests.conftest import load_cases
from tests.triage.oracle import case_answers
from tests.triage.oracle import run_oracle_interview as oracle_interview

KB = load_knowledge()


def run_oracle_interview(full: dict[str, Any], kb: KnowledgeBase = KB) -> Interview:
    return oracle_interview(full, kb)


def _oracle(case: dict[str, Any]) -> dict[str, Any]:
    """Answers from a case: a finding the case does not list is answered no."""
    return case_answers(case["intake"], KB)


def test_first_questions_are_age_regions_then_red_flags(kb: KnowledgeBase) -> None:
    interview = Interview(kb)
    q = interview.next_question()
    assert q is not None and q.id == "age" and q.kind == "number"
    interview.answer("age", 40)
    q = interview.next_question()
    assert q is not None and q.id == "regions" and q.kind == "multi"
    interview.answer("regions", ["lower_back"])
    q = interview.next_question()
    assert q is not None and q.id == "medicines" and q.kind == "names"  # policy v2 C59
    interview.answer("medicines", [])
    q = interview.next_question()
    assert q is not None and q.kind == "checklist" and q.unsure
    assert {o.value for o in q.options} >= {
        "bladder_dysfunction",
        "bowel_incontinence",
        "saddle_numbness",
        "sexual_dysfunction",
    }


def test_stops_at_first_emergency(kb: KnowledgeBase) -> None:
    interview = Interview(kb, emergency_call="112")
    interview.answer("age", 40)
    interview.answer("regions", ["lower_back"])
    interview.answer("medicines", [])
    interview.answer("nerves_below", ["saddle_numbness"])
    assert interview.next_question() is None and interview.done
    result = interview.result()
    assert result.disposition.value == "emergency"
    assert result.rules[0] == "E1"
    assert "112" in result.instruction


def test_none_of_these_answers_every_item_no(kb: KnowledgeBase) -> None:
    interview = Interview(kb)
    interview.answer("age", 40)
    interview.answer("regions", ["lower_back"])
    interview.answer("medicines", [])
    interview.answer("nerves_below", "none")
    assert set(interview.answers()["findings"].values()) == {False}


def test_checklist_unticked_items_become_false(kb: KnowledgeBase) -> None:
    interview = Interview(kb)
    interview.answer("age", 40)
    interview.answer("regions", ["lower_back"])
    interview.answer("medicines", [])
    q = interview.next_question()
    assert q is not None
    interview.answer("nerves_below", ["saddle_numbness"])
    findings = interview.answers()["findings"]
    assert findings == {o.value: o.value == "saddle_numbness" for o in q.options}
    assert interview.result().disposition.value == "emergency"


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
        "vaginal_bleeding",
        "regular_tightening",
        "pleuritic_pain",
        "exertional_pain",
        "period_late",
        "known_aneurysm",
        "temple_or_jaw_pain",
        "cannot_bear_weight",
        "light_sensitivity",
        "stiff_neck",
    }
    assert "pregnant" not in interview.asked  # a man is not asked about pregnancy
    assert interview.result().complete


def test_calf_region_asks_leg_signs_early(kb: KnowledgeBase) -> None:
    interview = Interview(kb)
    interview.answer("age", 30)
    interview.answer("regions", ["calf"])
    interview.answer("medicines", [])
    asked = 0
    while (q := interview.next_question()) is not None and q.kind == "checklist":
        if "calf_swelling" in {o.value for o in q.options}:
            break
        interview.answer(q.id, "none")
        asked += 1
    assert q is not None and "calf_swelling" in {o.value for o in q.options}
    assert asked <= 2  # within the first three checklists


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


def test_interview_reaches_every_case_expected_level(kb: KnowledgeBase) -> None:
    """The interview, answered from each development case, reaches the case's level; no case
    needs many questions (the benchmark reports the figures)."""
    emergency_counts = []
    for case in load_cases():
        interview = run_oracle_interview(_oracle(case))
        assert interview.result().disposition.value == case["expected"], case["id"]
        assert len(interview.asked) <= 25, case["id"]
        if case["expected"] == "emergency":
            emergency_counts.append(len(interview.asked))
    assert statistics.median(emergency_counts) <= 9


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
        interview.answer("medicines", "warfarin")  # a list of names
    interview.answer("medicines", [])
    with pytest.raises(IntakeError):
        interview.answer("nerves_below", ["chest_pain"])  # not on this checklist
    with pytest.raises(IntakeError):
        interview.answer("nerves_below", [])  # a blank is not "none of these"
    assert interview.asked == ["age", "regions", "medicines"]


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
        if q.field == "medicines":
            interview.answer(q.id, [])
        elif q.field:
            interview.answer(q.id, full[q.field])
        elif q.kind == "yesno":
            interview.answer(q.id, False)
        else:
            interview.answer(q.id, "none")
    assert interview.asked[-1] == "context"
