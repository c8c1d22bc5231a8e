"""``build_plan(intake, kb)``: turn a triage result into what to do now and in the coming days.

- ``emergency``: only the emergency instruction and what to do while waiting;
- ``urgent``: the instruction, comfort measures and the emergency warning signs;
- ``soon`` and ``self_care``: the full plan, ordered by what to do first, tailored to the regions,
  the causes the person reported and the medicine safety checks.

Every step carries its evidence grade and sources; remedies that are not proven or advised against
are listed apart (``other_options``), never as steps. Pure and deterministic: no clock, no I/O.
Parts that depend only on a few facts (the steps for given regions and context findings, a
medicine's advice when its reasons name nobody) are memoised per knowledge base.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, TypeVar

from spasmcare.errors import KnowledgeError
from spasmcare.knowledge.care import CareContent, CareItem, Medicine, Note, Remedy, fill
from spasmcare.knowledge.schema import Disposition, KnowledgeBase
from spasmcare.plan.checks import (
    Person,
    Predicate,
    Taken,
    compile_care,
    join_names,
    keyed,
    taken_classes,
)
from spasmcare.plan.doses import DoseSummary, DoseTaken, summarize
from spasmcare.plan.medicines import (
    CheckIndex,
    CompiledCheck,
    Fired,
    Resolver,
    compile_checks,
    fire,
    reason_text,
    worst,
)
from spasmcare.plan.model import (
    CarePlan,
    CheckReason,
    HelpSign,
    MedicineAdvice,
    OtherOption,
    PlanStep,
    PlanWarning,
    StretchCard,
)
from spasmcare.triage.engine import DEFAULT_EMERGENCY_CALL, SourceRef, TriageResult, evaluate
from spasmcare.triage.intake import Intake

_SEVERITY = {"avoid": 0, "caution": 1, "info": 2}
HOME = frozenset({Disposition.SOON, Disposition.SELF_CARE})
K = TypeVar("K")
V = TypeVar("V")


class _Memo(Generic[K, V]):
    """A dict that empties itself when full, so memoising per-person keys cannot grow without end."""

    def __init__(self, limit: int = 4096) -> None:
        self.data: dict[K, V] = {}
        self.limit = limit

    def get(self, key: K) -> V | None:
        return self.data.get(key)

    def put(self, key: K, value: V) -> V:
        if len(self.data) >= self.limit:
            self.data.clear()
        self.data[key] = value
        return value


@dataclass(frozen=True, slots=True)
class _Item:
    item: CareItem
    when: Predicate | None
    exclude: Predicate | None
    notes: tuple[tuple[Predicate, str], ...]
    sources: tuple[SourceRef, ...]


@dataclass(frozen=True, slots=True)
class _Other:
    remedy: Remedy
    notes: tuple[tuple[Predicate, str], ...]
    sources: tuple[SourceRef, ...]


_StepsKey = tuple[str, frozenset[str], frozenset[str], bool, str]


@dataclass(slots=True)
class _Compiled:
    kb: KnowledgeBase
    care: CareContent
    resolver: Resolver
    refs: dict[str, SourceRef]
    by_level: dict[str, tuple[_Item, ...]]
    help_items: tuple[_Item, ...]
    item_keys: frozenset[str] | None
    others: tuple[_Other, ...]
    other_keys: frozenset[str] | None
    checks: CheckIndex
    warn_checks: CheckIndex
    remedy_of: dict[str, str]
    dose_classes: frozenset[str]
    courses: dict[str, PlanStep | None]
    stretch_memo: dict[frozenset[str], tuple[StretchCard, ...]] = field(default_factory=dict)
    steps_memo: _Memo[_StepsKey, tuple[tuple[PlanStep, ...], tuple[PlanWarning, ...]]] = field(
        default_factory=_Memo
    )
    instruction_memo: _Memo[tuple[str, str, tuple[str, ...], str], PlanStep] = field(
        default_factory=_Memo
    )
    close_memo: _Memo[str, list[str]] = field(default_factory=_Memo)
    waiting_memo: _Memo[str, tuple[PlanStep, ...]] = field(default_factory=_Memo)
    resolve_memo: _Memo[str, Taken | None] = field(default_factory=_Memo)
    text_memo: _Memo[tuple[str, str, tuple[object, ...]], CheckReason] = field(
        default_factory=_Memo
    )
    help_memo: _Memo[tuple[str, str], tuple[HelpSign, ...]] = field(default_factory=_Memo)
    other_memo: _Memo[frozenset[str], tuple[OtherOption, ...]] = field(default_factory=_Memo)
    reason_memo: dict[tuple[str, str], CheckReason] = field(default_factory=dict)
    source_memo: dict[tuple[str, ...], tuple[SourceRef, ...]] = field(default_factory=dict)
    advice_memo: _Memo[tuple[object, ...], tuple[MedicineAdvice, ...]] = field(
        default_factory=_Memo
    )
    named_advice_memo: _Memo[tuple[object, ...], tuple[MedicineAdvice, ...]] = field(
        default_factory=_Memo
    )
    incomplete_memo: _Memo[tuple[str, ...], PlanWarning] = field(default_factory=_Memo)

    def sources(self, ids: Sequence[str]) -> tuple[SourceRef, ...]:
        key = tuple(ids)
        found = self.source_memo.get(key)
        if found is None:
            found = self.source_memo[key] = tuple(self.refs[s] for s in ids)
        return found

    def stretches(self, regions: frozenset[str]) -> tuple[StretchCard, ...]:
        found = self.stretch_memo.get(regions)
        if found is None:
            found = self.stretch_memo[regions] = tuple(
                StretchCard(
                    id=s.id,
                    title=s.title,
                    group=s.group,
                    regions=tuple(sorted(s.regions)),
                    steps=s.steps,
                    hold_seconds=s.hold_seconds,
                    repetitions=s.repetitions,
                    times_per_day=s.times_per_day,
                    stop_if=s.stop_if,
                    during_spasm=s.during_spasm,
                    grade=s.grade,
                    sources=self.sources(s.sources),
                )
                for s in self.care.stretches
                if not s.regions.isdisjoint(regions)
            )
        return found

    def warning(
        self, message_id: str, values: dict[str, str], severity: str = "caution"
    ) -> PlanWarning:
        message = self.care.messages[message_id]
        return PlanWarning(
            message_id, fill(message.text, values), self.sources(message.sources), severity
        )


_CACHE: weakref.WeakKeyDictionary[KnowledgeBase, _Compiled] = weakref.WeakKeyDictionary()


def _notes(notes: tuple[Note, ...]) -> tuple[tuple[Predicate, str], ...]:
    return tuple((compile_care(n.when), n.text) for n in notes)


def _keys_of(conds: list[frozenset[str] | None]) -> frozenset[str] | None:
    out: set[str] = set()
    for k in conds:
        if k is None:
            return None
        out |= k
    return frozenset(out)


def compiled(kb: KnowledgeBase) -> _Compiled:
    """The knowledge base's care content compiled for fast plans (memoised per knowledge base)."""
    found = _CACHE.get(kb)
    if found is not None:
        return found
    care = kb.care
    if not care.items:
        raise KnowledgeError(f"knowledge base {kb.version} has no care content")
    refs = {
        s.id: SourceRef(s.id, s.citation, s.url or (f"https://doi.org/{s.doi}" if s.doi else None))
        for s in kb.sources.values()
    }
    items = tuple(
        _Item(
            item=i,
            when=compile_care(i.when) if i.when is not None else None,
            exclude=compile_care(i.exclude_if) if i.exclude_if is not None else None,
            notes=_notes(i.notes),
            sources=tuple(refs[s] for s in i.sources),
        )
        for i in care.items
    )
    item_conds = [
        c for i in care.items for c in (i.when, i.exclude_if, *(n.when for n in i.notes)) if c
    ]
    in_medicines = {m.remedy for m in care.medicines.values()}
    shown_apart = [
        r for r in care.remedies.values() if not r.recommended and r.id not in in_medicines
    ]
    others = tuple(
        _Other(r, _notes(r.notes), tuple(refs[s] for s in r.sources)) for r in shown_apart
    )
    courses: dict[str, PlanStep | None] = {}
    for level in Disposition:
        course = [
            x for x in items if x.item.section == "course" and level.value in x.item.dispositions
        ]
        courses[level.value] = (
            PlanStep(
                course[0].item.id,
                "course",
                course[0].item.title,
                course[0].item.how,
                course[0].item.grade,
                course[0].sources,
            )
            if course
            else None
        )
    found = _Compiled(
        kb=kb,
        care=care,
        resolver=Resolver(kb, care),
        refs=refs,
        by_level={
            level.value: tuple(
                x
                for x in items
                if level.value in x.item.dispositions
                and x.item.section not in ("get_help", "course")
            )
            for level in Disposition
        },
        help_items=tuple(x for x in items if x.item.section == "get_help"),
        item_keys=_keys_of([keyed(c) for c in item_conds]),
        others=others,
        other_keys=_keys_of([keyed(n.when) for r in shown_apart for n in r.notes]),
        checks=compile_checks(care),
        warn_checks=compile_checks(care, only_warnings=True),
        remedy_of={m.id: m.remedy for m in care.medicines.values()},
        dose_classes=frozenset().union(*(taken_classes(c.when) for c in care.checks)),
        courses=courses,
    )
    _CACHE[kb] = found
    return found


