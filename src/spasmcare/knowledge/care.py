"""Care content as data: first aid, remedies, stretches, medicines and their safety checks.

Files of a knowledge-base version (all required from 1.0.0):

- ``care.yaml``: ``items`` (the plan's steps, warning signs and the usual course), ``timers`` (heat,
  cold and stretch cycles) and ``messages`` (fixed texts of plan warnings);
- ``remedies.yaml``: every remedy people try, each graded honestly, with ``advice`` saying whether the
  plan may recommend it;
- ``stretches.yaml``: the stretch library;
- ``medicines.yaml``: ``classes`` (read by triage too), ``medicines`` (the options the plan gives a
  verdict on) and ``checks`` (when a medicine is ``ok``, ``caution`` or ``avoid`` for a person).

Checks and tailoring use the whitelisted condition language of :mod:`spasmcare.knowledge.conditions`
with the care leaves of :mod:`spasmcare.knowledge.care_conditions`, parsed while the files are
validated and evaluated by :mod:`spasmcare.plan.checks`. There is no expression syntax and no
``eval``. The models here are the content itself, as validated (frozen; text stripped).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, get_args

from pydantic import AfterValidator, Field, PlainValidator, ValidationInfo, model_validator

from spasmcare.errors import Problem
from spasmcare.knowledge.base import ID_PATTERN, StrictModel
from spasmcare.knowledge.body import REGIONS
from spasmcare.knowledge.care_conditions import care_vocabulary
from spasmcare.knowledge.conditions import (
    AllOf,
    AnyOf,
    Condition,
    Leaf,
    Not,
    Vocabulary,
    parse_condition,
)
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


# -- the content, as validated from the files ------------------------------------------------------
Text = Annotated[str, AfterValidator(str.strip)]
"""Text as shown: surrounding white space (YAML block scalars end in a newline) removed."""


@dataclass(frozen=True)
class ConditionContext:
    """Validation context of the care models: conditions are parsed while a file is validated, with
    the ids of the knowledge base, and their problems reported with file and path."""

    problems: list[Problem]
    care: Vocabulary
    check: Vocabulary
    where: str
    """Where an item is, with ``{id}`` for its id: ``care.yaml: items[{id}]``."""

    def parse(self, raw: object, path: str, vocabulary: Vocabulary) -> Condition | None:
        cond, problems = parse_condition(raw, path, vocabulary)
        self.problems.extend(problems)
        return cond


def _parsed(value: object) -> object:
    if value is None or isinstance(value, AllOf | AnyOf | Not | Leaf):
        return value
    raise ValueError("a condition is parsed by the knowledge loader (validation context)")


ParsedCondition = Annotated[Condition, PlainValidator(_parsed)]
"""A condition of the care vocabulary, parsed from YAML by :class:`WithConditions`."""


class WithConditions(StrictModel):
    """Care content whose ``when``, ``exclude_if`` and ``notes[i].when`` are conditions: parsed while
    validating (see :class:`ConditionContext`); a note whose condition is invalid is left out."""

    @model_validator(mode="before")
    @classmethod
    def _parse_conditions(cls, data: Any, info: ValidationInfo) -> Any:
        ctx = info.context
        if not isinstance(data, dict) or not isinstance(ctx, ConditionContext):
            return data
        where = ctx.where.format(id=data.get("id"))
        vocabulary = ctx.check if issubclass(cls, MedicineCheck) else ctx.care
        out = dict(data)
        for name in ("when", "exclude_if"):
            if name in cls.model_fields and data.get(name) is not None:
                out[name] = ctx.parse(data[name], f"{where}.{name}", vocabulary)
        notes = data.get("notes")
        if "notes" in cls.model_fields and isinstance(notes, list):
            out["notes"] = []
            for i, note in enumerate(notes):
                if isinstance(note, dict) and "when" in note:
                    when = ctx.parse(note["when"], f"{where}.notes[{i}].when", ctx.care)
                    if when is None:
                        continue
                    note = {**note, "when": when}
                out["notes"].append(note)
        return out


class Note(StrictModel):
    """A sentence added to an item when its condition holds for the person."""

    when: ParsedCondition
    text: Annotated[Text, Field(min_length=5)]


class CareItem(WithConditions):
    id: str = Field(pattern=ID_PATTERN)
    section: Section
    title: str = Field(min_length=3)
    how: Annotated[Text, Field(min_length=10)]
    grade: Grade
    sources: tuple[str, ...] = Field(min_length=1)
    dispositions: frozenset[DispositionId] = Field(min_length=1)
    regions: frozenset[str] | None = None
    when: ParsedCondition | None = None
    exclude_if: ParsedCondition | None = None
    excluded: str | None = Field(default=None, description="Message id shown when excluded.")
    notes: tuple[Note, ...] = ()
    causes: tuple[Cause, ...] = ()
    remedy: str | None = None
    level: Literal["emergency", "urgent", "soon"] | None = None
    rules: tuple[str, ...] = ()


class Timer(StrictModel):
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
    sessions: tuple[str, ...] = ()
    days: int = Field(default=3, ge=1, le=14)


class Message(StrictModel):
    id: str = Field(pattern=ID_PATTERN)
    text: Annotated[Text, Field(min_length=10)]
    sources: tuple[str, ...] = ()


class Remedy(WithConditions):
    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=3)
    also_called: tuple[str, ...] = ()
    kind: Literal["home", "medicine", "supplement", "therapy", "procedure", "device"]
    grade: Grade
    advice: Advice
    summary: Annotated[Text, Field(min_length=10)]
    sources: tuple[str, ...] = Field(min_length=1)
    medicines: tuple[str, ...] = ()
    notes: tuple[Note, ...] = ()
    causes: tuple[Cause, ...] = ()
    seed: bool = Field(default=False, description="Named by the seed article.")

    @property
    def recommended(self) -> bool:
        return self.advice in ("recommend", "option")


class Stretch(StrictModel):
    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=3)
    group: Literal["calf", "hamstring", "lower_back", "upper_back", "neck"]
    regions: frozenset[str] = Field(min_length=1)
    steps: tuple[Text, ...] = Field(min_length=2)
    hold_seconds: int = Field(ge=5, le=120)
    repetitions: int = Field(ge=1, le=20)
    times_per_day: int = Field(ge=1, le=6)
    stop_if: Annotated[Text, Field(min_length=10)]
    during_spasm: bool = False
    grade: Grade
    sources: tuple[str, ...] = Field(min_length=1)


class Limits(StrictModel):
    dose_mg: float | None = Field(default=None, gt=0)
    daily_mg: float | None = Field(default=None, gt=0)
    interval_hours: float | None = Field(default=None, gt=0)
    course_hours: float | None = Field(default=None, gt=0)


class Medicine(StrictModel):
    id: str = Field(pattern=ID_PATTERN)
    name: str
    brands: tuple[str, ...] = ()
    kind: Literal["otc", "prescription"]
    classes: frozenset[str] = frozenset()
    remedy: str
    dose: Annotated[Text, Field(min_length=10)]
    notes: tuple[Text, ...] = ()
    limits: Limits = Limits()
    sources: tuple[str, ...] = Field(min_length=1)


class MedicineCheck(WithConditions):
    id: str = Field(pattern=ID_PATTERN)
    applies_to: tuple[str, ...] = Field(min_length=1)
    when: ParsedCondition
    verdict: Verdict
    reason: Annotated[Text, Field(min_length=10)]
    sources: tuple[str, ...] = Field(min_length=1)
    warn: bool = False
    hide_dose: bool = False


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

    def context(where: str) -> ConditionContext:
        args = (list(condition_ids), list(finding_ids), list(class_ids))
        return ConditionContext(
            r.problems, care_vocabulary(*args), care_vocabulary(*args, medicine_check=True), where
        )

    checker = _Checker(r, set(source_ids))
    items = r.models(CareItem, "care.yaml", "items", context("care.yaml: items[{id}]"))
    timer_list = r.models(Timer, "care.yaml", "timers")
    message_list = r.models(Message, "care.yaml", "messages")
    remedies = r.unique(
        r.models(Remedy, "remedies.yaml", "remedies", context("remedies.yaml: {id}")),
        "remedies.yaml",
        lambda x: x.id,
    )
    stretch_files = r.unique(
        r.models(Stretch, "stretches.yaml", "stretches"), "stretches.yaml", lambda x: x.id
    )
    medicines = r.unique(
        r.models(Medicine, "medicines.yaml", "medicines"), "medicines.yaml", lambda x: x.id
    )
    check_files = r.unique(
        r.models(
            MedicineCheck, "medicines.yaml", "checks", context("medicines.yaml: checks[{id}]")
        ),
        "medicines.yaml",
        lambda x: x.id,
    )

    for rf in remedies.values():
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
            if m not in medicines:
                r.problems.append(Problem(f"{where}.medicines", f"unknown medicine {m!r}"))
        checker.notes(where, rf.notes)

    seen: set[str] = set()
    for f in items:
        where = f"care.yaml: items[{f.id}]"
        if f.id in seen:
            r.problems.append(Problem(where, "duplicate id"))
        seen.add(f.id)
        checker.sources(where, f.sources)
        checker.text(where + ".how", f.how)
        checker.regions(where, f.regions)
        checker.notes(where, f.notes)
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
    for level in ("emergency", "urgent", "soon", "self_care"):
        count = sum(1 for i in items if i.section == "instruction" and level in i.dispositions)
        if count != 1:
            r.problems.append(
                Problem("care.yaml: items", f"needs one instruction for {level!r}, found {count}")
            )

    for sf in stretch_files.values():
        where = f"stretches.yaml: {sf.id}"
        checker.sources(where, sf.sources)
        checker.regions(where, sf.regions)

    for mf in medicines.values():
        where = f"medicines.yaml: medicines[{mf.id}]"
        checker.sources(where, mf.sources)
        for c in mf.classes:
            if c not in class_ids:
                r.problems.append(Problem(f"{where}.classes", f"unknown medicine class {c!r}"))
        if mf.remedy not in remedies:
            r.problems.append(Problem(f"{where}.remedy", f"unknown remedy {mf.remedy!r}"))
        checker.text(where + ".dose", mf.dose)

    targets = set(medicines) | set(class_ids)
    for cf in check_files.values():
        where = f"medicines.yaml: checks[{cf.id}]"
        checker.sources(where, cf.sources)
        checker.text(where + ".reason", cf.reason)
        for i, target in enumerate(cf.applies_to):
            if target not in targets:
                r.problems.append(
                    Problem(f"{where}.applies_to[{i}]", f"unknown medicine or class {target!r}")
                )

    known_refs = {i.id for i in items} | set(remedies)
    timers: dict[str, Timer] = {}
    for tf in timer_list:
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
        timers[tf.id] = tf

    messages: dict[str, Message] = {}
    for msg in message_list:
        where = f"care.yaml: messages[{msg.id}]"
        checker.sources(where, msg.sources, required=False)
        checker.text(where, msg.text)
        messages[msg.id] = msg
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
        stretches=tuple(stretch_files.values()),
        medicines=medicines,
        checks=tuple(c for c in check_files.values() if c.when is not None),
        timers=timers,
        messages=messages,
    )


class _Checker:
    """Small shared checks of the care files, reporting to the reader."""

    def __init__(self, r: Reader, source_ids: set[str]) -> None:
        self.r = r
        self.source_ids = source_ids

    def sources(self, where: str, refs: Sequence[str], *, required: bool = True) -> None:
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

    def regions(self, where: str, regions: Collection[str] | None) -> None:
        for region in sorted(regions or ()):
            if region not in REGIONS:
                self.r.problems.append(
                    Problem(f"{where}.regions", f"unknown region {region!r}", ", ".join(REGIONS))
                )

    def notes(self, where: str, notes: Sequence[Note]) -> None:
        for i, note in enumerate(notes):
            self.text(f"{where}.notes[{i}]", note.text)
