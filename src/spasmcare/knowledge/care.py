"""Care content as data: first aid, remedies, stretches, medicines and their safety checks.

Files of a knowledge-base version (all required from 1.0.0):

- ``care.yaml``: ``items`` (the plan's steps, warning signs and the usual course), ``timers`` (heat,
  cold and stretch cycles) and ``messages`` (fixed texts of plan warnings);
- ``remedies.yaml``: every remedy people try, each graded honestly, with ``advice`` saying whether the
  plan may recommend it;
- ``stretches.yaml``: the stretch library;
- ``medicines.yaml``: ``classes`` (read by triage too), ``medicines`` (the options the plan gives a
  verdict on) and ``checks`` (when a medicine is ``ok``, ``caution`` or ``avoid`` for a person).

Checks and tailoring use a small whitelisted condition language (see :func:`parse_care_condition`),
parsed here into a typed tree and evaluated by :mod:`spasmcare.plan.checks`. There is no expression
syntax and no ``eval``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, get_args

from pydantic import Field

from spasmcare.errors import Problem
from spasmcare.knowledge.conditions import COMPARATORS, REGIONS
from spasmcare.knowledge.schema import ID_PATTERN, Strict

if TYPE_CHECKING:
    from spasmcare.knowledge.loader import _Reader

Grade = Literal["strong", "moderate", "low", "insufficient", "against"]
GRADES: tuple[str, ...] = get_args(Grade)
RECOMMENDED_GRADES: frozenset[str] = frozenset({"strong", "moderate", "low"})
"""Only items with these grades may be presented as something to do."""

GRADE_WORDS: dict[str, str] = {
    "strong": "strong proof",
    "moderate": "fair proof",
    "low": "some proof, but weak",
    "insufficient": "not proven",
    "against": "advised against",
}

Advice = Literal["recommend", "option", "specialist", "not_proven", "not_advised"]
ADVICE_GRADES: dict[str, frozenset[str]] = {
    "recommend": RECOMMENDED_GRADES,
    "option": RECOMMENDED_GRADES,
    "specialist": frozenset({"moderate", "low", "insufficient"}),
    "not_proven": frozenset({"insufficient"}),
    "not_advised": frozenset({"against"}),
}
"""Which grades each kind of advice allows: nothing unproven or advised against is recommended."""

Section = Literal[
    "instruction",
    "waiting",
    "now",
    "pain_relief",
    "stretches",
    "coming_days",
    "prevention",
    "get_help",
    "course",
]
SECTIONS: tuple[str, ...] = get_args(Section)
DispositionId = Literal["emergency", "urgent", "soon", "self_care"]
Cause = Literal["too_little_use", "overuse", "fluids_minerals", "stress", "injury"]
CAUSES: tuple[str, ...] = get_args(Cause)
Verdict = Literal["ok", "caution", "avoid"]
VERDICT_RANK: dict[str, int] = {"ok": 0, "caution": 1, "avoid": 2}
MEASURES: tuple[str, ...] = ("age", "alcohol_drinks_per_day", "weight_kg", "pregnancy_weeks")
PLACEHOLDERS: frozenset[str] = frozenset({"names", "mg", "hours", "emergency", "max_mg"})
REQUIRED_MESSAGES: tuple[str, ...] = (
    "not_checked",
    "partial_match",
    "same_medicine",
    "nothing_listed",
    "no_problem_found",
    "dose_not_counted",
    "heat_excluded",
    "no_nsaid",
    "did_you_mean",
    "incomplete",
    "unanswered_pain",
    "unanswered_onset",
)
_PLACEHOLDER_RE = re.compile(r"\{([^{}]*)\}")
_TIME_RE = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")


# -- the condition language of checks and tailoring ------------------------------------------------
@dataclass(frozen=True, slots=True)
class CAll:
    parts: tuple[CareCondition, ...]


@dataclass(frozen=True, slots=True)
class CAny:
    parts: tuple[CareCondition, ...]


@dataclass(frozen=True, slots=True)
class CNot:
    part: CareCondition


@dataclass(frozen=True, slots=True)
class HasCondition:
    """The person reported this health condition (conditions.yaml id)."""

    condition: str


@dataclass(frozen=True, slots=True)
class HasFinding:
    """A triage finding was answered true (e.g. ``low_fluids``)."""

    finding: str


@dataclass(frozen=True, slots=True)
class Takes:
    """The person takes a medicine of this class."""

    cls: str


@dataclass(frozen=True, slots=True)
class TakesOther:
    """The person takes a medicine of this class other than the medicine being checked."""

    cls: str


@dataclass(frozen=True, slots=True)
class TakesCount:
    """How many of the names the person lists belong to a class (``{class: x, gte: 2}``)."""

    cls: str
    op: str
    value: float


@dataclass(frozen=True, slots=True)
class TakesSelf:
    """The person already lists the medicine being checked."""


@dataclass(frozen=True, slots=True)
class TakesUnknown:
    """The person lists a medicine name spasmcare does not recognise."""


@dataclass(frozen=True, slots=True)
class Measure:
    """A comparison on a number of the intake; an unknown value makes it false."""

    field: str
    op: str
    value: float


@dataclass(frozen=True, slots=True)
class PregnantIs:
    """``pregnant: true``, ``false`` or ``unknown`` (not answered)."""

    value: bool | None


@dataclass(frozen=True, slots=True)
class PregnancyWeeksUnknown:
    """Pregnant, and the week of pregnancy is not known."""


@dataclass(frozen=True, slots=True)
class SexIs:
    """``sex: female``, ``male``, ``other`` or ``unknown``."""

    value: str | None


@dataclass(frozen=True, slots=True)
class RegionIn:
    regions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TakenMg24h:
    """Milligrams of a class's medicines recorded as taken in the 24 hours before ``now``."""

    cls: str
    op: str
    value: float