def build_plan(
    intake: Intake,
    kb: KnowledgeBase,
    *,
    doses: Sequence[DoseTaken] = (),
    now: datetime | None = None,
    emergency_call: str = DEFAULT_EMERGENCY_CALL,
    triage: TriageResult | None = None,
) -> CarePlan:
    """Build the care plan for an intake (triaged here unless ``triage`` is given).

    ``doses`` are medicine doses recorded in the diary; with them ``now`` (timezone-aware) is
    required, so the plan can warn when the acetaminophen taken in the last 24 hours reaches the daily
    maximum or a muscle relaxant has been taken for more than 72 hours.
    """
    comp = compiled(kb)
    result = triage if triage is not None else evaluate(intake, kb, emergency_call=emergency_call)
    level = result.disposition
    values = {"emergency": emergency_call}
    if level is Disposition.EMERGENCY:
        return _plan(
            comp, result, steps=(_instruction(comp, result, values), *_waiting(comp, values))
        )

    person, dose_summary = _person(comp, intake, doses, now)
    # Outside a home plan only the checks that also warn matter (no verdicts are shown).
    fired = fire(comp.checks if level in HOME else comp.warn_checks, person)
    warnings = _check_warnings(comp, person, fired, values)
    medicines: tuple[MedicineAdvice, ...] = ()
    if level in HOME:
        medicines = _medicines(comp, person, fired, values)
        warnings += _name_warnings(comp, intake, person, dose_summary)
    steps, step_warnings = _steps(comp, result, person, values, medicines)
    warnings += step_warnings
    if level is Disposition.SELF_CARE and result.unanswered:
        warnings.append(_incomplete(comp, result))
    warnings.sort(key=lambda w: _SEVERITY[w.severity])
    helps = _helps(comp, level, values)
    if level not in HOME:
        return _plan(comp, result, steps=steps, warnings=tuple(warnings), helps=helps)
    return _plan(
        comp,
        result,
        steps=steps,
        stretches=comp.stretches(person.regions),
        medicines=medicines,
        others=_others(comp, person),
        warnings=tuple(warnings),
        helps=helps,
        course=comp.courses[level.value],
    )


