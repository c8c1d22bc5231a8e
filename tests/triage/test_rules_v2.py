"""Policy v2 (knowledge base 1.1.0): every rule fires on a case written for it, and stays silent on a
near miss: the same intake with one element changed.

The cases are written from the policy text (shared/clinical/triage-policy.md, version 2), not from
the YAML. Each pair is (fires, near miss); the near miss is built from the firing intake by one change.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from spasmcare import evaluate, load_knowledge, parse_intake
from spasmcare.errors import IntakeError
from spasmcare.knowledge import KnowledgeBase
from tests.triage.reference_policy_v2 import RULE_IDS, reference_rules

VERSION = "1.1.0"
BASE: dict[str, Any] = {
    "age": 35,
    "sex": "male",
    "regions": ["lower_back"],
    "pain": 5,
    "onset": "gradual",
    "duration_days": 2,
}
WOMAN: dict[str, Any] = {"sex": "female", "age": 30}


@pytest.fixture(scope="module")
def kb11() -> KnowledgeBase:
    return load_knowledge(VERSION)


def t(*names: str, unsure: tuple[str, ...] = (), **fields: Any) -> dict[str, Any]:
    """BASE with the named findings true, the `unsure` ones "unsure", and fields overridden
    (a field given as None is removed)."""
    data = {**BASE, **fields}
    data = {k: v for k, v in data.items() if v is not None}
    findings: dict[str, Any] = dict.fromkeys(names, True)
    findings.update(dict.fromkeys(unsure, "unsure"))
    data["findings"] = findings
    return data


def f(data: dict[str, Any], name: str, value: Any = False) -> dict[str, Any]:
    """The same intake with one finding changed (None removes it)."""
    out = copy.deepcopy(data)
    if value is None:
        out["findings"].pop(name, None)
    else:
        out["findings"][name] = value
    return out


def w(data: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """The same intake with one field changed (None removes it)."""
    out = copy.deepcopy(data)
    for key, value in fields.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = value
    return out


def pairs(fires: dict[str, Any], *changes: dict[str, Any]) -> list[tuple[dict, dict]]:
    return [(fires, miss) for miss in changes]


Pair = tuple[dict[str, Any], dict[str, Any]]


def _e3() -> list[Pair]:
    out: list[Pair] = []
    for risk in (
        "injects_drugs",
        "weak_immune_system",
        "recent_spine_procedure",
        "recent_infection",
    ):
        base = t("fever", risk)
        out.append((base, f(base, "fever", "unsure")))
    for nerve in ("leg_weakness", "arm_weakness", "numbness_tingling", "clumsy_or_unsteady"):
        base = t("fever", nerve)
        out.append((base, f(base, "fever")))
    base = t("fever", "both_legs")
    out.append((base, f(base, "fever")))
    for risk in ("injects_drugs", "weak_immune_system", "recent_spine_procedure"):
        for nerve in ("numbness_tingling", "clumsy_or_unsteady", "both_legs"):
            base = t(risk, nerve)
            out.append((base, f(base, nerve, "unsure")))
    # rev. 2 branch: a recent infection, a nerve symptom, constant pain; without fever
    base = t("recent_infection", "numbness_tingling", "pain_unrelieved")
    out += pairs(
        base,
        f(base, "pain_unrelieved"),
        f(base, "pain_unrelieved", "unsure"),
        f(base, "numbness_tingling", None),
    )
    return out


def _e14() -> list[Pair]:
    out: list[Pair] = []
    for nerve in ("leg_weakness", "arm_weakness", "numbness_tingling", "clumsy_or_unsteady"):
        base = t("blood_thinners", nerve)
        out.append((base, f(base, "blood_thinners")))
    base = t("blood_thinners", "both_legs")
    out.append((base, f(base, "both_legs", "unsure")))
    base = t("numbness_tingling", medicines=["Xarelto (rivaroxaban) 20mg"])
    out.append((base, w(base, medicines=["aspirin 75 mg"])))
    base = t("numbness_tingling", medicines=["Warfarin 3mg tablets"])
    out.append((base, w(base, medicines=["ibuprofen 400mg"])))
    return out


RULE_CASES: dict[str, list[Pair]] = {
    # ---- Emergency
    "E1": [
        (t(x), f(t(x), x, value))
        for x in (
            "bladder_dysfunction",
            "bowel_incontinence",
            "saddle_numbness",
            "sexual_dysfunction",
        )
        for value in (False, "unsure")
    ],
    "E2": [
        (t("both_legs"), f(t("both_legs"), "both_legs")),
        (
            t("leg_weakness", "weakness_worsening"),
            f(t("leg_weakness", "weakness_worsening"), "weakness_worsening", "unsure"),
        ),
        (
            t("arm_weakness", "weakness_worsening"),
            f(t("arm_weakness", "weakness_worsening"), "arm_weakness", None),
        ),
        (
            t("clumsy_or_unsteady", "weakness_worsening"),
            t("numbness_tingling", "weakness_worsening"),
        ),
    ],
    "E3": _e3(),
    "E4": [
        (t("rash"), t("blistering_rash")),
        (t("rash"), f(t("rash"), "rash", "unsure")),
        (t("fever", "severe_headache"), f(t("fever", "severe_headache"), "fever", "unsure")),
        (t("fever", "light_sensitivity"), t("light_sensitivity")),
        *pairs(
            t("fever", "stiff_neck", "nausea_vomiting"),
            f(t("fever", "stiff_neck", "nausea_vomiting"), "nausea_vomiting"),
            f(t("fever", "stiff_neck", "nausea_vomiting"), "stiff_neck", "unsure"),
            f(t("fever", "stiff_neck", "nausea_vomiting"), "fever", None),
        ),
    ],
    "E5": [
        (t(x), f(t(x), x, "unsure"))
        for x in ("chest_pain", "short_of_breath", "coughing_blood", "cold_sweat")
    ],
    "E6": [
        (t("tearing_pain"), f(t("tearing_pain"), "tearing_pain")),
        (t("pulsating_belly"), f(t("pulsating_belly"), "pulsating_belly", "unsure")),
        (t("fainting"), f(t("fainting"), "fainting")),
        # sudden severe belly pain at any age
        *pairs(
            t("abdominal_pain", onset="sudden", pain=8),
            t("abdominal_pain", onset="sudden", pain=7),
            t("abdominal_pain", onset="gradual", pain=8),
            t("abdominal_pain", onset="unsure", pain=8),
        ),
        # 50 or over: belly pain, sudden or severe
        (t("abdominal_pain", age=50, pain=8), t("abdominal_pain", age=49, pain=8)),
        (t("abdominal_pain", age=50, onset="sudden", pain=3), t("abdominal_pain", age=50, pain=3)),
        # sudden, >= 8, nothing eases it: thoracic or 50+
        *pairs(
            t("pain_unrelieved", regions=["upper_back"], onset="sudden", pain=8),
            t("pain_unrelieved", regions=["lower_back"], onset="sudden", pain=8),
            t("pain_unrelieved", regions=["upper_back"], onset="sudden", pain=7),
            t(regions=["upper_back"], onset="sudden", pain=8, unsure=("pain_unrelieved",)),
        ),
        (
            t("pain_unrelieved", regions=["mid_back"], onset="sudden", pain=9),
            t("pain_unrelieved", regions=["mid_back"], onset="gradual", pain=9),
        ),
        (
            t("pain_unrelieved", age=50, onset="sudden", pain=8),
            t("pain_unrelieved", age=49, onset="sudden", pain=8),
        ),
        # rev. 2: severe belly pain with nausea or vomiting, whatever the onset
        *pairs(
            t("abdominal_pain", "nausea_vomiting", pain=8),
            t("abdominal_pain", pain=8),
            t("abdominal_pain", "nausea_vomiting", pain=7),
            t("nausea_vomiting", pain=8),
        ),
    ],
    "E7": [
        (
            t("pain_unrelieved", regions=["flank"], pain=8),
            t("pain_unrelieved", regions=["flank"], pain=7),
        ),
        (
            t("nausea_vomiting", regions=["flank"], pain=9),
            t("nausea_vomiting", regions=["lower_back"], pain=9),
        ),
        # C46: sudden, >= 8, vomiting, any region, nothing eases it
        *pairs(
            t("nausea_vomiting", "pain_unrelieved", onset="sudden", pain=8),
            t("nausea_vomiting", onset="sudden", pain=8),
            t("nausea_vomiting", "pain_unrelieved", onset="gradual", pain=8),
            t("nausea_vomiting", "pain_unrelieved", onset="sudden", pain=None),
        ),
        (
            t("fever", "nausea_vomiting", regions=["flank"], pain=3),
            t("fever", "nausea_vomiting", regions=["buttock"], pain=3),
        ),
        (
            t("fever", "nausea_vomiting", "urinary_symptoms", pain=3),
            t("fever", "nausea_vomiting", pain=3, unsure=("urinary_symptoms",)),
        ),
    ],
    "E8": [
        (t("major_trauma"), t("minor_fall")),
        (t("minor_fall", regions=["neck"], age=65), t("minor_fall", regions=["neck"], age=64)),
        *[
            (t("minor_fall", x, regions=["neck"]), t("minor_fall", x, regions=["upper_back"]))
            for x in ("numbness_tingling", "arm_weakness", "leg_weakness", "clumsy_or_unsteady")
        ],
        (
            t("minor_fall", "arm_weakness", regions=["neck", "lower_back"]),
            t("arm_weakness", regions=["neck", "lower_back"]),
        ),
    ],
    "E9": [
        (
            t("calf_swelling", regions=["calf"]),
            f(t("calf_swelling", regions=["calf"]), "calf_swelling", "unsure"),
        ),
        (
            t("cold_pale_leg", regions=["thigh"]),
            f(t("cold_pale_leg", regions=["thigh"]), "cold_pale_leg"),
        ),
        (t("dark_urine"), f(t("dark_urine"), "dark_urine")),
        # applicability never limits a rule
        (t("calf_swelling"), f(t("calf_swelling"), "calf_swelling")),
    ],
    "E10": [
        (t("lockjaw"), f(t("lockjaw"), "lockjaw", "unsure")),
        (t("widespread_spasms", "recent_wound"), t("widespread_spasms", unsure=("recent_wound",))),
        (t("widespread_spasms", "recent_wound"), t("recent_wound")),
    ],
    "E11": [
        (t("confusion"), f(t("confusion"), "confusion")),
        (t("sudden_severe_headache"), t("severe_headache")),
        (t("stroke_signs"), f(t("stroke_signs"), "stroke_signs", "unsure")),
    ],
    "E12": [
        *[
            (t(x, pregnant=True, **WOMAN), t(x, pregnant=False, **WOMAN))
            for x in (
                "vaginal_bleeding",
                "abdominal_pain",
                "regular_tightening",
                "severe_headache",
                "vision_changes",
                "fever",
            )
        ],
        (t("fever", pregnant=True, **WOMAN), t("fever", pregnant="unsure", **WOMAN)),
        (t("vaginal_bleeding", pregnant=True, **WOMAN), t("vaginal_bleeding", **WOMAN)),
    ],
    "E13": [
        *[
            (t("cancer_history", x), t("weight_loss", x))
            for x in ("leg_weakness", "arm_weakness", "numbness_tingling", "clumsy_or_unsteady")
        ],
        (t("cancer_history", "numbness_tingling"), t("cancer_history", "pain_below_knee")),
    ],
    "E14": _e14(),
    "E15": [
        (
            t("tingling_around_mouth", "widespread_spasms"),
            t("tingling_around_mouth", unsure=("widespread_spasms",)),
        ),
        (
            t("tingling_around_mouth", "recent_neck_surgery"),
            f(t("tingling_around_mouth", "recent_neck_surgery"), "recent_neck_surgery"),
        ),
        (t("tingling_around_mouth", "widespread_spasms"), t("widespread_spasms")),
    ],
    "E16": [
        (
            t("minor_fall", "cannot_bear_weight", age=60),
            t("minor_fall", "cannot_bear_weight", age=59),
        ),
        (
            t("minor_fall", "cannot_bear_weight", age=80),
            t("minor_fall", age=80, unsure=("cannot_bear_weight",)),
        ),
        (t("minor_fall", "cannot_bear_weight", age=80), t("cannot_bear_weight", age=80)),
    ],
    "E17": [
        *pairs(
            t("blood_thinners", "pain_unrelieved", onset="sudden", pain=8),
            t("blood_thinners", onset="sudden", pain=8),
            t("blood_thinners", "pain_unrelieved", onset="gradual", pain=8),
            t("blood_thinners", "pain_unrelieved", onset="sudden", pain=7),
            t("pain_unrelieved", onset="sudden", pain=8),
        ),
        (
            t("pain_unrelieved", onset="sudden", pain=9, medicines=["Lixiana 60 mg"]),
            t("pain_unrelieved", onset="sudden", pain=9, medicines=["aspirin 75mg"]),
        ),
        (
            t("blood_thinners", regions=["thigh", "flank"], pain=7),
            t("blood_thinners", regions=["thigh", "flank"], pain=6),
        ),
        (
            t("blood_thinners", "abdominal_pain", regions=["thigh"], pain=7),
            t("blood_thinners", "abdominal_pain", regions=["lower_back"], pain=7),
        ),
        (
            t("blood_thinners", regions=["thigh", "flank"], pain=7),
            t("blood_thinners", regions=["flank"], pain=7),
        ),
    ],
    "E18": [
        (
            t("pleuritic_pain", "clot_risk", regions=["upper_back"]),
            t("pleuritic_pain", regions=["upper_back"], unsure=("clot_risk",)),
        ),
        (
            t("pleuritic_pain", regions=["mid_back"], pregnant=True, **WOMAN),
            t("pleuritic_pain", regions=["mid_back"], pregnant="unsure", **WOMAN),
        ),
        (t("pleuritic_pain", "clot_risk", regions=["flank"]), t("clot_risk", regions=["flank"])),
    ],
    "E19": [
        (
            t("pain_unrelieved", "nausea_vomiting", regions=["neck"], age=60),
            t("pain_unrelieved", "nausea_vomiting", regions=["neck"], age=59),
        ),
        (
            t("pain_unrelieved", "nausea_vomiting", "cardiac_risk", regions=["upper_back"], age=40),
            t("pain_unrelieved", "nausea_vomiting", "cardiac_risk", regions=["upper_back"], age=39),
        ),
        (
            t("pain_unrelieved", "nausea_vomiting", "cardiac_risk", regions=["mid_back"], age=45),
            t("pain_unrelieved", "nausea_vomiting", "cardiac_risk", regions=["lower_back"], age=45),
        ),
        (
            t(
                "pain_unrelieved",
                "nausea_vomiting",
                regions=["mid_back"],
                age=45,
                medicines=["atorvastatin 20 mg tablets"],
            ),
            t(
                "pain_unrelieved",
                "nausea_vomiting",
                regions=["mid_back"],
                age=45,
                medicines=["ibuprofen 200 mg"],
            ),
        ),
        (
            t("pain_unrelieved", "nausea_vomiting", regions=["neck"], age=70),
            t("nausea_vomiting", regions=["neck"], age=70),
        ),
    ],
    "E20": [(t("fever", "widespread_spasms"), t("widespread_spasms", unsure=("fever",)))],
    "E21": [
        (t("testicle_pain", onset="sudden"), t("testicle_pain", onset="gradual")),
        (t("testicle_pain", onset="sudden"), t("testicle_pain", onset="unsure")),
        (t("testicle_pain", "nausea_vomiting"), t("testicle_pain")),
    ],
    "E22": [
        (
            t("temple_or_jaw_pain", "vision_changes", age=50),
            t("temple_or_jaw_pain", "vision_changes", age=49),
        ),
        (
            t("temple_or_jaw_pain", "vision_changes", age=70),
            t("temple_or_jaw_pain", age=70, unsure=("vision_changes",)),
        ),
    ],
    "E23": [
        (t("known_aneurysm", "pain_unrelieved", age=60), t("known_aneurysm", age=60)),
        (
            t("known_aneurysm", "abdominal_pain", age=35),
            t("known_aneurysm", age=35, unsure=("abdominal_pain",)),
        ),
        (t("known_aneurysm", onset="sudden", pain=3), t("known_aneurysm", onset="gradual", pain=3)),
        (t("known_aneurysm", pain=8), t("known_aneurysm", pain=7)),
    ],
    "E24": [
        (t("sickle_cell", "pain_unrelieved"), t("sickle_cell")),
        (t("sickle_cell", "fever"), t("sickle_cell", unsure=("fever",))),
    ],
    "E25": [
        (t("fever", "seriously_unwell"), t("fever", unsure=("seriously_unwell",))),
        (t("fever", "seriously_unwell"), t("seriously_unwell")),
        (t("fever", "cannot_bear_weight", age=75), t("fever", "cannot_bear_weight", age=74)),
    ],
    "E26": [
        *pairs(
            t("minor_fall", "pain_unrelieved", regions=["thigh"], pain=8),
            t("minor_fall", "pain_unrelieved", regions=["thigh"], pain=7),
            t("minor_fall", "pain_unrelieved", regions=["buttock"], pain=8),
            t("pain_unrelieved", regions=["thigh"], pain=8),
            t("minor_fall", regions=["thigh"], pain=8),
        ),
        (
            t("minor_fall", "pain_unrelieved", regions=["calf"], pain=9),
            t("minor_fall", "pain_unrelieved", regions=["calf"], pain=None),
        ),
    ],
    # ---- Urgent
    "U1": [(t("fever"), t(unsure=("fever",))), (t("fever"), t("recent_infection"))],
    "U2": [
        (t(x), t("numbness_tingling"))
        for x in ("leg_weakness", "arm_weakness", "clumsy_or_unsteady")
    ],
    "U3": [
        (t("cancer_history"), f(t("cancer_history"), "cancer_history")),
        (t("weight_loss"), t(unsure=("weight_loss",))),
    ],
    "U4": [
        (t("minor_fall", "osteoporosis"), t("minor_fall", unsure=("osteoporosis",))),
        (t("minor_fall", "long_term_steroids"), t("long_term_steroids")),
        (t("heavy_exertion", "osteoporosis"), t("osteoporosis")),
        (
            t("heavy_exertion", "long_term_steroids"),
            t("long_term_steroids", unsure=("heavy_exertion",)),
        ),
        (t("minor_fall", age=70), t("minor_fall", age=69)),
        (t("minor_fall", age=70), t("heavy_exertion", age=70)),
    ],
    "U5": [
        (t(x), f(t(x), x, "unsure"))
        for x in (
            "injects_drugs",
            "weak_immune_system",
            "recent_spine_procedure",
            "recent_infection",
        )
    ],
    "U6": [
        (t("urinary_symptoms"), f(t("urinary_symptoms"), "urinary_symptoms")),
        (
            t("nausea_vomiting", regions=["flank"], pain=3),
            t("nausea_vomiting", regions=["lower_back"], pain=3),
        ),
    ],
    "U7": [
        (t("night_pain"), t(unsure=("night_pain",))),
        (t("pain_unrelieved"), f(t("pain_unrelieved"), "pain_unrelieved")),
    ],
    "U8": [
        (t("abdominal_pain", age=50, pain=3), t("abdominal_pain", age=49, pain=3)),
        (
            t("abdominal_pain", age=50, pain=3, sex="other"),
            t("abdominal_pain", age=50, pain=3, sex="female"),
        ),
        (
            t("abdominal_pain", age=50, pain=3, sex=None),
            t("abdominal_pain", age=50, pain=3, sex="female"),
        ),
        (
            t("abdominal_pain", age=65, pain=3, sex="female"),
            t("abdominal_pain", age=64, pain=3, sex="female"),
        ),
        (t("abdominal_pain", age=60, pain=3), t(age=60, pain=3, unsure=("abdominal_pain",))),
    ],
    "U9": [(t("widespread_spasms"), t(unsure=("widespread_spasms",)))],
    "U10": [(t("tendon_snap", regions=["calf"]), t(regions=["calf"], unsure=("tendon_snap",)))],
    "U11": [(t(age=4), t(age=5)), (t(age=0), t(age=5))],
    "U12": [(t("red_hot_skin"), f(t("red_hot_skin"), "red_hot_skin"))],
    "U13": [
        (
            t("numbness_tingling", "weakness_worsening"),
            f(t("numbness_tingling", "weakness_worsening"), "weakness_worsening"),
        ),
        (t("weakness_worsening"), t(unsure=("weakness_worsening",))),
    ],
    "U14": [
        (t("blood_thinners", "minor_fall"), t("blood_thinners")),
        (t("blood_thinners", "minor_fall"), t("minor_fall", unsure=("blood_thinners",))),
        (
            t("minor_fall", medicines=["Eliquis 5 mg tablets"]),
            t("minor_fall", medicines=["aspirin 75 mg"]),
        ),
        (
            t("minor_fall", medicines=["clopidogrel 75mg"]),
            t("minor_fall", medicines=["dipyridamole"]),
        ),
    ],
    "U15": [
        (t("abdominal_pain", **WOMAN), t("abdominal_pain", pregnant=False, **WOMAN)),
        (
            t("abdominal_pain", pregnant="unsure", **WOMAN),
            t("abdominal_pain", pregnant=False, **WOMAN),
        ),
        (t("abdominal_pain", pregnant=True, **WOMAN), t("abdominal_pain", pregnant=False, **WOMAN)),
        (
            t("abdominal_pain", "period_late", pregnant=False, **WOMAN),
            t("abdominal_pain", pregnant=False, unsure=("period_late",), **WOMAN),
        ),
        (t("abdominal_pain", age=30, sex=None), t("abdominal_pain", age=30, sex="male")),
        (t("abdominal_pain", age=30, sex="other"), t("abdominal_pain", age=30, sex="male")),
        (t("abdominal_pain", age=12, sex="female"), t("abdominal_pain", age=11, sex="female")),
        (t("abdominal_pain", age=55, sex="female"), t("abdominal_pain", age=56, sex="female")),
        (t("abdominal_pain", **WOMAN), t(unsure=("abdominal_pain",), **WOMAN)),
    ],
    "U16": [
        (
            t("exertional_pain", regions=["upper_back"]),
            t(regions=["upper_back"], unsure=("exertional_pain",)),
        )
    ],
    "U17": [(t("recent_wound"), f(t("recent_wound"), "recent_wound"))],
    "U18": [(t("tingling_around_mouth"), t(unsure=("tingling_around_mouth",)))],
    "U19": [
        (t("minor_fall", "cannot_bear_weight"), t("minor_fall", unsure=("cannot_bear_weight",))),
        (t("minor_fall", "cannot_bear_weight"), t("major_trauma", "cannot_bear_weight")),
    ],
    "U20": [
        (t("cannot_bear_weight", age=15), t("cannot_bear_weight", age=16)),
        (t("cannot_bear_weight", age=8), t(age=8, unsure=("cannot_bear_weight",))),
    ],
    "U21": [
        (
            t("pleuritic_pain", regions=["flank"]),
            f(t("pleuritic_pain", regions=["flank"]), "pleuritic_pain"),
        )
    ],
    "U22": [
        (t("spasm_drug", regions=["neck"]), t("spasm_drug", regions=["upper_back"])),
        (t("spasm_drug", "widespread_spasms"), t("spasm_drug", unsure=("widespread_spasms",))),
        # C47: the medicine list does not answer the question
        (
            t("spasm_drug", regions=["neck"], medicines=["metoclopramide 10 mg"]),
            t(regions=["neck"], medicines=["metoclopramide 10 mg"]),
        ),
    ],
    "U23": [
        (t("testicle_pain"), t(unsure=("testicle_pain",))),
        (
            t("testicle_pain", regions=["flank"]),
            f(t("testicle_pain", regions=["flank"]), "testicle_pain"),
        ),
    ],
    "U24": [
        (t("temple_or_jaw_pain", age=50), t("temple_or_jaw_pain", age=49)),
        (
            t("temple_or_jaw_pain", age=80, regions=["neck"]),
            t(age=80, regions=["neck"], unsure=("temple_or_jaw_pain",)),
        ),
    ],
    "U25": [(t("known_aneurysm", age=60), t(age=60, unsure=("known_aneurysm",)))],
    "U26": [(t("blistering_rash"), t(unsure=("blistering_rash",)))],
    "U27": [(t("seriously_unwell"), f(t("seriously_unwell"), "seriously_unwell"))],
    "U28": [
        *pairs(
            t("nausea_vomiting", onset="sudden", pain=8),
            t("nausea_vomiting", onset="sudden", pain=7),
            t("nausea_vomiting", onset="unsure", pain=8),
            t(onset="sudden", pain=8, unsure=("nausea_vomiting",)),
        ),
    ],
    # ---- Soon
    "S1": [
        (t(x), t(unsure=(x,))) for x in ("pain_below_knee", "pain_down_arm", "numbness_tingling")
    ],
    "S2": [(t("recurrent"), f(t("recurrent"), "recurrent"))],
    "S3": [
        (t(pain=8), t(pain=7)),
        (t(pain=10), f(t(pain=10), "new_or_changed_pain")),
        (
            t("new_or_changed_pain", pain=8),
            f(t("new_or_changed_pain", pain=8), "new_or_changed_pain"),
        ),
        (t(pain=9, unsure=("new_or_changed_pain",)), t("new_or_changed_pain", pain=None)),
    ],
    "S4": [
        (t(duration_days=28), t(duration_days=27.9)),
        (t(duration_days=100), t(duration_days=None)),
    ],
    "S5": [
        (t("disrupts_daily_life"), t(unsure=("disrupts_daily_life",))),
        (
            t("disrupts_daily_life", "new_or_changed_pain"),
            f(t("disrupts_daily_life", "new_or_changed_pain"), "new_or_changed_pain"),
        ),
        (
            t("disrupts_daily_life", unsure=("new_or_changed_pain",)),
            f(t("disrupts_daily_life"), "new_or_changed_pain"),
        ),
    ],
    "S6": [(t(age=15), t(age=16)), (t(age=5), t(age=16))],
    "S7": [
        (t("abdominal_pain"), t(unsure=("abdominal_pain",))),
        (
            t("abdominal_pain", pregnant=False, **WOMAN),
            f(t("abdominal_pain", pregnant=False, **WOMAN), "abdominal_pain"),
        ),
    ],
    "S8": [
        (t("statin", "muscle_aches"), t("statin", unsure=("muscle_aches",))),
        (t("statin", "muscle_aches"), t("muscle_aches")),
        (
            t("muscle_aches", medicines=["simvastatin 40mg"]),
            t("muscle_aches", medicines=["ezetimibe 10mg"]),
        ),
        (
            t("muscle_aches", medicines=["Inegy 10mg/20mg tablets"]),
            f(t("muscle_aches", medicines=["Inegy 10mg/20mg tablets"]), "muscle_aches", None),
        ),
    ],
    "S9": [(t("band_like_pain"), t(unsure=("band_like_pain",)))],
    "S10": [
        (t(age=70), t(age=69)),
        (t(age=70), f(t(age=70), "new_or_changed_pain")),
        (t(age=80, regions=["buttock"]), t(age=80, regions=["thigh", "calf"])),
        (
            t(age=75, regions=["neck"], unsure=("new_or_changed_pain",)),
            t("new_or_changed_pain", age=69, regions=["neck"]),
        ),
        (
            t("new_or_changed_pain", age=90, regions=["flank", "thigh"]),
            t("new_or_changed_pain", age=90, regions=["thigh"]),
        ),
    ],
    # ---- Not sure
    "N1": [
        (t(unsure=("chest_pain",)), t("chest_pain")),
        (t(unsure=("chest_pain",)), t()),
        (
            t("vaginal_bleeding", pregnant="unsure", **WOMAN),
            t("vaginal_bleeding", pregnant=False, **WOMAN),
        ),
        (t("abdominal_pain", onset="unsure", pain=8), t("abdominal_pain", onset="gradual", pain=8)),
        # an emergency on the real answers leaves no N1, even with urgent rules
        (t("fever", unsure=("rash",)), t("fever", "rash")),
        # applicability never limits W either: calf swelling unsure with a lower-back region
        (t(unsure=("calf_swelling",)), t("calf_swelling")),
    ],
    "N2": [
        (t(unsure=("fever",)), t()),
        (t("recurrent", unsure=("fever",)), f(t("recurrent", unsure=("fever",)), "fever")),
        (t(unsure=("fever",)), t(unsure=("fever", "chest_pain"))),
        (t(unsure=("fever",)), t("night_pain", unsure=("fever",))),
        (t(unsure=("urinary_symptoms",)), f(t(unsure=("urinary_symptoms",)), "urinary_symptoms")),
        # onset "unsure" is taken as sudden: U28 on W
        (
            t("nausea_vomiting", onset="unsure", pain=8),
            t("nausea_vomiting", onset="gradual", pain=8),
        ),
    ],
    "N3": [
        (t(unsure=("recurrent",)), t()),
        (t(unsure=("recurrent",)), t("pain_below_knee", unsure=("recurrent",))),
        (t(unsure=("recurrent",)), t(unsure=("recurrent", "night_pain"))),
        (
            t(unsure=("pain_below_knee", "band_like_pain")),
            t("pain_below_knee", unsure=("band_like_pain",)),
        ),
    ],
}


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None}


def _rules(data: dict[str, Any], kb: KnowledgeBase) -> tuple[str, ...]:
    return evaluate(parse_intake(_clean(data), kb), kb).rules


def test_cases_are_consistent_with_the_reference() -> None:
    """A guard on this file: each pair is a real fire / near miss under the hand-written reference."""
    wrong = []
    for rule_id, cases in RULE_CASES.items():
        for fires, miss in cases:
            if rule_id not in reference_rules(fires) or rule_id in reference_rules(miss):
                wrong.append((rule_id, fires, miss))
    assert not wrong, wrong


def test_every_rule_has_a_firing_case_and_a_near_miss(kb11: KnowledgeBase) -> None:
    ids = {r.id for r in kb11.rules}
    assert {r.id for r in kb11.active_rules} == set(RULE_IDS), sorted(ids ^ set(RULE_IDS))
    missing = sorted(ids - set(RULE_CASES), key=lambda x: (x[0], int(x[1:])))
    assert not missing, f"rules without a firing case: {missing}"
    for rule_id in ids:
        assert RULE_CASES[rule_id], rule_id


@pytest.mark.parametrize("rule_id", list(RULE_CASES))
def test_rule_fires(rule_id: str, kb11: KnowledgeBase) -> None:
    failures = [
        (fires, got)
        for fires, _ in RULE_CASES[rule_id]
        if rule_id not in (got := _rules(fires, kb11))
    ]
    assert not failures, failures


@pytest.mark.parametrize("rule_id", list(RULE_CASES))
def test_rule_stays_silent_on_near_miss(rule_id: str, kb11: KnowledgeBase) -> None:
    failures = [
        (miss, got) for _, miss in RULE_CASES[rule_id] if rule_id in (got := _rules(miss, kb11))
    ]
    assert not failures, failures


@pytest.mark.parametrize("rule_id", list(RULE_CASES))
def test_rule_cases_fire_exactly_the_reference_rules(rule_id: str, kb11: KnowledgeBase) -> None:
    failures = []
    for pair in RULE_CASES[rule_id]:
        for data in pair:
            got = list(_rules(data, kb11))
            if got != reference_rules(data):
                failures.append((data, got, reference_rules(data)))
    assert not failures, failures


def test_rule_metadata(kb11: KnowledgeBase) -> None:
    """Dispositions per id (N1 urgent, N2 and N3 soon), 'since', sources."""
    expected = {"E": "emergency", "U": "urgent", "S": "soon"}
    v1_ids = {f"E{n}" for n in range(1, 15)} | {f"U{n}" for n in range(1, 13)}
    v1_ids |= {f"S{n}" for n in range(1, 8)}
    for rule in kb11.active_rules:
        level = {"N1": "urgent", "N2": "soon", "N3": "soon"}.get(rule.id) or expected[rule.id[0]]
        assert rule.disposition.value == level, rule.id
        assert rule.since == ("1.0.0" if rule.id in v1_ids else "1.1.0"), rule.id
        assert rule.references, rule.id


def test_order_of_reasons(kb11: KnowledgeBase) -> None:
    result = evaluate(
        parse_intake(t("fever", "rash", "abdominal_pain", "recurrent", age=60, pain=9), kb11),
        kb11,
    )
    assert result.disposition.value == "emergency"
    assert result.rules == ("E4", "E6", "U1", "U8", "S2", "S3", "S7")
    assert _rules(t("both_legs", "lockjaw"), kb11) == ("E2", "E10")
    # N1 after the urgent E/U rules; N2 after the soon rules
    assert _rules(t("widespread_spasms", unsure=("fever",)), kb11) == ("U9", "N1")
    assert _rules(t("recurrent", "band_like_pain", unsure=("fever",)), kb11) == ("S2", "S9", "N2")


def test_not_sure_sets_the_disposition(kb11: KnowledgeBase) -> None:
    def level(data: dict[str, Any]) -> str:
        return evaluate(parse_intake(data, kb11), kb11).disposition.value

    assert level(t(unsure=("chest_pain",))) == "urgent"
    assert level(t(unsure=("fever",))) == "soon"
    assert level(t(unsure=("recurrent",))) == "soon"
    # "An unsure answer that no rule could act on changes nothing"
    no_fever = f(t(unsure=("light_sensitivity",)), "fever")
    assert level(no_fever) == "self_care"
    assert level(t(unsure=("worse_with_position",))) == "self_care"


# ---- medicines (policy "Medicines")


@pytest.mark.parametrize(
    ("medicine", "finding"),
    [
        ("apixaban 5mg", "blood_thinners"),
        ("Eliquis 5 mg tablets", "blood_thinners"),
        ("Xarelto (rivaroxaban) 20mg", "blood_thinners"),
        ("enoxaparin 40 mg pre-filled syringe", "blood_thinners"),
        ("Clexane 40mg injection", "blood_thinners"),
        ("ticagrelor 90 mg", "blood_thinners"),
        ("atorvastatin 20 mg film-coated tablets", "statin"),
        ("atorvastatin 20 mg film-coated tablets", "cardiac_risk"),
        ("Caduet 5mg/10mg", "statin"),
        ("Vytorin", "cardiac_risk"),
    ],
)
def test_listed_medicine_sets_its_finding(medicine: str, finding: str, kb11: KnowledgeBase) -> None:
    intake = parse_intake(t(medicines=[medicine]) | {"findings": {finding: False}}, kb11)
    assert intake.findings[finding] is True


@pytest.mark.parametrize(
    "medicine",
    [
        "aspirin 75 mg",
        "dipyridamole 200mg",
        "cilostazol",
        "naproxen 500 mg",
        "heparin flush solution",
        "heparinoid cream",
        "metoclopramide 10 mg",
    ],
)
def test_unlisted_medicine_sets_nothing(medicine: str, kb11: KnowledgeBase) -> None:
    intake = parse_intake(t(medicines=[medicine]), kb11)
    assert intake.findings == {}, intake.findings


# ---- bad input


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("age", "unsure"),
        ("pain", "unsure"),
        ("sex", "unsure"),
        ("duration_days", "unsure"),
        ("regions", "unsure"),
        ("onset", "maybe"),
        ("pregnant", "maybe"),
        ("pregnant", "yes"),
    ],
)
def test_unsure_only_where_allowed(field: str, value: Any, kb11: KnowledgeBase) -> None:
    with pytest.raises(IntakeError) as info:
        parse_intake(t(**{field: value}), kb11)
    assert any(p.path.split(".")[0].split("[")[0] == field for p in info.value.problems), (
        info.value.problems
    )


@pytest.mark.parametrize("value", ["maybe", "yes", "no", "true", "Unsure", ""])
def test_finding_value_must_be_true_false_or_unsure(value: Any, kb11: KnowledgeBase) -> None:
    data = t()
    data["findings"] = {"fever": value}
    with pytest.raises(IntakeError) as info:
        parse_intake(data, kb11)
    assert any("fever" in p.path for p in info.value.problems), info.value.problems


def test_unsure_accepted_for_findings_pregnant_and_onset(kb11: KnowledgeBase) -> None:
    intake = parse_intake(
        t(unsure=("fever", "rash"), onset="unsure", pregnant="unsure", **WOMAN), kb11
    )
    assert intake.findings == {"fever": "unsure", "rash": "unsure"}
    assert intake.onset == "unsure"
    assert intake.pregnant == "unsure"


# ---- "not sure" reasons and self-checks

SELF_CHECKS = (
    "bladder_dysfunction",
    "bowel_incontinence",
    "saddle_numbness",
    "sexual_dysfunction",
    "leg_weakness",
    "arm_weakness",
    "both_legs",
    "clumsy_or_unsteady",
    "numbness_tingling",
    "weakness_worsening",
    "stroke_signs",
    "stiff_neck",
    "rash",
    "blistering_rash",
    "fever",
    "cannot_bear_weight",
    "pleuritic_pain",
    "testicle_pain",
    "period_late",
    "temple_or_jaw_pain",
    "pain_unrelieved",
    "seriously_unwell",
)


def test_every_self_check_of_the_policy_is_there(kb11: KnowledgeBase) -> None:
    missing = [fid for fid in SELF_CHECKS if not kb11.findings[fid].self_check]
    assert not missing, missing


@pytest.mark.parametrize(
    ("unsure", "rule_id", "named", "not_named"),
    [
        # light sensitivity with fever no: no rule can act on it (policy example)
        (
            {"bladder_dysfunction": "unsure", "light_sensitivity": "unsure", "fever": False},
            "N1",
            "bladder_dysfunction",
            "light_sensitivity",
        ),
        ({"fever": "unsure", "worse_with_position": "unsure"}, "N2", "fever", None),
        ({"recurrent": "unsure"}, "N3", "recurrent", None),
    ],
)
def test_not_sure_reason_names_the_unsure_answers(
    unsure: dict[str, Any],
    rule_id: str,
    named: str,
    not_named: str | None,
    kb11: KnowledgeBase,
) -> None:
    data = t()
    data["findings"] = unsure
    result = evaluate(parse_intake(data, kb11), kb11)
    reason = next(r for r in result.reasons if r.rule == rule_id)
    assert "{" not in reason.advice, reason.advice
    assert kb11.findings[named].label in reason.advice
    if not_named:
        assert kb11.findings[not_named].label not in reason.advice
    assert reason.sources
