"""Numeric pain rating scale, 0-10 (one item, ``{"score": 0-10}``); spasmcare's own wording.

Higher is worse. No bands: the evidence file gives none for the pain rating.
"""

from __future__ import annotations

from spasmcare.scales.definitions import ScaleDef
from spasmcare.scales.responses import Responses, citation_of, result, scorer
from spasmcare.scales.result import ScaleResult

SCALE_ID = "nrs"


citation = citation_of(SCALE_ID)


@scorer(SCALE_ID)
def score(scale: ScaleDef, answers: Responses) -> ScaleResult:
    """Score ``{"score": 0-10}``; valid only when the rating is given."""
    value = answers["score"]
    if value is None:
        return result(scale, answers, score=None, problems=["score is not answered"])
    assert isinstance(value, int)
    return result(scale, answers, score=float(value))
