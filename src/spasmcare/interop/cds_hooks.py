"""CDS Hooks 2.0 services, as pure functions: a request (JSON data) in, a response (JSON data) out.

One service, ``spasmcare-triage`` on the ``patient-view`` hook: it reads prefetched FHIR data (see
:mod:`spasmcare.interop.prefetch`), runs the triage and returns one card:

- ``critical`` when an emergency rule fires, ``warning`` for an urgent one;
- ``info`` for ``soon`` and ``self_care``, with a link to the self-care plan;
- no card when the data holds nothing about a spasm or back or neck pain.

A finding no source answers yes but one answers "not sure" is ``"unsure"``, not no, so the triage's
not-sure rules (N1-N3) apply; the card lists what the patient was not sure about.

The card's source label names the knowledge-base version that decided. spasmcare never calls the
client's FHIR server (nothing leaves the machine): a request without the prefetch it needs gets
:class:`PrefetchMissingError` (HTTP 412), a malformed one :class:`CdsRequestError` (HTTP 400).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date
from typing import Any

from spasmcare.errors import (
    CdsRequestError,
    IntakeError,
    NotFoundError,
    PrefetchMissingError,
    Problem,
)
from spasmcare.interop.codes import load_codes
from spasmcare.interop.prefetch import PREFETCH_TYPES, Gathered, gather
from spasmcare.knowledge import Disposition, KnowledgeBase
from spasmcare.triage import DEFAULT_EMERGENCY_CALL, TriageResult, evaluate, parse_intake
from spasmcare.triage.engine import unsure_label

SERVICE_ID = "spasmcare-triage"
HOOK = "patient-view"
SUMMARY_LIMIT = 140
CARD_NAMESPACE = uuid.UUID("6f1c64a5-3d1e-4c55-9d43-2a4f1c0f7e11")

PREFETCH = {
    "patient": "Patient/{{context.patientId}}",
    "intake": "QuestionnaireResponse?subject={{context.patientId}}"
    "&questionnaire=https://spasmcare.org/fhir/Questionnaire/spasmcare-intake&_sort=-authored&_count=1",
    "conditions": "Condition?patient={{context.patientId}}",
    # Only what the triage reads (pain, temperature, spasmcare findings): the minimum necessary.
    "observations": "Observation?patient={{context.patientId}}"
    "&code=http://loinc.org|72514-3,http://loinc.org|8310-5,"
    "https://spasmcare.org/fhir/CodeSystem/finding|&_sort=-date&_count=100",
    "medications": "MedicationStatement?patient={{context.patientId}}&status=active",
}
CLINICAL_KEYS = ("intake", "conditions", "observations")
INDICATOR = {
    Disposition.EMERGENCY: "critical",
    Disposition.URGENT: "warning",
    Disposition.SOON: "info",
    Disposition.SELF_CARE: "info",
}
_FIELD_LABELS = {
    "pain": "Pain score (0-10)",
    "onset": "Sudden or gradual onset",
    "duration_days": "How long this episode has lasted",
    "sex": "Sex",
    "pregnant": "Whether the patient could be pregnant",
}
NOTICE = "spasmcare informs; it does not diagnose. It has not examined the patient."


def discovery() -> dict[str, Any]:
    """The body of ``GET /cds-services``."""
    return {
        "services": [
            {
                "hook": HOOK,
                "id": SERVICE_ID,
                "title": "spasmcare: back and neck spasm triage",
                "description": (
                    "Runs spasmcare's rule-based triage on a spasmcare intake, conditions and "
                    "observations, and shows the red flags and the level of care they point to."
                ),
                "prefetch": dict(PREFETCH),
                "usageRequirements": (
                    "Send the prefetch: spasmcare does not call FHIR servers. 'patient' and at least "
                    "one of 'intake', 'conditions' or 'observations' are required."
                ),
            }
        ]
    }


def _check_request(service_id: str, body: object) -> tuple[str, dict[str, Any], Mapping[str, Any]]:
    """The patient id, the context and the prefetch of a valid request; CdsRequestError otherwise."""
    if service_id != SERVICE_ID:
        raise NotFoundError(
            f"no CDS service {service_id!r}", [Problem("service_id", "unknown", SERVICE_ID)]
        )
    if not isinstance(body, dict):
        raise CdsRequestError(
            "the request must be a JSON object",
            [
                Problem(
                    "", f"got {type(body).__name__}", "an object with hook, hookInstance, context"
                )
            ],
        )
    problems: list[Problem] = []
    hook = body.get("hook")
    if hook is None:
        problems.append(Problem("hook", "is required", HOOK))
    elif hook != HOOK:
        problems.append(Problem("hook", f"{hook!r} is not served by {SERVICE_ID}", HOOK))
    instance = body.get("hookInstance")
    if not isinstance(instance, str) or not instance:
        problems.append(Problem("hookInstance", "is required", "a UUID string"))
    context = body.get("context")
    patient_id: object = None
    if not isinstance(context, dict):
        problems.append(Problem("context", "is required", "an object with patientId"))
    else:
        patient_id = context.get("patientId")
        if not isinstance(patient_id, str) or not patient_id:
            problems.append(
                Problem("context.patientId", "is required", "the FHIR id of the patient")
            )
    server = body.get("fhirServer")
    if server is not None and not isinstance(server, str):
        problems.append(Problem("fhirServer", "is not a URL", "the base URL of a FHIR server"))
    if body.get("fhirAuthorization") is not None and not server:
        problems.append(
            Problem("fhirAuthorization", "is given without fhirServer", "both, or neither")
        )
    prefetch = body.get("prefetch", {})
    if not isinstance(prefetch, dict):
        problems.append(Problem("prefetch", "is not an object", "an object of prefetch keys"))
    if problems:
        raise CdsRequestError("the CDS Hooks request is not valid", problems)
    assert isinstance(context, dict) and isinstance(patient_id, str)
    return patient_id, context, prefetch


def _check_prefetch(prefetch: Mapping[str, Any], has_server: bool) -> None:
    def usable(key: str) -> bool:
        value = prefetch.get(key, ...)
        return value is not ... and not (
            isinstance(value, dict) and value.get("resourceType") == "OperationOutcome"
        )

    missing = [k for k in ("patient",) if not usable(k)]
    if not any(usable(k) for k in CLINICAL_KEYS):
        missing.append(" or ".join(CLINICAL_KEYS))
    if missing:
        why = (
            "spasmcare does not call FHIR servers; send the prefetch"
            if has_server
            else "the request has no fhirServer to read them from"
        )
        raise PrefetchMissingError(
            "prefetch data is missing",
            [Problem(f"prefetch.{k}", f"is missing: {why}", PREFETCH.get(k)) for k in missing],
        )


def _summary(result: TriageResult) -> str:
    head = "spasmcare triage"
    if result.reasons:
        top = result.reasons[0]
        more = f" (+{len(result.reasons) - 1} more)" if len(result.reasons) > 1 else ""
        text = f"{head}: {result.label}. {top.rule} {top.title}{more}"
    elif result.unsure or result.unanswered:
        parts = []
        if result.unsure:
            count = len(result.unsure)
            parts.append(f"{count} answer{'s were' if count != 1 else ' was'} not sure")
        if result.unanswered:
            count = len(result.unanswered)
            parts.append(f"{count} safety question{'s are' if count != 1 else ' is'} unanswered")
        text = f"{head}: no warning sign reported, but {' and '.join(parts)}."
    else:
        text = f"{head}: self-care is reasonable; no warning sign reported."
    if len(text) >= SUMMARY_LIMIT:
        text = text[: SUMMARY_LIMIT - 2].rstrip() + "…"
    return text


def _detail(result: TriageResult, gathered: Gathered, kb: KnowledgeBase) -> str:
    lines = [f"**{result.label}.** {result.instruction}", ""]
    for reason in result.reasons:
        cites = "; ".join(s.citation for s in reason.sources)
        lines.append(f"- **{reason.rule}** {reason.title}. {reason.advice} *Sources:* {cites}")
    if result.reasons:
        lines.append("")
    if result.unsure:
        labels = [
            unsure_label(kb, u) if u in kb.findings else _FIELD_LABELS.get(u, unsure_label(kb, u))
            for u in result.unsure
        ]
        lines.append("Not sure (asked, the patient did not know): " + "; ".join(labels) + ".")
        lines.append("")
    if result.unanswered and result.disposition is not Disposition.EMERGENCY:
        labels = [
            kb.findings[f].label if f in kb.findings else _FIELD_LABELS.get(f, f)
            for f in result.unanswered
        ]
        lines.append("Not yet answered: " + "; ".join(labels) + ".")
        lines.append("")
    if gathered.sources:
        lines.append("Based on: " + "; ".join(gathered.sources) + ".")
    lines.extend(gathered.notes)
    lines.append(f"Knowledge base {result.knowledge_version}. {NOTICE}")
    return "\n".join(lines)


def _card(
    result: TriageResult, gathered: Gathered, kb: KnowledgeBase, hook_instance: str, plan_url: str
) -> dict[str, Any]:
    disposition = result.disposition
    card: dict[str, Any] = {
        "uuid": str(
            uuid.uuid5(CARD_NAMESPACE, f"{hook_instance}:{SERVICE_ID}:{disposition.value}")
        ),
        "summary": _summary(result),
        "indicator": INDICATOR[disposition],
        "detail": _detail(result, gathered, kb),
        "source": {
            "label": f"spasmcare knowledge base {kb.version}",
            "topic": {
                "system": load_codes().system("disposition"),
                "code": disposition.value,
                "display": result.label,
            },
        },
    }
    if INDICATOR[disposition] == "info":
        card["links"] = [{"label": "spasmcare self-care plan", "url": plan_url, "type": "absolute"}]
    return card


def _intake_problems(exc: IntakeError, gathered: Gathered) -> list[Problem]:
    out = []
    for p in exc.problems:
        key = p.path.split("[")[0].split(".")[0]
        where = gathered.paths.get(p.path) or gathered.paths.get(key) or "prefetch"
        out.append(Problem(where, f"{p.path}: {p.message}" if p.path else p.message, p.allowed))
    return out


def patient_view(
    service_id: str,
    body: object,
    *,
    kb: KnowledgeBase,
    today: date,
    plan_url: str,
    emergency_call: str = DEFAULT_EMERGENCY_CALL,
) -> dict[str, Any]:
    """The response to a ``POST /cds-services/{service_id}`` request body.

    Raises :class:`CdsRequestError` (400), :class:`PrefetchMissingError` (412) or
    :class:`~spasmcare.errors.NotFoundError` (404, unknown service).
    """
    patient_id, _, prefetch = _check_request(service_id, body)
    assert isinstance(body, dict)
    _check_prefetch(prefetch, bool(body.get("fhirServer")))
    gathered = gather({k: v for k, v in prefetch.items() if k in PREFETCH_TYPES}, patient_id, today)
    if gathered.problems:
        raise CdsRequestError("the prefetch data is not usable", gathered.problems)
    if not gathered.relevant:
        return {"cards": []}
    if "age" not in gathered.intake:
        raise CdsRequestError(
            "the patient's age is not known",
            [
                Problem(
                    "prefetch.patient.birthDate",
                    "is missing, and the intake has no age",
                    "a birth date, or age in the spasmcare intake",
                )
            ],
        )
    try:
        intake = parse_intake(gathered.intake, kb)
    except IntakeError as exc:
        raise CdsRequestError(
            "the prefetch data does not make a valid intake", _intake_problems(exc, gathered)
        ) from exc
    result = evaluate(intake, kb, emergency_call=emergency_call)
    return {"cards": [_card(result, gathered, kb, str(body["hookInstance"]), plan_url)]}


__all__ = [
    "HOOK",
    "PREFETCH",
    "SERVICE_ID",
    "discovery",
    "patient_view",
]
