"""What scoring and comparing return: :class:`ScaleResult` and :class:`Change` (frozen, JSON-ready)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from spasmcare.scales.definitions import AnswerValue, Coding

Verdict = Literal["improved", "no_meaningful_change", "worse"]


@dataclass(frozen=True)
class ScaleResult:
    """The score of one completed (or partly completed) instrument.

    ``score`` is None when the responses are not enough to score (``valid`` False, ``problems``
    says why) and for the Modified Ashworth Scale, whose grade is a code (in ``band``), not a number.
    ``codes`` lists, in this order, the panel code, the score code, subscore codes, the risk code and
    the code of the risk group or grade found, each as ``{system, code, display}``.
    """

    scale: str
    name: str
    score: float | None
    valid: bool
    problems: list[str] = field(default_factory=list)
    band: str | None = None
    band_label: str | None = None
    risk: str | None = None
    subscores: dict[str, float] = field(default_factory=dict)
    answered: int = 0
    items: int = 0
    unit: str | None = None
    codes: list[Coding] = field(default_factory=list)
    responses: dict[str, AnswerValue | None] = field(default_factory=dict)
    details: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    citation: str = ""
    version: str = ""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (the shape ``spasmcare scales score --json`` prints)."""
        return {
            "scale": self.scale,
            "name": self.name,
            "score": self.score,
            "unit": self.unit,
            "valid": self.valid,
            "problems": list(self.problems),
            "band": self.band,
            "band_label": self.band_label,
            "risk": self.risk,
            "subscores": dict(self.subscores),
            "answered": self.answered,
            "items": self.items,
            "codes": [c.to_dict() for c in self.codes],
            "responses": dict(self.responses),
            "details": dict(self.details),
            "notes": list(self.notes),
            "citation": self.citation,
            "scales_version": self.version,
        }


@dataclass(frozen=True)
class Change:
    """Whether the change between two results of one instrument is clinically meaningful.

    ``delta`` is after minus before, in score units (for every scale compared here a higher score
    is worse, so a negative delta is a drop). ``threshold`` is the minimal clinically important
    difference used; ``percent_threshold`` is set when a relative rule applies too (pain rating).
    """

    scale: str
    verdict: Verdict
    before: float
    after: float
    delta: float
    threshold: float
    percent_change: float | None
    percent_threshold: float | None
    rule: str
    citation: str
    version: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "scale": self.scale,
            "verdict": self.verdict,
            "before": self.before,
            "after": self.after,
            "delta": self.delta,
            "threshold": self.threshold,
            "percent_change": self.percent_change,
            "percent_threshold": self.percent_threshold,
            "rule": self.rule,
            "citation": self.citation,
            "scales_version": self.version,
        }
