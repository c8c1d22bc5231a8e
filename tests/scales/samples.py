"""Synthetic FHIR R4 Questionnaires with placeholder wording (never the licensed item text)."""

from __future__ import annotations

import copy
from typing import Any

LOINC = "http://loinc.org"
ORDINAL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
STARTBACK_ITEM_CODES = [
    "91340-0",
    "91341-8",
    "91342-6",
    "91343-4",
    "91344-2",
    "91345-9",
    "91346-7",
    "91347-5",
    "91348-3",
]


def _coding(code: str, display: str, ordinal: int | None = None) -> dict[str, Any]:
    coding: dict[str, Any] = {"system": LOINC, "code": code, "display": display}
    if ordinal is not None:
        coding["extension"] = [{"url": ORDINAL, "valueDecimal": ordinal}]
    return coding


def startback() -> dict[str, Any]:
    """A STarT Back form shaped like LOINC's 91349-1: coded items, Agree/Disagree labels."""
    agree = [
        {"valueCoding": _coding("LA-test-1", "Disagree")},
        {"valueCoding": _coding("LA-test-2", "Agree")},
    ]
    bother = [
        {"valueCoding": _coding(f"LA-test-b{i}", label)}
        for i, label in enumerate(
            ["Not at all", "Slightly", "Moderately", "Very much", "Extremely"]
        )
    ]
    items: list[dict[str, Any]] = []
    for n, code in enumerate(STARTBACK_ITEM_CODES, 1):
        items.append(
            {
                "linkId": f"/{code}",
                "code": [{"system": LOINC, "code": code, "display": f"Placeholder {n}"}],
                "text": f"Placeholder statement {n}",
                "type": "choice",
                "required": True,
                "answerOption": copy.deepcopy(bother if n == 9 else agree),
            }
        )
    items.append(
        {
            "linkId": "/91351-7",
            "code": [{"system": LOINC, "code": "91351-7"}],
            "text": "Total score",
            "type": "decimal",
            "readOnly": True,
        }
    )
    return {
        "resourceType": "Questionnaire",
        "status": "active",
        "title": "Placeholder STarT Back form",
        "copyright": "Placeholder copyright line",
        "code": [{"system": LOINC, "code": "91349-1", "display": "STarT Back panel"}],
        "item": [{"linkId": "/group", "type": "group", "text": "Group", "item": items}],
    }


def odi(*, ordinals: bool = True, reverse: bool = False) -> dict[str, Any]:
    """An ODI form with linkIds s1..s10 and six placeholder options per section."""
    items = []
    for n in range(1, 11):
        options = [
            {
                "valueCoding": _coding(
                    f"LA-odi-{n}-{k}",
                    f"Placeholder section {n} option {k}",
                    k if ordinals else None,
                )
            }
            for k in range(6)
        ]
        if reverse:
            options.reverse()
        items.append(
            {
                "linkId": f"s{n}",
                "text": f"Placeholder section {n}",
                "type": "choice",
                "answerOption": options,
            }
        )
    return {
        "resourceType": "Questionnaire",
        "status": "draft",
        "title": "Placeholder ODI form",
        "code": [{"system": LOINC, "code": "97908-8"}],
        "item": items,
    }


def rmdq() -> dict[str, Any]:
    """An RMDQ form with 24 yes/no (boolean) items, linkIds rmdq-q1..rmdq-q24."""
    return {
        "resourceType": "Questionnaire",
        "status": "draft",
        "title": "Placeholder RMDQ form",
        "item": [
            {"linkId": f"rmdq-q{n}", "text": f"Placeholder statement {n}", "type": "boolean"}
            for n in range(1, 25)
        ],
    }


def ndi() -> dict[str, Any]:
    """An NDI form whose answers sit in a contained ValueSet with ordinal values."""
    concepts = [
        {
            "code": f"LA-ndi-{k}",
            "display": f"Placeholder option {k}",
            "extension": [{"url": ORDINAL, "valueDecimal": k}],
        }
        for k in range(6)
    ]
    return {
        "resourceType": "Questionnaire",
        "status": "draft",
        "title": "Placeholder NDI form",
        "code": [{"system": LOINC, "code": "82226-2"}],
        "contained": [
            {
                "resourceType": "ValueSet",
                "id": "ndi-answers",
                "status": "active",
                "compose": {"include": [{"system": LOINC, "concept": concepts}]},
            }
        ],
        "item": [
            {
                "linkId": f"ndi.s{n}",
                "text": f"Placeholder item {n}",
                "type": "choice",
                "answerValueSet": "#ndi-answers",
            }
            for n in range(1, 11)
        ],
    }


def startback_items(q: dict[str, Any]) -> list[dict[str, Any]]:
    """The question items of a synthetic STarT Back form (inside its group)."""
    items: list[dict[str, Any]] = q["item"][0]["item"]
    return items