def _plan(
    comp: _Compiled,
    result: TriageResult,
    *,
    steps: tuple[PlanStep, ...],
    stretches: tuple[StretchCard, ...] = (),
    medicines: tuple[MedicineAdvice, ...] = (),
    others: tuple[OtherOption, ...] = (),
    warnings: tuple[PlanWarning, ...] = (),
    helps: tuple[HelpSign, ...] = (),
    course: PlanStep | None = None,
) -> CarePlan:
    return CarePlan(
        disposition=result.disposition,
        label=result.label,
        instruction=result.instruction,
        reasons=result.reasons,
        unanswered=result.unanswered,
        steps=steps,
        stretches=stretches,
        medicines=medicines,
        other_options=others,
        warnings=warnings,
        when_to_get_help=helps,
        course=course,
        knowledge_version=comp.kb.version,
        notice=result.notice,
    )


# -- the person ------------------------------------------------------------------------------------
def _person(
    comp: _Compiled, intake: Intake, doses: Sequence[DoseTaken], now: datetime | None
) -> tuple[Person, DoseSummary]:
    summary = summarize(doses, now, comp.resolver.classes_of, comp.dose_classes)
    taken: list[Taken] = []
    unknown: list[str] = []
    seen: set[str] = set()
    for name in (*intake.medicines, *summary.recent):
        key = name.strip().lower()
        if not key or key in seen:
            continue
        seen.add(key)
        found = comp.resolve_memo.get(name)
        if found is None and name not in comp.resolve_memo.data:
            found = comp.resolve_memo.put(name, comp.resolver.resolve(name))
        if found is None:
            unknown.append(name.strip())
        else:
            taken.append(found)
    by_class: dict[str, list[Taken]] = {}
    for t in taken:
        for cls in t.classes:
            by_class.setdefault(cls, []).append(t)
    findings = frozenset(k for k, v in intake.findings.items() if v)
    keys = {f"cond:{c}" for c in intake.conditions}
    keys.update(f"finding:{f}" for f in findings)
    keys.update(f"class:{c}" for c in by_class)
    for flag, present in (
        ("taken", bool(taken)),
        ("unknown", bool(unknown)),
        ("doses", bool(summary.mg_24h or summary.course_hours)),
        ("pregnant", intake.pregnant is True),
        ("alcohol_drinks_per_day", intake.alcohol_drinks_per_day is not None),
        ("weight_kg", intake.weight_kg is not None),
        ("pregnancy_weeks", intake.pregnancy_weeks is not None),
    ):
        if present:
            keys.add(flag)
    person = Person(
        age=intake.age,
        sex=intake.sex,
        pregnant=intake.pregnant,
        pregnancy_weeks=intake.pregnancy_weeks,
        alcohol_drinks_per_day=intake.alcohol_drinks_per_day,
        weight_kg=intake.weight_kg,
        conditions=frozenset(intake.conditions),
        findings=findings,
        regions=frozenset(intake.regions),
        taken=tuple(taken),
        by_class={k: tuple(v) for k, v in by_class.items()},
        medicines=frozenset().union(*(t.medicines for t in taken)),
        unknown=tuple(unknown),
        mg_24h=summary.mg_24h,
        course_hours=summary.course_hours,
        dose_names=summary.names,
        keys=frozenset(keys),
    )
    return person, summary


