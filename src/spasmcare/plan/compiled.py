"""The care content of a knowledge base compiled for fast plans, and the plan's memos.

Conditions become closures once per knowledge base; parts of a plan that depend on few facts are
memoised here (:class:`Memo` empties itself when full, so per-person keys cannot grow without end).
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from spasmcare.errors import KnowledgeError
from spasmcare.knowledge.care import CareContent, CareItem, Note, Remedy, fill
from spasmcare.knowledge.conditions import REGIONS
from spasmcare.knowledge.schema import Disposition, KnowledgeBase
from spasmcare.plan.checks import Predicate, Taken, compile_care, keyed, taken_classes
from spasmcare.plan.medicines import CheckIndex, Resolver, compile_checks
from spasmcare.plan.model import (
    CheckReason,
    HelpSign,
    MedicineAdvice,
    OtherOption,
    PlanStep,
    PlanWarning,
    StretchCard,
)
from spasmcare.triage.engine import SourceRef

K = TypeVar("K")
V = TypeVar("V")


class Memo(Generic[K, V]):
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
class CompiledItem:
    item: CareItem
    when: Predicate | None
    exclude: Predicate | None
    notes: tuple[tuple[Predicate, str], ...]
    sources: tuple[SourceRef, ...]


@dataclass(frozen=True, slots=True)
class CompiledRemedy:
    remedy: Remedy
    notes: tuple[tuple[Predicate, str], ...]
    sources: tuple[SourceRef, ...]


StepsKey = tuple[str, frozenset[str], frozenset[str], frozenset[str], str]


@dataclass(slots=True)
class Compiled:
    kb: KnowledgeBase
    care: CareContent
    resolver: Resolver
    refs: dict[str, SourceRef]
    by_level: dict[str, tuple[CompiledItem, ...]]
    instructions: dict[str, CompiledItem]
    step_regions: frozenset[str]
    """The regions the choice of steps depends on (items for some regions; a region without stretches)."""
    help_items: tuple[CompiledItem, ...]
    item_keys: frozenset[str] | None
    others: tuple[CompiledRemedy, ...]
    other_keys: frozenset[str] | None
    checks: CheckIndex
    warn_checks: CheckIndex
    remedy_of: dict[str, str]
    dose_classes: frozenset[str]
    courses: dict[str, PlanStep | None]
    stretch_memo: dict[frozenset[str], tuple[StretchCard, ...]] = field(default_factory=dict)
    steps_memo: Memo[StepsKey, tuple[tuple[PlanStep, ...], tuple[PlanWarning, ...]]] = field(
        default_factory=Memo
    )
    instruction_memo: Memo[tuple[str, str, tuple[str, ...], str], PlanStep] = field(
        default_factory=Memo
    )
    close_memo: Memo[str, list[str]] = field(default_factory=Memo)
    waiting_memo: Memo[str, tuple[PlanStep, ...]] = field(default_factory=Memo)
    resolve_memo: Memo[str, Taken | None] = field(default_factory=Memo)
    # Per-person memos stay small: they help a repeated plan (a page shown again), and many cached
    # objects would make every garbage collection slower for all plans.
    text_memo: Memo[tuple[str, str, tuple[object, ...]], CheckReason] = field(
        default_factory=lambda: Memo(256)
    )
    help_memo: Memo[tuple[str, str], tuple[HelpSign, ...]] = field(default_factory=Memo)
    other_memo: Memo[frozenset[str], tuple[OtherOption, ...]] = field(default_factory=Memo)
    reason_memo: dict[tuple[str, str], CheckReason] = field(default_factory=dict)
    source_memo: dict[tuple[str, ...], tuple[SourceRef, ...]] = field(default_factory=dict)
    advice_memo: Memo[tuple[object, ...], tuple[MedicineAdvice, ...]] = field(default_factory=Memo)
    medicine_memo: Memo[tuple[str, tuple[str, ...]], MedicineAdvice] = field(default_factory=Memo)
    incomplete_memo: Memo[tuple[str, ...], PlanWarning] = field(default_factory=Memo)

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
            id=message_id,
            text=fill(message.text, values),
            sources=self.sources(message.sources),
            severity=severity,
        )


_CACHE: weakref.WeakKeyDictionary[KnowledgeBase, Compiled] = weakref.WeakKeyDictionary()


def _notes(notes: tuple[Note, ...]) -> tuple[tuple[Predicate, str], ...]:
    return tuple((compile_care(n.when), n.text) for n in notes)


def _keys_of(conds: list[frozenset[str] | None]) -> frozenset[str] | None:
    out: set[str] = set()
    for k in conds:
        if k is None:
            return None
        out |= k
    return frozenset(out)


def _step_regions(care: CareContent) -> frozenset[str]:
    out: set[str] = set()
    for item in care.items:
        out |= item.regions or set()
    with_stretches = set().union(*(s.regions for s in care.stretches))
    if set(REGIONS) - with_stretches:  # whether the stretch step shows depends on the regions
        out |= set(REGIONS)
    return frozenset(out)


def compiled(kb: KnowledgeBase) -> Compiled:
    """The knowledge base's care content compiled for fast plans (memoised per knowledge base)."""
    found = _CACHE.get(kb)
    if found is not None:
        return found
    care = kb.care
    if not care.items:
        raise KnowledgeError(f"knowledge base {kb.version} has no care content")
    refs = {
        s.id: SourceRef(
            id=s.id,
            citation=s.citation,
            url=s.url or (f"https://doi.org/{s.doi}" if s.doi else None),
        )
        for s in kb.sources.values()
    }
    items = tuple(
        CompiledItem(
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
        CompiledRemedy(r, _notes(r.notes), tuple(refs[s] for s in r.sources)) for r in shown_apart
    )
    courses: dict[str, PlanStep | None] = {}
    for level in Disposition:
        course = [
            x for x in items if x.item.section == "course" and level.value in x.item.dispositions
        ]
        courses[level.value] = (
            PlanStep(
                id=course[0].item.id,
                section="course",
                title=course[0].item.title,
                how=course[0].item.how,
                grade=course[0].item.grade,
                sources=course[0].sources,
            )
            if course
            else None
        )
    found = Compiled(
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
        instructions={
            level: x
            for x in items
            if x.item.section == "instruction"
            for level in x.item.dispositions
        },
        step_regions=_step_regions(care),
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
