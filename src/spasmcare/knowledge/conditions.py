"""The one whitelisted condition language of the knowledge base, parsed from YAML into a typed tree.

A condition is a mapping with exactly one key. Three keys are logic and mean the same everywhere:
``{all: [c, ...]}``, ``{any: [c, ...]}`` and ``{not: c}``. Every other key is a *leaf*, taken from
the vocabulary of the context the condition is written in:

- triage rules, ``applies_when`` of findings and ``required_fields`` (:func:`triage_vocabulary`):
  ``{finding: id}`` (answered true); ``{maybe: id}`` (true or "unsure"); ``{not_no: id}`` (true,
  "unsure" or not answered: policy v2's "X is not no"); ``{age: {gte: 50}}``, ``{pain: {gte: 8}}``,
  ``{duration_days: {gte: 28}}`` (one of ``lt``, ``lte``, ``gt``, ``gte``, ``eq``; an unknown value
  makes it false); ``{region: flank}`` or ``{region: [neck, calf]}``; ``{pregnant: true}`` (answered
  yes), ``false`` (answered no), ``maybe`` (yes or "unsure"), ``not_no`` (yes, "unsure" or not
  answered); ``{onset: sudden}``; ``{sex: female}`` (answered exactly that), ``{sex_not: male}`` (any
  other answer, or none); ``{unsure_raises: emergency}`` (only the not-sure rules N1-N3, see
  ``triage.engine``);
- care items, notes and medicine checks: see :mod:`spasmcare.knowledge.care_conditions`.

Nothing else is accepted: there is no expression syntax and no ``eval``, only this tree. A leaf knows
how to describe itself; the context that evaluates conditions (``triage.evaluator``,
``plan.checks``) gives the meaning of its leaves, and :func:`compile_condition` (two-valued) or
:func:`evaluate3` (three-valued) does the logic, once for every context.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from typing import ParamSpec

from spasmcare.errors import Problem
from spasmcare.knowledge.body import REGIONS, SEXES

ONSETS: tuple[str, ...] = ("sudden", "gradual")
PREGNANT_MODES: tuple[str, ...] = ("yes", "no", "maybe", "not_no")
LEVELS: tuple[str, ...] = ("emergency", "urgent", "soon")
NUMERIC_FIELDS: tuple[str, ...] = ("age", "pain", "duration_days")
COMPARATORS: tuple[str, ...] = ("lt", "lte", "gt", "gte", "eq")
_SYMBOLS = {"lt": "<", "lte": "<=", "gt": ">", "gte": ">=", "eq": "="}
OPERATORS: dict[str, Callable[[float, float], bool]] = {
    "lt": operator.lt,
    "lte": operator.le,
    "gt": operator.gt,
    "gte": operator.ge,
    "eq": operator.eq,
}
"""What each comparison of the language means, for the contexts that evaluate ``Compare`` leaves."""

P = ParamSpec("P")


# -- the tree --------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Leaf:
    """A leaf of a condition: one test of a context's vocabulary."""

    def describe(self) -> str:
        """The leaf in the compact notation of the docs (e.g. ``age >= 50``)."""
        raise NotImplementedError  # pragma: no cover


@dataclass(frozen=True, slots=True)
class AllOf:
    parts: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    parts: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class Not:
    part: Condition


Condition = AllOf | AnyOf | Not | Leaf


def walk(cond: Condition) -> Iterator[Condition]:
    """Every node of a condition, depth first."""
    yield cond
    if isinstance(cond, AllOf | AnyOf):
        for part in cond.parts:
            yield from walk(part)
    elif isinstance(cond, Not):
        yield from walk(cond.part)


# -- the one describer, the one evaluator (two- and three-valued) ----------------------------------
def describe(cond: Condition) -> str:
    """A condition in compact words (e.g. ``fever and (rash or ...)``), for the generated docs."""
    if isinstance(cond, AllOf | AnyOf):
        joiner = " and " if isinstance(cond, AllOf) else " or "
        return joiner.join(_wrap(p) for p in cond.parts)
    if isinstance(cond, Not):
        return f"not {_wrap(cond.part)}"
    return cond.describe()


def _wrap(cond: Condition) -> str:
    text = describe(cond)
    return f"({text})" if isinstance(cond, AnyOf | AllOf) and len(cond.parts) > 1 else text


def compile_condition(
    cond: Condition, leaf: Callable[[Leaf], Callable[P, bool]]
) -> Callable[P, bool]:
    """Turn a condition into a predicate, with ``leaf`` giving the predicate of each leaf."""
    if isinstance(cond, AllOf | AnyOf):
        preds = tuple(compile_condition(p, leaf) for p in cond.parts)
        if isinstance(cond, AllOf):

            def all_of(*args: P.args, **kwargs: P.kwargs) -> bool:
                return all(pred(*args, **kwargs) for pred in preds)

            return all_of

        def any_of(*args: P.args, **kwargs: P.kwargs) -> bool:
            return any(pred(*args, **kwargs) for pred in preds)

        return any_of
    if isinstance(cond, Not):
        inner = compile_condition(cond.part, leaf)

        def negated(*args: P.args, **kwargs: P.kwargs) -> bool:
            return not inner(*args, **kwargs)

        return negated
    return leaf(cond)


