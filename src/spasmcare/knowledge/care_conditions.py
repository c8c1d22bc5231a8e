"""The leaves of care conditions (care items, notes and medicine checks): their vocabulary of the one
condition language of :mod:`spasmcare.knowledge.conditions`.

``condition: id``; ``finding: id``; ``takes: class``; ``takes_other: class`` and ``takes_self: true``
(medicine checks only); ``takes_count: {class: id, gte: 2}``; ``takes_classes: {classes: [a, b],
gte: 2}`` (how many of these classes the person takes, 1.1.0); ``takes_unknown: true``; a comparison
on ``age``, ``alcohol_drinks_per_day``, ``weight_kg`` or ``pregnancy_weeks`` (``{gte: 20}``);
``pregnant: true|false|unknown``; ``pregnancy_weeks_unknown: true``; ``sex: female|male|other|unknown``;
``region: id or list``; ``taken_mg_24h`` and ``taken_hours`` (``{class: id, gte: n}``: from the doses
recorded in the diary). With ``all``, ``any`` and ``not`` that is everything: there is no expression
syntax and no ``eval``; :mod:`spasmcare.plan.checks` gives the leaves their meaning.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

from spasmcare.errors import Problem
from spasmcare.knowledge.conditions import (
    Leaf,
    LeafParser,
    SexIs,
    Vocabulary,
    choice,
    compare,
    parse_comparison,
    parse_region,
    symbol,
)

MEASURES: tuple[str, ...] = ("age", "alcohol_drinks_per_day", "weight_kg", "pregnancy_weeks")


@dataclass(frozen=True, slots=True)
class HasCondition(Leaf):
    """The person reported this health condition (conditions.yaml id)."""

    condition: str

    def describe(self) -> str:
        return f"condition `{self.condition}`"


@dataclass(frozen=True, slots=True)
class HasFinding(Leaf):
    """A triage finding was answered true (e.g. ``low_fluids``)."""

    finding: str

    def describe(self) -> str:
        return f"finding `{self.finding}`"


@dataclass(frozen=True, slots=True)
class Takes(Leaf):
    """The person takes a medicine of this class."""

    cls: str

    def describe(self) -> str:
        return f"takes `{self.cls}`"


@dataclass(frozen=True, slots=True)
class TakesOther(Leaf):
    """The person takes a medicine of this class other than the medicine being checked."""

    cls: str

    def describe(self) -> str:
        return f"takes another `{self.cls}`"


@dataclass(frozen=True, slots=True)
class TakesCount(Leaf):
    """How many of the names the person lists belong to a class (``{class: x, gte: 2}``)."""

    cls: str
    op: str
    value: float

    def describe(self) -> str:
        return f"number of `{self.cls}` names {symbol(self.op)} {self.value:g}"


@dataclass(frozen=True, slots=True)
class TakesClasses(Leaf):
    """How many of these classes the person takes (``{classes: [opioid, z_drug], gte: 2}``)."""

    classes: tuple[str, ...]
    op: str
    value: float

    def describe(self) -> str:
        listed = ", ".join(f"`{c}`" for c in self.classes)
        return f"number of classes taken of {listed} {symbol(self.op)} {self.value:g}"


@dataclass(frozen=True, slots=True)
class TakesSelf(Leaf):
    """The person already lists the medicine being checked."""

    def describe(self) -> str:
        return "already takes this medicine"


@dataclass(frozen=True, slots=True)
class TakesUnknown(Leaf):
    """The person lists a medicine name spasmcare does not recognise."""

    def describe(self) -> str:
        return "takes a medicine not recognised"


@dataclass(frozen=True, slots=True)
class PregnantIs(Leaf):
    """``pregnant: true``, ``false`` or ``unknown`` (not answered)."""

    value: bool | None

    def describe(self) -> str:
        if self.value is None:
            return "pregnancy unknown"
        return "pregnant" if self.value else "not pregnant"


@dataclass(frozen=True, slots=True)
class PregnancyWeeksUnknown(Leaf):
    """Pregnant, and the week of pregnancy is not known."""

    def describe(self) -> str:
        return "pregnant, week unknown"


@dataclass(frozen=True, slots=True)
class TakenMg24h(Leaf):
    """Milligrams of a class's medicines recorded as taken in the 24 hours before ``now``."""

    cls: str
    op: str
    value: float

    def describe(self) -> str:
        return f"mg of `{self.cls}` in the last 24 h {symbol(self.op)} {self.value:g}"


@dataclass(frozen=True, slots=True)
class TakenHours(Leaf):
    """Hours from the first to the last recorded dose of a class (a course still going on)."""

    cls: str
    op: str
    value: float

    def describe(self) -> str:
        return f"hours of `{self.cls}` doses {symbol(self.op)} {self.value:g}"


