"""Care content as data: first aid, remedies, stretches, medicines and their safety checks.

Files of a knowledge-base version (all required from 1.0.0):

- ``care.yaml``: ``items`` (the plan's steps, warning signs and the usual course), ``timers`` (heat,
  cold and stretch cycles) and ``messages`` (fixed texts of plan warnings);
- ``remedies.yaml``: every remedy people try, each graded honestly, with ``advice`` saying whether the
  plan may recommend it;
- ``stretches.yaml``: the stretch library;
- ``medicines.yaml``: ``classes`` (read by triage too), ``medicines`` (the options the plan gives a
  verdict on) and ``checks`` (when a medicine is ``ok``, ``caution`` or ``avoid`` for a person).

Checks and tailoring use a small whitelisted condition language
(:mod:`spasmcare.knowledge.care_conditions`), evaluated by :mod:`spasmcare.plan.checks`. There is no
expression syntax and no ``eval``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, get_args

from pydantic import Field

from spasmcare.errors import Problem
from spasmcare.knowledge.base import ID_PATTERN, StrictModel
from spasmcare.knowledge.care_conditions import CareCondition, Vocabulary, parse_care_condition
from spasmcare.knowledge.conditions import REGIONS

if TYPE_CHECKING:
    from spasmcare.knowledge.reader import Reader

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
class NoteFile(StrictModel):
    when: dict[str, object]
    text: str = Field(min_length=5)


class CareItemFile(StrictModel):
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


class TimerFile(StrictModel):
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


class MessageFile(StrictModel):
    id: str = Field(pattern=ID_PATTERN)
    text: str = Field(min_length=10)
    sources: list[str] = Field(default_factory=list)


class RemedyFile(StrictModel):
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


class StretchFile(StrictModel):
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


class LimitsFile(StrictModel):
    dose_mg: float | None = Field(default=None, gt=0)
    daily_mg: float | None = Field(default=None, gt=0)
    interval_hours: float | None = Field(default=None, gt=0)
    course_hours: float | None = Field(default=None, gt=0)


class MedicineFile(StrictModel):
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


class CheckFile(StrictModel):
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
    r: Reader,
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

    def __init__(self, r: Reader, source_ids: set[str]) -> None:
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
