"""Finding answers in FHIR, both ways: yes, no, and "not sure" kept apart from no.

- In a QuestionnaireResponse (``finding.<id>`` items, and ``pregnant``): yes and no are a
  ``valueBoolean``; "not sure" is a ``valueCoding`` of the data-absent-reason code ``asked-unknown``.
- As an ``Observation`` coded ``https://spasmcare.org/fhir/CodeSystem/finding#<id>``: yes and no are
  a ``valueBoolean``; "not sure" has no value and a ``dataAbsentReason`` ``asked-unknown``. Read back,
  ``asked-unknown``, ``unknown`` and ``temp-unknown`` mean "not sure"; another reason
  (``not-asked``, ``asked-declined`` ...) answers nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from spasmcare.errors import Problem
from spasmcare.interop.codes import UNSURE, Codes, load_codes

Answer = bool | Literal["unsure"]
"""A finding's answer: True, False or "unsure"."""
NOT_SURE_TEXT = "Not sure"
QR_HINT = 'valueBoolean, or for not sure a valueCoding "asked-unknown" (data-absent-reason)'
OBSERVATION_HINT = 'valueBoolean, or for not sure no value and a dataAbsentReason "asked-unknown"'


def is_answer(value: object) -> bool:
    """Whether ``value`` is a finding answer (True, False or "unsure")."""
    return isinstance(value, bool) or value == UNSURE


def qr_answer(value: Answer, codes: Codes | None = None) -> dict[str, Any]:
    """The QuestionnaireResponse answer of a yes/no/not-sure question."""
    if value == UNSURE:
        return {"valueCoding": (codes or load_codes()).asked_unknown.fhir()}
    return {"valueBoolean": value}


def observation_value(value: Answer, codes: Codes | None = None) -> dict[str, Any]:
    """The value part of a finding Observation: ``valueBoolean``, or for "not sure" no value and a
    ``dataAbsentReason`` ``asked-unknown`` (FHIR: never both)."""
    if value == UNSURE:
        coding = (codes or load_codes()).asked_unknown.fhir()
        return {"dataAbsentReason": {"coding": [coding], "text": NOT_SURE_TEXT}}
    return {"valueBoolean": value}


def finding_code(resource: Mapping[str, Any], codes: Codes | None = None) -> str | None:
    """The finding id an Observation is coded with (spasmcare's finding system), or None."""
    system = (codes or load_codes()).system("finding")
    concept = resource.get("code")
    for coding in concept.get("coding", []) if isinstance(concept, dict) else []:
        if isinstance(coding, dict) and coding.get("system") == system:
            code = coding.get("code")
            return code if isinstance(code, str) else None
    return None


def observation_answer(
    resource: Mapping[str, Any], path: str, problems: list[Problem], codes: Codes | None = None
) -> tuple[str, Answer | None] | None:
    """The finding and answer of a finding Observation: None when it is not coded as a finding;
    an answer of None when it answers nothing (a data-absent reason other than not known, or a
    problem, which is added to ``problems`` with its path)."""
    codes = codes or load_codes()
    fid = finding_code(resource, codes)
    if fid is None:
        return None
    value = resource.get("valueBoolean")
    absent = resource.get("dataAbsentReason")
    if isinstance(value, bool) and absent is None:
        return fid, value
    if absent is not None and not any(k.startswith("value") for k in resource):
        codings = absent.get("coding", []) if isinstance(absent, dict) else []
        if any(codes.is_unknown(c) for c in codings):
            return fid, UNSURE
        return fid, None
    if absent is not None:
        problems.append(
            Problem(f"{path}.dataAbsentReason", "is given with a value", "a value or a reason")
        )
    else:
        problems.append(Problem(f"{path}.valueBoolean", "is missing", OBSERVATION_HINT))
    return fid, None


__all__ = [
    "NOT_SURE_TEXT",
    "OBSERVATION_HINT",
    "QR_HINT",
    "Answer",
    "finding_code",
    "is_answer",
    "observation_answer",
    "observation_value",
    "qr_answer",
]
