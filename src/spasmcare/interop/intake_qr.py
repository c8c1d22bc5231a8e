"""A triage intake carried in a FHIR QuestionnaireResponse, both ways.

Two conventions are read (docs/interop.md shows both); exports write the second:

1. One item with linkId ``spasmcare-intake`` whose single ``valueString`` answer is the intake as JSON
   (exactly what ``spasmcare triage --input`` takes).
2. One item per intake field, linkId = the field name (``age``, ``regions``, ``pain`` ...), and one item
   per answered finding, linkId ``finding.<finding id>`` with a ``valueBoolean`` answer for yes and
   no, and for "not sure" a ``valueCoding`` of the data-absent-reason code ``asked-unknown`` (read as
   ``"unsure"``; ``pregnant`` is answered the same way, ``onset`` "not sure" is the string ``unsure``).

The QuestionnaireResponse's ``questionnaire`` is :data:`INTAKE_QUESTIONNAIRE` (a version may follow a
``|``). Values are returned raw; :func:`spasmcare.triage.parse_intake` validates them afterwards.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from spasmcare.errors import Problem
from spasmcare.interop.answers import QR_HINT, is_answer, qr_answer
from spasmcare.interop.codes import INTAKE_QUESTIONNAIRE, UNSURE, load_codes

JSON_LINK = "spasmcare-intake"
FINDING_PREFIX = "finding."

# field -> (answer kinds read, answer kind written, repeats)
_FIELDS: dict[str, tuple[tuple[str, ...], str, bool]] = {
    "age": (("valueInteger",), "valueInteger", False),
    "regions": (("valueCoding", "valueString"), "valueCoding", True),
    "sex": (("valueString", "valueCoding"), "valueString", False),
    "pregnant": (("valueBoolean", "valueCoding"), "valueBoolean", False),
    "onset": (("valueString", "valueCoding"), "valueString", False),
    "duration_days": (("valueDecimal", "valueInteger"), "valueDecimal", False),
    "pain": (("valueInteger",), "valueInteger", False),
    "medicines": (("valueString", "valueCoding"), "valueString", True),
    "conditions": (("valueString", "valueCoding"), "valueString", True),
    "pregnancy_weeks": (("valueInteger",), "valueInteger", False),
    "alcohol_drinks_per_day": (("valueDecimal", "valueInteger"), "valueDecimal", False),
    "weight_kg": (("valueDecimal", "valueInteger"), "valueDecimal", False),
}
INTAKE_FIELDS: tuple[str, ...] = tuple(_FIELDS)


@dataclass
class ReadIntake:
    """An intake read from a QuestionnaireResponse: raw values, where each came from, problems."""

    data: dict[str, Any] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def is_intake_response(resource: Mapping[str, Any]) -> bool:
    """Whether a resource is a QuestionnaireResponse holding a spasmcare intake."""
    if resource.get("resourceType") != "QuestionnaireResponse":
        return False
    questionnaire = resource.get("questionnaire")
    if isinstance(questionnaire, str) and questionnaire.split("|")[0] == INTAKE_QUESTIONNAIRE:
        return True
    return any(item.get("linkId") == JSON_LINK for _, item in _walk(resource.get("item")))


def _walk(items: object, path: str = "item") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every item with its path, groups included and descended into."""
    if not isinstance(items, list):
        return
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        here = f"{path}[{i}]"
        yield here, item
        yield from _walk(item.get("item"), f"{here}.item")


def _answer_values(
    item: Mapping[str, Any], kinds: tuple[str, ...], path: str, problems: list[Problem]
) -> list[Any]:
    answers = item.get("answer")
    if not isinstance(answers, list) or not answers:
        problems.append(Problem(f"{path}.answer", "has no answer", "one or more answers"))
        return []
    values: list[Any] = []
    for j, answer in enumerate(answers):
        where = f"{path}.answer[{j}]"
        found = [k for k in kinds if isinstance(answer, dict) and k in answer]
        if not found:
            problems.append(Problem(where, "has no value of the expected type", " or ".join(kinds)))
            continue
        value = answer[found[0]]
        if found[0] == "valueCoding":
            if load_codes().is_unknown(value):
                values.append(UNSURE)  # data-absent-reason asked-unknown: "not sure"
                continue
            value = value.get("code") if isinstance(value, dict) else None
            if not isinstance(value, str):
                problems.append(Problem(f"{where}.valueCoding.code", "is missing", "a code"))
                continue
        values.append(value)
    return values


