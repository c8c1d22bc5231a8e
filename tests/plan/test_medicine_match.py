"""The one medicine-name matcher (care-evidence.md v2; triage policy v2, "How names match").

Names match after doses, forms, routes, frequency words, brackets, trademark signs and punctuation are
removed; a combination product matches every member's class; a topical product counts for nothing.
The plan uses the same matcher, so every blood thinner of the policy, written as people write it,
makes the NSAIDs "avoid"; a name that matches nothing is "not checked", never "ok".
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from spasmcare.errors import KnowledgeError
from spasmcare.knowledge import KnowledgeBase, load_knowledge
from spasmcare.knowledge.loader import _data_root, load_directory
from spasmcare.knowledge.medicine_match import (
    class_findings,
    findings_set_by,
    match_classes,
    match_medicine,
    names_prompting,
    normalise_medicine,
    parse_matching,
)
from tests.plan.helpers import advice, plan_for, reason_ids

NSAIDS = ("ibuprofen", "naproxen", "celecoxib")

# The policy's blood thinners, generic and brand (triage-policy.md v2, "Medicines"), written here
# independently of the data so that a name dropped from medicines.yaml fails a test.
BLOOD_THINNERS = [
    "warfarin", "Coumadin", "Jantoven", "Marevan", "Waran",
    "acenocoumarol", "Sintrom", "Sinthrome",
    "phenprocoumon", "Marcumar", "Marcoumar", "Falithrom",
    "fluindione", "Previscan",
    "apixaban", "Eliquis",
    "rivaroxaban", "Xarelto",
    "dabigatran", "Pradaxa", "Pradax", "Prazaxa",
    "edoxaban", "Lixiana", "Savaysa", "Roteas",
    "betrixaban", "Bevyxxa",
    "heparin",
    "enoxaparin", "Lovenox", "Clexane", "Inhixa",
    "dalteparin", "Fragmin",
    "tinzaparin", "Innohep",
    "nadroparin", "Fraxiparine",
    "bemiparin",
    "fondaparinux", "Arixtra",
    "clopidogrel", "Plavix", "Iscover", "Grepid",
    "prasugrel", "Effient", "Efient",
    "ticagrelor", "Brilinta", "Brilique",
    "ticlopidine", "Ticlid",
    "vorapaxar", "Zontivity",
]  # fmt: skip
STATINS = [
    "atorvastatin", "Lipitor", "simvastatin", "Zocor", "rosuvastatin", "Crestor", "pravastatin",
    "Pravachol", "fluvastatin", "Lescol", "lovastatin", "Mevacor", "Altoprev", "pitavastatin",
    "Livalo", "Zypitamag", "Inegy", "Vytorin", "Caduet",
]  # fmt: skip


# -- normalising ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "normalised"),
    [
        ("Eliquis 5 mg", "eliquis"),
        ("apixaban 5mg", "apixaban"),
        ("Eliquis® 2.5 mg film-coated tablets twice daily", "eliquis"),
        ("Xarelto (rivaroxaban) 20mg", "xarelto rivaroxaban"),
        ("naproxen sodium 220 mg", "naproxen sodium"),
        ("enoxaparin 40 mg/0.4 ml pre-filled syringe", "enoxaparin"),
        ("Heparin 40,000 IU injection", "heparin"),
        ("Vitamin D3 40000 IU oral solution, weekly", "vitamin d3"),
        ("Warfarin 5mg tablets, once daily at night", "warfarin"),
        ("St. John's Wort™ 300mg capsules", "st johns wort"),
        ("hydrocodone/acetaminophen 5/325", "hydrocodone acetaminophen"),
        ("  METFORMIN  ", "metformin"),
        ("5 mg", ""),
    ],
)
def test_doses_forms_frequency_and_punctuation_are_removed(
    kb: KnowledgeBase, name: str, normalised: str
) -> None:
    assert normalise_medicine(name, kb) == normalised


# -- matching ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "cls"),
    [
        ("Eliquis 5 mg", "blood_thinner"),
        ("apixaban 5mg", "blood_thinner"),
        ("Xarelto (rivaroxaban) 20mg", "blood_thinner"),
        ("acenocoumarol", "blood_thinner"),
        ("Heparin sodium 5,000 units/ml injection", "blood_thinner"),
        ("CLOPIDOGREL 75 MG", "blood_thinner"),
        ("naproxen sodium 220 mg", "nsaid"),
        ("Advil Liqui-Gels 200mg", "nsaid"),  # "gels" inside "liqui-gels" is not a topical gel
        ("sumatriptan 6 mg nasal spray", "triptan"),  # a nasal spray is taken into the body
        ("Lyrica CR 165mg", "gabapentinoid"),
        ("St John's wort", "st_johns_wort"),
        ("lithium carbonate 400 mg", "lithium"),
        ("Robitussin DM", "dextromethorphan"),
        ("Tylenol PM", "sedating_antihistamine"),
        ("zolpidem 10mg at bedtime", "z_drug"),
        ("Lipitor 20 mg", "statin"),
    ],
)
def test_names_as_people_write_them_match(kb: KnowledgeBase, name: str, cls: str) -> None:
    assert cls in match_classes(kb, name)


@pytest.mark.parametrize("name", BLOOD_THINNERS)
def test_every_blood_thinner_of_the_policy_matches_with_a_dose(
    kb: KnowledgeBase, name: str
) -> None:
    assert match_classes(kb, f"{name} 5 mg tablets") == ("blood_thinner",)
    assert match_classes(kb, name.upper()) == ("blood_thinner",)


@pytest.mark.parametrize("name", STATINS)
def test_every_statin_sets_statin_and_cardiac_risk(kb: KnowledgeBase, name: str) -> None:
    assert "statin" in match_classes(kb, f"{name} 20mg")
    assert findings_set_by(kb, [f"{name} 20mg"]) == ("cardiac_risk", "statin")


@pytest.mark.parametrize(
    ("name", "classes"),
    [
        ("Advil Dual Action", {"nsaid", "acetaminophen_product"}),
        ("Tylenol #3", {"acetaminophen_product", "opioid"}),
        ("hydrocodone/acetaminophen 5/325", {"acetaminophen_product", "opioid"}),
        ("co-codamol 30/500", {"acetaminophen_product", "opioid"}),
        ("NyQuil", {"acetaminophen_product", "sedating_antihistamine", "dextromethorphan"}),
        ("Advil PM", {"nsaid", "sedating_antihistamine"}),
        ("DuoPlavin 75/100", {"blood_thinner", "aspirin"}),
        ("Treximet", {"nsaid", "triptan"}),
        ("Xarelto and aspirin 75mg", {"blood_thinner", "aspirin"}),
    ],
)
def test_a_combination_product_matches_every_member(
    kb: KnowledgeBase, name: str, classes: set[str]
) -> None:
    assert classes <= set(match_classes(kb, name))


@pytest.mark.parametrize(
    "name",
    [
        "diclofenac gel",
        "Voltaren Emulgel 1%",
        "ibuprofen 5% cream",
        "heparin lock flush",
        "Heparin flush 10 units/ml",
        "ketoprofen spray",
    ],
)
def test_topical_products_do_not_count(kb: KnowledgeBase, name: str) -> None:
    found = match_medicine(kb, name)
    assert found.topical and found.classes == ()
    assert findings_set_by(kb, [name]) == ()


@pytest.mark.parametrize(
    "name",
    [
        "metformin 500 mg",
        "Asacol 400mg",  # mesalazine: "asa" (aspirin) only as a whole word
        "aspirinex",
        "5 mg",
        "",
    ],
)
def test_unlisted_names_and_parts_of_words_match_nothing(kb: KnowledgeBase, name: str) -> None:
    assert match_classes(kb, name) == ()


def test_spasm_drug_medicines_only_name_themselves_in_its_question(kb: KnowledgeBase) -> None:
    names = ["Zoloft 50mg", "metoclopramide 10 mg", "sumatriptan", "ibuprofen", "amitriptyline"]
    assert names_prompting(kb, names, "spasm_drug") == (
        "Zoloft 50mg",
        "metoclopramide 10 mg",
        "sumatriptan",
    )
    assert "spasm_drug" not in findings_set_by(kb, names)
    prompting = [c for c in kb.medicine_classes.values() if c.prompts_finding == "spasm_drug"]
    assert prompting and all(class_findings(c) == () for c in prompting)
    assert names_prompting(kb, ["domperidone", "mirtazapine"], "spasm_drug") == ()


def test_blood_thinners_set_their_finding_and_aspirin_alone_does_not(kb: KnowledgeBase) -> None:
    assert findings_set_by(kb, ["Eliquis 5 mg"]) == ("blood_thinners",)
    assert findings_set_by(kb, ["aspirin 75 mg", "dipyridamole", "cilostazol", "ibuprofen"]) == ()


def test_a_knowledge_base_without_matching_rules_keeps_exact_names() -> None:
    old = load_knowledge("1.0.0")
    assert old.medicine_matching is None
    assert match_classes(old, " ELIQUIS ") == ("blood_thinner",)
    assert match_classes(old, "Eliquis 5 mg") == (), "1.0.0 results keep their meaning"
    assert normalise_medicine("Eliquis 5 mg", old) == "eliquis 5 mg"


# -- the plan uses the matcher ---------------------------------------------------------------------
@pytest.mark.parametrize("name", BLOOD_THINNERS)
def test_nsaids_are_avoided_with_each_blood_thinner(kb: KnowledgeBase, name: str) -> None:
    plan = plan_for(kb, medicines=[f"{name} 5 mg"])
    for nsaid in NSAIDS:
        med = advice(plan, nsaid)
        assert med.verdict == "avoid" and "nsaid_blood_thinner" in reason_ids(med), nsaid
    assert "not_checked" not in [w.id for w in plan.warnings]


@pytest.mark.parametrize(
    "name", ["Eliquis 5 mg", "apixaban 5mg", "acenocoumarol", "Xarelto (rivaroxaban) 20mg"]
)
def test_the_plan_reads_doses_forms_and_brackets(kb: KnowledgeBase, name: str) -> None:
    plan = plan_for(kb, medicines=[name])
    assert advice(plan, "ibuprofen").verdict == "avoid"
    assert "partial_match" not in [w.id for w in plan.warnings], "the whole name was read"
    assert plan.step("pain_relief") is None


def test_naproxen_sodium_with_a_dose_is_naproxen(kb: KnowledgeBase) -> None:
    plan = plan_for(kb, medicines=["naproxen sodium 220 mg"])
    assert "already_taking" in reason_ids(advice(plan, "naproxen"))
    assert "nsaid_other_nsaid" in reason_ids(advice(plan, "ibuprofen"))


@pytest.mark.parametrize("name", ["metformin", "diclofenac gel", "heparin lock flush"])
def test_a_name_that_matches_nothing_is_not_checked_and_never_ok(
    kb: KnowledgeBase, name: str
) -> None:
    plan = plan_for(kb, medicines=[name])
    [warning] = [w for w in plan.warnings if w.id == "not_checked"]
    assert name in warning.text
    for med in plan.medicines:
        assert med.verdict != "ok", med.id
        assert "unknown_medicine" in reason_ids(med)
    assert advice(plan, "ibuprofen").verdict != "avoid", "a topical product is not a blood thinner"


def test_a_topical_product_is_said_to_go_on_the_skin(kb: KnowledgeBase) -> None:
    plan = plan_for(kb, medicines=["Voltaren Emulgel"])
    [warning] = [w for w in plan.warnings if w.id == "not_checked"]
    assert "on the skin" in warning.text and "Did you mean" not in warning.text


def test_a_combination_product_is_checked_for_every_member(kb: KnowledgeBase) -> None:
    plan = plan_for(kb, medicines=["hydrocodone/acetaminophen 5/325", "diazepam"])
    assert "relaxant_sedatives" in reason_ids(advice(plan, "cyclobenzaprine"))
    assert "already_taking" in reason_ids(advice(plan, "acetaminophen"))
    assert "same_medicine" not in [w.id for w in plan.warnings]


# -- the matcher is data ---------------------------------------------------------------------------
def _copy(tmp_path: Path, kb: KnowledgeBase) -> Path:
    root = tmp_path / kb.version
    shutil.copytree(Path(str(_data_root().joinpath(kb.version))), root)
    return root


def _edit_medicines(root: Path, change: Any) -> None:
    path = root / "medicines.yaml"
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def test_the_word_lists_come_from_the_knowledge_base(tmp_path: Path, kb: KnowledgeBase) -> None:
    root = _copy(tmp_path, kb)

    def change(data: dict[str, Any]) -> None:
        data["matching"]["topical"].remove("lock")
        data["matching"]["topical"].remove("flush")
        data["matching"]["forms"].append("flush")

    _edit_medicines(root, change)
    edited = load_directory(root)
    assert match_classes(edited, "heparin lock flush") == ("blood_thinner",)
    assert match_classes(kb, "heparin lock flush") == ()


def test_bad_matching_data_is_reported_with_its_path(tmp_path: Path, kb: KnowledgeBase) -> None:
    root = _copy(tmp_path, kb)

    def change(data: dict[str, Any]) -> None:
        data["matching"]["forms"].append("--")
        classes = {c["id"]: c for c in data["classes"]}
        classes["statin"]["sets_findings"] = ["statin", "no_such_finding"]
        classes["dopamine_blocker"]["sets_findings"] = ["spasm_drug"]

    _edit_medicines(root, change)
    with pytest.raises(KnowledgeError) as info:
        load_directory(root)
    text = str(info.value)
    for line in (
        "medicines.yaml: matching.forms: '--' has no letters or digits",
        "medicines.yaml: statin.sets_findings[1]: unknown finding 'no_such_finding'",
        "medicines.yaml: dopamine_blocker.prompts_finding: 'spasm_drug' is also set by the class",
    ):
        assert line in text, line


def test_a_matching_section_without_a_word_list_is_refused() -> None:
    matching, problems = parse_matching({"forms": ["tablet"], "frequency": ["daily"]})
    assert matching is None
    assert "medicines.yaml: matching.units: is required" in [str(p) for p in problems]
    assert parse_matching(None) == (None, [])


def test_members_that_could_never_match_are_reported(tmp_path: Path, kb: KnowledgeBase) -> None:
    root = _copy(tmp_path, kb)

    def change(data: dict[str, Any]) -> None:
        classes = {c["id"]: c for c in data["classes"]}
        classes["triptan"]["members"] += ["sumatriptan cream", "tablets"]

    _edit_medicines(root, change)
    with pytest.raises(KnowledgeError) as info:
        load_directory(root)
    text = str(info.value)
    assert "medicines.yaml: triptan.members: 'sumatriptan cream' reads as a topical product" in text
    assert "medicines.yaml: triptan.members: 'tablets' is nothing once normalised" in text