def evaluate3(cond: Condition, leaf: Callable[[Leaf], bool | None]) -> bool | None:
    """Three-valued (Kleene) evaluation: None when what is still unknown could decide it.

    ``leaf`` gives each leaf's value (None: not known yet)."""
    if isinstance(cond, AllOf | AnyOf):
        decisive = isinstance(cond, AnyOf)  # any: one true decides; all: one false decides
        unknown = False
        for part in cond.parts:
            value = evaluate3(part, leaf)
            if value is decisive:
                return decisive
            unknown = unknown or value is None
        return None if unknown else not decisive
    if isinstance(cond, Not):
        value = evaluate3(cond.part, leaf)
        return None if value is None else not value
    return leaf(cond)


# -- parsing ---------------------------------------------------------------------------------------
LeafParser = Callable[[object, str, list[Problem]], Leaf | None]
"""``parse(value, path, problems)``: the leaf, or None after recording a problem."""


@dataclass(frozen=True)
class Vocabulary:
    """The leaves one context allows: key -> parser, and the keys to list in an error."""

    leaves: Mapping[str, LeafParser]
    keys: str


def parse_condition(
    raw: object, path: str, vocabulary: Vocabulary
) -> tuple[Condition | None, list[Problem]]:
    """Parse a raw YAML condition; return the tree (or None) and every problem found."""
    problems: list[Problem] = []
    cond = _parse(raw, path, vocabulary, problems)
    return (cond if not problems else None), problems


def _parse(
    raw: object, path: str, vocabulary: Vocabulary, problems: list[Problem]
) -> Condition | None:
    if not isinstance(raw, dict) or len(raw) != 1:
        problems.append(
            Problem(
                path,
                f"a condition must be a mapping with exactly one key, got {raw!r}",
                vocabulary.keys,
            )
        )
        return None
    ((key, value),) = raw.items()
    here = f"{path}.{key}"
    if key in ("all", "any"):
        if not isinstance(value, list) or not value:
            problems.append(Problem(here, "needs a non-empty list of conditions"))
            return None
        parts = [_parse(v, f"{here}[{i}]", vocabulary, problems) for i, v in enumerate(value)]
        clean = tuple(p for p in parts if p is not None)
        if len(clean) != len(parts):
            return None
        return AllOf(clean) if key == "all" else AnyOf(clean)
    if key == "not":
        part = _parse(value, here, vocabulary, problems)
        return Not(part) if part is not None else None
    parser = vocabulary.leaves.get(key)
    if parser is None:
        problems.append(Problem(path, f"unknown condition {key!r}", vocabulary.keys))
        return None
    return parser(value, here, problems)


