"""``build_plan(intake, kb)``: turn a triage result into what to do now and in the coming days.

- ``emergency``: only the emergency instruction and what to do while waiting;
- ``urgent``: the instruction, comfort measures and the emergency warning signs;
- ``soon`` and ``self_care``: the full plan, ordered by what to do first, tailored to the regions,
  the causes the person reported and the medicine safety checks.

Every step carries its evidence grade and sources; remedies that are not proven or advised against
are listed apart (``other_options``), never as steps. Pure and deterministic: no clock, no I/O, and
nothing remembered between plans (only the knowledge base is compiled once, :mod:`.compiled`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from spasmcare.knowledge.care import Medicine, fill
from spasmcare.knowledge.schema import Disposition, KnowledgeBase
from spasmcare.plan.advice import check_warnings, medicine_advice, name_warnings
from spasmcare.plan.checks import Person, Taken
from spasmcare.plan.compiled import Compiled, compiled
from spasmcare.plan.doses import DoseSummary, DoseTaken, summarize
from spasmcare.plan.medicines import fire
from spasmcare.plan.model import (
    CarePlan,
    HelpSign,
    MedicineAdvice,
    OtherOption,
    PlanStep,
    PlanWarning,
    StretchCard,
)
from spasmcare.triage.engine import TriageResult, evaluate, unanswered_label
from spasmcare.triage.intake import Intake
from spasmcare.wording import DEFAULT_EMERGENCY_CALL

_SEVERITY = {"avoid": 0, "caution": 1, "info": 2}
HOME = frozenset({Disposition.SOON, Disposition.SELF_CARE})


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
    warnings = check_warnings(comp, person, fired, values)
    medicines: tuple[MedicineAdvice, ...] = ()
    if level in HOME:
        medicines = medicine_advice(comp, person, fired, values)
        warnings += name_warnings(comp, intake, person, dose_summary)
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
    comp: Compiled,
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
        rules_fired=result.rules_fired,
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
    comp: Compiled, intake: Intake, doses: Sequence[DoseTaken], now: datetime | None
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
        found = comp.resolver.resolve(name)
        if found is None:
            unknown.append(name.strip())
        else:
            taken.append(found)
    by_class: dict[str, list[Taken]] = {}
    for t in taken:
        for cls in t.classes:
            by_class.setdefault(cls, []).append(t)
    # Safety checks read a "not sure" answer as possibly present (blood thinners, numb skin) and
    # a "not sure" pregnancy as unknown, which the checks treat as a reason for caution.
    findings = frozenset(k for k, v in intake.findings.items() if v is True or v == "unsure")
    person = Person(
        age=intake.age,
        sex=intake.sex,
        pregnant=intake.pregnant if isinstance(intake.pregnant, bool) else None,
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
    )
    return person, summary


# -- steps -----------------------------------------------------------------------------------------
def _instruction(comp: Compiled, result: TriageResult, values: dict[str, str]) -> PlanStep:
    x = comp.instructions[result.disposition.value]
    how = f"{result.instruction} {fill(x.item.how, values)}"
    notes = tuple(dict.fromkeys(r.advice for r in result.reasons))
    return PlanStep(
        id=x.item.id,
        section=x.item.section,
        title=x.item.title,
        how=how,
        grade=x.item.grade,
        sources=x.sources,
        notes=notes,
    )


def _waiting(comp: Compiled, values: dict[str, str]) -> tuple[PlanStep, ...]:
    return tuple(
        PlanStep(
            id=x.item.id,
            section=x.item.section,
            title=x.item.title,
            how=fill(x.item.how, values),
            grade=x.item.grade,
            sources=x.sources,
        )
        for x in comp.by_level[Disposition.EMERGENCY.value]
        if x.item.section == "waiting"
    )


def _steps(
    comp: Compiled,
    result: TriageResult,
    person: Person,
    values: dict[str, str],
    medicines: tuple[MedicineAdvice, ...],
) -> tuple[tuple[PlanStep, ...], tuple[PlanWarning, ...]]:
    """The steps for this person, and the warnings of items left out (e.g. heat on numb skin)."""
    level = result.disposition.value
    usable = {comp.remedy_of[m.id] for m in medicines if m.verdict != "avoid"}
    steps, warnings = _make_steps(comp, level, person, values, usable)
    return (_instruction(comp, result, values), *steps), warnings


def _make_steps(
    comp: Compiled,
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
            id=item.id,
            section=item.section,
            title=item.title,
            how=fill(item.how, values),
            grade=item.grade,
            sources=x.sources,
            notes=notes,
        )
        (tailored if notes and item.section == "prevention" else steps).append(step)
    if tailored:
        first = next((i for i, s in enumerate(steps) if s.section == "prevention"), len(steps))
        steps[first:first] = tailored
    return tuple(steps), tuple(warnings)


def _helps(comp: Compiled, level: Disposition, values: dict[str, str]) -> tuple[HelpSign, ...]:
    return tuple(
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
    )


def _incomplete(comp: Compiled, result: TriageResult) -> PlanWarning:
    words = {
        "pain": comp.care.messages["unanswered_pain"].text,
        "onset": comp.care.messages["unanswered_onset"].text,
    }
    labels = [words.get(u) or unanswered_label(comp.kb, u) for u in result.unanswered]
    return comp.warning("incomplete", {"names": "; ".join(labels)})


# -- other options ---------------------------------------------------------------------------------
def _others(comp: Compiled, person: Person) -> tuple[OtherOption, ...]:
    tailored: list[OtherOption] = []
    rest: list[OtherOption] = []
    for o in comp.others:
        notes = tuple(text for pred, text in o.notes if pred(person, None))
        option = OtherOption(
            id=o.remedy.id,
            title=o.remedy.title,
            advice=o.remedy.advice,
            grade=o.remedy.grade,
            summary=o.remedy.summary,
            notes=notes,
            sources=o.sources,
        )
        (tailored if notes else rest).append(option)
    return (*tailored, *rest)


def medicine_by_name(kb: KnowledgeBase, name: str) -> Medicine | None:
    """The plan medicine a name stands for (generic or brand, any case), if it is exactly one."""
    taken = compiled(kb).resolver.resolve(name)
    if taken is None or len(taken.medicines) != 1 or taken.partial:
        return None
    return kb.care.medicines[next(iter(taken.medicines))]
