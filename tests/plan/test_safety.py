"""Medicine safety: one case per check (care-evidence.md), each asserting the verdict and the reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest

from spasmcare.knowledge import KnowledgeBase
from spasmcare.plan import DoseTaken
from tests.plan.helpers import NOW, advice, plan_for, reason_ids

FEMALE = {"sex": "female", "age": 30}


def _doses(name: str, amount: float | None, hours_ago: list[float]) -> list[DoseTaken]:
    return [DoseTaken(name, amount, NOW - timedelta(hours=h)) for h in hours_ago]


@dataclass(frozen=True)
class Case:
    check: str
    medicine: str
    verdict: str
    changes: dict[str, Any]
    text: str
    """Words the reason must contain (what the person reads)."""
    doses: list[DoseTaken] = field(default_factory=list)


CASES = [
    # -- everyone ---------------------------------------------------------------------------------
    Case("under_16", "ibuprofen", "caution", {"age": 14}, "under 16"),
    Case(
        "unknown_medicine",
        "naproxen",
        "caution",
        {"medicines": ["zzqx-forte"]},
        "could not check it",
    ),
    Case("already_taking", "ibuprofen", "caution", {"medicines": ["Advil"]}, "Advil"),
    # -- NSAIDs: avoid --------------------------------------------------------------------------
    Case("nsaid_blood_thinner", "ibuprofen", "avoid", {"medicines": ["warfarin"]}, "blood thinner"),
    Case("nsaid_blood_thinner", "celecoxib", "avoid", {"medicines": ["Eliquis"]}, "bleeding"),
    # ticked in the interview ("You take a blood thinner") without naming it
    Case(
        "nsaid_blood_thinner",
        "naproxen",
        "avoid",
        {"findings": {"blood_thinners": True}},
        "blood thinner",
    ),
    Case("nsaid_other_nsaid", "ibuprofen", "avoid", {"medicines": ["Aleve"]}, "Aleve"),
    Case("nsaid_ulcer", "naproxen", "avoid", {"conditions": ["stomach_ulcer_or_bleed"]}, "ulcer"),
    Case("nsaid_kidney", "ibuprofen", "avoid", {"conditions": ["kidney_disease"]}, "kidney"),
    Case("nsaid_liver", "ibuprofen", "avoid", {"conditions": ["liver_disease"]}, "liver"),
    Case(
        "nsaid_heart_failure",
        "naproxen",
        "avoid",
        {"conditions": ["heart_failure"]},
        "heart failure",
    ),
    Case("nsaid_reaction", "ibuprofen", "avoid", {"conditions": ["nsaid_reaction"]}, "reaction"),
    Case(
        "nsaid_pregnancy_20_weeks",
        "ibuprofen",
        "avoid",
        {**FEMALE, "pregnant": True, "pregnancy_weeks": 20},
        "20 or more weeks",
    ),
    Case(
        "nsaid_pregnancy_week_unknown",
        "naproxen",
        "avoid",
        {**FEMALE, "pregnant": True},
        "Ask your midwife, doctor or pharmacist",
    ),
    # -- NSAIDs: caution ------------------------------------------------------------------------
    Case(
        "nsaid_pregnancy_early",
        "ibuprofen",
        "caution",
        {**FEMALE, "pregnant": True, "pregnancy_weeks": 19},
        "midwife",
    ),
    Case("nsaid_maybe_pregnant", "ibuprofen", "caution", FEMALE, "might be pregnant"),
    Case("nsaid_age_60", "ibuprofen", "caution", {"age": 60}, "60 or older"),
    Case("nsaid_steroid", "naproxen", "caution", {"medicines": ["prednisone"]}, "steroid tablets"),
    Case(
        "nsaid_steroid",
        "ibuprofen",
        "caution",
        {"findings": {"long_term_steroids": True}},
        "steroid",
    ),
    Case("nsaid_ssri_snri", "ibuprofen", "caution", {"medicines": ["sertraline"]}, "sertraline"),
    Case("nsaid_ssri_snri", "ibuprofen", "caution", {"medicines": ["Cymbalta"]}, "Cymbalta"),
    Case(
        "nsaid_blood_pressure_pills",
        "ibuprofen",
        "caution",
        {"medicines": ["lisinopril"]},
        "kidneys",
    ),
    Case(
        "nsaid_triple_whammy",
        "ibuprofen",
        "caution",
        {"medicines": ["furosemide", "losartan"]},
        "furosemide and losartan",
    ),
    Case("nsaid_aspirin", "ibuprofen", "caution", {"medicines": ["aspirin"]}, "low-dose aspirin"),
    Case(
        "nsaid_low_fluids", "ibuprofen", "caution", {"findings": {"low_fluids": True}}, "drinking"
    ),
    Case("nsaid_alcohol", "naproxen", "caution", {"alcohol_drinks_per_day": 3}, "3 or more"),
    Case(
        "nsaid_high_blood_pressure",
        "ibuprofen",
        "caution",
        {"conditions": ["high_blood_pressure"]},
        "blood pressure",
    ),
    Case(
        "nsaid_heart_or_stroke",
        "ibuprofen",
        "caution",
        {"conditions": ["heart_disease_or_stroke"]},
        "stroke",
    ),
    Case("nsaid_asthma", "ibuprofen", "caution", {"conditions": ["asthma"]}, "asthma"),
    Case(
        "nsaid_bowel_disease",
        "naproxen",
        "caution",
        {"conditions": ["inflammatory_bowel_disease"]},
        "Crohn",
    ),
    # -- acetaminophen ----------------------------------------------------------------------------
    Case(
        "acetaminophen_max_exceeded",
        "acetaminophen",
        "avoid",
        {},
        "5,000 mg",
        _doses("Tylenol", 1000, [1, 5, 9, 13, 17]),
    ),
    Case(
        "acetaminophen_max_reached",
        "acetaminophen",
        "avoid",
        {},
        "4,000 mg",
        _doses("paracetamol", 1000, [2, 7, 12, 23]),
    ),
    Case(
        "acetaminophen_several_products",
        "acetaminophen",
        "caution",
        {"medicines": ["Tylenol", "NyQuil"]},
        "4,000 mg",
    ),
    Case(
        "acetaminophen_in_another_product",
        "acetaminophen",
        "caution",
        {"medicines": ["Percocet"]},
        "Percocet",
    ),
    Case(
        "acetaminophen_liver",
        "acetaminophen",
        "caution",
        {"conditions": ["liver_disease"]},
        "liver disease",
    ),
    Case(
        "acetaminophen_alcohol", "acetaminophen", "caution", {"alcohol_drinks_per_day": 4}, "liver"
    ),
    Case("acetaminophen_low_weight", "acetaminophen", "caution", {"weight_kg": 45}, "50 kg"),
    Case(
        "acetaminophen_pregnancy",
        "acetaminophen",
        "ok",
        {**FEMALE, "pregnant": True, "pregnancy_weeks": 30},
        "usual painkiller",
    ),
    # -- muscle relaxants --------------------------------------------------------------------------
    Case("relaxant_age_65", "cyclobenzaprine", "avoid", {"age": 65}, "65 or older"),
    Case("relaxant_age_65", "methocarbamol", "avoid", {"age": 80}, "65 or older"),
    Case(
        "relaxant_other_relaxant", "cyclobenzaprine", "avoid", {"medicines": ["Robaxin"]}, "Robaxin"
    ),
    Case("relaxant_alcohol", "metaxalone", "caution", {"alcohol_drinks_per_day": 1}, "alcohol"),
    # sedatives (1.1.0): one sedating class is a caution, two are "avoid"
    Case(
        "relaxant_sedative", "methocarbamol", "caution", {"medicines": ["oxycodone"]}, "breathing"
    ),
    Case("relaxant_sedative", "metaxalone", "caution", {"medicines": ["Lyrica 75mg"]}, "Lyrica"),
    Case("relaxant_sedative", "cyclobenzaprine", "caution", {"medicines": ["Advil PM"]}, "sleepy"),
    Case(
        "relaxant_sedatives",
        "methocarbamol",
        "avoid",
        {"medicines": ["oxycodone 5 mg", "diazepam"]},
        "oxycodone 5 mg and diazepam",
    ),
    Case(
        "relaxant_sedatives",
        "cyclobenzaprine",
        "avoid",
        {"medicines": ["tramadol", "Ambien"]},
        "breathing slows or stops",
    ),
    Case(
        "relaxant_sedatives",
        "metaxalone",
        "avoid",
        {"medicines": ["gabapentin", "NyQuil"]},
        "gabapentin and NyQuil",
    ),
    Case(
        "relaxant_driving",
        "cyclobenzaprine",
        "caution",
        {"conditions": ["drives_for_work"]},
        "Not before driving or work",
    ),
    Case(
        "relaxant_pregnancy",
        "cyclobenzaprine",
        "caution",
        {**FEMALE, "pregnant": True, "pregnancy_weeks": 10},
        "pregnant",
    ),
    Case(
        "relaxant_course_72_hours",
        "cyclobenzaprine",
        "caution",
        {},
        "72 hours",
        _doses("Flexeril", 10, [1, 25, 49, 73, 80]),
    ),
    Case(
        "cyclobenzaprine_maoi", "cyclobenzaprine", "avoid", {"medicines": ["phenelzine"]}, "14 days"
    ),
    Case(
        "cyclobenzaprine_serotonin",
        "cyclobenzaprine",
        "caution",
        {"medicines": ["sertraline"]},
        "serotonin",
    ),
    Case(
        "cyclobenzaprine_serotonin",
        "cyclobenzaprine",
        "caution",
        {"medicines": ["bupropion"]},
        "serotonin",
    ),
    Case(
        "cyclobenzaprine_serotonin",
        "cyclobenzaprine",
        "caution",
        {"medicines": ["tramadol"]},
        "serotonin",
    ),
    Case(
        "cyclobenzaprine_serotonin",
        "cyclobenzaprine",
        "caution",
        {"medicines": ["Robitussin DM"]},
        "Robitussin DM",
    ),
    Case(
        "cyclobenzaprine_serotonin",
        "cyclobenzaprine",
        "caution",
        {"medicines": ["sumatriptan 50mg"]},
        "serotonin",
    ),
    Case(
        "cyclobenzaprine_serotonin",
        "cyclobenzaprine",
        "caution",
        {"medicines": ["lithium carbonate 400 mg"]},
        "serotonin",
    ),
    Case(
        "cyclobenzaprine_serotonin",
        "cyclobenzaprine",
        "caution",
        {"medicines": ["St. John's Wort"]},
        "serotonin",
    ),
    Case(
        "cyclobenzaprine_heart",
        "cyclobenzaprine",
        "avoid",
        {"conditions": ["recent_heart_attack"]},
        "heart attack",
    ),
    Case(
        "cyclobenzaprine_heart",
        "cyclobenzaprine",
        "avoid",
        {"conditions": ["arrhythmia"]},
        "uneven heartbeat",
    ),
    Case(
        "cyclobenzaprine_heart",
        "cyclobenzaprine",
        "avoid",
        {"conditions": ["heart_failure"]},
        "heart failure",
    ),
    Case(
        "cyclobenzaprine_thyroid",
        "cyclobenzaprine",
        "avoid",
        {"conditions": ["overactive_thyroid"]},
        "thyroid",
    ),
    Case(
        "metaxalone_kidney_liver",
        "metaxalone",
        "avoid",
        {"conditions": ["kidney_disease"]},
        "kidney",
    ),
    Case(
        "metaxalone_kidney_liver", "metaxalone", "avoid", {"conditions": ["liver_disease"]}, "liver"
    ),
]


@pytest.mark.parametrize(
    "case", CASES, ids=[f"{c.check}-{c.medicine}-{i}" for i, c in enumerate(CASES)]
)
def test_safety_case(kb: KnowledgeBase, case: Case) -> None:
    plan = plan_for(kb, doses=case.doses, **case.changes)
    assert plan.disposition.value in ("soon", "self_care"), "the cases need a home plan"
    med = advice(plan, case.medicine)
    assert med.verdict == case.verdict, (med.verdict, reason_ids(med))
    assert case.check in reason_ids(med)
    reason = next(r for r in med.reasons if r.id == case.check)
    assert reason.verdict == case.verdict or case.verdict in ("avoid", "caution")
    assert case.text in reason.text, reason.text
    assert reason.sources, "every reason cites a source"
    assert "{" not in reason.text, "every placeholder is filled"
    if med.verdict == "avoid":
        assert med.dose is None, "no dose for a medicine to avoid"
        assert not med.recommended


def test_every_check_has_a_safety_case(kb: KnowledgeBase) -> None:
    assert {c.check for c in CASES} == {c.id for c in kb.care.checks}


def test_the_base_person_gets_ok_with_no_check_fired(kb: KnowledgeBase) -> None:
    plan = plan_for(kb)
    for med in plan.medicines:
        assert med.verdict == "ok", (med.id, reason_ids(med))
        assert reason_ids(med) == ["no_problem_found"]
        assert med.dose
    assert "nothing_listed" in [w.id for w in plan.warnings]


@pytest.mark.parametrize(
    ("changes", "medicine", "silent"),
    [
        ({"age": 59}, "ibuprofen", "nsaid_age_60"),
        ({"age": 64}, "cyclobenzaprine", "relaxant_age_65"),
        ({"age": 16}, "ibuprofen", "under_16"),
        ({"alcohol_drinks_per_day": 2}, "ibuprofen", "nsaid_alcohol"),
        ({"alcohol_drinks_per_day": 0}, "cyclobenzaprine", "relaxant_alcohol"),
        ({"weight_kg": 50}, "acetaminophen", "acetaminophen_low_weight"),
        ({"medicines": ["Tylenol"]}, "acetaminophen", "acetaminophen_several_products"),
        ({"medicines": ["Advil", "Motrin"]}, "ibuprofen", "nsaid_other_nsaid"),
        ({"sex": "male"}, "ibuprofen", "nsaid_maybe_pregnant"),
        ({"sex": "female", "age": 70}, "ibuprofen", "nsaid_maybe_pregnant"),
        ({"sex": "female", "pregnant": False}, "ibuprofen", "nsaid_maybe_pregnant"),
        ({"medicines": ["lisinopril"]}, "ibuprofen", "nsaid_triple_whammy"),
        # sedatives: one class is not two (a caution, not "avoid"), and none is nothing
        ({"medicines": ["oxycodone", "hydrocodone"]}, "methocarbamol", "relaxant_sedatives"),
        ({"medicines": ["diazepam"]}, "cyclobenzaprine", "relaxant_sedatives"),
        ({"medicines": ["oxycodone", "diazepam"]}, "cyclobenzaprine", "relaxant_sedative"),
        ({"medicines": ["Advil"]}, "cyclobenzaprine", "relaxant_sedative"),
        ({"conditions": ["high_blood_pressure"]}, "cyclobenzaprine", "relaxant_driving"),
        ({"medicines": ["dextromethorphan"]}, "methocarbamol", "cyclobenzaprine_serotonin"),
        ({"medicines": ["metformin"]}, "cyclobenzaprine", "cyclobenzaprine_serotonin"),
        ({"medicines": ["diclofenac gel"]}, "ibuprofen", "nsaid_other_nsaid"),
        ({"medicines": ["heparin lock flush"]}, "ibuprofen", "nsaid_blood_thinner"),
    ],
)
def test_checks_stay_silent_at_their_boundaries(
    kb: KnowledgeBase, changes: dict[str, Any], medicine: str, silent: str
) -> None:
    assert silent not in reason_ids(advice(plan_for(kb, **changes), medicine))


def test_under_16_gets_no_dose_and_no_ok(kb: KnowledgeBase) -> None:
    plan = plan_for(kb, age=12)
    for med in plan.medicines:
        assert med.verdict != "ok"
        assert med.dose is None
        assert "under_16" in reason_ids(med)


def test_several_acetaminophen_products_warn_with_names_and_the_daily_maximum(
    kb: KnowledgeBase,
) -> None:
    plan = plan_for(kb, medicines=["Tylenol", "NyQuil", "Vicodin"])
    [warning] = [w for w in plan.warnings if w.id == "acetaminophen_several_products"]
    for name in ("Tylenol", "NyQuil", "Vicodin"):
        assert name in warning.text
    assert "4,000 mg in 24 hours" in warning.text


def test_unknown_medicine_is_not_checked_with_close_matches_and_never_ok(kb: KnowledgeBase) -> None:
    plan = plan_for(kb, medicines=["ibuprofin"])
    [warning] = [w for w in plan.warnings if w.id == "not_checked"]
    assert "ibuprofin" in warning.text and "Not checked" in warning.text
    assert "ibuprofen" in warning.text, "close matches are offered"
    assert all(m.verdict != "ok" for m in plan.medicines)


@pytest.mark.parametrize(
    ("name", "medicine"),
    [
        ("Motrin", "ibuprofen"),
        ("ADVIL", "ibuprofen"),
        ("advil 200 mg", "ibuprofen"),
        ("Aleve", "naproxen"),
        ("celebrex", "celecoxib"),
        ("Tylenol", "acetaminophen"),
        ("Panadol", "acetaminophen"),
        ("Flexeril", "cyclobenzaprine"),
        ("Skelaxin", "metaxalone"),
        ("Robaxin", "methocarbamol"),
    ],
)
def test_brand_and_generic_names_match_case_insensitively(
    kb: KnowledgeBase, name: str, medicine: str
) -> None:
    med = advice(plan_for(kb, medicines=[name]), medicine)
    assert "already_taking" in reason_ids(med)
    assert name.split()[0] in next(r.text for r in med.reasons if r.id == "already_taking")


@pytest.mark.parametrize("name", ["Vicodin", "Norco", "Percocet", "NyQuil", "DayQuil", "Excedrin"])
def test_combination_products_count_as_acetaminophen(kb: KnowledgeBase, name: str) -> None:
    med = advice(plan_for(kb, medicines=[name, "Tylenol"]), "acetaminophen")
    assert "acetaminophen_several_products" in reason_ids(med)


def test_the_same_medicine_twice_is_a_warning(kb: KnowledgeBase) -> None:
    plan = plan_for(kb, medicines=["Advil", "Motrin"])
    [warning] = [w for w in plan.warnings if w.id == "same_medicine"]
    assert "Advil and Motrin" in warning.text


def test_a_name_read_by_part_is_said_so(kb: KnowledgeBase) -> None:
    plan = plan_for(kb, medicines=["Advil Migraine Liqui-Gels"])
    assert "partial_match" in [w.id for w in plan.warnings]
    assert "already_taking" in reason_ids(advice(plan, "ibuprofen"))


def test_a_recent_dose_counts_as_a_medicine_taken(kb: KnowledgeBase) -> None:
    plan = plan_for(kb, doses=_doses("Aleve", 220, [3]))
    assert advice(plan, "ibuprofen").verdict == "avoid"
    assert "nsaid_other_nsaid" in reason_ids(advice(plan, "ibuprofen"))


def test_doses_without_an_amount_are_named_as_not_counted(kb: KnowledgeBase) -> None:
    plan = plan_for(kb, doses=_doses("Tylenol", None, [2]))
    [warning] = [w for w in plan.warnings if w.id == "dose_not_counted"]
    assert "Tylenol" in warning.text


def test_the_daily_maximum_is_also_a_plan_warning(kb: KnowledgeBase) -> None:
    plan = plan_for(kb, doses=_doses("Tylenol", 1000, [1, 5, 9, 13, 17]))
    [warning] = [w for w in plan.warnings if w.id == "acetaminophen_max_exceeded"]
    assert warning.severity == "avoid" and "medical help now" in warning.text
    assert plan.warnings[0] is warning, "the most serious warning comes first"


def test_old_doses_do_not_count(kb: KnowledgeBase) -> None:
    plan = plan_for(kb, doses=_doses("Tylenol", 1000, [25, 30, 35, 40, 45]))
    assert advice(plan, "acetaminophen").verdict == "ok"


def test_a_course_that_ended_is_not_a_running_course(kb: KnowledgeBase) -> None:
    plan = plan_for(kb, doses=_doses("Flexeril", 10, [40, 64, 88, 112]))
    assert "relaxant_course_72_hours" not in reason_ids(advice(plan, "cyclobenzaprine"))
