"""The care plan's result types: frozen pydantic models, returned as is by the API and printed by
``spasmcare plan --json`` (``model_dump(mode="json")``)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from spasmcare.knowledge.base import ResultModel
from spasmcare.knowledge.care import GRADE_WORDS, RECOMMENDED_GRADES
from spasmcare.knowledge.schema import Disposition
from spasmcare.triage.engine import Reason, SourceRef


def _grade_words() -> Any:
    return Field(
        default_factory=lambda data: GRADE_WORDS[data["grade"]],
        description="The evidence grade in plain words (computed from `grade`).",
    )


class PlanStep(ResultModel):
    """One thing to do, in the order the plan gives them; only graded, recommendable items."""

    id: str
    section: str
    title: str
    how: str
    notes: tuple[str, ...] = ()
    grade: str
    grade_words: str = _grade_words()
    recommended: bool = Field(
        default_factory=lambda data: data["grade"] in RECOMMENDED_GRADES,
        description="Graded well enough to suggest (computed from `grade`).",
    )
    sources: tuple[SourceRef, ...]


class StretchCard(ResultModel):
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
    grade_words: str = _grade_words()
    sources: tuple[SourceRef, ...]


class CheckReason(ResultModel):
    """Why a medicine got its verdict: one safety check that applied to this person."""

    id: str
    verdict: str
    text: str
    sources: tuple[SourceRef, ...]


class MedicineAdvice(ResultModel):
    """A medicine option: its safety verdict for this person, apart from its evidence grade."""

    id: str
    name: str
    brands: tuple[str, ...]
    kind: str
    verdict: str
    reasons: tuple[CheckReason, ...]
    grade: str
    grade_words: str = _grade_words()
    recommended: bool = Field(
        default_factory=lambda data: (
            data["grade"] in RECOMMENDED_GRADES and data["verdict"] != "avoid"
        ),
        description="Graded well enough to suggest, and not to be avoided by this person "
        "(computed from `grade` and `verdict`).",
    )
    evidence: str
    dose: str | None
    notes: tuple[str, ...]
    sources: tuple[SourceRef, ...]


class OtherOption(ResultModel):
    """A remedy the plan does not recommend (not proven, advised against, or a specialist's choice)."""

    id: str
    title: str
    advice: str
    grade: str
    grade_words: str = _grade_words()
    recommended: Literal[False] = False
    summary: str
    notes: tuple[str, ...]
    sources: tuple[SourceRef, ...]


class HelpSign(ResultModel):
    """A warning sign that would change the triage, in plain words, and what to do then."""

    id: str
    level: str
    title: str
    text: str
    grade: str
    rules: tuple[str, ...]
    sources: tuple[SourceRef, ...]


class PlanWarning(ResultModel):
    """Something the person must know before following the plan (most serious first)."""

    id: str
    severity: str = "caution"
    text: str
    sources: tuple[SourceRef, ...] = ()


class CarePlan(ResultModel):
    """What to do now and in the coming days, for one triage result, at one knowledge-base version.

    The first fields (``disposition`` to ``complete``) are the triage result's.
    """

    disposition: Disposition
    label: str
    instruction: str
    rules_fired: tuple[str, ...]
    reasons: tuple[Reason, ...]
    unanswered: tuple[str, ...]
    complete: bool = Field(
        default_factory=lambda data: not data["unanswered"],
        description="True when `unanswered` is empty (computed from it).",
    )
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
        return self.rules_fired

    @property
    def home_plan(self) -> bool:
        """Whether this plan includes home care beyond comfort (soon and self-care only)."""
        return self.disposition in (Disposition.SOON, Disposition.SELF_CARE)

    def step(self, step_id: str) -> PlanStep | None:
        return next((s for s in self.steps if s.id == step_id), None)

    def medicine(self, medicine_id: str) -> MedicineAdvice | None:
        return next((m for m in self.medicines if m.id == medicine_id), None)
