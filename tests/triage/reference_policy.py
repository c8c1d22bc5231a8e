"""A second, hand-written implementation of triage policy v1: a plain if-chain written from
shared/clinical/triage-policy.md, independent of the YAML rules. Tests and benchmarks compare the
engine with it."""

from __future__ import annotations

from typing import Any

LEVELS = {"E": "emergency", "U": "urgent", "S": "soon"}


def reference_rules(intake: Any) -> list[str]:
    """Rule ids that fire for an intake (an Intake model or anything with the same attributes)."""
    f = intake.findings

    def t(name: str) -> bool:
        return f.get(name) is True

    age = intake.age
    pain = intake.pain
    duration = intake.duration_days
    regions = set(intake.regions)
    pregnant = intake.pregnant is True
    sudden = intake.onset == "sudden"
    out: list[str] = []
    if (
        t("bladder_dysfunction")
        or t("bowel_incontinence")
        or t("saddle_numbness")
        or t("sexual_dysfunction")
    ):
        out.append("E1")
    if t("both_legs") or (
        (t("leg_weakness") or t("arm_weakness") or t("clumsy_or_unsteady"))
        and t("weakness_worsening")
    ):
        out.append("E2")
    if t("fever") and (
        t("injects_drugs")
        or t("weak_immune_system")
        or t("recent_spine_procedure")
        or t("recent_infection")
        or t("leg_weakness")
        or t("arm_weakness")
    ):
        out.append("E3")
    if t("fever") and (t("severe_headache") or t("light_sensitivity") or t("rash")):
        out.append("E4")
    if t("chest_pain") or t("short_of_breath") or t("coughing_blood") or t("cold_sweat"):
        out.append("E5")
    if (
        t("tearing_pain")
        or t("pulsating_belly")
        or t("fainting")
        or (age >= 50 and t("abdominal_pain") and (sudden or (pain is not None and pain >= 8)))
    ):
        out.append("E6")
    if "flank" in regions and (
        (pain is not None and pain >= 8 and (t("pain_unrelieved") or t("nausea_vomiting")))
        or (t("fever") and t("nausea_vomiting"))
    ):
        out.append("E7")
    if t("major_trauma") or (
        "neck" in regions
        and t("minor_fall")
        and (age >= 65 or t("numbness_tingling") or t("arm_weakness"))
    ):
        out.append("E8")
    if t("calf_swelling") or t("cold_pale_leg") or t("dark_urine"):
        out.append("E9")
    if t("lockjaw") or (t("widespread_spasms") and t("recent_wound")):
        out.append("E10")
    if t("confusion") or t("sudden_severe_headache") or t("stroke_signs"):
        out.append("E11")
    if pregnant and (
        t("vaginal_bleeding")
        or t("abdominal_pain")
        or t("regular_tightening")
        or t("severe_headache")
        or t("vision_changes")
    ):
        out.append("E12")
    if t("cancer_history") and (
        t("leg_weakness") or t("arm_weakness") or t("numbness_tingling") or t("clumsy_or_unsteady")
    ):
        out.append("E13")
    if t("blood_thinners") and (
        t("leg_weakness") or t("arm_weakness") or t("numbness_tingling") or t("both_legs")
    ):
        out.append("E14")
    if t("fever"):
        out.append("U1")
    if t("leg_weakness") or t("arm_weakness") or t("clumsy_or_unsteady"):
        out.append("U2")
    if t("cancer_history") or t("weight_loss"):
        out.append("U3")
    if t("minor_fall") and (t("osteoporosis") or t("long_term_steroids") or age >= 70):
        out.append("U4")
    if (
        t("injects_drugs")
        or t("weak_immune_system")
        or t("recent_spine_procedure")
        or t("recent_infection")
    ):
        out.append("U5")
    if t("urinary_symptoms") or ("flank" in regions and t("nausea_vomiting")):
        out.append("U6")
    if t("night_pain") or t("pain_unrelieved"):
        out.append("U7")
    if t("abdominal_pain") and age >= 50:
        out.append("U8")
    if t("widespread_spasms"):
        out.append("U9")
    if t("tendon_snap"):
        out.append("U10")
    if age < 5:
        out.append("U11")
    if t("red_hot_skin"):
        out.append("U12")
    if t("pain_below_knee") or t("pain_down_arm") or t("numbness_tingling"):
        out.append("S1")
    if t("recurrent"):
        out.append("S2")
    if pain is not None and pain >= 8:
        out.append("S3")
    if duration is not None and duration >= 28:
        out.append("S4")
    if t("disrupts_daily_life"):
        out.append("S5")
    if age < 16:
        out.append("S6")
    if t("abdominal_pain"):
        out.append("S7")
    return out


def reference_disposition(intake: Any) -> str:
    fired = reference_rules(intake)
    return LEVELS[fired[0][0]] if fired else "self_care"