# -- steps -----------------------------------------------------------------------------------------
def _instruction(comp: _Compiled, result: TriageResult, values: dict[str, str]) -> PlanStep:
    key = (result.disposition.value, result.instruction, result.rules, values["emergency"])
    found = comp.instruction_memo.get(key)
    if found is None:
        x = comp.by_level[result.disposition.value][0]
        assert x.item.section == "instruction", "the loader checks each level has an instruction"
        how = f"{result.instruction} {fill(x.item.how, values)}"
        notes = tuple(dict.fromkeys(r.advice for r in result.reasons))
        step = PlanStep(
            x.item.id, x.item.section, x.item.title, how, x.item.grade, x.sources, notes
        )
        found = comp.instruction_memo.put(key, step)
    return found


def _waiting(comp: _Compiled, values: dict[str, str]) -> tuple[PlanStep, ...]:
    found = comp.waiting_memo.get(values["emergency"])
    if found is None:
        found = comp.waiting_memo.put(
            values["emergency"],
            tuple(
                PlanStep(
                    x.item.id,
                    x.item.section,
                    x.item.title,
                    fill(x.item.how, values),
                    x.item.grade,
                    x.sources,
                )
                for x in comp.by_level[Disposition.EMERGENCY.value]
                if x.item.section == "waiting"
            ),
        )
    return found


def _steps(
    comp: _Compiled,
    result: TriageResult,
    person: Person,
    values: dict[str, str],
    medicines: tuple[MedicineAdvice, ...],
) -> tuple[tuple[PlanStep, ...], tuple[PlanWarning, ...]]:
    """The steps for this person, and the warnings of items left out (e.g. heat on numb skin)."""
    level = result.disposition.value
    usable = {comp.remedy_of[m.id] for m in medicines if m.verdict != "avoid"}
    first = _instruction(comp, result, values)
    if comp.item_keys is None:  # some item reads more than keys and regions: no memo
        steps, warnings = _make_steps(comp, level, person, values, usable)
        return (first, *steps), warnings
    key: _StepsKey = (
        level,
        person.regions,
        person.keys & comp.item_keys,
        "nsaids" in usable,
        values["emergency"],
    )
    found = comp.steps_memo.get(key)
    if found is None:
        found = comp.steps_memo.put(key, _make_steps(comp, level, person, values, usable))
    return (first, *found[0]), found[1]


