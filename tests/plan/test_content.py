"""The care content is complete, graded honestly and sourced; the loader rejects bad care data."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import pytest
import yaml

from spasmcare.errors import KnowledgeError
from spasmcare.knowledge import KnowledgeBase
from spasmcare.knowledge.care import CAUSES, RECOMMENDED_GRADES
from spasmcare.knowledge.loader import load_directory

# Every remedy the seed article names, and those the evidence file adds, with the grade of
# shared/clinical/care-evidence.md. Muscle relaxants: ACP 2017 says moderate, the 2021 BMJ review very
# low certainty; the product uses "low" (see docs/care-plan.md).
REMEDIES = {
    "heat": "moderate",
    "cold": "insufficient",
    "massage": "low",
    "fluids": "insufficient",
    "stretching": "low",
    "short_rest": "moderate",
    "bed_rest": "against",
    "nsaids": "moderate",
    "acetaminophen": "against",
    "muscle_relaxants": "moderate",  # care-evidence.md: moderate (ACP); Cashin 2021 very low certainty
    "opioids": "against",
    "magnesium_oil": "insufficient",
    "epsom_salt_bath": "insufficient",
    "pressing_sore_spot": "insufficient",
    "magnesium_by_mouth": "against",
    "calcium_potassium": "insufficient",
    "turmeric": "insufficient",
    "ginger": "insufficient",
    "fish_oil": "insufficient",
    "spinal_manipulation": "low",
    "massage_therapy": "low",
    "physical_therapy": "moderate",
    "relaxation": "insufficient",
    "trigger_point_injections": "insufficient",
    "epidural_steroid_injections": "low",
    "spinal_injections": "against",
    "tens": "against",
    "back_brace": "against",
    "traction": "against",
    "quinine": "against",
}
NOT_IN_SEED = {
    "bed_rest",
    "opioids",
    "spinal_injections",
    "tens",
    "back_brace",
    "traction",
    "quinine",
}


def test_every_remedy_exists_with_its_grade_and_a_resolvable_source(kb: KnowledgeBase) -> None:
    remedies = kb.care.remedies
    assert set(remedies) == set(REMEDIES)
    for rid, grade in REMEDIES.items():
        remedy = remedies[rid]
        assert remedy.grade == grade, rid
        assert remedy.seed == (rid not in NOT_IN_SEED), rid
        assert remedy.sources and all(s in kb.sources for s in remedy.sources), rid
        assert remedy.recommended == (grade in RECOMMENDED_GRADES and remedy.advice != "specialist")


def test_the_seed_medicines_and_brands_are_known(kb: KnowledgeBase) -> None:
    meds = kb.care.medicines
    assert set(meds) == {
        "ibuprofen",
        "naproxen",
        "celecoxib",
        "acetaminophen",
        "cyclobenzaprine",
        "metaxalone",
        "methocarbamol",
    }
    assert {"Advil", "Motrin"} <= set(meds["ibuprofen"].brands)
    assert "Aleve" in meds["naproxen"].brands and "Celebrex" in meds["celecoxib"].brands
    assert "Tylenol" in meds["acetaminophen"].brands
    for rid in ("cyclobenzaprine", "metaxalone", "methocarbamol", "celecoxib"):
        assert meds[rid].kind == "prescription"
    for mid in ("ibuprofen", "naproxen", "acetaminophen"):
        assert meds[mid].kind == "otc"
    assert (
        meds["acetaminophen"].limits.daily_mg == 4000
        and meds["acetaminophen"].limits.dose_mg == 1000
    )
    daily = [
        c
        for c in kb.care.checks
        if c.id in ("acetaminophen_max_reached", "acetaminophen_max_exceeded")
    ]
    assert daily and all("4000" in str(c.when) for c in daily), (
        "the dose checks use the label maximum"
    )
    assert kb.medicine_classes["blood_thinner"].sets_finding == "blood_thinners"


def test_every_cause_is_turned_into_prevention_advice(kb: KnowledgeBase) -> None:
    covered = {c for i in kb.care.items if i.section == "prevention" for c in i.causes}
    covered |= {c for r in kb.care.remedies.values() for c in r.causes}
    assert covered == set(CAUSES)
    assert set(CAUSES) == {"too_little_use", "overuse", "fluids_minerals", "stress", "injury"}


def test_first_aid_says_how_long_and_who_must_not_use_heat(kb: KnowledgeBase) -> None:
    heat = kb.care.item("heat")
    assert "20 to 30 minutes" in heat.how and "towel" in heat.how and "skin" in heat.how
    assert heat.exclude_if is not None and heat.excluded == "heat_excluded"
    assert "numb skin" in kb.care.messages["heat_excluded"].text
    assert "bed" in kb.care.item("keep_moving").how
    assert kb.care.item("hold_stretch").grade == "low"
    timer = kb.care.timers["heat"]
    assert (timer.on_minutes, timer.off_minutes) == (20, 20) and timer.max_on_minutes == 30


def test_the_stretch_library(kb: KnowledgeBase) -> None:
    stretches = {s.id: s for s in kb.care.stretches}
    calf = {s.id for s in stretches.values() if s.group == "calf"}
    assert calf == {
        "calf_lying_toe_pull",
        "calf_strap_pull",
        "calf_standing",
        "calf_tiptoes",
        "calf_wall_lunge",
    }
    groups = {s.group for s in stretches.values()}
    assert groups == {"calf", "hamstring", "lower_back", "upper_back", "neck"}
    for s in stretches.values():
        assert len(s.steps) >= 2 and s.hold_seconds > 0 and s.repetitions > 0
        assert s.stop_if.startswith("Stop if"), s.id
        assert s.grade in RECOMMENDED_GRADES and s.sources
    covered = set().union(*(s.regions for s in stretches.values()))
    assert covered >= {
        "neck",
        "upper_back",
        "mid_back",
        "lower_back",
        "flank",
        "buttock",
        "thigh",
        "calf",
    }


def test_warning_signs_cover_every_rule_that_a_sign_can_trigger(kb: KnowledgeBase) -> None:
    covered = {r for i in kb.care.items if i.section == "get_help" for r in i.rules}
    age_only = {r.id for r in kb.active_rules if not r.findings}
    for rule in kb.active_rules:
        if rule.id not in age_only and rule.id != "S3" and rule.id != "S4":
            assert rule.id in covered, f"no plain-words warning sign for rule {rule.id}"
    assert {"S3", "S4"} <= covered, "severe and lasting pain are warning signs too"
    levels = {i.id: i.level for i in kb.care.items if i.section == "get_help"}
    for item in kb.care.items:
        if item.section == "get_help" and item.level == "emergency":
            assert item.dispositions == {"urgent", "soon", "self_care"}, item.id
    assert levels["help_pain_relief_10_days"] == "soon"


def test_the_usual_course_has_its_figures(kb: KnowledgeBase) -> None:
    course = kb.care.item("usual_course")
    for figure in ("52", "23", "12", "16 days", "1 in 4 to 1 in 3"):
        assert figure in course.how
    assert {"costa-2012", "williams-2014", "stanton-2008", "da-silva-2019"} <= set(course.sources)


def test_every_care_source_resolves_to_a_full_citation(kb: KnowledgeBase) -> None:
    refs: list[tuple[str, str]] = []
    care = kb.care
    refs += [(i.id, s) for i in care.items for s in i.sources]
    refs += [(r.id, s) for r in care.remedies.values() for s in r.sources]
    refs += [(s.id, ref) for s in care.stretches for ref in s.sources]
    refs += [(m.id, s) for m in care.medicines.values() for s in m.sources]
    refs += [(c.id, s) for c in care.checks for s in c.sources]
    refs += [(m.id, s) for m in care.messages.values() for s in m.sources]
    assert refs
    for owner, ref in refs:
        source = kb.sources.get(ref)
        assert source is not None, (owner, ref)
        assert source.url or source.doi or source.kind == "consumer", ref


# -- the loader rejects bad care data, reporting every problem at once ---------------------------
def _copy(tmp_path: Path) -> Path:
    src = Path(str(resources.files("spasmcare.knowledge").joinpath("data", "1.0.0")))
    dst = tmp_path / "1.0.0"
    shutil.copytree(src, dst)
    return dst


def _edit(path: Path, change: object) -> None:
    data = yaml.safe_load(path.read_text())
    assert callable(change)
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def test_bad_care_data_is_reported_with_file_and_path(tmp_path: Path) -> None:
    root = _copy(tmp_path)

    def care(data: dict) -> None:  # type: ignore[type-arg]
        items = {i["id"]: i for i in data["items"]}
        items["heat"]["sources"] = ["no-such-source"]
        items["gentle_massage"]["grade"] = "insufficient"
        items["keep_moving"]["notes"][0]["when"] = {"finding": "feverr"}
        data["messages"] = [m for m in data["messages"] if m["id"] != "no_nsaid"]

    def remedies(data: dict) -> None:  # type: ignore[type-arg]
        by_id = {r["id"]: r for r in data["remedies"]}
        by_id["cold"]["advice"] = "recommend"

    def medicines(data: dict) -> None:  # type: ignore[type-arg]
        checks = {c["id"]: c for c in data["checks"]}
        checks["nsaid_kidney"]["when"] = {"python": "__import__('os').system('true')"}
        checks["nsaid_aspirin"]["when"] = {"takes": "asprin"}
        checks["nsaid_age_60"]["reason"] = "You are {age} or older."
        checks["relaxant_alcohol"]["when"] = {"takes_self": True, "extra": 1}
        checks["under_16"]["applies_to"] = ["ibuprofen", "unicorn_pills"]

    _edit(root / "care.yaml", care)
    _edit(root / "remedies.yaml", remedies)
    _edit(root / "medicines.yaml", medicines)
    with pytest.raises(KnowledgeError) as info:
        load_directory(root)
    text = str(info.value)
    expected = [
        "care.yaml: items[heat].sources[0]: unknown source 'no-such-source'",
        "care.yaml: items[gentle_massage].grade: a plan step must not be 'insufficient'",
        "care.yaml: items[gentle_massage].grade: 'insufficient' differs from remedy 'massage'",
        "care.yaml: items[keep_moving].notes[0].when.finding: unknown finding 'feverr'",
        "care.yaml: messages: message 'no_nsaid' is missing",
        "remedies.yaml: cold.advice: 'recommend' does not fit grade 'insufficient'",
        "medicines.yaml: checks[nsaid_kidney].when: unknown condition 'python'",
        "medicines.yaml: checks[nsaid_aspirin].when.takes: unknown medicine class 'asprin'",
        "medicines.yaml: checks[nsaid_age_60].reason: unknown placeholder 'age'",
        "medicines.yaml: checks[relaxant_alcohol].when: a condition must be a mapping with exactly one key",
        "medicines.yaml: checks[under_16].applies_to[1]: unknown medicine or class 'unicorn_pills'",
    ]
    for line in expected:
        assert line in text, line
    assert len(info.value.problems) >= len(expected)


def test_medicine_only_conditions_are_refused_elsewhere(tmp_path: Path) -> None:
    root = _copy(tmp_path)

    def care(data: dict) -> None:  # type: ignore[type-arg]
        items = {i["id"]: i for i in data["items"]}
        items["heat"]["when"] = {"takes_other": "nsaid"}

    _edit(root / "care.yaml", care)
    with pytest.raises(
        KnowledgeError, match=r"items\[heat\].when.takes_other: only allowed in a medicine check"
    ):
        load_directory(root)


def test_a_missing_care_file_is_reported(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    (root / "stretches.yaml").unlink()
    with pytest.raises(KnowledgeError, match=r"stretches\.yaml: file is missing"):
        load_directory(root)
