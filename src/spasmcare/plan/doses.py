"""Medicine doses the person recorded (the diary), summed for the plan's dose checks.

The core reads no clock: ``now`` is passed in. Times must be timezone-aware (the diary stores UTC).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from spasmcare.errors import IntakeError, Problem

RECENT = timedelta(hours=24)
"""Doses in this window count toward the daily limit, and as medicines the person takes now."""
COURSE_WINDOW = timedelta(days=14)
"""A course of a medicine is the doses in this window..."""
COURSE_ONGOING = timedelta(hours=36)
"""...of which the latest was taken this recently (otherwise the course has ended)."""


@dataclass(frozen=True, slots=True)
class DoseTaken:
    """One recorded dose: the name as written, the amount in mg if known, and when (UTC)."""

    medicine: str
    amount_mg: float | None
    taken_at: datetime

    def __post_init__(self) -> None:
        problems: list[Problem] = []
        if not self.medicine.strip():
            problems.append(Problem("medicine", "is empty", "a medicine name"))
        if self.amount_mg is not None and not 0 <= self.amount_mg <= 100_000:
            problems.append(
                Problem("amount_mg", f"{self.amount_mg!r} is out of range", "0 to 100000")
            )
        if self.taken_at.tzinfo is None or self.taken_at.utcoffset() is None:
            problems.append(Problem("taken_at", "has no time zone", "a timezone-aware time (UTC)"))
        if problems:
            raise IntakeError("a recorded dose is not valid", problems)


@dataclass(frozen=True, slots=True)
class DoseSummary:
    """Per medicine class: mg in the last 24 hours, doses not counted, and an ongoing course."""

    mg_24h: dict[str, float] = field(default_factory=dict)
    uncounted: dict[str, tuple[str, ...]] = field(default_factory=dict)
    course_hours: dict[str, float] = field(default_factory=dict)
    names: dict[str, tuple[str, ...]] = field(default_factory=dict)
    recent: tuple[str, ...] = ()


EMPTY = DoseSummary()


def summarize(
    doses: Sequence[DoseTaken],
    now: datetime | None,
    classes_of: Callable[[str], Collection[str]],
    wanted: Collection[str],
) -> DoseSummary:
    """Sum the doses for the classes the checks read (``wanted``); ``classes_of(name)`` resolves names.

    Doses after ``now`` are ignored. A dose without an amount cannot be counted toward a daily
    limit and is listed in ``uncounted`` so the plan can say so.
    """
    if not doses:
        return EMPTY
    if now is None:
        raise IntakeError(
            "the time now is needed to check recorded doses",
            [Problem("now", "is missing", "a timezone-aware time (UTC)")],
        )
    if now.tzinfo is None or now.utcoffset() is None:
        raise IntakeError(
            "the time now has no time zone", [Problem("now", "has no time zone", "UTC")]
        )
    mg: dict[str, float] = {}
    uncounted: dict[str, list[str]] = {}
    spans: dict[str, tuple[datetime, datetime]] = {}
    names: dict[str, list[str]] = {}
    recent: list[str] = []
    for dose in doses:
        age = now - dose.taken_at
        if age < timedelta(0) or age > COURSE_WINDOW:
            continue
        if age <= RECENT:
            recent.append(dose.medicine)
        for cls in classes_of(dose.medicine):
            if cls not in wanted:
                continue
            names.setdefault(cls, []).append(dose.medicine)
            first, last = spans.get(cls, (dose.taken_at, dose.taken_at))
            spans[cls] = (min(first, dose.taken_at), max(last, dose.taken_at))
            if age <= RECENT:
                if dose.amount_mg is None:
                    uncounted.setdefault(cls, []).append(dose.medicine)
                else:
                    mg[cls] = mg.get(cls, 0.0) + dose.amount_mg
    course = {
        cls: (last - first).total_seconds() / 3600
        for cls, (first, last) in spans.items()
        if now - last <= COURSE_ONGOING
    }
    return DoseSummary(
        mg_24h=mg,
        uncounted={k: tuple(dict.fromkeys(v)) for k, v in uncounted.items()},
        course_hours=course,
        names={k: tuple(dict.fromkeys(v)) for k, v in names.items()},
        recent=tuple(dict.fromkeys(recent)),
    )