CARE_KEYS = (
    "all, any, not, condition, finding, takes, takes_other, takes_count, takes_classes, takes_self, "
    "takes_unknown, "
    "age, alcohol_drinks_per_day, weight_kg, pregnancy_weeks, pregnant, pregnancy_weeks_unknown, "
    "sex, region, taken_mg_24h, taken_hours"
)
_MEDICINE_ONLY = ("takes_other", "takes_self")


def care_vocabulary(
    conditions: Collection[str],
    findings: Collection[str],
    classes: Collection[str],
    *,
    medicine_check: bool = False,
) -> Vocabulary:
    """The leaves of care conditions naming these ids; ``takes_other`` and ``takes_self`` only in a
    medicine check."""
    class_list = ", ".join(classes)

    def known_class(make: Callable[[str], Leaf]) -> LeafParser:
        return choice(classes, "unknown medicine class {value!r}", class_list, make)

    def flag(make: Callable[[], Leaf]) -> LeafParser:
        def parse(value: object, path: str, problems: list[Problem]) -> Leaf | None:
            if value is not True:
                problems.append(Problem(path, f"must be true, got {value!r}", "true"))
                return None
            return make()

        return parse

    def class_compare(make: Callable[[str, str, float], Leaf]) -> LeafParser:
        def parse(value: object, path: str, problems: list[Problem]) -> Leaf | None:
            if not isinstance(value, dict) or "class" not in value or len(value) != 2:
                problems.append(
                    Problem(path, "needs a class and one comparison, e.g. {class: nsaid, gte: 2}")
                )
                return None
            cls = value["class"]
            if cls not in classes:
                problems.append(
                    Problem(f"{path}.class", f"unknown medicine class {cls!r}", class_list)
                )
                return None
            rest = {k: v for k, v in value.items() if k != "class"}
            parsed = parse_comparison(rest, path, problems)
            return make(str(cls), *parsed) if parsed is not None else None

        return parse

    def takes_classes(value: object, path: str, problems: list[Problem]) -> Leaf | None:
        if not isinstance(value, dict) or "classes" not in value or len(value) != 2:
            problems.append(
                Problem(
                    path,
                    "needs classes and one comparison, e.g. {classes: [opioid, z_drug], gte: 2}",
                )
            )
            return None
        named = value["classes"]
        if not isinstance(named, list) or len(named) < 2:
            problems.append(
                Problem(f"{path}.classes", "needs a list of two or more medicine classes")
            )
            return None
        unknown = [c for c in named if c not in classes]
        for cls in unknown:
            problems.append(
                Problem(f"{path}.classes", f"unknown medicine class {cls!r}", class_list)
            )
        if len(set(named)) != len(named):
            problems.append(Problem(f"{path}.classes", "names a class twice"))
            return None
        rest = {k: v for k, v in value.items() if k != "classes"}
        parsed = parse_comparison(rest, path, problems)
        if parsed is None or unknown:
            return None
        return TakesClasses(tuple(str(c) for c in named), *parsed)

    def finding(value: object, path: str, problems: list[Problem]) -> Leaf | None:
        if value not in findings:
            problems.append(Problem(path, f"unknown finding {value!r}"))
            return None
        return HasFinding(str(value))

    def pregnant(value: object, path: str, problems: list[Problem]) -> Leaf | None:
        if value not in (True, False, "unknown"):
            problems.append(
                Problem(
                    path, f"must be true, false or unknown, got {value!r}", "true, false, unknown"
                )
            )
            return None
        return PregnantIs(None if value == "unknown" else bool(value))

    def medicine_only(value: object, path: str, problems: list[Problem]) -> Leaf | None:
        problems.append(Problem(path, "only allowed in a medicine check"))
        return None

    leaves: dict[str, LeafParser] = {
        "condition": choice(
            conditions, "unknown condition {value!r}", ", ".join(conditions), HasCondition
        ),
        "finding": finding,
        "takes": known_class(Takes),
        "takes_other": known_class(TakesOther),
        "takes_self": flag(TakesSelf),
        "takes_unknown": flag(TakesUnknown),
        "pregnancy_weeks_unknown": flag(PregnancyWeeksUnknown),
        "takes_count": class_compare(TakesCount),
        "taken_mg_24h": class_compare(TakenMg24h),
        "taken_hours": class_compare(TakenHours),
        "takes_classes": takes_classes,
        **{name: compare(name) for name in MEASURES},
        "pregnant": pregnant,
        "sex": choice(
            ("female", "male", "other", "unknown"),
            "unknown sex {value!r}",
            "female, male, other, unknown",
            lambda sex: SexIs(None if sex == "unknown" else sex),
        ),
        "region": parse_region,
    }
    if not medicine_check:
        leaves.update(dict.fromkeys(_MEDICINE_ONLY, medicine_only))
    return Vocabulary(leaves, CARE_KEYS)
