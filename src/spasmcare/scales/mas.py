"""Modified Ashworth Scale (Bohannon & Smith 1987): one grade for one muscle, rated by a clinician.

``{"grade": "0"|"1"|"1+"|"2"|"3"|"4", "muscle": "..."}``. Grades are codes, not numbers: the
result has no numeric score (``score`` is None), the grade is the ``band`` and a local code, and
grades are never added up, averaged or compared by subtraction. Validated for spasticity, not for
musculoskeletal spasm; the result says so.
"""

from __future__ import annotations

from spasmcare.scales.definitions import ScaleDef, catalogue
from spasmcare.scales.responses import (
    Responses,
    answer_code,
    citation_of,
    missing,
    result,
    scorer,
)
from spasmcare.scales.result import ScaleResult

SCALE_ID = "mas"


citation = citation_of(SCALE_ID)


@scorer(SCALE_ID)
def score(scale: ScaleDef, answers: Responses) -> ScaleResult:
    """Record the grade of one muscle; valid when both the muscle and the grade are given."""
    gaps = missing(answers)
    if gaps:
        return result(
            scale, answers, score=None, problems=[f"{item} is not answered" for item in gaps]
        )
    grade, muscle = answers["grade"], answers["muscle"]
    assert isinstance(grade, str) and isinstance(muscle, str)
    found = catalogue().answers(scale.item("grade")).find(grade)
    assert found is not None
    code = answer_code(scale, "grade", grade, f"Modified Ashworth grade {grade}")
    return result(
        scale,
        answers,
        score=None,
        band_id=grade,
        band_label=found.label,
        extra_codes=[code] if code else [],
        details={"grade": grade, "muscle": muscle, "rater": scale.rater},
    )
