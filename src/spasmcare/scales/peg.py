"""PEG: a three-item scale of pain intensity and interference (Krebs 2009); spasmcare's wording.

``{"pain": 0-10, "enjoyment": 0-10, "activity": 0-10}``: average pain in the past week, and how
much pain got in the way of enjoyment of life and of general activity. The score is the mean of the
three, reported to 2 decimals, and only when all three are answered. Lower is better; a change of
about 1 point is meaningful (the figure in the data file).
"""

from __future__ import annotations

from fractions import Fraction

from spasmcare.scales.definitions import ScaleDef
from spasmcare.scales.responses import (
    Responses,
    citation_of,
    result,
    scorer,
)
from spasmcare.scales.result import ScaleResult

SCALE_ID = "peg"
ITEMS = ("pain", "enjoyment", "activity")


citation = citation_of(SCALE_ID)


@scorer(SCALE_ID, all_required=True)
def score(scale: ScaleDef, answers: Responses) -> ScaleResult:
    """The mean of the three items (each 0-10); valid only when all three are answered."""
    values = [answers[item] for item in ITEMS]
    assert all(isinstance(v, int) and not isinstance(v, bool) for v in values)
    mean = Fraction(sum(int(v) for v in values if isinstance(v, int)), len(values))
    return result(
        scale,
        answers,
        score=round(float(mean), 2),
        subscores={item: float(int(answers[item] or 0)) for item in ITEMS},
    )
