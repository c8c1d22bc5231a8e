"""A second, hand-written implementation of triage policy version 2 (knowledge base 1.1.0).

A plain if-chain written from the policy text (shared/clinical/triage-policy.md, version 2: the Rules
tables, "Not sure" answers, "Missing answers" and "Unanswered questions and applicability"),
independent of the YAML rules and of the engine. Tests compare the engine with it.

It takes a parsed intake (an ``Intake`` model) or a plain intake mapping: findings are ``True``,
``False`` or ``"unsure"`` (missing = not asked yet), ``pregnant`` is ``True``, ``False`` or
``"unsure"``, ``onset`` is ``"sudden"``, ``"gradual"`` or ``"unsure"``. Medicines are matched here
too (policy "Medicines"), so that a medicine the parser misses shows up as a disagreement.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

UNSURE = "unsure"
LEVELS = {"E": "emergency", "U": "urgent", "S": "soon"}
RANK = {"self_care": 0, "soon": 1, "urgent": 2, "emergency": 3}
N_LEVEL = {"N1": "urgent", "N2": "soon", "N3": "soon"}

EMERGENCY_IDS = tuple(f"E{n}" for n in range(1, 27))
URGENT_IDS = tuple(f"U{n}" for n in range(1, 29))
SOON_IDS = tuple(f"S{n}" for n in range(1, 11))
RULE_IDS = (*EMERGENCY_IDS, *URGENT_IDS, *SOON_IDS, "N1", "N2", "N3")

BACK_OR_NECK = frozenset({"neck", "upper_back", "mid_back", "lower_back", "flank", "buttock"})

# "every finding an emergency or urgent rule uses" (policy: What `unanswered` lists)
SAFETY_FINDINGS: tuple[str, ...] = (
    "bladder_dysfunction",
    "bowel_incontinence",
    "saddle_numbness",
    "sexual_dysfunction",
    "leg_weakness",
    "arm_weakness",
    "weakness_worsening",
    "both_legs",
    "clumsy_or_unsteady",
    "numbness_tingling",
    "sudden_severe_headache",
    "stroke_signs",
    "vision_changes",
    "temple_or_jaw_pain",
    "confusion",
    "fever",
    "seriously_unwell",
    "injects_drugs",
    "weak_immune_system",
    "recent_spine_procedure",
    "recent_infection",
    "severe_headache",
    "light_sensitivity",
    "stiff_neck",
    "rash",
    "blistering_rash",
    "recent_wound",
    "cancer_history",
    "weight_loss",
    "night_pain",
    "pain_unrelieved",
    "major_trauma",
    "minor_fall",
    "osteoporosis",
    "long_term_steroids",
    "heavy_exertion",
    "cannot_bear_weight",
    "chest_pain",
    "short_of_breath",
    "coughing_blood",
    "cold_sweat",
    "tearing_pain",
    "fainting",
    "pulsating_belly",
    "abdominal_pain",
    "nausea_vomiting",
    "urinary_symptoms",
    "pleuritic_pain",
    "clot_risk",
    "cardiac_risk",
    "known_aneurysm",
    "testicle_pain",
    "calf_swelling",
    "cold_pale_leg",
    "dark_urine",
    "tendon_snap",
    "red_hot_skin",
    "exertional_pain",
    "tingling_around_mouth",
    "recent_neck_surgery",
    "vaginal_bleeding",
    "regular_tightening",
    "period_late",
    "lockjaw",
    "widespread_spasms",
    "blood_thinners",
    "spasm_drug",
    "sickle_cell",
)
# "the findings only soon rules use" (C57)
SOON_FINDINGS: tuple[str, ...] = (
    "pain_below_knee",
    "pain_down_arm",
    "recurrent",
    "disrupts_daily_life",
    "statin",
    "muscle_aches",
    "band_like_pain",
    "new_or_changed_pain",
)
# care-plan context only: never change the level, never in `unanswered`
CONTEXT_FINDINGS: tuple[str, ...] = (
    "worse_with_position",
    "cannot_stand_upright",
    "sitting_a_lot",
    "low_fluids",
    "stressed",
)
ALL_FINDINGS: tuple[str, ...] = (*SAFETY_FINDINGS, *SOON_FINDINGS, *CONTEXT_FINDINGS)
NERVE = ("leg_weakness", "arm_weakness", "numbness_tingling", "clumsy_or_unsteady", "both_legs")
FIELDS_ORDER = ("pain", "onset", "duration_days", "sex", "pregnant")

# policy "Medicines": listed generic and brand names (lower case, whole words)
BLOOD_THINNER_NAMES = frozenset(
    [
        "warfarin",
        "coumadin",
        "jantoven",
        "marevan",
        "waran",
        "acenocoumarol",
        "sintrom",
        "sinthrome",
        "phenprocoumon",
        "marcumar",
        "marcoumar",
        "falithrom",
        "fluindione",
        "previscan",
        "apixaban",
        "eliquis",
        "rivaroxaban",
        "xarelto",
        "dabigatran",
        "pradaxa",
        "pradax",
        "prazaxa",
        "edoxaban",
        "lixiana",
        "savaysa",
        "roteas",
        "betrixaban",
        "bevyxxa",
        "heparin",
        "enoxaparin",
        "lovenox",
        "clexane",
        "inhixa",
        "dalteparin",
        "fragmin",
        "tinzaparin",
        "innohep",
        "nadroparin",
        "fraxiparine",
        "bemiparin",
        "fondaparinux",
        "arixtra",
        "clopidogrel",
        "plavix",
        "iscover",
        "grepid",
        "prasugrel",
        "effient",
        "efient",
        "ticagrelor",
        "brilinta",
        "brilique",
        "ticlopidine",
        "ticlid",
        "vorapaxar",
        "zontivity",
    ]
)
STATIN_NAMES = frozenset(
    [
        "atorvastatin",
        "lipitor",
        "simvastatin",
        "zocor",
        "rosuvastatin",
        "crestor",
        "pravastatin",
        "pravachol",
        "fluvastatin",
        "lescol",
        "lovastatin",
        "mevacor",
        "altoprev",
        "pitavastatin",
        "livalo",
        "zypitamag",
        "inegy",
        "vytorin",
        "caduet",
    ]
)
TOPICAL_WORDS = frozenset({"cream", "gel", "ointment", "spray", "lock", "flush"})


def medicine_words(name: str) -> set[str]:
    """The whole words of a medicine name after removing signs and punctuation (doses and forms
    are simply words that match no listed name)."""
    text = re.sub(r"[®™©()\[\]{}.,;:/+\-]", " ", name.lower())
    return set(text.split())


def medicine_findings(medicines: Any) -> set[str]:
    """Findings a medicine list sets true: blood_thinners, statin and (a statin) cardiac_risk."""
    out: set[str] = set()
    for med in medicines or ():
        words = medicine_words(str(med))
        if words & TOPICAL_WORDS:
            continue
        if words & BLOOD_THINNER_NAMES:
            out.add("blood_thinners")
        if words & STATIN_NAMES:
            out |= {"statin", "cardiac_risk"}
    return out


@dataclass(frozen=True)
class View:
    """The answers the policy reads, whatever shape the intake came in."""

    age: int
    regions: frozenset[str]
    sex: str | None
    pregnant: bool | str | None
    onset: str | None
    duration_days: float | None
    pain: int | None
    findings: dict[str, Any] = field(default_factory=dict)


def view(intake: Any) -> View:
    def get(name: str) -> Any:
        if isinstance(intake, Mapping):
            return intake.get(name)
        return getattr(intake, name, None)

    findings = dict(get("findings") or {})
    for fid in medicine_findings(get("medicines")):
        findings[fid] = True
    return View(
        age=get("age"),
        regions=frozenset(get("regions") or ()),
        sex=get("sex"),
        pregnant=get("pregnant"),
        onset=get("onset"),
        duration_days=get("duration_days"),
        pain=get("pain"),
        findings=findings,
    )


def taken_as_yes(v: View) -> View:
    """W: every "unsure" finding true, pregnant "unsure" -> true, onset "unsure" -> sudden."""
    return View(
        age=v.age,
        regions=v.regions,
        sex=v.sex,
        pregnant=True if v.pregnant == UNSURE else v.pregnant,
        onset="sudden" if v.onset == UNSURE else v.onset,
        duration_days=v.duration_days,
        pain=v.pain,
        findings={k: (True if val == UNSURE else val) for k, val in v.findings.items()},
    )


def _base_rules(v: View) -> list[str]:
    """E, U and S rules (no N rules) that fire on a view, in id order."""
    f = v.findings

    def t(name: str) -> bool:
        return f.get(name) is True

    def not_no(name: str) -> bool:  # "X is not no": true, "unsure" or missing
        return f.get(name) is not False

    age = v.age
    r = v.regions
    pain8 = v.pain is not None and v.pain >= 8
    pain7 = v.pain is not None and v.pain >= 7
    sudden = v.onset == "sudden"
    pregnant = v.pregnant is True
    nerve = any(t(n) for n in NERVE)
    fired: list[str] = []

    def rule(rule_id: str, cond: bool) -> None:
        if cond:
            fired.append(rule_id)

    # Emergency
    rule(
        "E1",
        t("bladder_dysfunction")
        or t("bowel_incontinence")
        or t("saddle_numbness")
        or t("sexual_dysfunction"),
    )
    rule(
        "E2",
        t("both_legs")
        or (
            (t("leg_weakness") or t("arm_weakness") or t("clumsy_or_unsteady"))
            and t("weakness_worsening")
        ),
    )
    rule(
        "E3",
        (
            t("fever")
            and (
                t("injects_drugs")
                or t("weak_immune_system")
                or t("recent_spine_procedure")
                or t("recent_infection")
                or nerve
            )
        )
        or (
            (t("injects_drugs") or t("weak_immune_system") or t("recent_spine_procedure")) and nerve
        )
        or (t("recent_infection") and nerve and t("pain_unrelieved")),
    )
    rule(
        "E4",
        t("rash")
        or (
            t("fever")
            and (
                t("severe_headache")
                or t("light_sensitivity")
                or (t("stiff_neck") and t("nausea_vomiting"))
            )
        ),
    )
    rule("E5", t("chest_pain") or t("short_of_breath") or t("coughing_blood") or t("cold_sweat"))
    rule(
        "E6",
        t("tearing_pain")
        or t("pulsating_belly")
        or t("fainting")
        or (t("abdominal_pain") and sudden and pain8)
        or (age >= 50 and t("abdominal_pain") and (sudden or pain8))
        or (
            sudden
            and pain8
            and t("pain_unrelieved")
            and ("upper_back" in r or "mid_back" in r or age >= 50)
        )
        or (t("abdominal_pain") and pain8 and t("nausea_vomiting")),
    )
    rule(
        "E7",
        ("flank" in r and pain8 and (t("pain_unrelieved") or t("nausea_vomiting")))
        or (sudden and pain8 and t("nausea_vomiting") and t("pain_unrelieved"))
        or (t("fever") and t("nausea_vomiting") and ("flank" in r or t("urinary_symptoms"))),
    )
    rule(
        "E8",
        t("major_trauma")
        or (
            "neck" in r
            and t("minor_fall")
            and (
                age >= 65
                or t("numbness_tingling")
                or t("arm_weakness")
                or t("leg_weakness")
                or t("clumsy_or_unsteady")
            )
        ),
    )
    rule("E9", t("calf_swelling") or t("cold_pale_leg") or t("dark_urine"))
    rule("E10", t("lockjaw") or (t("widespread_spasms") and t("recent_wound")))
    rule("E11", t("confusion") or t("sudden_severe_headache") or t("stroke_signs"))
    rule(
        "E12",
        pregnant
        and (
            t("vaginal_bleeding")
            or t("abdominal_pain")
            or t("regular_tightening")
            or t("severe_headache")
            or t("vision_changes")
            or t("fever")
        ),
    )
    rule(
        "E13",
        t("cancer_history")
        and (
            t("leg_weakness")
            or t("arm_weakness")
            or t("numbness_tingling")
            or t("clumsy_or_unsteady")
        ),
    )
    rule("E14", t("blood_thinners") and nerve)
    rule(
        "E15",
        t("tingling_around_mouth") and (t("widespread_spasms") or t("recent_neck_surgery")),
    )
    rule("E16", t("minor_fall") and t("cannot_bear_weight") and age >= 60)
    rule(
        "E17",
        t("blood_thinners")
        and (
            (sudden and pain8 and t("pain_unrelieved"))
            or ("thigh" in r and ("flank" in r or t("abdominal_pain")) and pain7)
        ),
    )
    rule("E18", t("pleuritic_pain") and (t("clot_risk") or pregnant))
    rule(
        "E19",
        ("neck" in r or "upper_back" in r or "mid_back" in r)
        and t("pain_unrelieved")
        and t("nausea_vomiting")
        and (age >= 60 or (age >= 40 and t("cardiac_risk"))),
    )
    rule("E20", t("fever") and t("widespread_spasms"))
    rule("E21", t("testicle_pain") and (sudden or t("nausea_vomiting")))
    rule("E22", age >= 50 and t("temple_or_jaw_pain") and t("vision_changes"))
    rule(
        "E23",
        t("known_aneurysm") and (t("pain_unrelieved") or t("abdominal_pain") or sudden or pain8),
    )
    rule("E24", t("sickle_cell") and (t("pain_unrelieved") or t("fever")))
    rule(
        "E25",
        t("fever") and (t("seriously_unwell") or (age >= 75 and t("cannot_bear_weight"))),
    )
    rule(
        "E26",
        ("thigh" in r or "calf" in r) and t("minor_fall") and pain8 and t("pain_unrelieved"),
    )
    # Urgent
    rule("U1", t("fever"))
    rule("U2", t("leg_weakness") or t("arm_weakness") or t("clumsy_or_unsteady"))
    rule("U3", t("cancer_history") or t("weight_loss"))
    rule(
        "U4",
        (
            (t("minor_fall") or t("heavy_exertion"))
            and (t("osteoporosis") or t("long_term_steroids"))
        )
        or (t("minor_fall") and age >= 70),
    )
    rule(
        "U5",
        t("injects_drugs")
        or t("weak_immune_system")
        or t("recent_spine_procedure")
        or t("recent_infection"),
    )
    rule("U6", t("urinary_symptoms") or ("flank" in r and t("nausea_vomiting")))
    rule("U7", t("night_pain") or t("pain_unrelieved"))
    # "sex is not female": female is the only value that blocks; a missing sex counts as not female
    rule("U8", t("abdominal_pain") and age >= 50 and (v.sex != "female" or age >= 65))
    rule("U9", t("widespread_spasms"))
    rule("U10", t("tendon_snap"))
    rule("U11", age < 5)
    rule("U12", t("red_hot_skin"))
    rule("U13", t("weakness_worsening"))
    rule("U14", t("blood_thinners") and t("minor_fall"))
    # "pregnant is not false": true, "unsure" or missing; "sex is not male": missing counts
    rule(
        "U15",
        v.sex != "male"
        and 12 <= age <= 55
        and t("abdominal_pain")
        and (v.pregnant is not False or t("period_late")),
    )
    rule("U16", t("exertional_pain"))
    rule("U17", t("recent_wound"))
    rule("U18", t("tingling_around_mouth"))
    rule("U19", t("minor_fall") and t("cannot_bear_weight"))
    rule("U20", age < 16 and t("cannot_bear_weight"))
    rule("U21", t("pleuritic_pain"))
    rule("U22", t("spasm_drug") and ("neck" in r or t("widespread_spasms")))
    rule("U23", t("testicle_pain"))
    rule("U24", age >= 50 and t("temple_or_jaw_pain"))
    rule("U25", t("known_aneurysm"))
    rule("U26", t("blistering_rash"))
    rule("U27", t("seriously_unwell"))
    rule("U28", sudden and pain8 and t("nausea_vomiting"))
    # Soon
    rule("S1", t("pain_below_knee") or t("pain_down_arm") or t("numbness_tingling"))
    rule("S2", t("recurrent"))
    rule("S3", pain8 and not_no("new_or_changed_pain"))
    rule("S4", v.duration_days is not None and v.duration_days >= 28)
    rule("S5", t("disrupts_daily_life") and not_no("new_or_changed_pain"))
    rule("S6", age < 16)
    rule("S7", t("abdominal_pain"))
    rule("S8", t("statin") and t("muscle_aches"))
    rule("S9", t("band_like_pain"))
    rule("S10", age >= 70 and bool(r & BACK_OR_NECK) and not_no("new_or_changed_pain"))
    return fired


def _levels(rule_ids: list[str]) -> set[str]:
    return {LEVELS[rid[0]] for rid in rule_ids}


def reference_rules(intake: Any) -> list[str]:
    """Every rule id that fires (E, U, S and N1-N3), in the policy's order of reasons."""
    v = view(intake)
    real = _base_rules(v)
    on_w = _levels(_base_rules(taken_as_yes(v)))
    got = _levels(real)
    n1 = "emergency" in on_w and "emergency" not in got
    n2 = "urgent" in on_w and not got & {"emergency", "urgent"} and not n1
    n3 = "soon" in on_w and not got and not n1 and not n2
    emergency = [x for x in real if x[0] == "E"]
    urgent = [x for x in real if x[0] == "U"] + (["N1"] if n1 else [])
    soon = [x for x in real if x[0] == "S"] + (["N2"] if n2 else []) + (["N3"] if n3 else [])
    return emergency + urgent + soon