def parse_comparison(value: object, path: str, problems: list[Problem]) -> tuple[str, float] | None:
    """Parse ``{op: number}`` (one of lt, lte, gt, gte, eq); record a problem and return None if bad."""
    if not isinstance(value, dict) or len(value) != 1:
        problems.append(
            Problem(path, "needs exactly one comparison, e.g. {gte: 50}", ", ".join(COMPARATORS))
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


def symbol(op: str) -> str:
    """``gte`` -> ``>=``."""
    return _SYMBOLS[op]


def choice(
    values: Collection[object], message: str, allowed: str, make: Callable[[str], Leaf]
) -> LeafParser:
    """A leaf whose value is one of a few words (``{onset: sudden}``)."""

    def parse(value: object, path: str, problems: list[Problem]) -> Leaf | None:
        if value not in values:
            problems.append(Problem(path, message.format(value=value), allowed))
            return None
        return make(str(value))

    return parse


# -- leaves shared by every context ----------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Compare(Leaf):
    """A comparison on a number of the intake; an unknown value makes it false."""

    field: str
    op: str
    value: float

    def describe(self) -> str:
        return f"{self.field} {symbol(self.op)} {self.value:g}"


@dataclass(frozen=True, slots=True)
class InRegion(Leaf):
    """One of these regions was chosen."""

    regions: tuple[str, ...]

    def describe(self) -> str:
        return "region " + " or ".join(self.regions)


@dataclass(frozen=True, slots=True)
class SexIs(Leaf):
    """Sex answered exactly this (None: not answered; care conditions only)."""

    sex: str | None

    def describe(self) -> str:
        return f"sex {self.sex or 'unknown'}"


def compare(field: str) -> LeafParser:
    def parse(value: object, path: str, problems: list[Problem]) -> Leaf | None:
        parsed = parse_comparison(value, path, problems)
        return Compare(field, *parsed) if parsed is not None else None

    return parse


def parse_region(value: object, path: str, problems: list[Problem]) -> Leaf | None:
    regions = [value] if isinstance(value, str) else value
    if not isinstance(regions, list) or not regions or any(r not in REGIONS for r in regions):
        problems.append(Problem(path, f"unknown region in {value!r}", ", ".join(REGIONS)))
        return None
    return InRegion(tuple(regions))


# -- the triage vocabulary -------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class FindingTrue(Leaf):
    finding: str

    def describe(self) -> str:
        return f"`{self.finding}`"


@dataclass(frozen=True, slots=True)
class FindingMaybe(Leaf):
    """The finding was answered true or "unsure"."""

    finding: str

    def describe(self) -> str:
        return f"`{self.finding}` is yes or not sure"


@dataclass(frozen=True, slots=True)
class FindingNotNo(Leaf):
    """The finding was answered true or "unsure", or not answered."""

    finding: str

    def describe(self) -> str:
        return f"`{self.finding}` is not no"


_PREGNANT_WORDS = {
    "yes": "pregnant",
    "no": "not pregnant",
    "maybe": "pregnant is yes or not sure",
    "not_no": "pregnant is not no",
}


@dataclass(frozen=True, slots=True)
class IsPregnant(Leaf):
    """``mode``: yes (answered true), no (answered false), maybe (true or unsure), not_no (not false)."""

    mode: str

    def describe(self) -> str:
        return _PREGNANT_WORDS[self.mode]


@dataclass(frozen=True, slots=True)
class SexNot(Leaf):
    """Sex is anything but this, or not given."""

    sex: str

    def describe(self) -> str:
        return f"sex is not {self.sex}"


@dataclass(frozen=True, slots=True)
class UnsureRaises(Leaf):
    """Not-sure rules: the highest level firing with unsure answers taken as yes is ``level`` and no
    rule at that level or above fires on the answers themselves."""

    level: str

    def describe(self) -> str:
        return f"a {self.level} rule fires only when the not-sure answers are taken as yes"


@dataclass(frozen=True, slots=True)
class OnsetIs(Leaf):
    onset: str

    def describe(self) -> str:
        return f"onset {self.onset}"


TRIAGE_KEYS = (
    "all, any, not, finding, maybe, not_no, age, pain, duration_days, region, pregnant, onset, sex, "
    "sex_not, unsure_raises"
)


def triage_vocabulary(finding_ids: Collection[str]) -> Vocabulary:
    """The leaves of triage conditions, naming these findings."""

    def finding(make: Callable[[str], Leaf]) -> LeafParser:
        def parse(value: object, path: str, problems: list[Problem]) -> Leaf | None:
            if not isinstance(value, str) or value not in finding_ids:
                problems.append(Problem(path, f"unknown finding {value!r}"))
                return None
            return make(value)

        return parse

    def pregnant(value: object, path: str, problems: list[Problem]) -> Leaf | None:
        mode = {True: "yes", False: "no"}.get(value, value) if isinstance(value, bool) else value
        if mode not in PREGNANT_MODES:
            problems.append(
                Problem(path, f"unknown pregnancy test {value!r}", "true, false, maybe, not_no")
            )
            return None
        return IsPregnant(str(mode))

    sexes = ", ".join(SEXES)
    leaves: dict[str, LeafParser] = {
        "finding": finding(FindingTrue),
        "maybe": finding(FindingMaybe),
        "not_no": finding(FindingNotNo),
        **{name: compare(name) for name in NUMERIC_FIELDS},
        "region": parse_region,
        "pregnant": pregnant,
        "sex": choice(SEXES, "unknown sex {value!r}", sexes, SexIs),
        "sex_not": choice(SEXES, "unknown sex {value!r}", sexes, SexNot),
        "unsure_raises": choice(LEVELS, "unknown level {value!r}", ", ".join(LEVELS), UnsureRaises),
        "onset": choice(ONSETS, "unknown onset {value!r}", ", ".join(ONSETS), OnsetIs),
    }
    return Vocabulary(leaves, TRIAGE_KEYS)


def findings_in(cond: Condition) -> frozenset[str]:
    """The finding ids a triage condition reads."""
    return frozenset(
        n.finding for n in walk(cond) if isinstance(n, FindingTrue | FindingMaybe | FindingNotNo)
    )


def fields_in(cond: Condition) -> frozenset[str]:
    """The intake fields other than findings a triage condition reads (age, pain, regions, ...)."""
    out: set[str] = set()
    for n in walk(cond):
        if isinstance(n, Compare):
            out.add(n.field)
        elif isinstance(n, InRegion):
            out.add("regions")
        elif isinstance(n, IsPregnant):
            out.add("pregnant")
        elif isinstance(n, OnsetIs):
            out.add("onset")
        elif isinstance(n, SexIs | SexNot):
            out.add("sex")
    return frozenset(out)
