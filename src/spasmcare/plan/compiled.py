"""The care content of a knowledge base compiled once for plans.

Conditions become closures, and what depends only on the knowledge base (the items per level, the
stretch cards, the sources, the compiled checks) is built here once per knowledge base. Nothing that
depends on a person is kept: every plan is computed from scratch.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass

from spasmcare.errors import KnowledgeError
from spasmcare.knowledge.care import CareContent, CareItem, Note, Remedy, fill
from spasmcare.knowledge.schema import Disposition, KnowledgeBase
from spasmcare.plan.checks import Predicate, compile_care, taken_classes
from spasmcare.plan.medicines import CheckIndex, Resolver, compile_checks
from spasmcare.plan.model import PlanStep, PlanWarning, StretchCard
from spasmcare.triage.engine import SourceRef


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


@dataclass(slots=True)
class Compiled:
    kb: KnowledgeBase
    care: CareContent
    resolver: Resolver
    refs: dict[str, SourceRef]
    by_level: dict[str, tuple[CompiledItem, ...]]
    instructions: dict[str, CompiledItem]
    help_items: tuple[CompiledItem, ...]
    others: tuple[CompiledRemedy, ...]
    checks: CheckIndex
    warn_checks: CheckIndex
    remedy_of: dict[str, str]
    dose_classes: frozenset[str]
    courses: dict[str, PlanStep | None]
    stretch_cards: tuple[tuple[frozenset[str], StretchCard], ...]
    """Each stretch's card and the regions it is for."""

    def sources(self, ids: Sequence[str]) -> tuple[SourceRef, ...]:
        return tuple(self.refs[s] for s in ids)

    def stretches(self, regions: frozenset[str]) -> tuple[StretchCard, ...]:
        """The stretch cards for any of these regions, in file order."""
        return tuple(
            card for for_regions, card in self.stretch_cards if not for_regions.isdisjoint(regions)
        )

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


def compiled(kb: KnowledgeBase) -> Compiled:
    """The knowledge base's care content compiled for plans (once per knowledge base)."""
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
        help_items=tuple(x for x in items if x.item.section == "get_help"),
        others=others,
        checks=compile_checks(care),
        warn_checks=compile_checks(care, only_warnings=True),
        remedy_of={m.id: m.remedy for m in care.medicines.values()},
        dose_classes=frozenset().union(*(taken_classes(c.when) for c in care.checks)),
        courses=courses,
        stretch_cards=tuple(
            (
                frozenset(s.regions),
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
                    sources=tuple(refs[x] for x in s.sources),
                ),
            )
            for s in care.stretches
        ),
    )
    _CACHE[kb] = found
    return found