def rule_level(rule_id: str) -> str:
    return N_LEVEL.get(rule_id) or LEVELS[rule_id[0]]


def reference_disposition(intake: Any) -> str:
    fired = reference_rules(intake)
    if not fired:
        return "self_care"
    return max((rule_level(x) for x in fired), key=RANK.__getitem__)


def _maybe(v: View, name: str) -> bool:
    return v.findings.get(name) in (True, UNSURE)


def finding_applies(intake: Any, finding: str) -> bool:
    """Policy "Applicability": whether the interview asks this finding of this person."""
    v = view(intake) if not isinstance(intake, View) else intake
    r = v.regions
    age = v.age
    pregnant_maybe = v.pregnant in (True, UNSURE)
    if finding in ("calf_swelling", "cold_pale_leg", "tendon_snap"):
        return bool(r & {"thigh", "calf"})
    if finding in ("vaginal_bleeding", "regular_tightening"):
        return pregnant_maybe
    if finding == "exertional_pain":
        return bool(r & {"neck", "upper_back", "mid_back"})
    if finding == "cannot_bear_weight":
        return _maybe(v, "minor_fall") or age < 16 or (age >= 75 and _maybe(v, "fever"))
    if finding in ("light_sensitivity", "stiff_neck"):
        return _maybe(v, "fever")
    if finding == "severe_headache":
        return _maybe(v, "fever") or pregnant_maybe or age >= 50
    if finding == "vision_changes":
        return pregnant_maybe or (age >= 50 and _maybe(v, "temple_or_jaw_pain"))
    if finding == "weakness_worsening":
        return any(_maybe(v, n) for n in NERVE)
    if finding in ("osteoporosis", "long_term_steroids"):
        return _maybe(v, "minor_fall") or _maybe(v, "heavy_exertion")
    if finding == "recent_neck_surgery":
        return _maybe(v, "tingling_around_mouth")
    if finding == "pleuritic_pain":
        return bool(r & {"upper_back", "mid_back", "flank"})
    if finding == "clot_risk":
        return _maybe(v, "pleuritic_pain")
    if finding == "cardiac_risk":
        return (
            40 <= age <= 59
            and bool(r & {"neck", "upper_back", "mid_back"})
            and _maybe(v, "nausea_vomiting")
            and _maybe(v, "pain_unrelieved")
        )
    if finding == "spasm_drug":
        return "neck" in r or _maybe(v, "widespread_spasms")
    if finding == "testicle_pain":
        return v.sex != "female" and (bool(r & {"flank", "thigh"}) or _maybe(v, "abdominal_pain"))
    if finding == "period_late":
        return (
            12 <= age <= 55
            and v.sex != "male"
            and _maybe(v, "abdominal_pain")
            and v.pregnant is False
        )
    if finding == "temple_or_jaw_pain":
        return age >= 50 and (
            bool(r & {"neck", "upper_back"})
            or _maybe(v, "severe_headache")
            or _maybe(v, "vision_changes")
            or _maybe(v, "muscle_aches")
        )
    if finding == "known_aneurysm":
        return age >= 50 and (
            bool(r & {"upper_back", "mid_back", "lower_back", "flank"})
            or _maybe(v, "abdominal_pain")
        )
    if finding == "sickle_cell":
        return _maybe(v, "pain_unrelieved") or _maybe(v, "fever")
    if finding == "statin":
        return _maybe(v, "muscle_aches")
    if finding == "new_or_changed_pain":
        return (
            (age >= 70 and bool(r & BACK_OR_NECK))
            or (v.pain is not None and v.pain >= 8)
            or _maybe(v, "disrupts_daily_life")
        )
    return finding in SAFETY_FINDINGS or finding in SOON_FINDINGS


