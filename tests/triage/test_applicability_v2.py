"""Policy v2 (knowledge base 1.1.0): each question is asked only where it applies.

For every finding (and intake field) with an applicability condition in the policy ("Unanswered
questions and applicability"), a case where it is listed in `unanswered` and one where it is not.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from spasmcare import evaluate, load_knowledge, parse_intake
from spasmcare.knowledge import KnowledgeBase
from tests.triage.reference_policy_v2 import (
    CONTEXT_FINDINGS,
    SAFETY_FINDINGS,
    SOON_FINDINGS,
    UNSURE,
    reference_unanswered,
)

ADULT: dict[str, Any] = {
    "age": 35,
    "sex": "male",
    "regions": ["lower_back"],
    "pain": 5,
    "onset": "gradual",
    "duration_days": 2,
}


@pytest.fixture(scope="module")
def kb11() -> KnowledgeBase:
    return load_knowledge("1.1.0")


def a(*yes: str, unsure: tuple[str, ...] = (), no: tuple[str, ...] = (), **fields: Any) -> dict:
    data = {**ADULT, **fields}
    data = {k: v for k, v in data.items() if v is not None}
    data["findings"] = {
        **dict.fromkeys(no, False),
        **dict.fromkeys(yes, True),
        **dict.fromkeys(unsure, UNSURE),
    }
    return data


NERVE = ("leg_weakness", "arm_weakness", "numbness_tingling", "clumsy_or_unsteady", "both_legs")
WOMAN = {"sex": "female", "age": 30}

# finding or field -> (intakes where it is asked, intakes where it is not)
APPLICABILITY: dict[str, tuple[list[dict[str, Any]], list[dict[str, Any]]]] = {
    **{
        fid: (
            [a(regions=["calf"]), a(regions=["thigh"]), a(regions=["lower_back", "thigh"])],
            [a(regions=["lower_back"]), a(regions=["buttock", "flank"])],
        )
        for fid in ("calf_swelling", "cold_pale_leg", "tendon_snap")
    },
    **{
        fid: (
            [a(pregnant=True, **WOMAN), a(pregnant=UNSURE, **WOMAN)],
            [a(pregnant=False, **WOMAN), a(**WOMAN)],
        )
        for fid in ("vaginal_bleeding", "regular_tightening")
    },
    "exertional_pain": (
        [a(regions=["neck"]), a(regions=["upper_back"]), a(regions=["mid_back", "lower_back"])],
        [a(regions=["lower_back"]), a(regions=["flank", "buttock"])],
    ),
    "cannot_bear_weight": (
        [
            a("minor_fall"),
            a(unsure=("minor_fall",)),
            a(age=15),
            a(age=0),
            a("fever", age=75),
            a(unsure=("fever",), age=90),
        ],
        [a(no=("minor_fall",)), a(age=16), a("fever", age=74), a(no=("fever",), age=80)],
    ),
    **{
        fid: ([a("fever"), a(unsure=("fever",))], [a(no=("fever",)), a()])
        for fid in ("light_sensitivity", "stiff_neck")
    },
    "severe_headache": (
        [a("fever"), a(unsure=("fever",)), a(pregnant=UNSURE, **WOMAN), a(age=50)],
        [a(age=49), a(no=("fever",)), a(pregnant=False, **WOMAN)],
    ),
    "vision_changes": (
        [
            a(pregnant=True, **WOMAN),
            a(pregnant=UNSURE, **WOMAN),
            a("temple_or_jaw_pain", age=50),
            a(unsure=("temple_or_jaw_pain",), age=70),
        ],
        [a(age=50), a("temple_or_jaw_pain", age=49), a(no=("temple_or_jaw_pain",), age=60)],
    ),
    "weakness_worsening": (
        [a(x) for x in NERVE] + [a(unsure=(x,)) for x in NERVE],
        [a(), a(no=NERVE), a("pain_below_knee", "pain_down_arm")],
    ),
    **{
        fid: (
            [
                a("minor_fall"),
                a(unsure=("minor_fall",)),
                a("heavy_exertion"),
                a(unsure=("heavy_exertion",)),
            ],
            [a(), a(no=("minor_fall", "heavy_exertion")), a("major_trauma")],
        )
        for fid in ("osteoporosis", "long_term_steroids")
    },
    "recent_neck_surgery": (
        [a("tingling_around_mouth"), a(unsure=("tingling_around_mouth",))],
        [a(), a(no=("tingling_around_mouth",))],
    ),
    "pleuritic_pain": (
        [a(regions=["upper_back"]), a(regions=["mid_back"]), a(regions=["flank"])],
        [a(regions=["lower_back"]), a(regions=["neck", "buttock"])],
    ),
    "clot_risk": (
        [a("pleuritic_pain"), a(unsure=("pleuritic_pain",), regions=["flank"])],
        [a(regions=["upper_back"]), a(no=("pleuritic_pain",), regions=["upper_back"])],
    ),
    "cardiac_risk": (
        [
            a("nausea_vomiting", "pain_unrelieved", age=40, regions=["neck"]),
            a(unsure=("nausea_vomiting", "pain_unrelieved"), age=59, regions=["upper_back"]),
            a("nausea_vomiting", "pain_unrelieved", age=45, regions=["mid_back"]),
        ],
        [
            a("nausea_vomiting", "pain_unrelieved", age=39, regions=["neck"]),
            a("nausea_vomiting", "pain_unrelieved", age=60, regions=["neck"]),
            a("nausea_vomiting", "pain_unrelieved", age=45, regions=["lower_back"]),
            a("nausea_vomiting", age=45, no=("pain_unrelieved",), regions=["neck"]),
            a("pain_unrelieved", age=45, regions=["neck"]),
        ],
    ),
    "spasm_drug": (
        [a(regions=["neck"]), a("widespread_spasms"), a(unsure=("widespread_spasms",))],
        [a(), a(no=("widespread_spasms",), regions=["upper_back"])],
    ),
    "testicle_pain": (
        [
            a(regions=["flank"]),
            a(regions=["thigh"], sex="other"),
            a(regions=["thigh"], sex=None),
            a("abdominal_pain"),
            a(unsure=("abdominal_pain",)),
        ],
        [
            a(regions=["flank"], sex="female"),
            a("abdominal_pain", sex="female"),
            a(),
            a(no=("abdominal_pain",), regions=["buttock"]),
        ],
    ),
    "period_late": (
        [
            a("abdominal_pain", pregnant=False, **WOMAN),
            a(unsure=("abdominal_pain",), pregnant=False, **WOMAN),
            a("abdominal_pain", pregnant=False, sex="other", age=12),
            a("abdominal_pain", pregnant=False, sex=None, age=55),
        ],
        [
            a("abdominal_pain", **WOMAN),
            a("abdominal_pain", pregnant=UNSURE, **WOMAN),
            a("abdominal_pain", pregnant=True, **WOMAN),
            a("abdominal_pain", pregnant=False, sex="female", age=56),
            a("abdominal_pain", pregnant=False, sex="female", age=11),
            a("abdominal_pain", age=30, sex="male"),
            a(no=("abdominal_pain",), pregnant=False, **WOMAN),
        ],
    ),
    "temple_or_jaw_pain": (
        [
            a(age=50, regions=["neck"]),
            a(age=50, regions=["upper_back"]),
            a("severe_headache", age=60),
            a(unsure=("vision_changes",), age=60),
            a("muscle_aches", age=80),
            a(unsure=("muscle_aches",), age=70),
        ],
        [
            a(age=49, regions=["neck"]),
            a(age=60),
            a(no=("severe_headache", "muscle_aches"), age=60),
            a("severe_headache", age=40),
        ],
    ),
    "known_aneurysm": (
        [
            a(age=50),
            a(age=60, regions=["upper_back"]),
            a(age=60, regions=["mid_back"]),
            a(age=60, regions=["flank"]),
            a("abdominal_pain", age=60, regions=["neck"]),
            a(unsure=("abdominal_pain",), age=60, regions=["thigh"]),
        ],
        [
            a(age=49),
            a(age=60, regions=["neck"]),
            a(age=60, regions=["buttock", "thigh", "calf"]),
            a(no=("abdominal_pain",), age=60, regions=["neck"]),
        ],
    ),
    "sickle_cell": (
        [a("pain_unrelieved"), a(unsure=("pain_unrelieved",)), a("fever"), a(unsure=("fever",))],
        [a(), a(no=("pain_unrelieved", "fever"))],
    ),
    "statin": (
        [a("muscle_aches"), a(unsure=("muscle_aches",))],
        [a(), a(no=("muscle_aches",)), a("muscle_aches", medicines=["simvastatin 20 mg"])],
    ),
    "new_or_changed_pain": (
        [
            a(age=70),
            a(age=80, regions=["neck"]),
            a(age=70, regions=["buttock"]),
            a(pain=8),
            a("disrupts_daily_life"),
            a(unsure=("disrupts_daily_life",)),
        ],
        [
            a(age=69),
            a(age=80, regions=["thigh", "calf"]),
            a(pain=7),
            a(pain=None),
            a(no=("disrupts_daily_life",)),
        ],
    ),
    "sex": (
        [a(sex=None, age=12), a(sex=None, age=55), a(sex=None, age=30)],
        [a(sex=None, age=11), a(sex=None, age=56), a(age=30)],
    ),
    "pregnant": (
        [a(**WOMAN), a(sex="other"), a(sex=None, age=20), a(sex="female", age=12)],
        [a(sex="male"), a(sex="female", age=56), a(sex=None, age=11), a(pregnant=UNSURE, **WOMAN)],
    ),
    "duration_days": ([a(duration_days=None)], [a(duration_days=0)]),
    "pain": ([a(pain=None)], [a(pain=0)]),
    "onset": ([a(onset=None)], [a(onset=UNSURE), a(onset="sudden")]),
}

EVERYONE = tuple(
    fid
    for fid in (*SAFETY_FINDINGS, *SOON_FINDINGS)
    if fid not in APPLICABILITY and fid != "blood_thinners"
)


def _unanswered(data: dict[str, Any], kb: KnowledgeBase) -> tuple[str, ...]:
    return evaluate(parse_intake(data, kb), kb).unanswered


def test_cases_are_consistent_with_the_reference() -> None:
    wrong = []
    for name, (asked, not_asked) in APPLICABILITY.items():
        wrong += [(name, "asked", d) for d in asked if name not in reference_unanswered(d)]
        wrong += [(name, "not asked", d) for d in not_asked if name in reference_unanswered(d)]
    assert not wrong, wrong


@pytest.mark.parametrize("name", list(APPLICABILITY))
def test_asked_where_it_applies(name: str, kb11: KnowledgeBase) -> None:
    missing = [d for d in APPLICABILITY[name][0] if name not in _unanswered(d, kb11)]
    assert not missing, missing


@pytest.mark.parametrize("name", list(APPLICABILITY))
def test_not_asked_where_it_does_not_apply(name: str, kb11: KnowledgeBase) -> None:
    extra = [d for d in APPLICABILITY[name][1] if name in _unanswered(d, kb11)]
    assert not extra, extra


@pytest.mark.parametrize("age", [3, 35, 60, 90])
@pytest.mark.parametrize("regions", [["lower_back"], ["calf"], ["neck", "flank"]])
def test_findings_for_everyone_are_asked_of_everyone(
    age: int, regions: list[str], kb11: KnowledgeBase
) -> None:
    got = set(_unanswered(a(age=age, regions=regions), kb11))
    assert set(EVERYONE) <= got, sorted(set(EVERYONE) - got)
    # "`rash` and `blistering_rash` ..., `seriously_unwell`" and `heavy_exertion` (C59)
    assert {"seriously_unwell", "rash", "blistering_rash", "heavy_exertion"} <= got
    assert "blood_thinners" in got  # a medicine list that names none does not answer it


def test_context_findings_are_never_asked(kb11: KnowledgeBase) -> None:
    for data in (a(), a(age=80, regions=["neck", "thigh"]), a(pregnant=True, **WOMAN)):
        assert not set(CONTEXT_FINDINGS) & set(_unanswered(data, kb11))


def test_medicine_answers_its_question(kb11: KnowledgeBase) -> None:
    assert "blood_thinners" not in _unanswered(a(medicines=["warfarin 3 mg"]), kb11)
    assert "blood_thinners" in _unanswered(a(medicines=["aspirin 75 mg"]), kb11)


def test_answering_every_question_completes(kb11: KnowledgeBase) -> None:
    """Answering no to each open question (following the questions answers open) ends complete."""
    for base in (a(pain=None, onset=None), a(age=75, regions=["neck", "calf"]), a(**WOMAN)):
        data = copy.deepcopy(base)
        for _ in range(10):
            open_ = _unanswered(data, kb11)
            if not open_:
                break
            for name in open_:
                if name in kb11.findings:
                    data["findings"][name] = False
                else:
                    data[name] = {
                        "pain": 3,
                        "onset": "gradual",
                        "duration_days": 1,
                        "sex": "female",
                        "pregnant": False,
                    }[name]
        result = evaluate(parse_intake(data, kb11), kb11)
        assert result.complete and result.unanswered == ()
        assert result.disposition.value == "self_care", result.rules
        assert data["findings"].keys() <= set(SAFETY_FINDINGS) | set(SOON_FINDINGS)


def test_every_rule_finding_is_asked_in_exactly_one_step(kb11: KnowledgeBase) -> None:
    used = set().union(*(r.findings for r in kb11.active_rules))
    assert used == set(SAFETY_FINDINGS) | set(SOON_FINDINGS), sorted(
        used ^ (set(SAFETY_FINDINGS) | set(SOON_FINDINGS))
    )
    steps: dict[str, list[str]] = {}
    for step in kb11.interview:
        for fid in step.findings:
            steps.setdefault(fid, []).append(step.id)
    wrong = {fid: steps.get(fid, []) for fid in used if len(steps.get(fid, [])) != 1}
    assert not wrong, wrong
    assert steps["rash"] == steps["blistering_rash"]  # one checklist question (C36)
    context_steps = {s.id for s in kb11.interview if s.context}
    assert {steps[fid][0] for fid in used}.isdisjoint(context_steps)
