"""Patient-Specific Functional Scale (Stratford 1995): up to three activities the person names,
each rated 0-10 (0 cannot do it, 10 as well as before the problem); spasmcare's wording.

``{"activity_1": "lifting my son", "ability_1": 4, "activity_2": ..., ...}``. The score is the
mean of the ratings of the named activities (to 2 decimals). Higher is better: a rise of 2 points
in the mean is meaningful (3 for a single activity). A rating without its activity, or an activity
without its rating, makes the answers contradict each other: the result is not valid and says which.
"""

from __future__ import annotations

from fractions import Fraction

from spasmcare.scales.definitions import ScaleDef
from spasmcare.scales.responses import Responses, citation_of, result, scorer
from spasmcare.scales.result import ScaleResult

SCALE_ID = "specific_function"
SLOTS = (1, 2, 3)


citation = citation_of(SCALE_ID)


@scorer(SCALE_ID)
def score(scale: ScaleDef, answers: Responses) -> ScaleResult:
    """The mean ability over the named activities; every named activity needs its rating."""
    problems: list[str] = []
    ratings: list[int] = []
    details: dict[str, str] = {}
    for slot in SLOTS:
        activity, ability = answers[f"activity_{slot}"], answers[f"ability_{slot}"]
        if activity is None and ability is None:
            continue
        if activity is None:
            problems.append(f"activity {slot} has a rating but no name: name the activity")
        elif ability is None:
            problems.append(f"activity {slot} ({activity}) has no rating: rate it from 0 to 10")
        else:
            assert isinstance(ability, int) and not isinstance(ability, bool)
            ratings.append(ability)
            details[f"activity_{slot}"] = f"{activity}, {ability} out of 10"
    if not ratings and not problems:
        problems.append("no activity is named: name at least one activity and rate it")
    if problems:
        return result(scale, answers, score=None, problems=problems)
    mean = Fraction(sum(ratings), len(ratings))
    return result(scale, answers, score=round(float(mean), 2), details=details)
