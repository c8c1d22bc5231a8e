"""Neck Disability Index (Vernon & Mior 1991): items ``s1``..``s10``, each 0-5.

The score is the raw sum, 0-50; the percent (x2) is a subscore. Bands on the raw score as Vernon
2008 publishes them: 0-4 none, 5-14 mild, 15-24 moderate, 25-34 severe, 35-50 complete. Scored only
when all 10 items are answered: the evidence file gives no rule for missing NDI items, so spasmcare
does not prorate. The NDI licence is unconfirmed; no NDI wording is shipped.
"""

from __future__ import annotations

from spasmcare.scales.definitions import ScaleDef
from spasmcare.scales.responses import (
    Responses,
    band_for,
    citation_of,
    result,
    scorer,
    total_points,
)
from spasmcare.scales.result import ScaleResult

SCALE_ID = "ndi"


citation = citation_of(SCALE_ID)


@scorer(SCALE_ID, all_required=True)
def score(scale: ScaleDef, answers: Responses) -> ScaleResult:
    """Raw score, percent and band, when all 10 items are answered."""
    raw = sum(total_points(scale, answers).values())
    factor = scale.percent_factor or 2
    return result(
        scale,
        answers,
        score=float(raw),
        band=band_for(scale.bands, raw),
        subscores={"percent": float(raw * factor)},
    )
