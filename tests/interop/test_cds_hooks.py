"""CDS Hooks 2.0 over HTTP: discovery, cards for each level, and the 400/404/412 answers.

A small FastAPI app includes the router exactly as ``create_app`` does (the app context on
``app.state.spasmcare`` and the problem handlers), so these tests run the real routes.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from spasmcare.api.cds_hooks import PLAN_PATH, router
from spasmcare.api.context import AppContext
from spasmcare.api.problems import install_problem_handlers
from spasmcare.api.storage import Storage
from spasmcare.config import Settings
from spasmcare.interop.cds_hooks import PREFETCH, SERVICE_ID
from spasmcare.knowledge import Disposition, KnowledgeBase
from tests.diary.factories import memory_repository
from tests.interop.helpers import (
    PATIENT_ID,
    condition,
    finding_obs,
    intake_qr,
    patient,
    request,
    searchset,
)

URL = f"/cds-services/{SERVICE_ID}"
INDICATOR = {"emergency": "critical", "urgent": "warning", "soon": "info", "self_care": "info"}


@pytest.fixture(scope="module")
def client(kb: KnowledgeBase) -> TestClient:
    app = FastAPI()
    app.state.spasmcare = AppContext(
        settings=Settings(emergency_number="911"),
        kb=kb,
        storage=Storage(memory_repository()),
        secret=b"not used here",
    )
    install_problem_handlers(app)
    app.include_router(router)
    return TestClient(app)


def post(client: TestClient, body: Any) -> Any:
    return client.post(URL, json=body)


def one_card(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    cards = response.json()["cards"]
    assert len(cards) == 1, cards
    card: dict[str, Any] = cards[0]
    return card


def check_card(card: dict[str, Any], kb: KnowledgeBase) -> None:
    """The CDS Hooks card rules every card must keep."""
    assert 0 < len(card["summary"]) < 140
    assert card["indicator"] in ("info", "warning", "critical")
    assert card["source"]["label"] == f"spasmcare knowledge base {kb.version}"
    assert kb.version in card["detail"]
    for value in card.values():
        assert value not in (None, "", [], {})  # CDS Hooks: no null or empty elements


# -- discovery ---------------------------------------------------------------------------------
def test_discovery_lists_the_patient_view_service(client: TestClient) -> None:
    response = client.get("/cds-services")
    assert response.status_code == 200
    services = response.json()["services"]
    assert [s["id"] for s in services] == [SERVICE_ID]
    service = services[0]
    assert service["hook"] == "patient-view"
    assert service["description"] and service["title"]
    assert service["prefetch"] == PREFETCH
    assert all("{{context.patientId}}" in t for t in service["prefetch"].values())
    assert set(service["prefetch"]) >= {"patient", "intake", "conditions", "observations"}


# -- cards ---------------------------------------------------------------------------------------
def test_bladder_dysfunction_gives_a_critical_card(client: TestClient, kb: KnowledgeBase) -> None:
    intake = {"age": 45, "regions": ["lower_back"], "findings": {"bladder_dysfunction": True}}
    card = one_card(post(client, request({"patient": patient(), "intake": intake_qr(intake)})))
    check_card(card, kb)
    assert card["indicator"] == "critical"
    assert "E1" in card["summary"] and "cauda equina" in card["summary"]
    assert "911" in card["detail"]
    assert "spasmcare intake of 2026-01-02" in card["detail"]  # the date the decision rests on
    assert "links" not in card


def test_bladder_dysfunction_as_an_observation_gives_a_critical_card(
    client: TestClient, kb: KnowledgeBase
) -> None:
    prefetch = {
        "patient": patient(),
        "conditions": searchset(condition("M62.830")),
        "observations": searchset(finding_obs("bladder_dysfunction", True)),
    }
    card = one_card(post(client, request(prefetch)))
    check_card(card, kb)
    assert card["indicator"] == "critical"
    assert "Condition M62.830" in card["detail"]


def test_an_unsure_bladder_observation_gives_an_urgent_not_sure_card(
    client: TestClient, kb: KnowledgeBase
) -> None:
    """Not sure is not no: the not-sure rule N1 makes it urgent, and the card says what."""
    prefetch = {
        "patient": patient(),
        "conditions": searchset(condition("M54.50")),
        "observations": searchset(finding_obs("bladder_dysfunction", "unsure")),
    }
    card = one_card(post(client, request(prefetch)))
    check_card(card, kb)
    assert card["indicator"] == "warning"
    assert card["source"]["topic"]["code"] == "urgent"
    assert card["summary"].startswith(
        f"spasmcare triage: {kb.dispositions[Disposition.URGENT].label}. N1 "
    )
    label = kb.findings["bladder_dysfunction"].label
    assert f"Not sure (asked, the patient did not know): {label}" in card["detail"]
    assert "**N1**" in card["detail"]
    assert "Observation bladder_dysfunction (not sure)" in card["detail"]
    assert "links" not in card  # not the self-care card
    # the same finding answered no is not urgent
    prefetch["observations"] = searchset(finding_obs("bladder_dysfunction", False))
    card = one_card(post(client, request(prefetch)))
    assert card["source"]["topic"]["code"] != "urgent"
    assert "Not sure" not in card["detail"]


def test_an_unsure_intake_answer_gives_an_urgent_not_sure_card(
    client: TestClient, kb: KnowledgeBase
) -> None:
    intake = {"age": 45, "regions": ["lower_back"], "findings": {"bladder_dysfunction": "unsure"}}
    for as_json in (False, True):
        card = one_card(
            post(
                client,
                request({"patient": patient(), "intake": intake_qr(intake, as_json=as_json)}),
            )
        )
        assert card["indicator"] == "warning"
        assert "N1" in card["summary"]
        assert kb.findings["bladder_dysfunction"].label in card["detail"]


def test_self_care_gives_an_info_card_with_a_link_to_the_plan(
    client: TestClient, kb: KnowledgeBase, cases: list[dict[str, Any]]
) -> None:
    case = next(c for c in cases if c["expected"] == "self_care")
    card = one_card(
        post(client, request({"patient": patient(), "intake": intake_qr(case["intake"])}))
    )
    check_card(card, kb)
    assert card["indicator"] == "info"
    assert card["source"]["topic"]["code"] == "self_care"
    [link] = card["links"]
    assert link["type"] == "absolute"
    assert link["url"] == f"http://testserver{PLAN_PATH}"


def test_fever_reading_gives_a_warning_card(client: TestClient, kb: KnowledgeBase) -> None:
    temperature = {
        "resourceType": "Observation",
        "id": "t-1",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "8310-5"}]},
        "subject": {"reference": f"Patient/{PATIENT_ID}"},
        "valueQuantity": {
            "value": 38.6,
            "unit": "C",
            "system": "http://unitsofmeasure.org",
            "code": "Cel",
        },
    }
    prefetch = {
        "patient": patient(),
        "conditions": searchset(condition("M54.50")),
        "observations": searchset(temperature),
    }
    card = one_card(post(client, request(prefetch)))
    check_card(card, kb)
    assert card["indicator"] == "warning"
    assert "U1" in card["summary"]


@pytest.mark.parametrize("as_json", [False, True], ids=["item-per-field", "json-item"])
def test_every_shared_case_gets_the_card_of_its_disposition(
    client: TestClient, kb: KnowledgeBase, cases: list[dict[str, Any]], as_json: bool
) -> None:
    for case in cases:
        intake = case["intake"]
        # The patient has no birth date here, so the age comes from the intake itself.
        prefetch = {
            "patient": patient(birth=None, gender=None),
            "intake": intake_qr(intake, as_json=as_json),
        }
        card = one_card(post(client, request(prefetch)))
        check_card(card, kb)
        assert card["indicator"] == INDICATOR[case["expected"]], case["id"]
        assert card["source"]["topic"]["code"] == case["expected"], case["id"]


def test_many_reasons_keep_the_summary_short(client: TestClient, kb: KnowledgeBase) -> None:
    findings = dict.fromkeys(kb.findings, True)
    intake = {"age": 80, "regions": ["neck", "flank", "calf"], "pain": 10, "findings": findings}
    card = one_card(post(client, request({"patient": patient(), "intake": intake_qr(intake)})))
    check_card(card, kb)
    assert "more)" in card["summary"]


def test_incomplete_self_care_says_questions_are_unanswered(
    client: TestClient, kb: KnowledgeBase
) -> None:
    prefetch = {"patient": patient(), "conditions": searchset(condition("M54.2"))}
    card = one_card(post(client, request(prefetch)))
    check_card(card, kb)
    assert card["indicator"] == "info"
    assert "unanswered" in card["summary"]
    assert "Not yet answered" in card["detail"]


def test_no_spasm_data_gives_no_card(client: TestClient) -> None:
    prefetch = {
        "patient": patient(),
        "conditions": searchset(condition("J45.909")),  # asthma: nothing about back or neck
        "intake": None,
        "observations": None,
    }
    response = post(client, request(prefetch))
    assert response.status_code == 200
    assert response.json() == {"cards": []}


def test_a_blood_thinner_with_numbness_is_an_emergency(
    client: TestClient, kb: KnowledgeBase
) -> None:
    medication = {
        "resourceType": "MedicationStatement",
        "id": "m-1",
        "status": "active",
        "medicationCodeableConcept": {"text": "Apixaban"},
        "subject": {"reference": f"Patient/{PATIENT_ID}"},
    }
    prefetch = {
        "patient": patient(),
        "observations": searchset(finding_obs("numbness_tingling", True)),
        "medications": searchset(medication),
    }
    card = one_card(post(client, request(prefetch)))
    assert card["indicator"] == "critical"
    assert "E14" in card["summary"]


# -- malformed requests: 400 with the reason ------------------------------------------------------
def valid_body() -> dict[str, Any]:
    return request({"patient": patient(), "conditions": searchset(condition("M54.50"))})


def test_a_body_that_is_not_json_is_400(client: TestClient) -> None:
    response = client.post(URL, content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 400
    body = response.json()
    assert "not valid JSON" in body["detail"]
    assert body["errors"][0]["path"].startswith("position")


def set_path(body: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    out = copy.deepcopy(body)
    keys = path.split(".")
    target = out
    for key in keys[:-1]:
        target = target[key]
    if value is ...:
        del target[keys[-1]]
    else:
        target[keys[-1]] = value
    return out


MALFORMED = [
    ("hook", ..., "hook", "is required"),
    ("hook", "order-sign", "hook", "'order-sign' is not served"),
    ("hookInstance", ..., "hookInstance", "is required"),
    ("context", ..., "context", "is required"),
    ("context.patientId", ..., "context.patientId", "is required"),
    ("prefetch", [1, 2], "prefetch", "is not an object"),
    (
        "prefetch.patient",
        {"resourceType": "Observation"},
        "prefetch.patient.resourceType",
        "'Observation' is not expected",
    ),
    ("prefetch.patient.id", "someone-else", "prefetch.patient.id", "is not the patient in context"),
    (
        "prefetch.patient.birthDate",
        "1980-13-45",
        "prefetch.patient.birthDate",
        "is not a FHIR date",
    ),
    ("fhirAuthorization", {"access_token": "x"}, "fhirAuthorization", "without fhirServer"),
]


@pytest.mark.parametrize(("path", "value", "where", "message"), MALFORMED)
def test_malformed_requests_are_400_with_the_path(
    client: TestClient, path: str, value: Any, where: str, message: str
) -> None:
    response = post(client, set_path(valid_body(), path, value))
    assert response.status_code == 400, response.text
    errors = response.json()["errors"]
    assert any(e["path"] == where and message in e["message"] for e in errors), errors


def test_a_body_that_is_not_an_object_is_400(client: TestClient) -> None:
    response = post(client, ["patient-view"])
    assert response.status_code == 400
    assert "must be a JSON object" in response.json()["detail"]


def test_another_patients_observation_is_400(client: TestClient) -> None:
    obs = finding_obs("fever", True)
    obs["subject"] = {"reference": "Patient/other"}
    body = request({"patient": patient(), "observations": searchset(obs)})
    response = post(client, body)
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["path"] == "prefetch.observations.entry[0].resource.subject.reference"
    assert "another patient" in error["message"]


def test_an_invalid_intake_names_the_item_at_fault(client: TestClient) -> None:
    qr = intake_qr({"age": 45, "regions": ["lower_back"], "pain": 12})
    response = post(client, request({"patient": patient(), "intake": qr}))
    assert response.status_code == 400
    errors = response.json()["errors"]
    pain_item = next(i for i, it in enumerate(qr["item"]) if it["linkId"] == "pain")
    assert any(
        e["path"] == f"prefetch.intake.item[{pain_item}]"
        and "pain: 12 is out of range" in e["message"]
        for e in errors
    ), errors


def test_an_unknown_finding_in_the_intake_is_400(client: TestClient) -> None:
    qr = intake_qr({"age": 45, "regions": ["lower_back"], "findings": {"feverr": True}})
    response = post(client, request({"patient": patient(), "intake": qr}))
    assert response.status_code == 400
    assert any("did you mean fever" in (e["allowed"] or "") for e in response.json()["errors"])


def test_an_unknown_link_id_is_400(client: TestClient) -> None:
    qr = intake_qr({"age": 45, "regions": ["lower_back"]})
    qr["item"].append({"linkId": "colour", "answer": [{"valueString": "red"}]})
    response = post(client, request({"patient": patient(), "intake": qr}))
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["path"] == f"prefetch.intake.item[{len(qr['item']) - 1}].linkId"


def test_an_unknown_service_is_404(client: TestClient) -> None:
    response = client.post("/cds-services/nope", json=valid_body())
    assert response.status_code == 404


# -- missing prefetch: 412 ----------------------------------------------------------------------
def test_missing_prefetch_without_a_fhir_server_is_412(client: TestClient) -> None:
    response = post(client, request())
    assert response.status_code == 412
    paths = [e["path"] for e in response.json()["errors"]]
    assert "prefetch.patient" in paths
    assert "no fhirServer" in response.json()["errors"][0]["message"]


def test_missing_clinical_prefetch_is_412(client: TestClient) -> None:
    response = post(client, request({"patient": patient()}))
    assert response.status_code == 412
    [error] = response.json()["errors"]
    assert error["path"] == "prefetch.intake or conditions or observations"


def test_a_failed_prefetch_reported_as_operation_outcome_is_412(client: TestClient) -> None:
    outcome = {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": "timeout"}],
    }
    response = post(client, request({"patient": outcome, "conditions": None}))
    assert response.status_code == 412


def test_missing_prefetch_with_a_fhir_server_is_412_and_nothing_is_fetched(
    client: TestClient,
) -> None:
    # spasmcare never calls out; an unreachable address proves it (a fetch would fail differently).
    body = request(fhirServer="http://192.0.2.1/fhir")
    response = post(client, body)
    assert response.status_code == 412
    assert "does not call FHIR servers" in response.json()["errors"][0]["message"]
