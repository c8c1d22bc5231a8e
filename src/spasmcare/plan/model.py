"""The care plan's result types, each with ``to_dict()`` for JSON."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spasmcare.knowledge.care import GRADE_WORDS, RECOMMENDED_GRADES
from spasmcare.knowledge.schema import Disposition
from spasmcare.triage.engine import Reason, SourceRef


def _sources(refs: tuple[SourceRef, ...]) -> list[dict[str, Any]]:
    return [s.to_dict() for s in refs]


@dataclass(frozen=True, slots=True)
class PlanStep:
    """One thing to do, in the order the plan gives them; only graded, recommendable items."""

    id: str
    section: str
    title: str
    how: str
    grade: str
    sources: tuple[SourceRef, ...]
    notes: tuple[str, ...] = ()

    @property
    def recommended(self) -> bool:
        return self.grade in RECOMMENDED_GRADES

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "section": self.section,
            "title": self.title,
            "how": self.how,
            "notes": list(self.notes),
            "grade": self.grade,
            "grade_words": GRADE_WORDS[self.grade],
            "recommended": self.recommended,
            "sources": _sources(self.sources),
        }


@dataclass(frozen=True, slots=True)
class StretchCard:
    """A stretch from the library that suits the person's regions."""

    id: str
    title: str
    group: str
    regions: tuple[str, ...]
    steps: tuple[str, ...]
    hold_seconds: int
    repetitions: int
    times_per_day: int
    stop_if: str
    during_spasm: bool
    grade: str
    sources: tuple[SourceRef, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "group": self.group,
            "regions": list(self.regions),
            "steps": list(self.steps),
            "hold_seconds": self.hold_seconds,
            "repetitions": self.repetitions,
            "times_per_day": self.times_per_day,
            "stop_if": self.stop_if,
            "during_spasm": self.during_spasm,
            "grade": self.grade,
            "grade_words": GRADE_WORDS[self.grade],
            "sources": _sources(self.sources),
        }


@dataclass(frozen=True, slots=True)
class CheckReason:
    """Why a medicine got its verdict: one safety check that applied to this person."""

    id: str
    verdict: str
    text: str
    sources: tuple[SourceRef, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "verdict": self.verdict,
            "text": self.text,
            "sources": _sources(self.sources),
        }


@dataclass(frozen=True, slots=True)
class MedicineAdvice:
    """A medicine option: its safety verdict for this person, apart from its evidence grade."""

    id: str
    name: str
    brands: tuple[str, ...]
    kind: str
    verdict: str
    reasons: tuple[CheckReason, ...]
    grade: str
    evidence: str
    dose: str | None
    notes: tuple[str, ...]
    sources: tuple[SourceRef, ...]

    @property
    def recommended(self) -> bool:
        """Graded well enough to suggest, and not to be avoided by this person."""
        return self.grade in RECOMMENDED_GRADES and self.verdict != "avoid"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "brands": list(self.brands),
            "kind": self.kind,
            "verdict": self.verdict,
            "reasons": [r.to_dict() for r in self.reasons],
            "grade": self.grade,
            "grade_words": GRADE_WORDS[self.grade],
            "recommended": self.recommended,
            "evidence": self.evidence,
            "dose": self.dose,
            "notes": list(self.notes),
            "sources": _sources(self.sources),
        }


@dataclass(frozen=True, slots=True)
class OtherOption:
    """A remedy the plan does not recommend (not proven, advised against, or a specialist's choice)."""

    id: str
    title: str
    advice: str
    grade: str
    summary: str
    notes: tuple[str, ...]
    sources: tuple[SourceRef, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "advice": self.advice,
            "grade": self.grade,
            "grade_words": GRADE_WORDS[self.grade],
            "recommended": False,
            "summary": self.summary,
            "notes": list(self.notes),
            "sources": _sources(self.sources),
        }


@dataclass(frozen=True, slots=True)
class HelpSign:
    """A warning sign that would change the triage, in plain words, and what to do then."""

    id: str
    level: str
    title: str
    text: str
    grade: str
    rules: tuple[str, ...]
    sources: tuple[SourceRef, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "level": self.level,
            "title": self.title,
            "text": self.text,
            "grade": self.grade,
            "rules": list(self.rules),
            "sources": _sources(self.sources),
        }


@dataclass(frozen=True, slots=True)
class PlanWarning:
    """Something the person must know before following the plan (most serious first)."""

    id: str
    text: str
    sources: tuple[SourceRef, ...] = ()
    severity: str = "caution"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "severity": self.severity,
            "text": self.text,
            "sources": _sources(self.sources),
        }


@dataclass(frozen=True, slots=True)
class CarePlan:
    """What to do now and in the coming days, for one triage result, at one knowledge-base version."""

    disposition: Disposition
    label: str
    instruction: str
    reasons: tuple[Reason, ...]
    unanswered: tuple[str, ...]
    steps: tuple[PlanStep, ...]
    stretches: tuple[StretchCard, ...]
    medicines: tuple[MedicineAdvice, ...]
    other_options: tuple[OtherOption, ...]
    warnings: tuple[PlanWarning, ...]
    when_to_get_help: tuple[HelpSign, ...]
    course: PlanStep | None
    knowledge_version: str
    notice: str

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(r.rule for r in self.reasons)

    @property
    def complete(self) -> bool:
        return not self.unanswered

    @property
    def home_plan(self) -> bool:
        """Whether this plan includes home care beyond comfort (soon and self-care only)."""
        return self.disposition in (Disposition.SOON, Disposition.SELF_CARE)

    def step(self, step_id: str) -> PlanStep | None:
        return next((s for s in self.steps if s.id == step_id), None)

    def medicine(self, medicine_id: str) -> MedicineAdvice | None:
        return next((m for m in self.medicines if m.id == medicine_id), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "disposition": self.disposition.value,
            "label": self.label,
            "instruction": self.instruction,
            "rules_fired": list(self.rules),
            "reasons": [r.to_dict() for r in self.reasons],
            "unanswered": list(self.unanswered),
            "complete": self.complete,
            "steps": [s.to_dict() for s in self.steps],
            "stretches": [s.to_dict() for s in self.stretches],
            "medicines": [m.to_dict() for m in self.medicines],
            "other_options": [o.to_dict() for o in self.other_options],
            "warnings": [w.to_dict() for w in self.warnings],
            "when_to_get_help": [h.to_dict() for h in self.when_to_get_help],
            "course": self.course.to_dict() if self.course else None,
            "knowledge_version": self.knowledge_version,
            "notice": self.notice,
        }