@dataclass(frozen=True, slots=True)
class TakenHours:
    """Hours from the first to the last recorded dose of a class (a course still going on)."""

    cls: str
    op: str
    value: float


CareCondition = (
    CAll
    | CAny
    | CNot
    | HasCondition
    | HasFinding
    | Takes
    | TakesOther
    | TakesCount
    | TakesSelf
    | TakesUnknown
    | Measure
    | PregnantIs
    | PregnancyWeeksUnknown
    | SexIs
    | RegionIn
    | TakenMg24h
    | TakenHours
)

CONDITION_KEYS = (
    "all, any, not, condition, finding, takes, takes_other, takes_count, takes_self, takes_unknown, "
    "age, alcohol_drinks_per_day, weight_kg, pregnancy_weeks, pregnant, pregnancy_weeks_unknown, "
    "sex, region, taken_mg_24h, taken_hours"
)
_MEDICINE_ONLY = ("takes_other", "takes_self")


def walk_care(cond: CareCondition) -> Iterator[CareCondition]:
    """Every node of a care condition, depth first."""
    yield cond
    if isinstance(cond, CAll | CAny):
        for part in cond.parts:
            yield from walk_care(part)
    elif isinstance(cond, CNot):
        yield from walk_care(cond.part)


@dataclass(frozen=True)
class Vocabulary:
    """The ids a care condition may name."""

    conditions: Collection[str]
    findings: Collection[str]
    classes: Collection[str]


def parse_care_condition(
    raw: object, path: str, vocab: Vocabulary, *, medicine_check: bool = False
) -> tuple[CareCondition | None, list[Problem]]:
    """Parse one condition of the care language; return the tree (or None) and every problem.

    A condition is a mapping with one key: ``all``/``any`` (a list), ``not``; ``condition: id``;
    ``finding: id``; ``takes: class``; ``takes_other: class`` and ``takes_self: true`` (medicine
    checks only); ``takes_count: {class: id, gte: 2}``; ``takes_unknown: true``; a comparison on
    ``age``, ``alcohol_drinks_per_day``, ``weight_kg`` or ``pregnancy_weeks`` (``{gte: 20}``);
    ``pregnant: true|false|unknown``; ``pregnancy_weeks_unknown: true``;
    ``sex: female|male|other|unknown``; ``region: id or list``; ``taken_mg_24h`` and ``taken_hours``
    (``{class: id, gte: n}``: from the doses recorded in the diary).
    """
    problems: list[Problem] = []
    cond = _parse(raw, path, vocab, medicine_check, problems)
    return (cond if not problems else None), problems


