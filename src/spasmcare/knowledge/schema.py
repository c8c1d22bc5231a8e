"""Pydantic models of the knowledge-base files, and the loaded :class:`KnowledgeBase`."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from pydantic import Field

from spasmcare.knowledge.base import ID_PATTERN, RULE_ID_PATTERN, VERSION_PATTERN, StrictModel
from spasmcare.knowledge.care import CareContent
from spasmcare.knowledge.conditions import Condition
from spasmcare.knowledge.lexicon import Lexicon
from spasmcare.knowledge.medicine_match import MedicineClass, MedicineMatching
from spasmcare.knowledge.topics import Term, Topic


class Disposition(StrEnum):
    """Triage outcomes, from most to least urgent."""

    EMERGENCY = "emergency"
    URGENT = "urgent"
    SOON = "soon"
    SELF_CARE = "self_care"

    @property
    def rank(self) -> int:
        """3 for emergency down to 0 for self-care; higher is more urgent."""
        return _RANK[self]

    @property
    def letter(self) -> str:
        """The rule-id prefix of this level (E, U, S); empty for self-care."""
        return {"emergency": "E", "urgent": "U", "soon": "S"}.get(self.value, "")


_RANK = {
    Disposition.EMERGENCY: 3,
    Disposition.URGENT: 2,
    Disposition.SOON: 1,
    Disposition.SELF_CARE: 0,
}


class Code(StrictModel):
    """A coded concept: ``{system, code, display}``."""

    system: str
    code: str
    display: str


class Source(StrictModel):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    citation: str = Field(min_length=10)
    year: int = Field(ge=1900, le=2100)
    kind: Literal["guideline", "review", "trial", "study", "web", "consumer", "label", "regulator"]
    url: str | None = None
    doi: str | None = None
    grade: Literal["strong", "moderate", "low", "insufficient", "against"] | None = None


class AppliesTo(StrictModel):
    """When a finding's question applies; absent means it applies to everyone."""

    regions: list[str] | None = None
    pregnant: bool | None = None


class Finding(StrictModel):
    id: str = Field(pattern=ID_PATTERN)
    category: Literal[
        "neurological",
        "brain",
        "infection",
        "cancer",
        "fracture",
        "chest_belly_legs",
        "pregnancy",
        "tetanus",
        "medicines",
        "course",
        "skin_nerves",
        "conditions",
        "context",
    ]
    label: str = Field(min_length=3, description="Short text for a checklist item.")
    question: str = Field(min_length=5, description="The yes/no question in plain words.")
    help: str = Field(min_length=5)
    applies_to: AppliesTo = AppliesTo()
    applies_when: dict[str, object] | None = Field(
        default=None, description="From 1.1.0: a condition saying when the question is asked."
    )
    self_check: str | None = Field(
        default=None, min_length=10, description="Shown after 'not sure', before asking again."
    )
    code: Code | None = None


class DispositionText(StrictModel):
    id: Disposition
    label: str
    instruction: str


class RuleFile(StrictModel):
    id: str = Field(pattern=RULE_ID_PATTERN)
    title: str = Field(min_length=3)
    disposition: Disposition
    when: dict[str, object]
    advice: str = Field(min_length=10)
    rationale: str = Field(min_length=10)
    references: list[str]
    status: Literal["active", "retired"]
    since: str = Field(pattern=VERSION_PATTERN)
    retired_in: str | None = Field(default=None, pattern=VERSION_PATTERN)


class InterviewStep(StrictModel):
    """One step of the adaptive interview: an intake field, or a checklist of findings."""

    id: str = Field(pattern=ID_PATTERN)
    kind: Literal["field", "checklist"]
    prompt: str = Field(min_length=5)
    help: str | None = None
    field: (
        Literal["age", "regions", "medicines", "sex", "pregnant", "onset", "pain", "duration_days"]
        | None
    ) = None
    findings: list[str] = Field(default_factory=list)
    lead: bool = False
    priority_regions: list[str] = Field(default_factory=list)
    context: bool = False


class ConditionInfo(StrictModel):
    id: str = Field(pattern=ID_PATTERN)
    label: str


class RequiredField(StrictModel):
    """An intake field listed in ``unanswered`` while missing (when its condition holds)."""

    applies_when: dict[str, object] | None = None


class KbInfo(StrictModel):
    version: str = Field(pattern=VERSION_PATTERN)
    released: str
    policy: str
    summary: str
    unanswered_levels: list[Literal["emergency", "urgent", "soon"]] = Field(
        default=["emergency", "urgent"]
    )
    """Levels whose rules' findings are listed in ``unanswered`` while missing (1.0.0: the two
    safety levels; 1.1.0 adds soon, policy v2 C57)."""
    required_fields: dict[
        Literal["pain", "onset", "duration_days", "sex", "pregnant"], RequiredField
    ] = Field(default={"pain": RequiredField(), "onset": RequiredField()})


@dataclass(frozen=True, slots=True)
class Rule:
    """A validated triage rule with its parsed condition."""

    id: str
    title: str
    disposition: Disposition
    when: Condition
    advice: str
    rationale: str
    references: tuple[str, ...]
    status: str
    since: str
    findings: frozenset[str]
    fields: frozenset[str]

    @property
    def number(self) -> int:
        return int(self.id[1:])

    @property
    def is_unsure_rule(self) -> bool:
        """N1-N3: rules about "not sure" answers, decided by the engine from the other rules."""
        return self.id.startswith("N")

    @property
    def order(self) -> tuple[int, int, int]:
        """Report order: by level, then E/U/S rules by number, then N rules (policy v2)."""
        return (-self.disposition.rank, int(self.is_unsure_rule), self.number)

    @property
    def active(self) -> bool:
        return self.status == "active"


@dataclass(frozen=True, eq=False)
class KnowledgeBase:
    """Everything clinical that spasmcare knows, at one version (compared by identity)."""

    info: KbInfo
    sources: dict[str, Source]
    findings: dict[str, Finding]
    rules: tuple[Rule, ...]
    dispositions: dict[Disposition, DispositionText]
    interview: tuple[InterviewStep, ...]
    medicine_classes: dict[str, MedicineClass]
    conditions: dict[str, ConditionInfo]
    topics: dict[str, Topic] = field(default_factory=dict)
    glossary: dict[str, Term] = field(default_factory=dict)
    care: CareContent = field(default_factory=CareContent)
    applicability: dict[str, Condition] = field(default_factory=dict)
    """Finding id -> when its question is asked (1.1.0 ``applies_when``)."""
    field_applicability: dict[str, Condition | None] = field(default_factory=dict)
    """Required intake field -> when it is listed as unanswered (None: always)."""
    medicine_matching: MedicineMatching | None = None
    """How medicine names match (medicines.yaml ``matching:``, 1.1.0); None: exact names (1.0.0)."""
    lexicon: Lexicon | None = None
    """Lay words for free-text symptoms (lexicon.yaml, 1.1.0); None: no free text (1.0.0)."""

    @property
    def version(self) -> str:
        return self.info.version

    @property
    def active_rules(self) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.active)

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        from spasmcare.errors import NotFoundError

        raise NotFoundError(f"no rule {rule_id!r} in knowledge base {self.version}")

    def cite(self, source_id: str) -> Source:
        return self.sources[source_id]