def _make_steps(
    comp: _Compiled,
    level: str,
    person: Person,
    values: dict[str, str],
    usable_remedies: set[str],
) -> tuple[tuple[PlanStep, ...], tuple[PlanWarning, ...]]:
    """The steps after the instruction, and the warnings of items left out."""
    steps: list[PlanStep] = []
    tailored: list[PlanStep] = []
    warnings: list[PlanWarning] = []
    for x in comp.by_level[level]:
        item = x.item
        if item.section == "instruction":
            continue
        if item.regions is not None and item.regions.isdisjoint(person.regions):
            continue
        if x.when is not None and not x.when(person, None):
            continue
        if x.exclude is not None and x.exclude(person, None):
            assert item.excluded is not None
            warnings.append(comp.warning(item.excluded, values))
            continue
        if item.section == "pain_relief" and item.remedy not in usable_remedies:
            warnings.append(comp.warning("no_nsaid", values))
            continue
        if item.section == "stretches" and not comp.stretches(person.regions):
            continue
        notes = tuple(fill(text, values) for pred, text in x.notes if pred(person, None))
        step = PlanStep(
            item.id, item.section, item.title, fill(item.how, values), item.grade, x.sources, notes
        )
        (tailored if notes and item.section == "prevention" else steps).append(step)
    if tailored:
        first = next((i for i, s in enumerate(steps) if s.section == "prevention"), len(steps))
        steps[first:first] = tailored
    return tuple(steps), tuple(warnings)


def _helps(comp: _Compiled, level: Disposition, values: dict[str, str]) -> tuple[HelpSign, ...]:
    key = (level.value, values["emergency"])
    found = comp.help_memo.get(key)
    if found is None:
        found = comp.help_memo.put(
            key,
            tuple(
                HelpSign(
                    id=x.item.id,
                    level=x.item.level or "",
                    title=x.item.title,
                    text=fill(x.item.how, values),
                    grade=x.item.grade,
                    rules=x.item.rules,
                    sources=x.sources,
                )
                for x in comp.help_items
                if level.value in x.item.dispositions
            ),
        )
    return found


# -- medicines -------------------------------------------------------------------------------------
def _signature(person: Person, values: dict[str, str]) -> tuple[object, ...]:
    """Everything a reason's placeholders can read about a person (a memo key for dynamic texts)."""
    return (
        tuple(t.name for t in person.taken),
        person.unknown,
        tuple(sorted(person.mg_24h.items())),
        tuple(sorted(person.course_hours.items())),
        tuple(sorted(person.dose_names.items())),
        values["emergency"],
    )


def _reason(
    comp: _Compiled,
    c: CompiledCheck,
    person: Person,
    med: Medicine,
    values: dict[str, str],
    signature: tuple[object, ...] | None,
) -> CheckReason:
    check = c.check
    if c.static:
        key = (check.id, med.id)
        found = comp.reason_memo.get(key)
        if found is None:
            text = reason_text(c, person, med, values)
            found = comp.reason_memo[key] = CheckReason(
                check.id, check.verdict, text, comp.sources(check.sources)
            )
        return found
    memo_key = (
        check.id,
        med.id if c.text_per_medicine else "",
        signature or _signature(person, values),
    )
    memo = comp.text_memo.get(memo_key)
    if memo is None:
        text = reason_text(c, person, med, values)
        memo = comp.text_memo.put(
            memo_key, CheckReason(check.id, check.verdict, text, comp.sources(check.sources))
        )
    return memo


def _medicines(
    comp: _Compiled, person: Person, fired: Fired, values: dict[str, str]
) -> tuple[MedicineAdvice, ...]:
    """The advice for every medicine option. Equal fired checks give equal advice, so the whole
    tuple is memoised: by the checks alone when no reason names the person's medicines (shared by
    many people), and apart by their names too otherwise (so varied names cannot crowd it out)."""
    if fired.named:
        signature: tuple[object, ...] | None = _signature(person, values)
        key: tuple[object, ...] = (fired.key, signature)
        memo = comp.named_advice_memo
    else:
        signature = None
        key = fired.key
        memo = comp.advice_memo
    found = memo.get(key)
    if found is None:
        found = memo.put(
            key,
            tuple(
                _advice(comp, med, fired.by_medicine.get(med.id, []), person, values, signature)
                for med in comp.care.medicines.values()
            ),
        )
    return found


