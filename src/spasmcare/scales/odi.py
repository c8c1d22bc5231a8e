"""Oswestry Disability Index v2.1a (Fairbank & Pynsent 2000): sections ``s1``..``s10``, each 0-5.

Score = sum / (5 x sections answered) x 100, valid only when at least 9 sections are answered (the
minimum is in the data file). The band is the first whose inclusive upper bound is at least the
score, computed with exact fractions so that 9/45 = 20 % is "minimal", not a rounding accident.
spasmcare ships no ODI wording (copyrighted): import a licensed questionnaire to take it.
"""

from __future__ import annotations

from fractions import Fraction

from spasmcare.scales.definitions import ScaleDef
from spasmcare.scales.responses import (
    Responses,
    band_for,
    citation_of,
    missing,
    result,
    scorer,
    total_points,
)
from spasmcare.scales.result import ScaleResult

SCALE_ID = "odi"


citation = citation_of(SCALE_ID)


@scorer(SCALE_ID)
def score(scale: ScaleDef, answers: Responses) -> ScaleResult:
    """The ODI percentage and band, or not valid when fewer than 9 sections are answered."""
    answered = {k: v for k, v in answers.items() if v is not None}
    needed = scale.min_answered or len(scale.items)
    if len(answered) < needed:
        gaps = missing(answers)
        return result(
            scale,
            answers,
            score=None,
            problems=[
                f"ODI needs at least {needed} of {len(scale.items)} sections answered; "
                f"{len(answered)} answered (missing: {', '.join(gaps)})"
            ],
        )
    raw = sum(total_points(scale, answers).values())
    exact = Fraction(raw * 100, 5 * len(answered))
    return result(
        scale,
        answers,
        score=round(float(exact), 2),
        band=band_for(scale.bands, exact),
        subscores={"raw": float(raw), "max_raw": float(5 * len(answered))},
    )
