"""Roland-Morris Disability Questionnaire (Roland & Morris 1983): ``q1``..``q24``, true or false.

Score = number of statements that apply today, 0-24; scored only when all 24 are answered (true or
false). spasmcare ships no RMDQ wording: import a questionnaire you may use to take it.
"""

from __future__ import annotations

from spasmcare.scales.definitions import ScaleDef, catalogue
from spasmcare.scales.responses import check_responses, require_all, result, total_points
from spasmcare.scales.result import ScaleResult

SCALE_ID = "rmdq"


def definition() -> ScaleDef:
    return catalogue().scale(SCALE_ID)


def citation() -> str:
    return catalogue().citation(definition())


def score(responses: object) -> ScaleResult:
    """The count of statements marked true, when all 24 are answered."""
    scale = definition()
    answers = check_responses(scale, responses)
    problems = require_all(scale, answers)
    if problems:
        return result(scale, answers, score=None, problems=problems)
    total = sum(total_points(scale, answers).values())
    return result(scale, answers, score=float(total))
