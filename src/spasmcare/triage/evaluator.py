"""The whitelisted condition evaluator: conditions compile to small closures (two-valued) and are
also evaluated three-valued (true / false / unknown) for the interview. No ``eval``, no parser of
expressions: only the node types of :mod:`spasmcare.knowledge.conditions`."""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass

from spasmcare.knowledge.conditions import (
    AllOf,
    AnyOf,
    Compare,
    Condition,
    FindingTrue,
    InRegion,
    IsPregnant,
    Not,
    OnsetIs,
)


@dataclass(frozen=True, slots=True)
class Facts:
    """What is known about one person, shaped for fast rule checks."""

    true: frozenset[str]
    known: dict[str, bool]
    regions: frozenset[str]
    age: float | None
    pain: float | None
    duration_days: float | None
    pregnant: bool | None
    onset: str | None


Predicate = Callable[[Facts], bool]

_OPS: dict[str, Callable[[float, float], bool]] = {
    "lt": operator.lt,
    "lte": operator.le,
    "gt": operator.gt,
    "gte": operator.ge,
    "eq": operator.eq,
}


def _value(facts: Facts, field: str) -> float | None:
    if field == "age":
        return facts.age
    if field == "pain":
        return facts.pain
    return facts.duration_days


def compile_condition(cond: Condition) -> Predicate:
    """Turn a condition tree into a predicate; unknown values count as not present."""
    match cond:
        case FindingTrue(finding=fid):
            return lambda f: fid in f.true
        case AnyOf(parts=parts) if all(isinstance(p, FindingTrue) for p in parts):
            ids = frozenset(p.finding for p in parts if isinstance(p, FindingTrue))
            return lambda f: not ids.isdisjoint(f.true)
        case AnyOf(parts=parts):
            preds = tuple(compile_condition(p) for p in parts)

            def any_of(f: Facts) -> bool:
                # A plain loop: any() over a generator costs about twice as much per rule check.
                for pred in preds:  # noqa: SIM110
                    if pred(f):
                        return True
                return False

            return any_of
        case AllOf(parts=parts):
            preds = tuple(compile_condition(p) for p in parts)

            def all_of(f: Facts) -> bool:
                for pred in preds:  # noqa: SIM110
                    if not pred(f):
                        return False
                return True

            return all_of
        case Not(part=part):
            pred = compile_condition(part)
            return lambda f: not pred(f)
        case Compare(field=field, op=op, value=limit):
            fn = _OPS[op]
            return lambda f: (v := _value(f, field)) is not None and fn(v, limit)
        case InRegion(regions=regions):
            wanted = frozenset(regions)
            return lambda f: not wanted.isdisjoint(f.regions)
        case IsPregnant(value=value):
            return lambda f: f.pregnant is value
        case OnsetIs(onset=onset):
            return lambda f: f.onset == onset
    raise TypeError(f"not a condition node: {cond!r}")  # pragma: no cover - exhaustive above


def required_findings(cond: Condition) -> frozenset[str] | None:
    """Findings of which at least one must be true for the condition to hold, or None if a
    condition can hold without any true finding. Used to skip rules cheaply; never changes a result."""
    match cond:
        case FindingTrue(finding=fid):
            return frozenset((fid,))
        case AnyOf(parts=parts):
            needs = [required_findings(p) for p in parts]
            if any(n is None for n in needs):
                return None
            return frozenset().union(*(n for n in needs if n is not None))
        case AllOf(parts=parts):
            options = [n for n in (required_findings(p) for p in parts) if n is not None]
            return min(options, key=len) if options else None
    return None


def evaluate3(cond: Condition, facts: Facts) -> bool | None:
    """Three-valued (Kleene) evaluation: None when unanswered questions could still decide it."""
    match cond:
        case FindingTrue(finding=fid):
            return facts.known.get(fid)
        case AnyOf(parts=parts):
            unknown = False
            for part in parts:
                value = evaluate3(part, facts)
                if value is True:
                    return True
                unknown = unknown or value is None
            return None if unknown else False
        case AllOf(parts=parts):
            unknown = False
            for part in parts:
                value = evaluate3(part, facts)
                if value is False:
                    return False
                unknown = unknown or value is None
            return None if unknown else True
        case Not(part=part):
            value = evaluate3(part, facts)
            return None if value is None else not value
        case Compare(field=field, op=op, value=limit):
            v = _value(facts, field)
            return None if v is None else _OPS[op](v, limit)
        case InRegion(regions=regions):
            return not frozenset(regions).isdisjoint(facts.regions)
        case IsPregnant(value=value):
            return None if facts.pregnant is None else facts.pregnant is value
        case OnsetIs(onset=onset):
            return None if facts.onset is None else facts.onset == onset
    raise TypeError(f"not a condition node: {cond!r}")  # pragma: no cover