def _parse(
    raw: object, path: str, vocab: Vocabulary, in_check: bool, problems: list[Problem]
) -> CareCondition | None:
    if not isinstance(raw, dict) or len(raw) != 1:
        problems.append(
            Problem(
                path,
                f"a condition must be a mapping with exactly one key, got {raw!r}",
                CONDITION_KEYS,
            )
        )
        return None
    ((key, value),) = raw.items()
    here = f"{path}.{key}"

    def bad(message: str, allowed: str | None = None) -> None:
        problems.append(Problem(here, message, allowed))

    if key in _MEDICINE_ONLY and not in_check:
        bad("only allowed in a medicine check")
        return None
    if key in ("all", "any"):
        if not isinstance(value, list) or not value:
            bad("needs a non-empty list of conditions")
            return None
        parts = [_parse(v, f"{here}[{i}]", vocab, in_check, problems) for i, v in enumerate(value)]
        clean = tuple(p for p in parts if p is not None)
        if len(clean) != len(parts):
            return None
        return CAll(clean) if key == "all" else CAny(clean)
    if key == "not":
        part = _parse(value, here, vocab, in_check, problems)
        return CNot(part) if part is not None else None
    if key == "condition":
        if value not in vocab.conditions:
            bad(f"unknown condition {value!r}", ", ".join(vocab.conditions))
            return None
        return HasCondition(str(value))
    if key == "finding":
        if value not in vocab.findings:
            bad(f"unknown finding {value!r}")
            return None
        return HasFinding(str(value))
    if key in ("takes", "takes_other"):
        if value not in vocab.classes:
            bad(f"unknown medicine class {value!r}", ", ".join(vocab.classes))
            return None
        return Takes(str(value)) if key == "takes" else TakesOther(str(value))
    if key in ("takes_self", "takes_unknown", "pregnancy_weeks_unknown"):
        if value is not True:
            bad(f"must be true, got {value!r}", "true")
            return None
        if key == "takes_self":
            return TakesSelf()
        return TakesUnknown() if key == "takes_unknown" else PregnancyWeeksUnknown()
    if key in ("takes_count", "taken_mg_24h", "taken_hours"):
        parsed = _class_compare(value, here, vocab, problems)
        if parsed is None:
            return None
        cls, op, number = parsed
        if key == "takes_count":
            return TakesCount(cls, op, number)
        return TakenMg24h(cls, op, number) if key == "taken_mg_24h" else TakenHours(cls, op, number)
    if key in MEASURES:
        compare = _compare(value, here, problems)
        return Measure(key, *compare) if compare is not None else None
    if key == "pregnant":
        if value not in (True, False, "unknown"):
            bad(f"must be true, false or unknown, got {value!r}", "true, false, unknown")
            return None
        return PregnantIs(None if value == "unknown" else bool(value))
    if key == "sex":
        if value not in ("female", "male", "other", "unknown"):
            bad(f"unknown sex {value!r}", "female, male, other, unknown")
            return None
        return SexIs(None if value == "unknown" else str(value))
    if key == "region":
        regions = [value] if isinstance(value, str) else value
        if not isinstance(regions, list) or not regions or any(r not in REGIONS for r in regions):
            bad(f"unknown region in {value!r}", ", ".join(REGIONS))
            return None
        return RegionIn(tuple(regions))
    problems.append(Problem(path, f"unknown condition {key!r}", CONDITION_KEYS))
    return None


def _compare(value: object, path: str, problems: list[Problem]) -> tuple[str, float] | None:
    if not isinstance(value, dict) or len(value) != 1:
        problems.append(
            Problem(path, "needs exactly one comparison, e.g. {gte: 60}", ", ".join(COMPARATORS))
        )
        return None
    ((op, number),) = value.items()
    if op not in COMPARATORS:
        problems.append(Problem(f"{path}.{op}", "unknown comparison", ", ".join(COMPARATORS)))
        return None
    if isinstance(number, bool) or not isinstance(number, int | float):
        problems.append(Problem(f"{path}.{op}", f"must be a number, got {number!r}"))
        return None
    return str(op), float(number)


