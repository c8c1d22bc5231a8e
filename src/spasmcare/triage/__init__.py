"""Triage: the intake, the whitelisted rule evaluator, ``evaluate()`` and the adaptive ``Interview``.

Names load on first use, so that importing ``spasmcare.triage.intake`` alone stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spasmcare.lazy import lazy_exports

if TYPE_CHECKING:
    from spasmcare.knowledge.body import REGION_LABELS
    from spasmcare.triage.engine import NOTICE, Reason, SourceRef, TriageResult, evaluate
    from spasmcare.triage.intake import Intake, parse_intake
    from spasmcare.triage.interview import Interview, Option, Question
    from spasmcare.wording import DEFAULT_EMERGENCY_CALL

_EXPORTS: dict[str, str] = {
    "DEFAULT_EMERGENCY_CALL": "spasmcare.wording",
    "NOTICE": "spasmcare.triage.engine",
    "REGION_LABELS": "spasmcare.knowledge.body",
    "Intake": "spasmcare.triage.intake",
    "Interview": "spasmcare.triage.interview",
    "Option": "spasmcare.triage.interview",
    "Question": "spasmcare.triage.interview",
    "Reason": "spasmcare.triage.engine",
    "SourceRef": "spasmcare.triage.engine",
    "TriageResult": "spasmcare.triage.engine",
    "evaluate": "spasmcare.triage.engine",
    "parse_intake": "spasmcare.triage.intake",
}

__all__ = [
    "DEFAULT_EMERGENCY_CALL",
    "NOTICE",
    "REGION_LABELS",
    "Intake",
    "Interview",
    "Option",
    "Question",
    "Reason",
    "SourceRef",
    "TriageResult",
    "evaluate",
    "parse_intake",
]


__getattr__ = lazy_exports(__name__, _EXPORTS, globals())


def __dir__() -> list[str]:
    return sorted(__all__)
