"""The whitelisted condition language of triage rules, parsed from YAML into a small typed tree.

A condition is a mapping with exactly one key:

- ``{all: [c, ...]}``, ``{any: [c, ...]}``, ``{not: c}``: logic;
- ``{finding: id}``: the finding was answered true;
- ``{age: {gte: 50}}``, ``{pain: {gte: 8}}``, ``{duration_days: {gte: 28}}``: a comparison with one of
  ``lt``, ``lte``, ``gt``, ``gte``, ``eq`` (an unknown value makes it false);
- ``{region: flank}`` or ``{region: [neck, calf]}``: one of these regions was chosen;
- ``{pregnant: true}`` (answered yes), ``{pregnant: false}`` (answered no), ``{pregnant: maybe}`` (yes or
  "unsure"), ``{pregnant: not_no}`` (yes, "unsure" or not answered); ``{onset: sudden}``;
- ``{maybe: id}``: the finding was answered true or "unsure"; ``{not_no: id}``: true, "unsure" or not
  answered (policy v2's "X is not no");
- ``{sex: female}``: answered exactly that; ``{sex_not: male}``: any other answer, or none;
- ``{unsure_raises: emergency}``: only for the not-sure rules N1-N3 (see ``triage.engine``).

Nothing else is accepted: there is no expression syntax to evaluate, only this tree.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from spasmcare.errors import Problem

REGIONS: tuple[str, ...] = (
    "neck",
    "upper_back",
    "mid_back",
    "lower_back",
    "flank",
    "buttock",
    "thigh",
    "calf",
)
ONSETS: tuple[str, ...] = ("sudden", "gradual")
SEXES: tuple[str, ...] = ("female", "male", "other")
PREGNANT_MODES: tuple[str, ...] = ("yes", "no", "maybe", "not_no")
LEVELS: tuple[str, ...] = ("emergency", "urgent", "soon")
KEYS = (
    "all, any, not, finding, maybe, not_no, age, pain, duration_days, region, pregnant, onset, sex, "
    "sex_not, unsure_raises"
)
NUMERIC_FIELDS: tuple[str, ...] = ("age", "pain", "duration_days")
COMPARATORS: tuple[str, ...] = ("lt", "lte", "gt", "gte", "eq")

Comparator = Literal["lt", "lte", "gt", "gte", "eq"]
NumericField = Literal["age", "pain", "duration_days"]


@dataclass(frozen=True, slots=True)
class AllOf:
    parts: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    parts: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class Not:
    part: Condition


@dataclass(frozen=True, slots=True)
class FindingTrue:
    finding: str


@dataclass(frozen=True, slots=True)
class Compare:
    field: NumericField
    op: Comparator
    value: float


@dataclass(frozen=True, slots=True)
class InRegion:
    regions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FindingMaybe:
    """The finding was answered true or "unsure"."""

    finding: str


@dataclass(frozen=True, slots=True)
class FindingNotNo:
    """The finding was answered true or "unsure", or not answered."""

    finding: str


@dataclass(frozen=True, slots=True)
class IsPregnant:
    """``mode``: yes (answered true), no (answered false), maybe (true or unsure), not_no (not false)."""

    mode: str


@dataclass(frozen=True, slots=True)
class SexIs:
    sex: str


@dataclass(frozen=True, slots=True)
class SexNot:
    """Sex is anything but this, or not given."""

    sex: str


@dataclass(frozen=True, slots=True)
class UnsureRaises:
    """Not-sure rules: the highest level firing with unsure answers taken as yes is ``level`` and no
    rule at that level or above fires on the answers themselves."""

    level: str


@dataclass(frozen=True, slots=True)
class OnsetIs:
    onset: str


Condition = (
    AllOf
    | AnyOf
    | Not
    | FindingTrue
    | FindingMaybe
    | FindingNotNo
    | Compare
    | InRegion
    | IsPregnant
    | OnsetIs
    | SexIs
    | SexNot
    | UnsureRaises
)


def walk(cond: Condition) -> Iterator[Condition]:
    """Every node of a condition, depth first."""
    yield cond
    if isinstance(cond, AllOf | AnyOf):
        for part in cond.parts:
            yield from walk(part)
    elif isinstance(cond, Not):
        yield from walk(cond.part)


def findings_in(cond: Condition) -> frozenset[str]:
    """The finding ids a condition reads."""
    return frozenset(
        n.finding for n in walk(cond) if isinstance(n, FindingTrue | FindingMaybe | FindingNotNo)
    )


def fields_in(cond: Condition) -> frozenset[str]:
    """The intake fields other than findings a condition reads (age, pain, regions, ...)."""
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


def parse_condition(
    raw: object, path: str, finding_ids: frozenset[str]
) -> tuple[Condition | None, list[Problem]]:
    """Parse a raw YAML condition; return the tree (or None) and every problem found."""
    problems: list[Problem] = []
    cond = _parse(raw, path, finding_ids, problems)
    return (cond if not problems else None), problems


def _parse(
    raw: object, path: str, finding_ids: frozenset[str], problems: list[Problem]
) -> Condition | None:
    if not isinstance(raw, dict) or len(raw) != 1:
        problems.append(
            Problem(
                path,
                f"a condition must be a mapping with exactly one key, got {raw!r}",
                KEYS,
            )
        )
        return None
    ((key, value),) = raw.items()
    here = f"{path}.{key}"
    if key in ("all", "any"):
        if not isinstance(value, list) or not value:
            problems.append(Problem(here, "needs a non-empty list of conditions"))
            return None
        parts = [_parse(v, f"{here}[{i}]", finding_ids, problems) for i, v in enumerate(value)]
        clean = tuple(p for p in parts if p is not None)
        if len(clean) != len(parts):
            return None
        return AllOf(clean) if key == "all" else AnyOf(clean)
    if key == "not":
        part = _parse(value, here, finding_ids, problems)
        return Not(part) if part is not None else None
    if key in ("finding", "maybe", "not_no"):
        if not isinstance(value, str) or value not in finding_ids:
            problems.append(Problem(here, f"unknown finding {value!r}"))
            return None
        if key == "maybe":
            return FindingMaybe(value)
        return FindingNotNo(value) if key == "not_no" else FindingTrue(value)
    if key in NUMERIC_FIELDS:
        return _parse_compare(key, value, here, problems)
    if key == "region":
        regions = [value] if isinstance(value, str) else value
        if not isinstance(regions, list) or not regions or any(r not in REGIONS for r in regions):
            problems.append(Problem(here, f"unknown region in {value!r}", ", ".join(REGIONS)))
            return None
        return InRegion(tuple(regions))
    if key == "pregnant":
        mode = {True: "yes", False: "no"}.get(value, value) if isinstance(value, bool) else value
        if mode not in PREGNANT_MODES:
            problems.append(
                Problem(here, f"unknown pregnancy test {value!r}", "true, false, maybe, not_no")
            )
            return None
        return IsPregnant(str(mode))
    if key in ("sex", "sex_not"):
        if value not in SEXES:
            problems.append(Problem(here, f"unknown sex {value!r}", ", ".join(SEXES)))
            return None
        return SexIs(str(value)) if key == "sex" else SexNot(str(value))
    if key == "unsure_raises":
        if value not in LEVELS:
            problems.append(Problem(here, f"unknown level {value!r}", ", ".join(LEVELS)))
            return None
        return UnsureRaises(str(value))
    if key == "onset":
        if value not in ONSETS:
            problems.append(Problem(here, f"unknown onset {value!r}", ", ".join(ONSETS)))
            return None
        return OnsetIs(str(value))
    problems.append(Problem(path, f"unknown condition {key!r}", KEYS))
    return None


def parse_comparison(
    value: object, path: str, problems: list[Problem]
) -> tuple[Comparator, float] | None:
    """Parse ``{op: number}`` (one of lt, lte, gt, gte, eq); record a problem and return None if bad.

    Shared by the triage conditions here and the care-plan conditions of ``care_conditions``.
    """
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
    return op, float(number)


def _parse_compare(field: str, value: object, path: str, problems: list[Problem]) -> Compare | None:
    parsed = parse_comparison(value, path, problems)
    if parsed is None:
        return None
    return Compare(field, *parsed)  # type: ignore[arg-type]