def _class_compare(
    value: object, path: str, vocab: Vocabulary, problems: list[Problem]
) -> tuple[str, str, float] | None:
    if not isinstance(value, dict) or "class" not in value or len(value) != 2:
        problems.append(
            Problem(path, "needs a class and one comparison, e.g. {class: nsaid, gte: 2}")
        )
        return None
    rest = {k: v for k, v in value.items() if k != "class"}
    cls = value["class"]
    if cls not in vocab.classes:
        problems.append(
            Problem(f"{path}.class", f"unknown medicine class {cls!r}", ", ".join(vocab.classes))
        )
        return None
    compare = _compare(rest, path, problems)
    return (str(cls), *compare) if compare is not None else None


# -- file models -----------------------------------------------------------------------------------
class NoteFile(Strict):
    when: dict[str, object]
    text: str = Field(min_length=5)


class CareItemFile(Strict):
    id: str = Field(pattern=ID_PATTERN)
    section: Section
    title: str = Field(min_length=3)
    how: str = Field(min_length=10)
    grade: Grade
    sources: list[str] = Field(min_length=1)
    dispositions: list[DispositionId] = Field(min_length=1)
    regions: list[str] | None = None
    when: dict[str, object] | None = None
    exclude_if: dict[str, object] | None = None
    excluded: str | None = Field(default=None, description="Message id shown when excluded.")
    notes: list[NoteFile] = Field(default_factory=list)
    causes: list[Cause] = Field(default_factory=list)
    remedy: str | None = None
    level: Literal["emergency", "urgent", "soon"] | None = None
    rules: list[str] = Field(default_factory=list)


class TimerFile(Strict):
    id: Literal["heat", "cold", "stretch"]
    title: str
    item: str
    on_minutes: float = Field(gt=0)
    off_minutes: float = Field(ge=0)
    cycles: int = Field(ge=1)
    max_on_minutes: float = Field(gt=0)
    min_off_minutes: float = Field(ge=0)
    max_cycles: int = Field(ge=1)
    on_text: str = Field(min_length=5)
    off_text: str = Field(min_length=5)
    done_text: str = Field(min_length=5)
    sessions: list[str] = Field(default_factory=list)
    days: int = Field(default=3, ge=1, le=14)


class MessageFile(Strict):
    id: str = Field(pattern=ID_PATTERN)
    text: str = Field(min_length=10)
    sources: list[str] = Field(default_factory=list)


class RemedyFile(Strict):
    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=3)
    also_called: list[str] = Field(default_factory=list)
    kind: Literal["home", "medicine", "supplement", "therapy", "procedure", "device"]
    grade: Grade
    advice: Advice
    summary: str = Field(min_length=10)
    sources: list[str] = Field(min_length=1)
    medicines: list[str] = Field(default_factory=list)
    notes: list[NoteFile] = Field(default_factory=list)
    causes: list[Cause] = Field(default_factory=list)
    seed: bool = Field(default=False, description="Named by the seed article.")


class StretchFile(Strict):
    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=3)
    group: Literal["calf", "hamstring", "lower_back", "upper_back", "neck"]
    regions: list[str] = Field(min_length=1)
    steps: list[str] = Field(min_length=2)
    hold_seconds: int = Field(ge=5, le=120)
    repetitions: int = Field(ge=1, le=20)
    times_per_day: int = Field(ge=1, le=6)
    stop_if: str = Field(min_length=10)
    during_spasm: bool = False
    grade: Grade
    sources: list[str] = Field(min_length=1)


class LimitsFile(Strict):
    dose_mg: float | None = Field(default=None, gt=0)
    daily_mg: float | None = Field(default=None, gt=0)
    interval_hours: float | None = Field(default=None, gt=0)
    course_hours: float | None = Field(default=None, gt=0)


class MedicineFile(Strict):
    id: str = Field(pattern=ID_PATTERN)
    name: str
    brands: list[str] = Field(default_factory=list)
    kind: Literal["otc", "prescription"]
    classes: list[str] = Field(default_factory=list)
    remedy: str
    dose: str = Field(min_length=10)
    notes: list[str] = Field(default_factory=list)
    limits: LimitsFile = LimitsFile()
    sources: list[str] = Field(min_length=1)


