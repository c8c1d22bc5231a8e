"""build_plan(): consistent with the triage disposition, tailored, graded, and never unsafe."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from typing import Any

import pytest

from spasmcare.errors import IntakeError
from spasmcare.knowledge import KnowledgeBase
from spasmcare.knowledge.care import RECOMMENDED_GRADES
from spasmcare.plan import CarePlan, DoseTaken, build_plan
from spasmcare.triage import evaluate, parse_intake
from tests.plan.generators import random_plan_intake_data
from tests.plan.helpers import NOW, intake_data, plan_for

# -- an independent statement of the "avoid" rules of care-evidence.md, for the property test ------
_BLOOD_THINNERS = {"warfarin", "eliquis", "eliquis 5 mg", "xarelto (rivaroxaban) 20mg"}
_NSAIDS = {
    "ibuprofen",
    "advil",
    "motrin",
    "naproxen",
    "aleve",
    "celebrex",
    "advil 200 mg",
    "ibuprofin",
}
_IBUPROFEN = {"ibuprofen", "advil", "motrin", "advil 200 mg"}
_MAOI = {"phenelzine"}
_RELAXANTS = {"cyclobenzaprine", "robaxin"}
# Sedating classes (care-evidence.md v2): two or more make a muscle relaxant "avoid".
_SEDATIVES = {
    "opioid": {"vicodin", "percocet", "tramadol"},
    "benzodiazepine": {"diazepam 5mg"},
    "gabapentinoid": {"gabapentin"},
    "sedating_antihistamine": {"tylenol pm", "nyquil"},
}


def _names(data: dict[str, Any]) -> set[str]:
    return {m.lower() for m in data.get("medicines", [])} - {"ibuprofin"}  # a typo stays unknown


def expected_avoid(data: dict[str, Any], medicine: str) -> bool:
    """Whether the evidence file says to avoid this medicine for this person (no doses recorded)."""
    names = _names(data)
    conditions = set(data.get("conditions", []))
    pregnant = data.get("pregnant") is True
    weeks = data.get("pregnancy_weeks")
    if medicine == "ibuprofen":
        other_nsaid = bool(names & (_NSAIDS - _IBUPROFEN))
        return (
            bool(names & _BLOOD_THINNERS)
            or data["findings"].get("blood_thinners") is True  # ticked without a name
            or other_nsaid
            or bool(
                conditions
                & {
                    "stomach_ulcer_or_bleed",
                    "kidney_disease",
                    "liver_disease",
                    "heart_failure",
                    "nsaid_reaction",
                }
            )
            or (pregnant and (weeks is None or weeks >= 20))
        )
    if medicine == "cyclobenzaprine":
        return (
            data["age"] >= 65
            or bool(names & _MAOI)
            or bool(names & (_RELAXANTS - {"cyclobenzaprine"}))
            or sum(1 for members in _SEDATIVES.values() if names & members) >= 2
            or bool(
                conditions
                & {"recent_heart_attack", "arrhythmia", "heart_failure", "overactive_thyroid"}
            )
        )
    raise AssertionError(medicine)


def _random_plans(kb: KnowledgeBase, n: int, seed: int) -> list[tuple[dict[str, Any], CarePlan]]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        data = random_plan_intake_data(rng, kb)
        out.append((data, build_plan(parse_intake(data, kb), kb)))
    return out


# -- disposition ---------------------------------------------------------------------------------
def test_every_shared_case_gets_a_plan_consistent_with_its_disposition(
    kb: KnowledgeBase, cases: list[dict[str, Any]]
) -> None:
    for case in cases:
        intake = parse_intake(case["intake"], kb)
        plan = build_plan(intake, kb)
        assert plan.disposition == evaluate(intake, kb).disposition, case["id"]
        assert plan.disposition.value == case["expected"], case["id"]
        assert plan.knowledge_version == kb.version
        _assert_consistent(plan)


def _assert_consistent(plan: CarePlan) -> None:
    sections = {s.section for s in plan.steps}
    assert plan.steps[0].section == "instruction"
    assert all(s.grade in RECOMMENDED_GRADES for s in plan.steps), "only graded advice is a step"
    for med in plan.medicines:
        worst = max((r.verdict for r in med.reasons), key=["ok", "caution", "avoid"].index)
        assert med.verdict == worst, (med.id, med.reasons)
        if med.verdict == "avoid":
            assert med.dose is None and not med.recommended
    if plan.disposition.value == "emergency":
        assert sections == {"instruction", "waiting"}, "no home plan for an emergency"
        assert not (plan.medicines or plan.stretches or plan.other_options or plan.when_to_get_help)
        assert plan.course is None
    elif plan.disposition.value == "urgent":
        assert sections <= {"instruction", "now"}, "comfort measures only"
        assert {s.id for s in plan.steps} <= {
            "instruction_urgent",
            "heat",
            "warm_water",
            "comfort_position",
        }
        assert not (plan.medicines or plan.stretches or plan.other_options)
        assert {h.level for h in plan.when_to_get_help} == {"emergency"}
    else:
        assert "now" in sections and "prevention" in sections
        assert len(plan.medicines) == 7
        assert plan.course is not None
        assert "help_pain_relief_10_days" in [h.id for h in plan.when_to_get_help]


def test_random_plans_never_mark_ok_what_a_check_says_to_avoid(kb: KnowledgeBase) -> None:
    checked = 0
    for data, plan in _random_plans(kb, 600, seed=11):
        _assert_consistent(plan)
        if not plan.home_plan:
            continue
        for medicine in ("ibuprofen", "cyclobenzaprine"):
            advice = plan.medicine(medicine)
            assert advice is not None
            if expected_avoid(data, medicine):
                checked += 1
                assert advice.verdict == "avoid", (medicine, data, advice.reasons)
            else:
                assert advice.verdict != "avoid", (medicine, data, advice.reasons)
        if data["age"] < 16:
            assert all(m.verdict != "ok" and m.dose is None for m in plan.medicines)
    assert checked > 50, "the random intakes exercise the avoid rules"


def test_no_against_or_insufficient_item_is_a_recommendation(kb: KnowledgeBase) -> None:
    plan = plan_for(
        kb, regions=["lower_back", "calf", "neck"], findings={"low_fluids": True, "stressed": True}
    )
    data = plan.model_dump(mode="json")
    for step in data["steps"]:
        assert step["grade"] in RECOMMENDED_GRADES and step["recommended"] is True
    for option in data["other_options"]:
        assert option["recommended"] is False
        assert option["advice"] in ("not_proven", "not_advised", "specialist")
    shown_apart = {o["id"] for o in data["other_options"]}
    for remedy in kb.care.remedies.values():
        if remedy.grade in ("insufficient", "against") and not remedy.medicines:
            assert remedy.id in shown_apart, remedy.id
    acetaminophen = plan.medicine("acetaminophen")
    assert acetaminophen is not None and acetaminophen.grade == "against"
    assert not acetaminophen.recommended, "a safe verdict does not make it a recommendation"


# -- tailoring -------------------------------------------------------------------------------------
def test_stretches_suit_the_regions(kb: KnowledgeBase) -> None:
    neck = plan_for(kb, regions=["neck"])
    assert neck.stretches and all("neck" in s.regions for s in neck.stretches)
    assert "neck_keep_moving" in [s.id for s in neck.steps]
    assert "calf_cramp" not in [s.id for s in neck.steps]
    calf = plan_for(kb, regions=["calf"])
    assert {s.group for s in calf.stretches} == {"calf"}
    assert "calf_cramp" in [s.id for s in calf.steps]


def test_context_findings_tailor_the_plan(kb: KnowledgeBase) -> None:
    plain = plan_for(kb)
    tailored = plan_for(
        kb,
        findings={
            "cannot_stand_upright": True,
            "worse_with_position": True,
            "sitting_a_lot": True,
            "heavy_exertion": True,
            "low_fluids": True,
            "stressed": True,
        },
    )
    keep = tailored.step("keep_moving")
    assert keep is not None and len(keep.notes) == 3
    assert plain.step("keep_moving") is not None and not plain.step("keep_moving").notes  # type: ignore[union-attr]
    prevention = [s for s in tailored.steps if s.section == "prevention"]
    assert all(s.notes for s in prevention), "the causes reported come first, with why"
    notes = {o.id: o.notes for o in tailored.other_options}
    assert notes["fluids"] and notes["relaxation"]
    assert tailored.other_options[0].notes, "tailored options come first"


NUMB = [
    {"conditions": ["numb_skin"]},
    {"conditions": ["poor_circulation"]},
    {"conditions": ["diabetic_neuropathy"]},
    {"conditions": ["spinal_cord_injury"]},
    {"findings": {"numbness_tingling": True}},  # the triage finding, in the sore area
]


@pytest.mark.parametrize("changes", NUMB, ids=lambda c: str(c).split("'")[3])
def test_a_numb_sore_area_removes_heat_and_cold_and_offers_warm_water(
    kb: KnowledgeBase, changes: dict[str, Any]
) -> None:
    plan = plan_for(kb, **changes)
    assert plan.home_plan
    assert plan.step("heat") is None
    [warning] = [w for w in plan.warnings if w.id == "heat_excluded"]
    assert "heat or cold packs" in warning.text and warning.sources
    water = plan.step("warm_water")
    assert water is not None and "shower or bath" in water.how and water.sources
    [cold] = [o for o in plan.other_options if o.id == "cold"]
    assert any("Not for you" in n for n in cold.notes), "cold packs are ruled out too"


def test_heat_stays_without_numbness_and_plain_diabetes_means_checking_the_skin(
    kb: KnowledgeBase,
) -> None:
    plain = plan_for(kb, findings={"numbness_tingling": False})
    heat = plain.step("heat")
    assert heat is not None and not heat.notes
    assert plain.step("warm_water") is None
    assert "heat_excluded" not in [w.id for w in plain.warnings]
    diabetes = plan_for(kb, conditions=["diabetes"])
    heat = diabetes.step("heat")
    assert heat is not None, "plain diabetes is a caution, not a reason to leave heat out"
    assert any("every 10 minutes" in n for n in heat.notes)
    [cold] = [o for o in diabetes.other_options if o.id == "cold"]
    assert any("every 10 minutes" in n for n in cold.notes)


def test_the_calendar_has_no_heat_sessions_for_a_numb_area(kb: KnowledgeBase) -> None:
    from spasmcare.plan.calendar import plan_events

    def heat_events(plan: CarePlan) -> list[str]:
        return [e.title for e in plan_events(plan, kb, start=NOW) if "Heat" in e.title]

    assert heat_events(plan_for(kb))
    assert not heat_events(plan_for(kb, findings={"numbness_tingling": True}))


def test_no_painkiller_step_when_every_nsaid_is_to_be_avoided(kb: KnowledgeBase) -> None:
    plan = plan_for(kb, medicines=["warfarin"])
    assert plan.step("pain_relief") is None
    assert "no_nsaid" in [w.id for w in plan.warnings]
    assert plan_for(kb).step("pain_relief") is not None


def test_the_ten_day_rule_is_said_even_for_self_care(kb: KnowledgeBase) -> None:
    plan = plan_for(kb)
    assert plan.disposition.value == "self_care"
    [sign] = [h for h in plan.when_to_get_help if h.id == "help_pain_relief_10_days"]
    assert "10 days" in sign.text


def test_an_incomplete_self_care_plan_says_which_questions_remain(kb: KnowledgeBase) -> None:
    plan = plan_for(kb)
    assert plan.unanswered
    [warning] = [w for w in plan.warnings if w.id == "incomplete"]
    assert kb.findings[plan.unanswered[0]].label in warning.text
    complete = dict.fromkeys(kb.findings, False)
    done = plan_for(kb, findings=complete)
    assert not done.unanswered and "incomplete" not in [w.id for w in done.warnings]


def test_the_emergency_plan_is_the_instruction_and_what_to_do_while_waiting(
    kb: KnowledgeBase,
) -> None:
    plan = build_plan(
        parse_intake(intake_data(findings={"saddle_numbness": True}, medicines=["warfarin"]), kb),
        kb,
        emergency_call="999",
    )
    assert plan.disposition.value == "emergency"
    assert [s.id for s in plan.steps] == [
        "instruction_emergency",
        "wait_stay_still",
        "wait_unlock_door",
        "wait_medicine_list",
        "wait_do_not_drive",
        "wait_call_again",
    ]
    assert "999" in plan.steps[0].how and "999" in plan.steps[-1].how
    assert plan.steps[0].notes, "the fired rules' advice is kept"
    assert plan.rules == ("E1",)
    assert not plan.warnings


def test_the_urgent_plan_is_the_instruction_and_comfort(kb: KnowledgeBase) -> None:
    plan = plan_for(kb, findings={"fever": True}, medicines=["Tylenol", "NyQuil"])
    assert plan.disposition.value == "urgent"
    assert [s.id for s in plan.steps] == ["instruction_urgent", "heat", "comfort_position"]
    assert "acetaminophen_several_products" in [w.id for w in plan.warnings], "safety warnings stay"
    assert not plan.medicines


def test_to_dict_has_the_documented_shape(kb: KnowledgeBase) -> None:
    data = plan_for(kb, medicines=["Advil"]).model_dump(mode="json")
    json.dumps(data)
    for key in (
        "disposition",
        "steps",
        "medicines",
        "warnings",
        "knowledge_version",
        "rules_fired",
    ):
        assert key in data
    assert data["knowledge_version"] == kb.version
    for step in data["steps"]:
        assert {"id", "title", "how", "grade", "sources"} <= set(step)
        assert step["sources"] and all(s["citation"] for s in step["sources"])
    for med in data["medicines"]:
        assert {"id", "name", "verdict", "reasons", "grade"} <= set(med)
        assert med["verdict"] in ("ok", "caution", "avoid")
        assert all(r["text"] for r in med["reasons"])


def test_the_plan_reads_no_clock_and_is_deterministic(kb: KnowledgeBase) -> None:
    doses = [DoseTaken("Tylenol", 1000, NOW - timedelta(hours=h)) for h in (1, 5, 9, 13)]
    one = plan_for(kb, doses=doses, now=NOW).model_dump(mode="json")
    two = plan_for(kb, doses=doses, now=NOW).model_dump(mode="json")
    assert one == two
    later = plan_for(kb, doses=doses, now=NOW + timedelta(days=2)).model_dump(mode="json")
    assert later != one, "the time passed in decides which doses count"


def test_doses_need_a_timezone_and_now(kb: KnowledgeBase) -> None:
    with pytest.raises(IntakeError, match="not valid") as info:
        DoseTaken("Tylenol", 500, datetime(2026, 5, 1, 8, 0))
    assert "taken_at" in str(info.value)
    with pytest.raises(IntakeError) as info2:
        DoseTaken(" ", -5, NOW)
    assert {p.path for p in info2.value.problems} == {"medicine", "amount_mg"}
    intake = parse_intake(intake_data(), kb)
    with pytest.raises(IntakeError, match="now"):
        build_plan(intake, kb, doses=[DoseTaken("Tylenol", 500, NOW)])


def test_a_given_triage_result_is_used(kb: KnowledgeBase) -> None:
    intake = parse_intake(intake_data(), kb)
    result = evaluate(intake, kb, emergency_call="112")
    plan = build_plan(intake, kb, triage=result, emergency_call="112")
    assert plan.instruction == result.instruction and plan.reasons == result.reasons


def test_plans_are_the_same_when_repeated_and_from_scratch(kb: KnowledgeBase) -> None:
    """Plans from the shared knowledge base (used many times) equal those of a fresh one."""
    from spasmcare.knowledge.loader import _data_root, load_directory

    fresh = load_directory(_data_root().joinpath(kb.version))
    rng = random.Random(5)
    datas = [random_plan_intake_data(rng, kb) for _ in range(150)]
    for data in datas:  # use the shared knowledge base first
        build_plan(parse_intake(data, kb), kb)
    for data in datas:
        assert build_plan(parse_intake(data, kb), kb).model_dump(mode="json") == build_plan(
            parse_intake(data, fresh), fresh
        ).model_dump(mode="json")