def field_applies(intake: Any, name: str) -> bool:
    v = view(intake) if not isinstance(intake, View) else intake
    if name in ("pain", "onset", "duration_days"):
        return True
    if name == "sex":
        return 12 <= v.age <= 55
    if name == "pregnant":
        return 12 <= v.age <= 55 and v.sex != "male"
    raise ValueError(name)


def reference_unanswered(intake: Any) -> list[str]:
    """Applicable safety findings, applicable soon findings, then pain, onset, duration_days, sex
    and pregnant, each when missing (the order within the finding groups is not specified)."""
    v = view(intake)
    out = [fid for fid in SAFETY_FINDINGS if fid not in v.findings and finding_applies(v, fid)]
    out += [fid for fid in SOON_FINDINGS if fid not in v.findings and finding_applies(v, fid)]
    values = {
        "pain": v.pain,
        "onset": v.onset,
        "duration_days": v.duration_days,
        "sex": v.sex,
        "pregnant": v.pregnant,
    }
    out += [name for name in FIELDS_ORDER if values[name] is None and field_applies(v, name)]
    return out


def reference_unsure(intake: Any) -> list[str]:
    """The applicable safety and soon findings, and the applicable fields, answered "unsure"."""
    v = view(intake)
    out = [
        fid
        for fid in (*SAFETY_FINDINGS, *SOON_FINDINGS)
        if v.findings.get(fid) == UNSURE and finding_applies(v, fid)
    ]
    if v.onset == UNSURE:
        out.append("onset")
    if v.pregnant == UNSURE and field_applies(v, "pregnant"):
        out.append("pregnant")
    return out


def reference_complete(intake: Any) -> bool:
    return not reference_unanswered(intake)
