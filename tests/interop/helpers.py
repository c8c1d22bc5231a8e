"""Small builders of FHIR test data for the interop tests (synthetic patients only)."""

from __future__ import annotations

import json
from typing import Any

from spasmcare.interop.codes import INTAKE_QUESTIONNAIRE
from spasmcare.interop.intake_qr import JSON_LINK, intake_items

PATIENT_ID = "pat-1"


def patient(birth: str | None = "1980-05-01", gender: str | None = "female") -> dict[str, Any]:
    res: dict[str, Any] = {"resourceType": "Patient", "id": PATIENT_ID}
    if birth:
        res["birthDate"] = birth
    if gender:
        res["gender"] = gender
    return res


def searchset(*resources: dict[str, Any]) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "entry": [{"resource": r} for r in resources],
    }


def intake_qr(
    intake: dict[str, Any],
    *,
    as_json: bool = False,
    authored: str = "2026-01-02T10:00:00Z",
    qr_id: str = "qr-1",
) -> dict[str, Any]:
    items = (
        [{"linkId": JSON_LINK, "answer": [{"valueString": json.dumps(intake)}]}]
        if as_json
        else intake_items(intake)
    )
    return {
        "resourceType": "QuestionnaireResponse",
        "id": qr_id,
        "status": "completed",
        "questionnaire": INTAKE_QUESTIONNAIRE,
        "subject": {"reference": f"Patient/{PATIENT_ID}"},
        "authored": authored,
        "item": items,
    }


def condition(code: str, *, status: str = "active", cid: str = "c-1") -> dict[str, Any]:
    return {
        "resourceType": "Condition",
        "id": cid,
        "clinicalStatus": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                    "code": status,
                }
            ]
        },
        "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": code}]},
        "subject": {"reference": f"Patient/{PATIENT_ID}"},
    }


DATA_ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason"


def finding_obs(
    finding: str, value: bool | str, *, oid: str = "o-1", reason: str = "asked-unknown"
) -> dict[str, Any]:
    """A finding Observation: yes or no, or for ``"unsure"`` no value and a data-absent reason."""
    res: dict[str, Any] = {
        "resourceType": "Observation",
        "id": oid,
        "status": "final",
        "code": {
            "coding": [{"system": "https://spasmcare.org/fhir/CodeSystem/finding", "code": finding}]
        },
        "subject": {"reference": f"Patient/{PATIENT_ID}"},
        "effectiveDateTime": "2026-01-02T09:00:00Z",
    }
    if value == "unsure":
        res["dataAbsentReason"] = {"coding": [{"system": DATA_ABSENT, "code": reason}]}
    else:
        res["valueBoolean"] = value
    return res


def request(prefetch: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "hook": "patient-view",
        "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
        "context": {"userId": "Practitioner/example", "patientId": PATIENT_ID},
    }
    if prefetch is not None:
        body["prefetch"] = prefetch
    body.update(extra)
    return body
