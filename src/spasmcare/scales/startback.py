"""Keele STarT Back Screening Tool (Hill 2008): ``q1``..``q8`` agree/disagree, ``q9`` how bothersome.

Items 1-8 score 1 for agree; item 9 scores 1 for very_much or extremely (points in the data file).
Total 0-9; distress subscore = items 5-9. Risk: low when total <= 3; high when distress >= 4;
otherwise (total >= 4 and distress <= 3) medium. Thresholds are in the data file. Scored only
when all 9 items are answered. Keele's wording is not shipped: import it (free, non-commercial).
"""

from __future__ import annotations

from typing import Literal

from spasmcare.scales.definitions import ScaleDef, catalogue
from spasmcare.scales.responses import (
    Responses,
    citation_of,
    result,
    scorer,
    total_points,
)
from spasmcare.scales.result import ScaleResult

SCALE_ID = "startback"
Risk = Literal["low", "medium", "high"]


citation = citation_of(SCALE_ID)


def risk_group(total: int, distress: int) -> Risk:
    """low, medium or high from the total and the distress subscore (thresholds from the data)."""
    rules = catalogue().scale(SCALE_ID).risk_groups
    assert rules is not None
    if total <= rules.low_total_max:
        return "low"
    if distress >= rules.high_distress_min:
        return "high"
    return "medium"


@scorer(SCALE_ID, all_required=True)
def score(scale: ScaleDef, answers: Responses) -> ScaleResult:
    """Total, distress subscore and risk group, when all 9 items are answered."""
    rules = scale.risk_groups
    assert rules is not None
    item_points = total_points(scale, answers)
    total = sum(item_points.values())
    distress = sum(item_points[k] for k in rules.distress_items)
    risk = risk_group(total, distress)
    return result(
        scale,
        answers,
        score=float(total),
        risk=risk,
        subscores={"distress": float(distress)},
        extra_codes=[rules.codes[risk]],
    )
