"""What the care leaves of the condition language (:mod:`spasmcare.knowledge.care_conditions`) mean
for one person.

Conditions compile once per knowledge base into small closures over :class:`Person`, by the one
evaluator of :mod:`spasmcare.knowledge.conditions`; there is no ``eval`` and nothing but the node
types of the language. An unknown value (age is always known; the
number of drinks, weight or pregnancy week may not be) makes a comparison false, so checks that must
act on an unknown value say so explicitly (``pregnancy_weeks_unknown``, ``pregnant: unknown``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

from spasmcare.knowledge.care_conditions import (
    HasCondition,
    HasFinding,
    PregnancyWeeksUnknown,
    PregnantIs,
    TakenHours,
    TakenMg24h,
    Takes,
    TakesClasses,
    TakesCount,
    TakesOther,
    TakesSelf,
    TakesUnknown,
)
from spasmcare.knowledge.conditions import (
    OPERATORS,
    AllOf,
    AnyOf,
    Compare,
    Condition,
    InRegion,
    Leaf,
    SexIs,
    compile_condition,
    walk,
)


@dataclass(frozen=True, slots=True)
class Taken:
    """A medicine name the person listed (or recorded a dose of in the last 24 hours), recognised."""

    name: str
    key: str
    medicines: frozenset[str]
    classes: frozenset[str]
    partial: bool = False


@dataclass(frozen=True)
class Person:
    """What the checks read about one person."""

    age: int
    sex: str | None
    pregnant: bool | None
    pregnancy_weeks: int | None
    alcohol_drinks_per_day: float | None
    weight_kg: float | None
    conditions: frozenset[str]
    findings: frozenset[str]
    regions: frozenset[str]
    taken: tuple[Taken, ...]
    by_class: Mapping[str, tuple[Taken, ...]]
    medicines: frozenset[str]
    unknown: tuple[str, ...]
    mg_24h: Mapping[str, float]
    course_hours: Mapping[str, float]
    dose_names: Mapping[str, tuple[str, ...]]

    @cached_property
    def keys(self) -> frozenset[str]:
        """What the person has, as gate keys (see :func:`gate`): checks whose gate misses are
        skipped."""
        return person_keys(self)

    def measure(self, field: str) -> float | None:
        if field == "age":
            return self.age
        if field == "alcohol_drinks_per_day":
            return self.alcohol_drinks_per_day
        if field == "weight_kg":
            return self.weight_kg
        return self.pregnancy_weeks


Predicate = Callable[[Person, str | None], bool]
"""``predicate(person, medicine_id)``; the medicine id is None outside medicine checks."""


def compile_care(cond: Condition) -> Predicate:
    """Turn a parsed care condition into a predicate."""
    return compile_condition(cond, _leaf)


def _leaf(leaf: Leaf) -> Predicate:
    match leaf:
        case HasCondition(condition=cid):
            return lambda p, m: cid in p.conditions
        case HasFinding(finding=fid):
            return lambda p, m: fid in p.findings
        case Takes(cls=cls):
            return lambda p, m: cls in p.by_class
        case TakesOther(cls=cls):
            return lambda p, m: any(m not in t.medicines for t in p.by_class.get(cls, ()))
        case TakesCount(cls=cls, op=op, value=count):
            fn = OPERATORS[op]
            return lambda p, m: fn(len(p.by_class.get(cls, ())), count)
        case TakesClasses(classes=classes, op=op, value=count):
            fn = OPERATORS[op]
            return lambda p, m: fn(sum(1 for c in classes if c in p.by_class), count)
        case TakesSelf():
            return lambda p, m: m in p.medicines
        case TakesUnknown():
            return lambda p, m: bool(p.unknown)
        case Compare(field=field, op=op, value=limit):
            fn = OPERATORS[op]
            return lambda p, m: (v := p.measure(field)) is not None and fn(v, limit)
        case PregnantIs(value=pregnant):
            return lambda p, m: p.pregnant is pregnant
        case PregnancyWeeksUnknown():
            return lambda p, m: p.pregnant is True and p.pregnancy_weeks is None
        case SexIs(sex=sex):
            return lambda p, m: p.sex == sex
        case InRegion(regions=regions):
            wanted = frozenset(regions)
            return lambda p, m: not wanted.isdisjoint(p.regions)
        case TakenMg24h(cls=cls, op=op, value=mg):
            fn = OPERATORS[op]
            return lambda p, m: fn(p.mg_24h.get(cls, 0.0), mg)
        case TakenHours(cls=cls, op=op, value=hours):
            fn = OPERATORS[op]
            return lambda p, m: (h := p.course_hours.get(cls)) is not None and fn(h, hours)
    raise TypeError(f"not a care condition leaf: {leaf!r}")  # pragma: no cover - exhaustive above


def person_keys(person: Person) -> frozenset[str]:
    """The gate keys of a person: ``cond:x``, ``finding:x``, ``class:x``, and the values known."""
    keys = {f"cond:{c}" for c in person.conditions}
    keys.update(f"finding:{f}" for f in person.findings)
    keys.update(f"class:{c}" for c in person.by_class)
    if person.taken:
        keys.add("taken")
    if person.unknown:
        keys.add("unknown")
    if person.mg_24h or person.course_hours:
        keys.add("doses")
    if person.pregnant is True:
        keys.add("pregnant")
    for name in ("alcohol_drinks_per_day", "weight_kg", "pregnancy_weeks"):
        if person.measure(name) is not None:
            keys.add(name)
    return frozenset(keys)


def gate(cond: Condition) -> frozenset[str] | None:
    """Keys of which a person must have one for the condition to be true; None when it may always be.

    A fast pre-filter only: a check whose gate misses the person's keys cannot fire, so it is not
    evaluated. Being in the gate proves nothing; the predicate still decides.
    """
    match cond:
        case AllOf(parts=parts):
            gates = [g for g in (gate(p) for p in parts) if g is not None]
            return min(gates, key=len) if gates else None
        case AnyOf(parts=parts):
            union: set[str] = set()
            for part in parts:
                g = gate(part)
                if g is None:
                    return None
                union |= g
            return frozenset(union)
        case HasCondition(condition=cid):
            return frozenset({f"cond:{cid}"})
        case HasFinding(finding=fid):
            return frozenset({f"finding:{fid}"})
        case Takes(cls=cls) | TakesOther(cls=cls):
            return frozenset({f"class:{cls}"})
        case TakesCount(cls=cls, op=op, value=value) if OPERATORS[op](0, value) is False:
            return frozenset({f"class:{cls}"})
        case TakesClasses(classes=classes, op=op, value=value) if OPERATORS[op](0, value) is False:
            return frozenset(f"class:{c}" for c in classes)
        case TakesSelf():
            return frozenset({"taken"})
        case TakesUnknown():
            return frozenset({"unknown"})
        case TakenMg24h() | TakenHours():
            return frozenset({"doses"})
        case PregnancyWeeksUnknown():
            return frozenset({"pregnant"})
        case Compare(field=field) if field != "age":
            return frozenset({field})
    return None


_TEXT_NODES = (
    Takes,
    TakesCount,
    TakesClasses,
    TakesOther,
    TakesSelf,
    TakesUnknown,
    TakenMg24h,
    TakenHours,
)


def text_nodes(cond: Condition) -> tuple[Condition, ...]:
    """The nodes of a condition that a text's ``{names}``, ``{mg}`` or ``{hours}`` refer to."""
    return tuple(n for n in walk(cond) if isinstance(n, _TEXT_NODES))


def matched_names(nodes: Iterable[Condition], person: Person, medicine: str | None) -> list[str]:
    """The medicine names behind a condition's :func:`text_nodes`: what ``{names}`` stands for."""
    names: list[str] = []
    for node in nodes:
        if isinstance(node, Takes | TakesCount):
            names += [t.name for t in person.by_class.get(node.cls, ())]
        elif isinstance(node, TakesClasses):
            names += [t.name for c in node.classes for t in person.by_class.get(c, ())]
        elif isinstance(node, TakesOther):
            names += [
                t.name for t in person.by_class.get(node.cls, ()) if medicine not in t.medicines
            ]
        elif isinstance(node, TakesSelf):
            names += [t.name for t in person.taken if medicine in t.medicines]
        elif isinstance(node, TakesUnknown):
            names += list(person.unknown)
        elif isinstance(node, TakenMg24h | TakenHours):
            names += list(person.dose_names.get(node.cls, ()))
    return list(dict.fromkeys(names))


def taken_classes(cond: Condition) -> set[str]:
    """The classes whose recorded doses a condition reads (``taken_mg_24h``, ``taken_hours``)."""
    return {n.cls for n in walk(cond) if isinstance(n, TakenMg24h | TakenHours)}


def join_names(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
