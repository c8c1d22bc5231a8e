"""The condition language of care items and medicine checks, parsed from YAML into a typed tree.

A condition is a mapping with one key: ``all``/``any`` (a list), ``not``; ``condition: id``;
``finding: id``; ``takes: class``; ``takes_other: class`` and ``takes_self: true`` (medicine checks
only); ``takes_count: {class: id, gte: 2}``; ``takes_classes: {classes: [a, b], gte: 2}`` (how many of
these classes the person takes, 1.1.0); ``takes_unknown: true``; a comparison on ``age``,
``alcohol_drinks_per_day``, ``weight_kg`` or ``pregnancy_weeks`` (``{gte: 20}``);
``pregnant: true|false|unknown``; ``pregnancy_weeks_unknown: true``; ``sex: female|male|other|unknown``;
``region: id or list``; ``taken_mg_24h`` and ``taken_hours`` (``{class: id, gte: n}``: from the doses
recorded in the diary). Nothing else is accepted: there is no expression syntax and no ``eval``; the
tree is evaluated by :mod:`spasmcare.plan.checks`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass

from spasmcare.errors import Problem
from spasmcare.knowledge.conditions import REGIONS, parse_comparison

MEASURES: tuple[str, ...] = ("age", "alcohol_drinks_per_day", "weight_kg", "pregnancy_weeks")


@dataclass(frozen=True, slots=True)
class CAll:
    parts: tuple[CareCondition, ...]


@dataclass(frozen=True, slots=True)
class CAny:
    parts: tuple[CareCondition, ...]


@dataclass(frozen=True, slots=True)
class CNot:
    part: CareCondition


@dataclass(frozen=True, slots=True)
class HasCondition:
    """The person reported this health condition (conditions.yaml id)."""

    condition: str


@dataclass(frozen=True, slots=True)
class HasFinding:
    """A triage finding was answered true (e.g. ``low_fluids``)."""

    finding: str


@dataclass(frozen=True, slots=True)
class Takes:
    """The person takes a medicine of this class."""

    cls: str


@dataclass(frozen=True, slots=True)
class TakesOther:
    """The person takes a medicine of this class other than the medicine being checked."""

    cls: str


@dataclass(frozen=True, slots=True)
class TakesCount:
    """How many of the names the person lists belong to a class (``{class: x, gte: 2}``)."""

    cls: str
    op: str
    value: float


@dataclass(frozen=True, slots=True)
class TakesClasses:
    """How many of these classes the person takes (``{classes: [opioid, z_drug], gte: 2}``)."""

    classes: tuple[str, ...]
    op: str
    value: float


@dataclass(frozen=True, slots=True)
class TakesSelf:
    """The person already lists the medicine being checked."""


@dataclass(frozen=True, slots=True)
class TakesUnknown:
    """The person lists a medicine name spasmcare does not recognise."""


@dataclass(frozen=True, slots=True)
class Measure:
    """A comparison on a number of the intake; an unknown value makes it false."""

    field: str
    op: str
    value: float


@dataclass(frozen=True, slots=True)
class PregnantIs:
    """``pregnant: true``, ``false`` or ``unknown`` (not answered)."""

    value: bool | None


@dataclass(frozen=True, slots=True)
class PregnancyWeeksUnknown:
    """Pregnant, and the week of pregnancy is not known."""


@dataclass(frozen=True, slots=True)
class SexIs:
    """``sex: female``, ``male``, ``other`` or ``unknown``."""

    value: str | None


@dataclass(frozen=True, slots=True)
class RegionIn:
    regions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TakenMg24h:
    """Milligrams of a class's medicines recorded as taken in the 24 hours before ``now``."""

    cls: str
    op: str
    value: float


@dataclass(frozen=True, slots=True)
class TakenHours:
    """Hours from the first to the last recorded dose of a class (a course still going on)."""

    cls: str
    op: str
    value: float


