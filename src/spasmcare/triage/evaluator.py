"""What the triage leaves of the condition language mean for one person: conditions compile to small
closures (two-valued) and are also evaluated three-valued (true / false / unknown) for the interview,
by the one evaluator of :mod:`spasmcare.knowledge.conditions`. No ``eval``, no parser of expressions.

Answers are ``True``, ``False`` or ``"unsure"``; a missing answer means "not asked yet". Two-valued
checks read a missing or unsure answer as not present, except the leaves that say otherwise
(``maybe``, ``not_no``, ``sex_not``, ``pregnant: maybe|not_no``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from spasmcare.knowledge import conditions
from spasmcare.knowledge.conditions import (
    OPERATORS,
    AllOf,
    AnyOf,
    Compare,
    Condition,
    FindingMaybe,
    FindingNotNo,
    FindingTrue,
    InRegion,
    IsPregnant,
    Leaf,
    OnsetIs,
    SexIs,
    SexNot,
    UnsureRaises,
)

UNSURE = "unsure"
Answer = bool | str


@dataclass(frozen=True, slots=True)
class Facts:
    """What is known about one person, shaped for fast rule checks."""

    true: frozenset[str]
    known: Mapping[str, Answer]
    regions: frozenset[str]
    age: float | None
    pain: float | None
    duration_days: float | None
    pregnant: Answer | None
    onset: str | None
    sex: str | None = None

    @property
    def unsure(self) -> frozenset[str]:
        """Finding ids answered "unsure"."""
        return frozenset(k for k, v in self.known.items() if v == UNSURE)

    def taken_as_yes(self) -> Facts:
        """The policy's intake W: every unsure finding true, pregnant unsure true, onset unsure
        sudden."""
        known = {k: (True if v == UNSURE else v) for k, v in self.known.items()}
        return Facts(
            true=frozenset(k for k, v in known.items() if v is True),
            known=known,
            regions=self.regions,
            age=self.age,
            pain=self.pain,
            duration_days=self.duration_days,
            pregnant=True if self.pregnant == UNSURE else self.pregnant,
            onset="sudden" if self.onset == UNSURE else self.onset,
            sex=self.sex,
        )


Predicate = Callable[[Facts], bool]


def _value(facts: Facts, field: str) -> float | None:
    if field == "age":
        return facts.age
    if field == "pain":
        return facts.pain
    return facts.duration_days


def _pregnant(mode: str, value: Answer | None) -> bool:
    if mode == "yes":
        return value is True
    if mode == "no":
        return value is False
    if mode == "maybe":
        return value is True or value == UNSURE
    return value is not False  # not_no


def compile_condition(cond: Condition) -> Predicate:
    """Turn a condition tree into a predicate; unknown values count as not present."""
    return conditions.compile_condition(cond, _leaf)


def _leaf(leaf: Leaf) -> Predicate:
    match leaf:
        case FindingTrue(finding=fid):
            return lambda f: fid in f.true
        case FindingMaybe(finding=fid):
            return lambda f: f.known.get(fid) in (True, UNSURE)
        case FindingNotNo(finding=fid):
            return lambda f: f.known.get(fid) is not False
        case Compare(field=field, op=op, value=limit):
            fn = OPERATORS[op]
            return lambda f: (v := _value(f, field)) is not None and fn(v, limit)
        case InRegion(regions=regions):
            wanted = frozenset(regions)
            return lambda f: not wanted.isdisjoint(f.regions)
        case IsPregnant(mode=mode):
            return lambda f: _pregnant(mode, f.pregnant)
        case OnsetIs(onset=onset):
            return lambda f: f.onset == onset
        case SexIs(sex=sex):
            return lambda f: f.sex == sex
        case SexNot(sex=sex):
            return lambda f: f.sex != sex
        case UnsureRaises():
            raise TypeError("unsure_raises is decided by the engine, not compiled")
    raise TypeError(f"not a triage condition leaf: {leaf!r}")  # pragma: no cover


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


def _three(value: Answer | None, yes: tuple[Answer, ...], no: tuple[Answer, ...]) -> bool | None:
    if value is None:
        return None
    if value in yes:
        return True
    if value in no:
        return False
    return None


def evaluate3(cond: Condition, facts: Facts) -> bool | None:
    """Three-valued (Kleene) evaluation: None when unanswered questions could still decide it.

    An "unsure" answer counts as undecided, so questions that could still settle a rule the person
    was unsure about stay open."""
    return conditions.evaluate3(cond, lambda leaf: _leaf3(leaf, facts))


def _leaf3(leaf: Leaf, facts: Facts) -> bool | None:
    match leaf:
        case FindingTrue(finding=fid):
            return _three(facts.known.get(fid), (True,), (False,))
        case FindingMaybe(finding=fid) | FindingNotNo(finding=fid):
            return _three(facts.known.get(fid), (True, UNSURE), (False,))
        case Compare(field=field, op=op, value=limit):
            v = _value(facts, field)
            return None if v is None else OPERATORS[op](v, limit)
        case InRegion(regions=regions):
            return not frozenset(regions).isdisjoint(facts.regions)
        case IsPregnant(mode=mode):
            if facts.pregnant is None:
                return None
            if facts.pregnant == UNSURE and mode in ("yes", "no"):
                return None
            return _pregnant(mode, facts.pregnant)
        case OnsetIs(onset=onset):
            return None if facts.onset in (None, UNSURE) else facts.onset == onset
        case SexIs(sex=sex):
            return None if facts.sex is None else facts.sex == sex
        case SexNot(sex=sex):
            return None if facts.sex is None else facts.sex != sex
        case UnsureRaises():
            return None
    raise TypeError(f"not a triage condition leaf: {leaf!r}")  # pragma: no cover
