"""Penn Spasm Frequency Scale (Penn 1989), used as a self-report of spasm frequency.

``{"frequency": 0-4, "severity": 1-3}``: frequency 0 none, 1 only when set off (stimulated),
2 full spasms less than once an hour, 3 more than once an hour, 4 more than 10 times an hour.
Severity is asked only when frequency is above 0; giving it with frequency 0 makes the answers
contradict each other, so the result is not valid. The recall period is fixed in the data file
(the last 24 hours). Validated for spasticity (spinal cord injury, MS), not for back strain spasm;
the result carries that note.
"""

from __future__ import annotations

from spasmcare.scales.definitions import ScaleDef, catalogue
from spasmcare.scales.responses import (
    Responses,
    answer_code,
    citation_of,
    result,
    scorer,
)
from spasmcare.scales.result import ScaleResult

SCALE_ID = "psfs"


citation = citation_of(SCALE_ID)


def _label(scale: ScaleDef, item_id: str, value: object) -> str:
    answer = catalogue().answers(scale.item(item_id)).find(value)
    assert answer is not None
    return answer.label


@scorer(SCALE_ID)
def score(scale: ScaleDef, answers: Responses) -> ScaleResult:
    """Score frequency (the score) and severity (a subscore, when there are spasms)."""
    frequency, severity = answers["frequency"], answers["severity"]
    gate = scale.item("severity").enable_when
    assert gate is not None
    problems: list[str] = []
    if frequency is None:
        problems.append("frequency is not answered")
    elif not isinstance(frequency, int):
        raise AssertionError("frequency was checked as a whole number")
    elif frequency <= gate.above and severity is not None:
        problems.append(
            f"severity is given, but frequency is {frequency} (no spasms): severity is asked "
            f"only when frequency is above {gate.above}; leave it out or check the frequency"
        )
    elif frequency > gate.above and severity is None:
        problems.append(f"severity is needed when frequency is above {gate.above}")
    if problems:
        return result(scale, answers, score=None, problems=problems)
    assert isinstance(frequency, int)
    subscores: dict[str, float] = {}
    details = {
        "frequency": _label(scale, "frequency", frequency),
        "recall_period": scale.recall_period or "",
    }
    codes = [c for c in [answer_code(scale, "frequency", frequency, details["frequency"])] if c]
    if severity is not None:
        assert isinstance(severity, int)
        subscores["severity"] = float(severity)
        details["severity"] = _label(scale, "severity", severity)
        code = answer_code(scale, "severity", severity, details["severity"])
        codes += [code] if code else []
    return result(
        scale,
        answers,
        score=float(frequency),
        subscores=subscores,
        extra_codes=codes,
        details=details,
    )