def read_intake(resource: Mapping[str, Any], base: str = "") -> ReadIntake:
    """Read the intake held by a QuestionnaireResponse (either convention).

    ``base`` prefixes every path (e.g. ``prefetch.intake``); problems name the item path at fault.
    """
    out = ReadIntake()
    prefix = f"{base}." if base else ""
    items = list(_walk(resource.get("item")))
    json_items = [(p, it) for p, it in items if it.get("linkId") == JSON_LINK]
    if json_items:
        path, item = json_items[0]
        others = [p for p, it in items if it.get("linkId") != JSON_LINK and "answer" in it]
        if len(json_items) > 1 or others:
            out.problems.append(
                Problem(
                    f"{prefix}item",
                    f"mixes the {JSON_LINK!r} item with other answers",
                    f"either one {JSON_LINK!r} item or one item per field",
                )
            )
            return out
        values = _answer_values(item, ("valueString",), prefix + path, out.problems)
        if values:
            try:
                parsed = json.loads(values[0])
            except json.JSONDecodeError as exc:
                out.problems.append(
                    Problem(
                        f"{prefix}{path}.answer[0].valueString", f"is not valid JSON: {exc.msg}"
                    )
                )
                return out
            if not isinstance(parsed, dict):
                out.problems.append(
                    Problem(
                        f"{prefix}{path}.answer[0].valueString",
                        "is not a JSON object",
                        "an intake object",
                    )
                )
                return out
            out.data = parsed
            out.paths = {key: f"{prefix}{path}.answer[0].valueString#{key}" for key in parsed}
        return out

    findings: dict[str, Any] = {}
    for path, item in items:
        link = item.get("linkId")
        where = prefix + path
        if "answer" not in item and isinstance(item.get("item"), list):
            continue  # a group
        if not isinstance(link, str):
            out.problems.append(Problem(f"{where}.linkId", "is missing", "a linkId"))
            continue
        if link.startswith(FINDING_PREFIX):
            values = _answer_values(item, ("valueBoolean", "valueCoding"), where, out.problems)
            if values and not is_answer(values[0]):
                out.problems.append(
                    Problem(
                        f"{where}.answer[0].valueCoding",
                        f"{values[0]!r} is not a yes, no or not-sure answer",
                        QR_HINT,
                    )
                )
            elif values:
                findings[link[len(FINDING_PREFIX) :]] = values[0]
                out.paths[f"findings.{link[len(FINDING_PREFIX) :]}"] = where
            continue
        spec = _FIELDS.get(link)
        if spec is None:
            out.problems.append(
                Problem(
                    f"{where}.linkId",
                    f"unknown linkId {link!r}",
                    f"{', '.join(INTAKE_FIELDS)}, {FINDING_PREFIX}<finding id> or {JSON_LINK}",
                )
            )
            continue
        kinds, _, repeats = spec
        values = _answer_values(item, kinds, where, out.problems)
        if values:
            out.data[link] = values if repeats else values[0]
            out.paths[link] = where
    if findings:
        out.data["findings"] = findings
    return out


def intake_items(intake: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The items of convention 2 for an intake (as produced by ``Intake.model_dump(mode="json", exclude_none=True)``)."""
    region_system = load_codes().system("region")
    items: list[dict[str, Any]] = []
    for name in INTAKE_FIELDS:
        value = intake.get(name)
        if value is None or (isinstance(value, list) and not value):
            continue
        _, kind, repeats = _FIELDS[name]
        values = value if repeats else [value]
        answers: list[dict[str, Any]] = []
        for v in values:
            if name == "pregnant":
                answers.append(qr_answer(v))
            elif kind == "valueCoding":
                answers.append({kind: {"system": region_system, "code": v}})
            elif kind == "valueDecimal":
                answers.append({kind: float(v)})
            else:
                answers.append({kind: v})
        items.append({"linkId": name, "answer": answers})
    for fid, answer in sorted(dict(intake.get("findings") or {}).items()):
        items.append({"linkId": f"{FINDING_PREFIX}{fid}", "answer": [qr_answer(answer)]})
    return items


__all__ = [
    "FINDING_PREFIX",
    "INTAKE_FIELDS",
    "INTAKE_QUESTIONNAIRE",
    "JSON_LINK",
    "ReadIntake",
    "intake_items",
    "is_intake_response",
    "read_intake",
]