def _advice(
    comp: _Compiled,
    med: Medicine,
    fired: list[CompiledCheck],
    person: Person,
    values: dict[str, str],
    signature: tuple[object, ...] | None,
) -> MedicineAdvice:
    reasons = tuple(_reason(comp, c, person, med, values, signature) for c in fired)
    if not reasons:
        message = comp.care.messages["no_problem_found"]
        reasons = (CheckReason(message.id, "ok", message.text, comp.sources(message.sources)),)
    verdict = worst(fired)
    hide = verdict == "avoid" or any(c.check.hide_dose for c in fired)
    remedy = comp.care.remedies[med.remedy]
    return MedicineAdvice(
        id=med.id,
        name=med.name,
        brands=med.brands,
        kind=med.kind,
        verdict=verdict,
        reasons=reasons,
        grade=remedy.grade,
        evidence=remedy.summary,
        dose=None if hide else med.dose,
        notes=med.notes,
        sources=comp.sources(med.sources),
    )


def _check_warnings(
    comp: _Compiled, person: Person, fired: Fired, values: dict[str, str]
) -> list[PlanWarning]:
    """Plan-level warnings from checks marked ``warn`` (e.g. several acetaminophen products)."""
    out: dict[str, PlanWarning] = {}
    for med_id, checks in fired.by_medicine.items():
        for c in checks:
            if c.check.warn and c.check.id not in out:
                text = reason_text(c, person, comp.care.medicines[med_id], values)
                severity = "avoid" if c.check.verdict == "avoid" else "caution"
                out[c.check.id] = PlanWarning(
                    c.check.id, text, comp.sources(c.check.sources), severity
                )
    return list(out.values())


def _name_warnings(
    comp: _Compiled,
    intake: Intake,
    person: Person,
    summary: DoseSummary,
) -> list[PlanWarning]:
    out: list[PlanWarning] = []
    for name in person.unknown:
        text = comp.warning("not_checked", {"names": name}).text
        close = comp.close_memo.get(name)
        if close is None:
            close = comp.close_memo.put(name, comp.resolver.close(name))
        if close:
            text += " " + comp.warning("did_you_mean", {"names": " or ".join(close)}).text
        out.append(PlanWarning("not_checked", text, (), "caution"))
    partial = [t.name for t in person.taken if t.partial]
    if partial:
        out.append(comp.warning("partial_match", {"names": join_names(partial)}))
    groups: dict[frozenset[str], list[str]] = {}
    for t in person.taken:
        if len(t.medicines) == 1:
            groups.setdefault(t.medicines, []).append(t.name)
    for names in groups.values():
        if len(names) > 1:
            out.append(comp.warning("same_medicine", {"names": join_names(names)}))
    uncounted = sorted({n for names in summary.uncounted.values() for n in names})
    if uncounted:
        out.append(comp.warning("dose_not_counted", {"names": join_names(uncounted)}, "info"))
    if not intake.medicines and not intake.conditions:
        out.append(comp.warning("nothing_listed", {}, "info"))
    return out


def _incomplete(comp: _Compiled, result: TriageResult) -> PlanWarning:
    found = comp.incomplete_memo.get(result.unanswered)
    if found is None:
        words = {
            "pain": comp.care.messages["unanswered_pain"].text,
            "onset": comp.care.messages["unanswered_onset"].text,
        }
        labels = [
            comp.kb.findings[u].label if u in comp.kb.findings else words.get(u, u)
            for u in result.unanswered
        ]
        found = comp.incomplete_memo.put(
            result.unanswered, comp.warning("incomplete", {"names": "; ".join(labels)})
        )
    return found


# -- other options ---------------------------------------------------------------------------------
def _others(comp: _Compiled, person: Person) -> tuple[OtherOption, ...]:
    key = person.keys & comp.other_keys if comp.other_keys is not None else None
    found = comp.other_memo.get(key) if key is not None else None
    if found is not None:
        return found
    tailored: list[OtherOption] = []
    rest: list[OtherOption] = []
    for o in comp.others:
        notes = tuple(text for pred, text in o.notes if pred(person, None))
        option = OtherOption(
            o.remedy.id,
            o.remedy.title,
            o.remedy.advice,
            o.remedy.grade,
            o.remedy.summary,
            notes,
            o.sources,
        )
        (tailored if notes else rest).append(option)
    options = (*tailored, *rest)
    return comp.other_memo.put(key, options) if key is not None else options


def medicine_by_name(kb: KnowledgeBase, name: str) -> Medicine | None:
    """The plan medicine a name stands for (generic or brand, any case), if it is exactly one."""
    taken = compiled(kb).resolver.resolve(name)
    if taken is None or len(taken.medicines) != 1 or taken.partial:
        return None
    return kb.care.medicines[next(iter(taken.medicines))]