CareCondition = (
    CAll
    | CAny
    | CNot
    | HasCondition
    | HasFinding
    | Takes
    | TakesOther
    | TakesCount
    | TakesClasses
    | TakesSelf
    | TakesUnknown
    | Measure
    | PregnantIs
    | PregnancyWeeksUnknown
    | SexIs
    | RegionIn
    | TakenMg24h
    | TakenHours
)

CONDITION_KEYS = (
    "all, any, not, condition, finding, takes, takes_other, takes_count, takes_classes, takes_self, "
    "takes_unknown, "
    "age, alcohol_drinks_per_day, weight_kg, pregnancy_weeks, pregnant, pregnancy_weeks_unknown, "
    "sex, region, taken_mg_24h, taken_hours"
)
_MEDICINE_ONLY = ("takes_other", "takes_self")


def walk_care(cond: CareCondition) -> Iterator[CareCondition]:
    """Every node of a care condition, depth first."""
    yield cond
    if isinstance(cond, CAll | CAny):
        for part in cond.parts:
            yield from walk_care(part)
    elif isinstance(cond, CNot):
        yield from walk_care(cond.part)


@dataclass(frozen=True)
class Vocabulary:
    """The ids a care condition may name."""

    conditions: Collection[str]
    findings: Collection[str]
    classes: Collection[str]


def parse_care_condition(
    raw: object, path: str, vocab: Vocabulary, *, medicine_check: bool = False
) -> tuple[CareCondition | None, list[Problem]]:
    """Parse one condition of the care language; return the tree (or None) and every problem.

    A condition is a mapping with one key: ``all``/``any`` (a list), ``not``; ``condition: id``;
    ``finding: id``; ``takes: class``; ``takes_other: class`` and ``takes_self: true`` (medicine
    checks only); ``takes_count: {class: id, gte: 2}``; ``takes_classes: {classes: [a, b], gte: 2}``;
    ``takes_unknown: true``; a comparison on ``age``, ``alcohol_drinks_per_day``, ``weight_kg`` or
    ``pregnancy_weeks`` (``{gte: 20}``);
    ``pregnant: true|false|unknown``; ``pregnancy_weeks_unknown: true``;
    ``sex: female|male|other|unknown``; ``region: id or list``; ``taken_mg_24h`` and ``taken_hours``
    (``{class: id, gte: n}``: from the doses recorded in the diary).
    """
    problems: list[Problem] = []
    cond = _parse(raw, path, vocab, medicine_check, problems)
    return (cond if not problems else None), problems


