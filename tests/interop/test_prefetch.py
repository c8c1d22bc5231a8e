"""How prefetched FHIR data becomes one intake: ages, regions, findings, pain and medicines."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from spasmcare.interop.intake_qr import intake_items, read_intake
from spasmcare.interop.prefetch import age_on, gather
from tests.interop.helpers import (
    PATIENT_ID,
    condition,
    finding_obs,
    intake_qr,
    patient,
    searchset,
)

TODAY = date(2026, 3, 1)


@pytest.mark.parametrize(
    ("birth", "age"),
    [
        ("1980-03-01", 46),  # birthday today
        ("1980-03-02", 45),  # birthday tomorrow
        ("1980-02", 46),  # year and month: counted from the 1st
        ("1980", 46),
        ("2026-03-01", 0),
        ("19x0", None),
        ("1980-02-30", None),
    ],
)
def test_age_from_a_fhir_date(birth: str, age: int | None) -> None:
    assert age_on(birth, TODAY) == age


def pain_obs(value: int, when: str, oid: str) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": oid,
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "72514-3"}]},
        "subject": {"reference": f"Patient/{PATIENT_ID}"},
        "effectiveDateTime": when,
        "valueInteger": value,
    }


def test_the_newest_pain_score_wins() -> None:
    qr = intake_qr({"age": 40, "regions": ["neck"], "pain": 3}, authored="2026-02-01T00:00:00Z")
    newer = pain_obs(8, "2026-02-10T00:00:00Z", "p-new")
    older = pain_obs(5, "2026-01-10T00:00:00Z", "p-old")
    g = gather({"intake": qr, "observations": searchset(older, newer)}, PATIENT_ID, TODAY)
    assert g.intake["pain"] == 8
    qr_newest = intake_qr(
        {"age": 40, "regions": ["neck"], "pain": 3}, authored="2026-02-20T00:00:00Z"
    )
    g = gather({"intake": qr_newest, "observations": searchset(newer)}, PATIENT_ID, TODAY)
    assert g.intake["pain"] == 3


def test_a_finding_is_true_when_any_source_says_so() -> None:
    qr = intake_qr({"age": 40, "regions": ["lower_back"], "findings": {"fever": False}})
    g = gather(
        {"intake": qr, "observations": searchset(finding_obs("fever", True))}, PATIENT_ID, TODAY
    )
    assert g.intake["findings"]["fever"] is True
    g = gather(
        {"intake": qr, "observations": searchset(finding_obs("fever", False))}, PATIENT_ID, TODAY
    )
    assert g.intake["findings"]["fever"] is False


def test_not_sure_is_kept_apart_from_no_and_yes_still_wins() -> None:
    """Yes when any source says yes; else "unsure" when any says not sure; no only otherwise."""
    no_qr = intake_qr({"age": 40, "regions": ["lower_back"], "findings": {"fever": False}})
    unsure_obs = finding_obs("fever", "unsure", oid="o-unsure")
    g = gather({"intake": no_qr, "observations": searchset(unsure_obs)}, PATIENT_ID, TODAY)
    assert g.intake["findings"]["fever"] == "unsure"
    assert g.paths["findings.fever"] == "prefetch.observations.entry[0].resource"
    yes_obs = finding_obs("fever", True, oid="o-yes")
    g = gather({"intake": no_qr, "observations": searchset(unsure_obs, yes_obs)}, PATIENT_ID, TODAY)
    assert g.intake["findings"]["fever"] is True
    unsure_qr = intake_qr({"age": 40, "regions": ["lower_back"], "findings": {"fever": "unsure"}})
    g = gather(
        {"intake": unsure_qr, "observations": searchset(finding_obs("fever", False))},
        PATIENT_ID,
        TODAY,
    )
    assert g.intake["findings"]["fever"] == "unsure"
    assert any("(QuestionnaireResponse/qr-1)" in s for s in g.sources)


@pytest.mark.parametrize(
    ("reason", "answer"),
    [("asked-unknown", "unsure"), ("unknown", "unsure"), ("temp-unknown", "unsure")],
)
def test_a_data_absent_reason_of_not_known_is_unsure(reason: str, answer: str) -> None:
    obs = finding_obs("bladder_dysfunction", "unsure", reason=reason)
    g = gather({"patient": patient(), "observations": searchset(obs)}, PATIENT_ID, TODAY)
    assert g.problems == []
    assert g.relevant
    assert g.intake["findings"] == {"bladder_dysfunction": answer}
    assert "Observation bladder_dysfunction (not sure)" in g.sources[0]


@pytest.mark.parametrize("reason", ["not-asked", "asked-declined"])
def test_another_data_absent_reason_answers_nothing(reason: str) -> None:
    obs = finding_obs("bladder_dysfunction", "unsure", reason=reason)
    g = gather({"patient": patient(), "observations": searchset(obs)}, PATIENT_ID, TODAY)
    assert g.problems == []
    assert not g.relevant
    assert "findings" not in g.intake


def test_a_finding_observation_with_neither_value_nor_reason_names_the_path() -> None:
    obs = finding_obs("fever", True)
    del obs["valueBoolean"]
    g = gather({"patient": patient(), "observations": searchset(obs)}, PATIENT_ID, TODAY)
    [problem] = g.problems
    assert problem.path == "prefetch.observations.entry[0].resource.valueBoolean"
    assert problem.message == "is missing"
    assert problem.allowed is not None and "asked-unknown" in problem.allowed


def test_birth_date_beats_the_intake_age_and_gender_fills_sex() -> None:
    qr = intake_qr({"age": 30, "regions": ["lower_back"]})
    g = gather({"patient": patient("1950-01-01", "male"), "intake": qr}, PATIENT_ID, TODAY)
    assert g.intake["age"] == 76
    assert g.intake["sex"] == "male"
    assert g.paths["age"] == "prefetch.patient.birthDate"


def test_regions_come_from_active_conditions_and_cancer_history_counts_whatever_its_status() -> (
    None
):
    conditions = searchset(
        condition("M54.2", cid="neck"),
        condition("M54.6", status="resolved", cid="old"),
        condition("Z85.3", status="resolved", cid="cancer"),
    )
    g = gather({"patient": patient(), "conditions": conditions}, PATIENT_ID, TODAY)
    assert g.relevant
    assert g.intake["regions"] == ["neck"]
    assert g.intake["findings"] == {"cancer_history": True}


def test_the_default_region_is_said_to_be_assumed() -> None:
    g = gather(
        {"patient": patient(), "observations": searchset(finding_obs("recurrent", True))},
        PATIENT_ID,
        TODAY,
    )
    assert g.intake["regions"] == ["lower_back"]
    assert any("assumed" in note for note in g.notes)


def test_entered_in_error_data_is_ignored() -> None:
    obs = finding_obs("bladder_dysfunction", True)
    obs["status"] = "entered-in-error"
    g = gather({"patient": patient(), "observations": searchset(obs)}, PATIENT_ID, TODAY)
    assert not g.relevant
    assert "findings" not in g.intake


def test_a_spasm_condition_alone_is_relevant_but_a_pain_score_alone_is_not() -> None:
    g = gather({"observations": searchset(pain_obs(7, "2026-02-01", "p"))}, PATIENT_ID, TODAY)
    assert not g.relevant
    g = gather({"conditions": searchset(condition("M62.830"))}, PATIENT_ID, TODAY)
    assert g.relevant and g.intake["regions"] == ["lower_back"]


def test_intake_items_read_back_to_the_same_intake() -> None:
    intake = {
        "age": 52,
        "regions": ["neck", "upper_back"],
        "sex": "female",
        "pregnant": "unsure",
        "onset": "unsure",
        "duration_days": 2.5,
        "pain": 7,
        "findings": {"fever": False, "recurrent": True, "bladder_dysfunction": "unsure"},
        "medicines": ["ibuprofen", "sertraline"],
        "conditions": ["asthma"],
        "alcohol_drinks_per_day": 1.0,
        "weight_kg": 70.5,
    }
    read = read_intake({"resourceType": "QuestionnaireResponse", "item": intake_items(intake)})
    assert read.problems == []
    assert read.data == intake


def test_not_sure_items_are_asked_unknown_codings() -> None:
    items = {
        i["linkId"]: i["answer"]
        for i in intake_items(
            {"age": 40, "pregnant": "unsure", "findings": {"fever": "unsure", "recurrent": False}}
        )
    }
    asked_unknown = {
        "system": "http://terminology.hl7.org/CodeSystem/data-absent-reason",
        "code": "asked-unknown",
        "display": "Asked But Unknown",
    }
    assert items["finding.fever"] == [{"valueCoding": asked_unknown}]
    assert items["pregnant"] == [{"valueCoding": asked_unknown}]
    assert items["finding.recurrent"] == [{"valueBoolean": False}]


def test_a_finding_answered_with_another_code_names_the_item() -> None:
    qr = {
        "item": [
            {
                "linkId": "finding.fever",
                "answer": [{"valueCoding": {"system": "http://example.org/yn", "code": "Y"}}],
            }
        ]
    }
    read = read_intake(qr, "prefetch.intake")
    [problem] = read.problems
    assert problem.path == "prefetch.intake.item[0].answer[0].valueCoding"
    assert "'Y' is not a yes, no or not-sure answer" in problem.message
    assert "findings" not in read.data


def test_an_answer_of_the_wrong_type_names_the_item() -> None:
    qr = {"item": [{"linkId": "age", "answer": [{"valueString": "forty"}]}]}
    read = read_intake(qr, "prefetch.intake")
    [problem] = read.problems
    assert problem.path == "prefetch.intake.item[0].answer[0]"
    assert problem.allowed == "valueInteger"
