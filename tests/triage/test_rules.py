"""Every rule fires on a case written for it and stays silent on a near miss.

The cases are written from the policy text, not from the YAML: each `fires` intake must make exactly
that rule fire, and each `silent` intake is a near miss that must not.

These are the cases of policy v1, so they are pinned to knowledge base 1.0.0 (which stays loadable);
policy v2 (1.1.0) has its own in test_rules_v2.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from spasmcare.knowledge import KnowledgeBase, load_knowledge
from spasmcare.triage import evaluate, parse_intake


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    """Policy v1: knowledge base 1.0.0 (overrides the newest-version fixture of conftest)."""
    return load_knowledge("1.0.0")


BASE: dict[str, Any] = {"age": 35, "regions": ["lower_back"], "pain": 5, "onset": "gradual"}


def t(*names: str, **extra: Any) -> dict[str, Any]:
    data = {**BASE, **extra}
    data["findings"] = dict.fromkeys(names, True)
    return data


# rule id -> (intakes where it must fire, near misses where it must stay silent)
RULE_CASES: dict[str, tuple[list[dict[str, Any]], list[dict[str, Any]]]] = {
    "E1": (
        [
            t("bladder_dysfunction"),
            t("bowel_incontinence"),
            t("saddle_numbness"),
            t("sexual_dysfunction"),
        ],
        [t("urinary_symptoms"), t("numbness_tingling")],
    ),
    "E2": (
        [
            t("both_legs"),
            t("leg_weakness", "weakness_worsening"),
            t("clumsy_or_unsteady", "weakness_worsening"),
            t("arm_weakness", "weakness_worsening"),
        ],
        [t("leg_weakness"), t("weakness_worsening"), t("numbness_tingling", "weakness_worsening")],
    ),
    "E3": (
        [
            t("fever", "injects_drugs"),
            t("fever", "recent_spine_procedure"),
            t("fever", "leg_weakness"),
            t("fever", "weak_immune_system"),
            t("fever", "recent_infection"),
            t("fever", "arm_weakness"),
        ],
        [t("fever"), t("injects_drugs", "leg_weakness")],
    ),
    "E4": (
        [t("fever", "severe_headache"), t("fever", "light_sensitivity"), t("fever", "rash")],
        [t("severe_headache", "light_sensitivity", "rash")],
    ),
    "E5": (
        [t("chest_pain"), t("short_of_breath"), t("coughing_blood"), t("cold_sweat")],
        [t("worse_with_position", regions=["upper_back"])],
    ),
    "E6": (
        [
            t("tearing_pain"),
            t("pulsating_belly"),
            t("fainting"),
            t("abdominal_pain", age=50, onset="sudden"),
            t("abdominal_pain", age=70, pain=8),
        ],
        [
            t("abdominal_pain", age=49, onset="sudden", pain=9),
            t("abdominal_pain", age=60, pain=7),
            t("abdominal_pain", age=60, pain=None, onset=None),
        ],
    ),
    "E7": (
        [
            t("pain_unrelieved", regions=["flank"], pain=8),
            t("nausea_vomiting", regions=["flank"], pain=9),
            t("fever", "nausea_vomiting", regions=["flank"], pain=3),
        ],
        [
            t("pain_unrelieved", regions=["flank"], pain=7),
            t("pain_unrelieved", "nausea_vomiting", pain=9),
            t("fever", regions=["flank"], pain=9),
        ],
    ),
    "E8": (
        [
            t("major_trauma"),
            t("minor_fall", regions=["neck"], age=65),
            t("minor_fall", "numbness_tingling", regions=["neck"]),
            t("minor_fall", "arm_weakness", regions=["neck"]),
        ],
        [t("minor_fall", regions=["neck"], age=64), t("minor_fall", "numbness_tingling", age=80)],
    ),
    "E9": (
        [
            t("calf_swelling", regions=["calf"]),
            t("cold_pale_leg", regions=["thigh"]),
            t("dark_urine"),
        ],
        [t("heavy_exertion", "low_fluids", regions=["calf"])],
    ),
    "E10": (
        [t("lockjaw"), t("widespread_spasms", "recent_wound")],
        [t("widespread_spasms"), t("recent_wound")],
    ),
    "E11": (
        [t("confusion"), t("sudden_severe_headache"), t("stroke_signs")],
        [t("severe_headache"), t("vision_changes")],
    ),
    "E12": (
        [
            t("vaginal_bleeding", sex="female", pregnant=True),
            t("abdominal_pain", sex="female", pregnant=True),
            t("regular_tightening", sex="female", pregnant=True),
            t("severe_headache", sex="female", pregnant=True),
            t("vision_changes", sex="female", pregnant=True),
        ],
        [t("vaginal_bleeding", sex="female", pregnant=False), t("vision_changes", sex="female")],
    ),
    "E13": (
        [
            t("cancer_history", "leg_weakness"),
            t("cancer_history", "arm_weakness"),
            t("cancer_history", "numbness_tingling"),
            t("cancer_history", "clumsy_or_unsteady"),
        ],
        [t("cancer_history", "pain_below_knee"), t("weight_loss", "numbness_tingling")],
    ),
    "E14": (
        [
            t("blood_thinners", "numbness_tingling"),
            t("blood_thinners", "both_legs"),
            t("blood_thinners", "leg_weakness"),
            t("blood_thinners", "arm_weakness"),
            {**t("numbness_tingling"), "medicines": ["Warfarin"]},
        ],
        [
            t("blood_thinners", "pain_below_knee"),
            {**t("numbness_tingling"), "medicines": ["ibuprofen"]},
        ],
    ),
    "U1": ([t("fever")], [t("recent_infection")]),
    "U2": (
        [t("leg_weakness"), t("arm_weakness"), t("clumsy_or_unsteady")],
        [t("numbness_tingling")],
    ),
    "U3": ([t("cancer_history"), t("weight_loss")], [t("night_pain")]),
    "U4": (
        [
            t("minor_fall", "osteoporosis"),
            t("minor_fall", "long_term_steroids"),
            t("minor_fall", age=70),
        ],
        [t("minor_fall", age=69), t("osteoporosis", "long_term_steroids", age=80)],
    ),
    "U5": (
        [
            t("injects_drugs"),
            t("weak_immune_system"),
            t("recent_spine_procedure"),
            t("recent_infection"),
        ],
        [t("recent_wound")],
    ),
    "U6": (
        [t("urinary_symptoms"), t("nausea_vomiting", regions=["flank"], pain=3)],
        [t("nausea_vomiting", pain=3)],
    ),
    "U7": ([t("night_pain"), t("pain_unrelieved")], [t("worse_with_position")]),
    "U8": ([t("abdominal_pain", age=50, pain=3)], [t("abdominal_pain", age=49, pain=3)]),
    "U9": ([t("widespread_spasms")], [t("recurrent")]),
    "U10": ([t("tendon_snap", regions=["calf"])], [t("heavy_exertion", regions=["calf"])]),
    "U11": ([{**BASE, "age": 4}, {**BASE, "age": 0}], [{**BASE, "age": 5}]),
    "U12": ([t("red_hot_skin")], [t("stressed")]),
    "S1": (
        [t("pain_below_knee"), t("pain_down_arm"), t("numbness_tingling")],
        [t("worse_with_position")],
    ),
    "S2": ([t("recurrent")], [t("sitting_a_lot")]),
    "S3": ([{**BASE, "pain": 8}, {**BASE, "pain": 10}], [{**BASE, "pain": 7}]),
    "S4": (
        [{**BASE, "duration_days": 28}, {**BASE, "duration_days": 100}],
        [{**BASE, "duration_days": 27.9}],
    ),
    "S5": ([t("disrupts_daily_life")], [t("cannot_stand_upright")]),
    "S6": ([{**BASE, "age": 15}, {**BASE, "age": 5}], [{**BASE, "age": 16}]),
    "S7": ([t("abdominal_pain", age=30)], [t("nausea_vomiting")]),
}


def _rules(data: dict[str, Any], kb: KnowledgeBase) -> tuple[str, ...]:
    clean = {k: v for k, v in data.items() if v is not None}
    return evaluate(parse_intake(clean, kb), kb).rules


def test_every_rule_has_cases(kb: KnowledgeBase) -> None:
    assert {r.id for r in kb.active_rules} == set(RULE_CASES)
    for rule_id, (fires, silent) in RULE_CASES.items():
        assert fires and silent, rule_id


@pytest.mark.parametrize("rule_id", sorted(RULE_CASES))
def test_rule_fires(rule_id: str, kb: KnowledgeBase) -> None:
    for data in RULE_CASES[rule_id][0]:
        assert rule_id in _rules(data, kb), data


@pytest.mark.parametrize("rule_id", sorted(RULE_CASES))
def test_rule_stays_silent(rule_id: str, kb: KnowledgeBase) -> None:
    for data in RULE_CASES[rule_id][1]:
        assert rule_id not in _rules(data, kb), data


def test_highest_level_wins_and_order(kb: KnowledgeBase) -> None:
    result = evaluate(
        parse_intake(t("fever", "rash", "abdominal_pain", "recurrent", age=60, pain=9), kb), kb
    )
    assert result.disposition.value == "emergency"
    assert result.rules == ("E4", "E6", "U1", "U8", "S2", "S3", "S7")


def test_unknown_is_not_present_and_reported(kb: KnowledgeBase) -> None:
    result = evaluate(parse_intake({"age": 40, "regions": ["lower_back"]}, kb), kb)
    assert result.disposition.value == "self_care"
    assert not result.complete
    assert "bladder_dysfunction" in result.unanswered
    assert "pain" in result.unanswered and "onset" in result.unanswered
    # findings that do not apply are not asked about
    assert "calf_swelling" not in result.unanswered
    assert "vaginal_bleeding" not in result.unanswered
    assert "nausea_vomiting" not in result.unanswered


def test_applicability_by_region_and_pregnancy(kb: KnowledgeBase) -> None:
    calf = evaluate(parse_intake({"age": 40, "regions": ["calf"]}, kb), kb)
    assert {"calf_swelling", "cold_pale_leg", "tendon_snap"} <= set(calf.unanswered)
    flank = evaluate(parse_intake({"age": 40, "regions": ["flank"]}, kb), kb)
    assert "nausea_vomiting" in flank.unanswered
    preg = evaluate(
        parse_intake({"age": 30, "regions": ["lower_back"], "sex": "female", "pregnant": True}, kb),
        kb,
    )
    assert {"vaginal_bleeding", "regular_tightening"} <= set(preg.unanswered)


def test_complete_when_everything_applicable_answered(kb: KnowledgeBase) -> None:
    result = evaluate(parse_intake({"age": 40, "regions": ["lower_back"]}, kb), kb)
    findings = {f: False for f in result.unanswered if f in kb.findings}
    done = evaluate(
        parse_intake(
            {
                "age": 40,
                "regions": ["lower_back"],
                "pain": 3,
                "onset": "sudden",
                "findings": findings,
            },
            kb,
        ),
        kb,
    )
    assert done.complete and done.unanswered == ()
    assert done.disposition.value == "self_care"


def test_emergency_number_from_settings_wording(kb: KnowledgeBase) -> None:
    result = evaluate(parse_intake(t("chest_pain"), kb), kb, emergency_call="911")
    assert "Call 911" in result.reasons[0].advice
    assert "911" in result.instruction
    default = evaluate(parse_intake(t("chest_pain"), kb), kb)
    assert "999 in the UK" in default.instruction and "112" in default.instruction
