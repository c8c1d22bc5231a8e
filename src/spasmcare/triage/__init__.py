"""Triage: the intake, the whitelisted rule evaluator, ``evaluate()`` and the adaptive ``Interview``."""

from spasmcare.triage.engine import (
    NOTICE,
    Reason,
    SourceRef,
    TriageResult,
    evaluate,
)
from spasmcare.triage.intake import REGION_LABELS, Intake, parse_intake
from spasmcare.triage.interview import Interview, Option, Question
from spasmcare.wording import DEFAULT_EMERGENCY_CALL

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
