"""Numeric pain rating scale, 0-10 (one item, ``{"score": 0-10}``); spasmcare's own wording.

Higher is worse. No bands: the evidence file gives none for the pain rating.
"""

from __future__ import annotations

from spasmcare.scales.definitions import ScaleDef, catalogue
from spasmcare.scales.responses import check_responses, result
from spasmcare.scales.result import ScaleResult

SCALE_ID = "nrs"


def definition() -> ScaleDef:
    return catalogue().scale(SCALE_ID)


def citation() -> str:
    return catalogue().citation(definition())


def score(responses: object) -> ScaleResult:
    """Score ``{"score": 0-10}``; valid only when the rating is given."""
    scale = definition()
    answers = check_responses(scale, responses)
    value = answers["score"]
    if value is None:
        return result(scale, answers, score=None, problems=["score is not answered"])
    assert isinstance(value, int)
    return result(scale, answers, score=float(value))