class CheckFile(Strict):
    id: str = Field(pattern=ID_PATTERN)
    applies_to: list[str] = Field(min_length=1)
    when: dict[str, object]
    verdict: Verdict
    reason: str = Field(min_length=10)
    sources: list[str] = Field(min_length=1)
    warn: bool = False
    hide_dose: bool = False


# -- loaded content --------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Note:
    """A sentence added to an item when its condition holds for the person."""

    when: CareCondition
    text: str


@dataclass(frozen=True, slots=True)
class CareItem:
    id: str
    section: str
    title: str
    how: str
    grade: str
    sources: tuple[str, ...]
    dispositions: frozenset[str]
    regions: frozenset[str] | None
    when: CareCondition | None
    exclude_if: CareCondition | None
    excluded: str | None
    notes: tuple[Note, ...]
    causes: tuple[str, ...]
    remedy: str | None
    level: str | None
    rules: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Remedy:
    id: str
    title: str
    also_called: tuple[str, ...]
    kind: str
    grade: str
    advice: str
    summary: str
    sources: tuple[str, ...]
    medicines: tuple[str, ...]
    notes: tuple[Note, ...]
    causes: tuple[str, ...]
    seed: bool

    @property
    def recommended(self) -> bool:
        return self.advice in ("recommend", "option")


@dataclass(frozen=True, slots=True)
class Stretch:
    id: str
    title: str
    group: str
    regions: frozenset[str]
    steps: tuple[str, ...]
    hold_seconds: int
    repetitions: int
    times_per_day: int
    stop_if: str
    during_spasm: bool
    grade: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Limits:
    dose_mg: float | None = None
    daily_mg: float | None = None
    interval_hours: float | None = None
    course_hours: float | None = None


@dataclass(frozen=True, slots=True)
class Medicine:
    id: str
    name: str
    brands: tuple[str, ...]
    kind: str
    classes: frozenset[str]
    remedy: str
    dose: str
    notes: tuple[str, ...]
    limits: Limits
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MedicineCheck:
    id: str
    applies_to: tuple[str, ...]
    when: CareCondition
    verdict: str
    reason: str
    sources: tuple[str, ...]
    warn: bool
    hide_dose: bool


@dataclass(frozen=True, slots=True)
class Timer:
    id: str
    title: str
    item: str
    on_minutes: float
    off_minutes: float
    cycles: int
    max_on_minutes: float
    min_off_minutes: float
    max_cycles: int
    on_text: str
    off_text: str
    done_text: str
    sessions: tuple[str, ...]
    days: int


@dataclass(frozen=True, slots=True)
class Message:
    id: str
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class CareContent:
    """All care content of one knowledge-base version (empty only for a version without it)."""

    items: tuple[CareItem, ...] = ()
    remedies: dict[str, Remedy] = field(default_factory=dict)
    stretches: tuple[Stretch, ...] = ()
    medicines: dict[str, Medicine] = field(default_factory=dict)
    checks: tuple[MedicineCheck, ...] = ()
    timers: dict[str, Timer] = field(default_factory=dict)
    messages: dict[str, Message] = field(default_factory=dict)

    def item(self, item_id: str) -> CareItem:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def texts(self) -> Iterator[tuple[str, str]]:
        """Every user-facing text of the care content with where it lives (for readability checks)."""
        for i in self.items:
            yield f"care.yaml: items[{i.id}].title", i.title
            yield f"care.yaml: items[{i.id}].how", i.how
            for n, note in enumerate(i.notes):
                yield f"care.yaml: items[{i.id}].notes[{n}]", note.text
        for t in self.timers.values():
            for name in ("title", "on_text", "off_text", "done_text"):
                yield f"care.yaml: timers[{t.id}].{name}", getattr(t, name)
        for m in self.messages.values():
            yield f"care.yaml: messages[{m.id}]", m.text
        for r in self.remedies.values():
            yield f"remedies.yaml: {r.id}.title", r.title
            yield f"remedies.yaml: {r.id}.summary", r.summary
            for n, note in enumerate(r.notes):
                yield f"remedies.yaml: {r.id}.notes[{n}]", note.text
        for s in self.stretches:
            yield f"stretches.yaml: {s.id}.title", s.title
            for n, step in enumerate(s.steps):
                yield f"stretches.yaml: {s.id}.steps[{n}]", step
            yield f"stretches.yaml: {s.id}.stop_if", s.stop_if
        for med in self.medicines.values():
            yield f"medicines.yaml: medicines[{med.id}].dose", med.dose
            for n, text in enumerate(med.notes):
                yield f"medicines.yaml: medicines[{med.id}].notes[{n}]", text
        for c in self.checks:
            yield f"medicines.yaml: checks[{c.id}].reason", c.reason


