"""Roland-Morris Disability Questionnaire (Roland & Morris 1983): ``q1``..``q24``, true or false.

Score = number of statements that apply today, 0-24; scored only when all 24 are answered (true or
false). spasmcare ships no RMDQ wording: import a questionnaire you may use to take it.
"""

from __future__ import annotations

from spasmcare.scales.definitions import ScaleDef
from spasmcare.scales.responses import (
    Responses,
    citation_of,
    result,
    scorer,
    total_points,
)
from spasmcare.scales.result import ScaleResult

SCALE_ID = "rmdq"


citation = citation_of(SCALE_ID)


@scorer(SCALE_ID, all_required=True)
def score(scale: ScaleDef, answers: Responses) -> ScaleResult:
    """The count of statements marked true, when all 24 are answered."""
    total = sum(total_points(scale, answers).values())
    return result(scale, answers, score=float(total))
