"""Pain in the report period: the latest and the first 0-10 rating, the monthly means, and the trend.

One method, named in the report and drawn in its chart, so the words and the picture agree: the
**trend** compares the mean of every 0-10 pain score (daily ratings and each episode's worst pain) in
the first calendar month of the period that has one with the same mean in the last such month. A
difference of 2 points or more (the pain minimal important difference, Ostelo 2008) is "worse" or
"better"; less is "no meaningful change"; with scores in one month only, "not enough data". The chart's
monthly means are these same numbers.

Pure: the period's records and the time zone come in; nothing reads a clock.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, tzinfo
from typing import Literal

from spasmcare.diary import EpisodePublic, ScaleRecordPublic
from spasmcare.diary.analytics import PAIN_MID_POINTS, PAIN_SCALE, PainPoint, pain_series

Trend = Literal["worse", "better", "no meaningful change", "not enough data"]
METHOD = (
    "mean of all 0-10 pain scores (daily ratings and episode worst pain), first against last "
    f"calendar month with scores; a change of {PAIN_MID_POINTS:g} points or more is meaningful"
)


@dataclass(frozen=True, slots=True)
class MonthMean:
    """The mean 0-10 pain score of one calendar month (local time) and how many scores it has."""

    month: date
    mean: float
    scores: int


@dataclass(frozen=True, slots=True)
class PainSummary:
    points: list[PainPoint]
    """Every pain score in the period, oldest first (as the chart draws them)."""
    months: list[MonthMean]
    first_rating: PainPoint | None
    """The first 0-10 pain rating (NRS) in the period; episode worst pain is not a rating."""
    latest_rating: PainPoint | None
    trend: Trend
    trend_change: float | None
    """Last month's mean minus the first month's, in points."""
    worst_median: float | None
    worst_low: int | None
    worst_high: int | None

    @property
    def first_month(self) -> MonthMean | None:
        return self.months[0] if len(self.months) > 1 else None

    @property
    def last_month(self) -> MonthMean | None:
        return self.months[-1] if len(self.months) > 1 else None


def local_month(point: PainPoint, zone: tzinfo) -> date:
    return point.at.astimezone(zone).date().replace(day=1)


def monthly_means(points: Sequence[PainPoint], zone: tzinfo) -> list[MonthMean]:
    """The mean pain score of each calendar month that has one, oldest first."""
    by_month: dict[date, list[float]] = defaultdict(list)
    for p in points:
        by_month[local_month(p, zone)].append(p.pain)
    return [
        MonthMean(m, round(statistics.fmean(by_month[m]), 1), len(by_month[m]))
        for m in sorted(by_month)
    ]


def judge(change: float) -> Trend:
    if change >= PAIN_MID_POINTS:
        return "worse"
    if change <= -PAIN_MID_POINTS:
        return "better"
    return "no meaningful change"


def pain_summary(
    episodes: Sequence[EpisodePublic], scale_records: Sequence[ScaleRecordPublic], zone: tzinfo
) -> PainSummary:
    """Pain in the period from its episodes and scale results (already limited to the period)."""
    points = pain_series(episodes, scale_records)
    months = monthly_means(points, zone)
    ratings = [p for p in points if p.source == "rating"]
    change = round(months[-1].mean - months[0].mean, 1) if len(months) > 1 else None
    worst = [e.worst_pain for e in episodes]
    return PainSummary(
        points=points,
        months=months,
        first_rating=ratings[0] if ratings else None,
        latest_rating=ratings[-1] if ratings else None,
        trend="not enough data" if change is None else judge(change),
        trend_change=change,
        worst_median=float(statistics.median(worst)) if worst else None,
        worst_low=min(worst) if worst else None,
        worst_high=max(worst) if worst else None,
    )


__all__ = [
    "METHOD",
    "PAIN_SCALE",
    "MonthMean",
    "PainSummary",
    "Trend",
    "judge",
    "local_month",
    "monthly_means",
    "pain_summary",
]