def placeholders(text: str) -> set[str]:
    """The ``{name}`` placeholders a text uses."""
    return set(_PLACEHOLDER_RE.findall(text))


def fill(text: str, values: Mapping[str, str]) -> str:
    """Replace ``{name}`` placeholders with values (plain replacement: no format mini-language)."""
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


# -- loading ---------------------------------------------------------------------------------------
def load_care(
    r: _Reader,
    *,
    source_ids: Collection[str],
    finding_ids: Collection[str],
    condition_ids: Collection[str],
    class_ids: Collection[str],
    rule_ids: Collection[str],
) -> CareContent:
    """Read care.yaml, remedies.yaml, stretches.yaml and the medicines and checks of medicines.yaml.

    Problems go to the shared reader, each with its file and path, so the loader reports every
    problem of the knowledge base at once.
    """
    vocab = Vocabulary(
        conditions=list(condition_ids), findings=list(finding_ids), classes=list(class_ids)
    )
    checker = _Checker(r, set(source_ids))

    item_files = r.models(CareItemFile, "care.yaml", "items")
    timer_files = r.models(TimerFile, "care.yaml", "timers")
    message_files = r.models(MessageFile, "care.yaml", "messages")
    remedy_files = r.unique(
        r.models(RemedyFile, "remedies.yaml", "remedies"), "remedies.yaml", lambda x: x.id
    )
    stretch_files = r.unique(
        r.models(StretchFile, "stretches.yaml", "stretches"), "stretches.yaml", lambda x: x.id
    )
    medicine_files = r.unique(
        r.models(MedicineFile, "medicines.yaml", "medicines"), "medicines.yaml", lambda x: x.id
    )
    check_files = r.unique(
        r.models(CheckFile, "medicines.yaml", "checks"), "medicines.yaml", lambda x: x.id
    )

    remedies: dict[str, Remedy] = {}
    for rf in remedy_files.values():
        where = f"remedies.yaml: {rf.id}"
        checker.sources(where, rf.sources)
        checker.text(where + ".summary", rf.summary)
        if rf.grade not in ADVICE_GRADES[rf.advice]:
            r.problems.append(
                Problem(
                    f"{where}.advice",
                    f"{rf.advice!r} does not fit grade {rf.grade!r}",
                    ", ".join(a for a, grades in ADVICE_GRADES.items() if rf.grade in grades),
                )
            )
        for m in rf.medicines:
            if m not in medicine_files:
                r.problems.append(Problem(f"{where}.medicines", f"unknown medicine {m!r}"))
        remedies[rf.id] = Remedy(
            id=rf.id,
            title=rf.title,
            also_called=tuple(rf.also_called),
            kind=rf.kind,
            grade=rf.grade,
            advice=rf.advice,
            summary=rf.summary.strip(),
            sources=tuple(rf.sources),
            medicines=tuple(rf.medicines),
            notes=checker.notes(where, rf.notes, vocab),
            causes=tuple(rf.causes),
            seed=rf.seed,
        )

    items: list[CareItem] = []
    seen: set[str] = set()
    for f in item_files:
        where = f"care.yaml: items[{f.id}]"
        if f.id in seen:
            r.problems.append(Problem(where, "duplicate id"))
        seen.add(f.id)
        checker.sources(where, f.sources)
        checker.text(where + ".how", f.how)
        checker.regions(where, f.regions)
        if f.remedy is not None:
            remedy = remedies.get(f.remedy)
            if remedy is None:
                r.problems.append(Problem(f"{where}.remedy", f"unknown remedy {f.remedy!r}"))
            elif remedy.grade != f.grade:
                r.problems.append(
                    Problem(
                        f"{where}.grade",
                        f"{f.grade!r} differs from remedy {remedy.id!r}",
                        remedy.grade,
                    )
                )
        if (f.section == "get_help") != (f.level is not None):
            r.problems.append(
                Problem(f"{where}.level", "get_help items, and only they, need a level")
            )
        for i, rule in enumerate(f.rules):
            if rule not in rule_ids:
                r.problems.append(Problem(f"{where}.rules[{i}]", f"unknown rule {rule!r}"))
        if f.grade not in RECOMMENDED_GRADES:
            r.problems.append(
                Problem(
                    f"{where}.grade",
                    f"a plan step must not be {f.grade!r}: put it in remedies.yaml instead",
                    ", ".join(sorted(RECOMMENDED_GRADES)),
                )
            )
        items.append(
            CareItem(
                id=f.id,
                section=f.section,
                title=f.title,
                how=f.how.strip(),
                grade=f.grade,
                sources=tuple(f.sources),
                dispositions=frozenset(f.dispositions),
                regions=frozenset(f.regions) if f.regions is not None else None,
                when=checker.condition(f"{where}.when", f.when, vocab),
                exclude_if=checker.condition(f"{where}.exclude_if", f.exclude_if, vocab),
                excluded=f.excluded,
                notes=checker.notes(where, f.notes, vocab),
                causes=tuple(f.causes),
                remedy=f.remedy,
                level=f.level,
                rules=tuple(f.rules),
            )
        )
    for level in ("emergency", "urgent", "soon", "self_care"):
        count = sum(1 for i in items if i.section == "instruction" and level in i.dispositions)
        if count != 1:
            r.problems.append(
                Problem("care.yaml: items", f"needs one instruction for {level!r}, found {count}")
            )

    stretches: list[Stretch] = []
    for sf in stretch_files.values():
        where = f"stretches.yaml: {sf.id}"
        checker.sources(where, sf.sources)
        checker.regions(where, sf.regions)
        stretches.append(
            Stretch(
                id=sf.id,
                title=sf.title,
                group=sf.group,
                regions=frozenset(sf.regions),
                steps=tuple(s.strip() for s in sf.steps),
                hold_seconds=sf.hold_seconds,
                repetitions=sf.repetitions,
                times_per_day=sf.times_per_day,
                stop_if=sf.stop_if.strip(),
                during_spasm=sf.during_spasm,
                grade=sf.grade,
                sources=tuple(sf.sources),
            )
        )

    medicines: dict[str, Medicine] = {}
    for mf in medicine_files.values():
        where = f"medicines.yaml: medicines[{mf.id}]"
        checker.sources(where, mf.sources)
        for c in mf.classes:
            if c not in class_ids:
                r.problems.append(Problem(f"{where}.classes", f"unknown medicine class {c!r}"))
        if mf.remedy not in remedies:
            r.problems.append(Problem(f"{where}.remedy", f"unknown remedy {mf.remedy!r}"))
        checker.text(where + ".dose", mf.dose)
        medicines[mf.id] = Medicine(
            id=mf.id,
            name=mf.name,
            brands=tuple(mf.brands),
            kind=mf.kind,
            classes=frozenset(mf.classes),
            remedy=mf.remedy,
            dose=mf.dose.strip(),
            notes=tuple(n.strip() for n in mf.notes),
            limits=Limits(**mf.limits.model_dump()),
            sources=tuple(mf.sources),
        )

    targets = set(medicines) | set(class_ids)
    checks: list[MedicineCheck] = []
    for cf in check_files.values():
        where = f"medicines.yaml: checks[{cf.id}]"
        checker.sources(where, cf.sources)
        checker.text(where + ".reason", cf.reason)
        for i, target in enumerate(cf.applies_to):
            if target not in targets:
                r.problems.append(
                    Problem(f"{where}.applies_to[{i}]", f"unknown medicine or class {target!r}")
                )
        cond = checker.condition(f"{where}.when", cf.when, vocab, medicine_check=True)
        if cond is None:
            continue
        checks.append(
            MedicineCheck(
                id=cf.id,
                applies_to=tuple(cf.applies_to),
                when=cond,
                verdict=cf.verdict,
                reason=cf.reason.strip(),
                sources=tuple(cf.sources),
                warn=cf.warn,
                hide_dose=cf.hide_dose,
            )
        )

    known_refs = {i.id for i in items} | set(remedies)
    timers: dict[str, Timer] = {}
    for tf in timer_files:
        where = f"care.yaml: timers[{tf.id}]"
        if tf.item not in known_refs:
            r.problems.append(Problem(f"{where}.item", f"unknown care item or remedy {tf.item!r}"))
        if tf.on_minutes > tf.max_on_minutes or tf.off_minutes < tf.min_off_minutes:
            r.problems.append(Problem(where, "default times are outside the limits"))
        if tf.cycles > tf.max_cycles:
            r.problems.append(Problem(f"{where}.cycles", "more than max_cycles"))
        for i, t in enumerate(tf.sessions):
            if not _TIME_RE.match(t):
                r.problems.append(
                    Problem(f"{where}.sessions[{i}]", f"{t!r} is not a time", "HH:MM")
                )
        if tf.id in timers:
            r.problems.append(Problem(where, "duplicate timer"))
        timers[tf.id] = Timer(**{**tf.model_dump(), "sessions": tuple(tf.sessions)})

    messages: dict[str, Message] = {}
    for mf2 in message_files:
        where = f"care.yaml: messages[{mf2.id}]"
        checker.sources(where, mf2.sources, required=False)
        checker.text(where, mf2.text)
        messages[mf2.id] = Message(mf2.id, mf2.text.strip(), tuple(mf2.sources))
    for mid in REQUIRED_MESSAGES:
        if mid not in messages:
            r.problems.append(Problem("care.yaml: messages", f"message {mid!r} is missing"))
    for item in items:
        if (item.exclude_if is None) != (item.excluded is None):
            r.problems.append(
                Problem(
                    f"care.yaml: items[{item.id}].excluded", "exclude_if and excluded go together"
                )
            )
        elif item.excluded is not None and item.excluded not in messages:
            r.problems.append(
                Problem(
                    f"care.yaml: items[{item.id}].excluded", f"unknown message {item.excluded!r}"
                )
            )

    return CareContent(
        items=tuple(items),
        remedies=remedies,
        stretches=tuple(stretches),
        medicines=medicines,
        checks=tuple(checks),
        timers=timers,
        messages=messages,
    )