def _parse(
    raw: object, path: str, vocab: Vocabulary, in_check: bool, problems: list[Problem]
) -> CareCondition | None:
    if not isinstance(raw, dict) or len(raw) != 1:
        problems.append(
            Problem(
                path,
                f"a condition must be a mapping with exactly one key, got {raw!r}",
                CONDITION_KEYS,
            )
        )
        return None
    ((key, value),) = raw.items()
    here = f"{path}.{key}"

    def bad(message: str, allowed: str | None = None) -> None:
        problems.append(Problem(here, message, allowed))

    if key in _MEDICINE_ONLY and not in_check:
        bad("only allowed in a medicine check")
        return None
    if key in ("all", "any"):
        if not isinstance(value, list) or not value:
            bad("needs a non-empty list of conditions")
            return None
        parts = [_parse(v, f"{here}[{i}]", vocab, in_check, problems) for i, v in enumerate(value)]
        clean = tuple(p for p in parts if p is not None)
        if len(clean) != len(parts):
            return None
        return CAll(clean) if key == "all" else CAny(clean)
    if key == "not":
        part = _parse(value, here, vocab, in_check, problems)
        return CNot(part) if part is not None else None
    if key == "condition":
        if value not in vocab.conditions:
            bad(f"unknown condition {value!r}", ", ".join(vocab.conditions))
            return None
        return HasCondition(str(value))
    if key == "finding":
        if value not in vocab.findings:
            bad(f"unknown finding {value!r}")
            return None
        return HasFinding(str(value))
    if key in ("takes", "takes_other"):
        if value not in vocab.classes:
            bad(f"unknown medicine class {value!r}", ", ".join(vocab.classes))
            return None
        return Takes(str(value)) if key == "takes" else TakesOther(str(value))
    if key in ("takes_self", "takes_unknown", "pregnancy_weeks_unknown"):
        if value is not True:
            bad(f"must be true, got {value!r}", "true")
            return None
        if key == "takes_self":
            return TakesSelf()
        return TakesUnknown() if key == "takes_unknown" else PregnancyWeeksUnknown()
    if key in ("takes_count", "taken_mg_24h", "taken_hours"):
        parsed = _class_compare(value, here, vocab, problems)
        if parsed is None:
            return None
        cls, op, number = parsed
        if key == "takes_count":
            return TakesCount(cls, op, number)
        return TakenMg24h(cls, op, number) if key == "taken_mg_24h" else TakenHours(cls, op, number)
    if key == "takes_classes":
        return _classes_compare(value, here, vocab, problems)
    if key in MEASURES:
        compare = parse_comparison(value, here, problems)
        return Measure(key, *compare) if compare is not None else None
    if key == "pregnant":
        if value not in (True, False, "unknown"):
            bad(f"must be true, false or unknown, got {value!r}", "true, false, unknown")
            return None
        return PregnantIs(None if value == "unknown" else bool(value))
    if key == "sex":
        if value not in ("female", "male", "other", "unknown"):
            bad(f"unknown sex {value!r}", "female, male, other, unknown")
            return None
        return SexIs(None if value == "unknown" else str(value))
    if key == "region":
        regions = [value] if isinstance(value, str) else value
        if not isinstance(regions, list) or not regions or any(r not in REGIONS for r in regions):
            bad(f"unknown region in {value!r}", ", ".join(REGIONS))
            return None
        return RegionIn(tuple(regions))
    problems.append(Problem(path, f"unknown condition {key!r}", CONDITION_KEYS))
    return None


def _class_compare(
    value: object, path: str, vocab: Vocabulary, problems: list[Problem]
) -> tuple[str, str, float] | None:
    if not isinstance(value, dict) or "class" not in value or len(value) != 2:
        problems.append(
            Problem(path, "needs a class and one comparison, e.g. {class: nsaid, gte: 2}")
        )
        return None
    rest = {k: v for k, v in value.items() if k != "class"}
    cls = value["class"]
    if cls not in vocab.classes:
        problems.append(
            Problem(f"{path}.class", f"unknown medicine class {cls!r}", ", ".join(vocab.classes))
        )
        return None
    compare = parse_comparison(rest, path, problems)
    return (str(cls), *compare) if compare is not None else None


def _classes_compare(
    value: object, path: str, vocab: Vocabulary, problems: list[Problem]
) -> TakesClasses | None:
    if not isinstance(value, dict) or "classes" not in value or len(value) != 2:
        problems.append(
            Problem(
                path,
                "needs classes and one comparison, e.g. {classes: [opioid, z_drug], gte: 2}",
            )
        )
        return None
    classes = value["classes"]
    if not isinstance(classes, list) or len(classes) < 2:
        problems.append(Problem(f"{path}.classes", "needs a list of two or more medicine classes"))
        return None
    unknown = [c for c in classes if c not in vocab.classes]
    for cls in unknown:
        problems.append(
            Problem(f"{path}.classes", f"unknown medicine class {cls!r}", ", ".join(vocab.classes))
        )
    if len(set(classes)) != len(classes):
        problems.append(Problem(f"{path}.classes", "names a class twice"))
        return None
    compare = parse_comparison({k: v for k, v in value.items() if k != "classes"}, path, problems)
    if compare is None or unknown:
        return None
    return TakesClasses(tuple(str(c) for c in classes), *compare)
