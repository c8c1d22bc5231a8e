"""Policy v2 "not sure" answers: N1-N3, the `unsure` output, and the interview's handling of "not
sure" (self-checks, checklists that are never answered by a blank)."""

from __future__ import annotations

from typing import Any

import pytest

from spasmcare.errors import IntakeError
from spasmcare.knowledge import KnowledgeBase, load_knowledge
from spasmcare.triage import Interview, evaluate, parse_intake
from spasmcare.triage.interview import NONE_OF_THESE

KB = load_knowledge("1.1.0")


def _result(**intake: Any) -> Any:
    data = {"age": 35, "regions": ["lower_back"], **intake}
    return evaluate(parse_intake(data, KB), KB)


def test_unsure_about_an_emergency_sign_is_urgent_n1() -> None:
    result = _result(findings={"bladder_dysfunction": "unsure"})
    assert result.disposition.value == "urgent"
    assert result.rules == ("N1",)
    assert "bladder_dysfunction" in result.unsure
    assert "bladder_dysfunction" not in result.unanswered
    advice = result.reasons[0].advice
    assert KB.findings["bladder_dysfunction"].label in advice


def test_unsure_about_an_urgent_sign_is_soon_n2() -> None:
    result = _result(findings={"fever": "unsure"})
    # fever alone is U1; with fever taken as yes no emergency rule fires for this intake.
    assert result.disposition.value == "soon"
    assert result.rules == ("N2",)
    assert result.unsure == ("fever",)


def test_unsure_about_a_soon_sign_is_soon_n3() -> None:
    result = _result(findings={"pain_below_knee": "unsure"})
    assert result.disposition.value == "soon"
    assert result.rules == ("N3",)


def test_n_rules_do_not_fire_when_a_rule_at_that_level_fires_anyway() -> None:
    # E1 fires on the answers: no N1 beside it.
    result = _result(findings={"saddle_numbness": True, "bladder_dysfunction": "unsure"})
    assert result.disposition.value == "emergency"
    assert "N1" not in result.rules
    # U1 fires on the answers and the unsure sign is only urgent: no N2.
    result = _result(findings={"fever": True, "recent_wound": "unsure"})
    assert "N2" not in result.rules and result.disposition.value == "urgent"


def test_n1_beside_an_urgent_rule_is_reported_after_it() -> None:
    result = _result(findings={"fever": True, "bladder_dysfunction": "unsure"})
    assert result.disposition.value == "urgent"
    assert result.rules == ("U1", "N1")


def test_unsure_that_no_rule_can_use_changes_nothing() -> None:
    # Light sensitivity matters only with fever (E4); with fever no, its "not sure" cannot act.
    plain = _result(findings={"fever": False})
    unsure = _result(findings={"fever": False, "light_sensitivity": "unsure"})
    assert unsure.disposition == plain.disposition
    assert "N1" not in unsure.rules and "N2" not in unsure.rules


def test_unsure_pregnancy_counts_as_pregnant_for_n1() -> None:
    result = _result(sex="female", pregnant="unsure", findings={"vaginal_bleeding": True})
    assert "N1" in result.rules
    assert "pregnant" in result.unsure


def test_unsure_onset_counts_as_sudden_on_w() -> None:
    result = _result(
        regions=["upper_back"],
        onset="unsure",
        pain=9,
        findings={"pain_unrelieved": True},
    )
    # Sudden, >= 8 and unrelieved in the upper back is E6: unsure onset gives N1 beside U7.
    assert "N1" in result.rules and "onset" in result.unsure


def test_result_dict_has_unsure() -> None:
    data = _result(findings={"fever": "unsure"}).model_dump(mode="json")
    assert data["unsure"] == ["fever"] and "unanswered" in data and data["complete"] is False


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("age", "unsure"),
        ("pain", "unsure"),
        ("sex", "unsure"),
        ("duration_days", "unsure"),
        ("findings.fever", "maybe"),
        ("findings.fever", "yes"),
        ("findings.fever", ""),
        ("pregnant", "maybe"),
        ("onset", "maybe"),
    ],
)
def test_bad_unsure_values_name_the_field(field: str, value: str) -> None:
    data: dict[str, Any] = {"age": 35, "regions": ["lower_back"], "findings": {}}
    if field.startswith("findings."):
        data["findings"][field.split(".", 1)[1]] = value
    else:
        data[field] = value
    with pytest.raises(IntakeError) as info:
        parse_intake(data, KB)
    assert any(p.path.startswith(field) for p in info.value.problems), info.value.problems


# -- the interview -------------------------------------------------------------------------------


def _start(kb: KnowledgeBase = KB) -> Interview:
    interview = Interview(kb)
    interview.answer("age", 35)
    interview.answer("regions", ["lower_back"])
    q = interview.next_question()
    if q is not None and q.field == "medicines":
        interview.answer("medicines", [])
    return interview