class _Checker:
    """Small shared checks of the care files, reporting to the reader."""

    def __init__(self, r: _Reader, source_ids: set[str]) -> None:
        self.r = r
        self.source_ids = source_ids

    def sources(self, where: str, refs: list[str], *, required: bool = True) -> None:
        if required and not refs:
            self.r.problems.append(Problem(f"{where}.sources", "needs at least one source"))
        for i, ref in enumerate(refs):
            if ref not in self.source_ids:
                self.r.problems.append(Problem(f"{where}.sources[{i}]", f"unknown source {ref!r}"))

    def text(self, where: str, text: str) -> None:
        unknown = placeholders(text) - PLACEHOLDERS
        if unknown:
            self.r.problems.append(
                Problem(
                    where,
                    f"unknown placeholder {sorted(unknown)[0]!r}",
                    ", ".join(sorted(PLACEHOLDERS)),
                )
            )

    def regions(self, where: str, regions: list[str] | None) -> None:
        for region in regions or []:
            if region not in REGIONS:
                self.r.problems.append(
                    Problem(f"{where}.regions", f"unknown region {region!r}", ", ".join(REGIONS))
                )

    def condition(
        self,
        where: str,
        raw: dict[str, object] | None,
        vocab: Vocabulary,
        *,
        medicine_check: bool = False,
    ) -> CareCondition | None:
        if raw is None:
            return None
        cond, problems = parse_care_condition(raw, where, vocab, medicine_check=medicine_check)
        self.r.problems.extend(problems)
        return cond

    def notes(self, where: str, notes: list[NoteFile], vocab: Vocabulary) -> tuple[Note, ...]:
        out: list[Note] = []
        for i, note in enumerate(notes):
            self.text(f"{where}.notes[{i}]", note.text)
            cond = self.condition(f"{where}.notes[{i}].when", note.when, vocab)
            if cond is not None:
                out.append(Note(cond, note.text.strip()))
        return tuple(out)