def test_every_yes_no_and_checklist_question_offers_not_sure() -> None:
    interview = _start()
    seen = 0
    while (q := interview.next_question()) is not None:
        if q.kind in ("yesno", "checklist"):
            assert q.unsure, q.id
            seen += 1
            interview.answer(q.id, NONE_OF_THESE if q.kind == "checklist" else False)
        elif q.field == "pain":
            interview.answer(q.id, 3)
        elif q.field == "duration_days":
            interview.answer(q.id, 1)
        elif q.field == "onset":
            assert "unsure" in {o.value for o in q.options}
            interview.answer(q.id, "gradual")
        elif q.field == "sex":
            interview.answer(q.id, "male")
        else:
            interview.answer(q.id, False)
    assert seen >= 5
    result = interview.result()
    assert result.disposition.value == "self_care" and result.complete


def test_an_empty_checklist_is_refused_and_changes_nothing() -> None:
    interview = _start()
    q = interview.next_question()
    assert q is not None and q.kind == "checklist"
    before = interview.answers()
    with pytest.raises(IntakeError) as info:
        interview.answer(q.id, [])
    assert "nothing was ticked" in str(info.value.problems[0])
    assert interview.answers() == before
    assert interview.next_question() == q


def test_none_of_these_answers_every_item_no() -> None:
    interview = _start()
    q = interview.next_question()
    assert q is not None and q.kind == "checklist"
    interview.answer(q.id, NONE_OF_THESE)
    findings = interview.answers()["findings"]
    assert all(findings[o.value] is False for o in q.options)


def test_checklist_object_form_left_out_items_are_unsure() -> None:
    interview = _start()
    q = interview.next_question()
    assert q is not None and q.kind == "checklist"
    first, second, *rest = [o.value for o in q.options]
    interview.answer(q.id, {first: False, second: True})
    findings = interview.answers()["findings"]
    assert findings[first] is False and findings[second] is True
    assert all(findings[o] == "unsure" for o in rest)


def test_not_sure_on_a_nerve_sign_shows_the_self_check_then_keeps_the_second_answer() -> None:
    interview = _start()
    q = interview.next_question()
    assert q is not None and q.kind == "checklist"
    assert "saddle_numbness" in {o.value for o in q.options}
    answers = {o.value: False for o in q.options}
    answers["saddle_numbness"] = "unsure"
    interview.answer(q.id, answers)
    again = interview.next_question()
    assert again is not None and again.id == "saddle_numbness" and again.kind == "yesno"
    assert again.self_check == KB.findings["saddle_numbness"].self_check
    assert again.self_check and "tissue" in again.self_check.lower()
    interview.answer("saddle_numbness", "unsure")
    # Asked once more only: the second "not sure" is kept and the interview moves on.
    nxt = interview.next_question()
    assert nxt is None or nxt.id != "saddle_numbness"
    assert interview.answers()["self_checked"] == ["saddle_numbness"]
    assert interview.result().disposition.value == "urgent"
    # A rebuilt interview (the stateless web API) does not show the self-check again.
    rebuilt = Interview(KB, answers=interview.answers())
    assert rebuilt.next_question() == nxt


def test_not_sure_then_yes_after_the_self_check_is_an_emergency() -> None:
    interview = _start()
    q = interview.next_question()
    assert q is not None
    interview.answer(q.id, {**{o.value: False for o in q.options}, "bladder_dysfunction": "unsure"})
    interview.answer("bladder_dysfunction", True)
    assert interview.next_question() is None
    assert interview.result().disposition.value == "emergency"


def test_answering_unsure_to_everything_never_ends_in_self_care() -> None:
    interview = Interview(KB)
    for _ in range(120):
        q = interview.next_question()
        if q is None:
            break
        if q.field == "age":
            interview.answer(q.id, 35)
        elif q.field == "regions":
            interview.answer(q.id, ["lower_back"])
        elif q.field == "medicines":
            interview.answer(q.id, [])
        elif q.field == "sex":
            interview.answer(q.id, "female")
        elif q.field in ("pain", "duration_days"):
            interview.answer(q.id, 3)
        elif q.field == "onset":
            interview.answer(q.id, "unsure")
        elif q.kind == "checklist":
            interview.answer(q.id, {})
        else:
            interview.answer(q.id, "unsure")
    else:
        raise AssertionError("the interview did not end")
    result = interview.result()
    assert result.disposition.value != "self_care"
    assert result.unsure


def test_old_knowledge_base_still_explains_a_v1_result() -> None:
    v1 = load_knowledge("1.0.0")
    intake = parse_intake(
        {"age": 45, "regions": ["lower_back"], "findings": {"night_pain": True}}, v1
    )
    result = evaluate(intake, v1)
    assert result.knowledge_version == "1.0.0" and result.rules == ("U7",)
