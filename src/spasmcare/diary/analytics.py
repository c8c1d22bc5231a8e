"""What the diary shows over time: counts, time to resolution, pain trend, recurrence, rankings, and
changes in scale scores. Pure functions of stored records and ``now``; no clock, no database.

Rules used here (stated in ``docs/diary.md`` too):

* **Recurrence** (feeds the triage finding ``recurrent``): the rule and its sources are in
  :mod:`spasmcare.diary.recurrence`; :func:`stats` reports it.
* **Not improving after 4 weeks**: an episode still open 28 days or more after it started, whose
  latest pain rating (a ``nrs`` scale result in the last 7 days) has not dropped by the minimal
  important difference for pain (2 points and 30%, Ostelo 2008) from the episode's worst pain. Without
  a recent rating, 28 days open is enough. It matches triage rule S4 (no improvement after a month).
* **Pain trend**: a least-squares line through pain ratings (episode worst pain and ``nrs`` results)
  in the window; "improving" or "worsening" when the line changes by at least 2 points over the
  window (the pain minimal important difference), "stable" otherwise, and "not enough data" with
  fewer than 3 ratings.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, PlainSerializer

from spasmcare.diary.recurrence import Recurrence, recurrence
from spasmcare.diary.schemas import (
    AHEAD,
    EARLIEST,
    EpisodePublic,
    ScaleRecordPublic,
    TreatmentPublic,
)
from spasmcare.errors import SpasmcareError
from spasmcare.knowledge.base import ResultModel

if TYPE_CHECKING:
    from spasmcare.diary.records import DiarySnapshot

__all__ = [
    "PAIN_MID_POINTS",
    "DiaryStats",
    "NotImproving",
    "PainPoint",
    "PainTrend",
    "PeriodCount",
    "Resolution",
    "ScaleChange",
    "TagCount",
    "TreatmentRelief",
    "accepted_range",
    "episodes_per_month",
    "episodes_per_week",
    "not_improving",
    "pain_series",
    "pain_trend",
    "scale_changes",
    "stats",
    "time_to_resolution",
    "treatments_ranked",
    "triggers_ranked",
]

PERSISTENT_DAYS = 28
RECENT_RATING_DAYS = 7
PAIN_MID_POINTS = 2.0
PAIN_SCALE = "nrs"

Direction = Literal["improving", "stable", "worsening", "not_enough_data"]

IsoTime = Annotated[
    datetime, PlainSerializer(datetime.isoformat, return_type=str, when_used="json")
]
"""A time in JSON as Python writes it (``+00:00``, not pydantic's ``Z``), as ``stats --json`` always
has."""


class PeriodCount(ResultModel):
    """How many episodes started in the week or month beginning on ``start`` (local date)."""

    start: date
    count: int


def _local_day(moment: datetime, zone: tzinfo) -> date:
    return moment.astimezone(zone).date()


def episodes_per_week(
    episodes: Iterable[EpisodePublic], *, now: datetime, weeks: int = 12, zone: tzinfo = UTC
) -> list[PeriodCount]:
    """Episodes started in each of the last ``weeks`` weeks (Monday to Sunday), oldest first."""
    this_monday = _local_day(now, zone) - timedelta(days=_local_day(now, zone).weekday())
    starts = [this_monday - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    counts: Counter[date] = Counter()
    first = starts[0] if starts else this_monday
    for e in episodes:
        day = _local_day(e.started_at, zone)
        if first <= day < this_monday + timedelta(weeks=1):
            counts[day - timedelta(days=day.weekday())] += 1
    return [PeriodCount(start=s, count=counts[s]) for s in starts]


def _month_start(day: date, back: int = 0) -> date:
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def episodes_per_month(
    episodes: Iterable[EpisodePublic], *, now: datetime, months: int = 12, zone: tzinfo = UTC
) -> list[PeriodCount]:
    """Episodes started in each of the last ``months`` calendar months, oldest first."""
    today = _local_day(now, zone)
    starts = [_month_start(today, n) for n in range(months - 1, -1, -1)]
    counts: Counter[date] = Counter()
    first = starts[0] if starts else _month_start(today)
    for e in episodes:
        day = _local_day(e.started_at, zone)
        if first <= day <= today:
            counts[_month_start(day)] += 1
    return [PeriodCount(start=s, count=counts[s]) for s in starts]


class Resolution(ResultModel):
    """How long episodes lasted until they ended (in days), and how many are still open."""

    resolved: int
    ongoing: int
    median_days: float | None
    mean_days: float | None
    shortest_days: float | None
    longest_days: float | None


def time_to_resolution(episodes: Iterable[EpisodePublic]) -> Resolution:
    days: list[float] = []
    ongoing = 0
    for e in episodes:
        if e.ended_at is None:
            ongoing += 1
        else:
            days.append((e.ended_at - e.started_at).total_seconds() / 86400)
    if not days:
        return Resolution(
            resolved=0,
            ongoing=ongoing,
            median_days=None,
            mean_days=None,
            shortest_days=None,
            longest_days=None,
        )
    return Resolution(
        resolved=len(days),
        ongoing=ongoing,
        median_days=round(statistics.median(days), 2),
        mean_days=round(statistics.fmean(days), 2),
        shortest_days=round(min(days), 2),
        longest_days=round(max(days), 2),
    )


@dataclass(frozen=True, slots=True)
class PainPoint:
    at: datetime
    pain: float
    source: Literal["episode", "rating"]


def pain_series(
    episodes: Iterable[EpisodePublic], scale_records: Iterable[ScaleRecordPublic] = ()
) -> list[PainPoint]:
    """Every pain rating, oldest first: each episode's worst pain and each valid 0-10 pain rating."""
    points = [PainPoint(e.started_at, float(e.worst_pain), "episode") for e in episodes]
    points += [
        PainPoint(r.taken_at, float(r.score), "rating")
        for r in scale_records
        if r.scale == PAIN_SCALE and r.valid and r.score is not None
    ]
    points.sort(key=lambda p: p.at)
    return points


class PainTrend(ResultModel):
    """The direction of pain in the last ``window_days``: the mean of the latest third of the
    ratings against the mean of the first third (``change`` = last minus first), so the words
    always agree with the latest values a person sees. ``first_day`` and ``last_day`` name the
    period the ratings really cover (ISO dates, UTC)."""

    direction: Direction
    ratings: int
    window_days: int
    change: float | None
    first_mean: float | None
    last_mean: float | None
    first_day: str | None = None
    last_day: str | None = None


def pain_trend(points: Sequence[PainPoint], *, now: datetime, days: int = 90) -> PainTrend:
    """Compare the latest third of the pain ratings of the last ``days`` days with the first third;
    judge the difference by the 2-point rule.

    (A line fitted over the window and stretched to all ``days`` could call pain "worse" while the
    latest ratings were lower than the first ones, and overstated a change seen over a few days.)
    """
    start = now - timedelta(days=days)
    chosen = sorted((p for p in points if start <= p.at <= now), key=lambda p: p.at)
    if len(chosen) < 3:
        return PainTrend(
            direction="not_enough_data",
            ratings=len(chosen),
            window_days=days,
            change=None,
            first_mean=None,
            last_mean=None,
        )
    ys = [p.pain for p in chosen]
    third = max(1, len(ys) // 3)
    first_mean = round(statistics.fmean(ys[:third]), 2)
    last_mean = round(statistics.fmean(ys[-third:]), 2)
    change = round(last_mean - first_mean, 2)
    direction: Direction = (
        "improving"
        if change <= -PAIN_MID_POINTS
        else "worsening"
        if change >= PAIN_MID_POINTS
        else "stable"
    )
    return PainTrend(
        direction=direction,
        ratings=len(chosen),
        window_days=days,
        change=change,
        first_mean=first_mean,
        last_mean=last_mean,
        first_day=chosen[0].at.date().isoformat(),
        last_day=chosen[-1].at.date().isoformat(),
    )


class NotImproving(ResultModel):
    """Whether an open episode has lasted 4 weeks without a meaningful drop in pain."""

    fires: bool
    reason: str
    episode_id: int | None = None
    days_open: float | None = None
    first_pain: float | None = None
    latest_pain: float | None = None


def _improved(first: float, latest: float) -> bool:
    """Pain improved by the minimal important difference: the scales package's rule when present."""
    from spasmcare.scales import ScaleResult, compare

    before = ScaleResult(scale=PAIN_SCALE, name="pain", score=first, valid=True)
    after = ScaleResult(scale=PAIN_SCALE, name="pain", score=latest, valid=True)
    return compare(PAIN_SCALE, before, after).verdict == "improved"


def not_improving(
    episodes: Iterable[EpisodePublic], scale_records: Iterable[ScaleRecordPublic], now: datetime
) -> NotImproving:
    open_long = [
        e
        for e in episodes
        if e.ended_at is None and now - e.started_at >= timedelta(days=PERSISTENT_DAYS)
    ]
    if not open_long:
        return NotImproving(
            fires=False, reason=f"no episode has been open for {PERSISTENT_DAYS} days or more"
        )
    episode = max(open_long, key=lambda e: (e.started_at, e.id))
    days_open = round((now - episode.started_at).total_seconds() / 86400, 1)
    recent = [
        r
        for r in scale_records
        if r.scale == PAIN_SCALE
        and r.valid
        and r.score is not None
        and r.taken_at >= max(episode.started_at, now - timedelta(days=RECENT_RATING_DAYS))
        and r.taken_at <= now
    ]
    first = float(episode.worst_pain)
    if not recent:
        return NotImproving(
            fires=True,
            reason=f"the episode that started {episode.started_at:%Y-%m-%d} has been open {days_open:g} days "
            "with no pain rating in the last week",
            episode_id=episode.id,
            days_open=days_open,
            first_pain=first,
            latest_pain=None,
        )
    latest_record = max(recent, key=lambda r: (r.taken_at, r.id))
    assert latest_record.score is not None
    latest = float(latest_record.score)
    if _improved(first, latest):
        return NotImproving(
            fires=False,
            reason=f"pain went from {first:g} to {latest:g}: a meaningful improvement",
            episode_id=episode.id,
            days_open=days_open,
            first_pain=first,
            latest_pain=latest,
        )
    return NotImproving(
        fires=True,
        reason=f"the episode that started {episode.started_at:%Y-%m-%d} has been open {days_open:g} days and "
        f"pain went from {first:g} to {latest:g}, less than a meaningful drop (2 points and 30%)",
        episode_id=episode.id,
        days_open=days_open,
        first_pain=first,
        latest_pain=latest,
    )


class TagCount(ResultModel):
    tag: str
    count: int
    share: float


def triggers_ranked(
    episodes: Sequence[EpisodePublic],
    *,
    field_name: Literal["triggers", "suspected_causes"] = "triggers",
) -> list[TagCount]:
    """Triggers (or suspected causes) by how many episodes name them, most first; ``share`` is the
    fraction of episodes."""
    counts: Counter[str] = Counter(tag for e in episodes for tag in getattr(e, field_name))
    total = len(episodes)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [TagCount(tag=tag, count=n, share=round(n / total, 3)) for tag, n in ranked]


class TreatmentRelief(ResultModel):
    """A treatment (kind, or ``medicine: <name>``): how often tried and its median relief (0-10)."""

    treatment: str
    times: int
    rated: int
    median_relief: float | None


def treatments_ranked(treatments: Iterable[TreatmentPublic]) -> list[TreatmentRelief]:
    """Treatments by median relief, highest first (ties: more ratings first); unrated ones last."""
    times: Counter[str] = Counter()
    reliefs: dict[str, list[int]] = defaultdict(list)
    for t in treatments:
        times[t.label] += 1
        if t.relief is not None:
            reliefs[t.label].append(t.relief)
    rows = [
        TreatmentRelief(
            treatment=label,
            times=n,
            rated=len(reliefs[label]),
            median_relief=float(statistics.median(reliefs[label])) if reliefs[label] else None,
        )
        for label, n in times.items()
    ]
    rows.sort(
        key=lambda r: (r.median_relief is None, -(r.median_relief or 0), -r.rated, r.treatment)
    )
    return rows


class ScaleChange(ResultModel):
    """The change between the first and the latest valid result of one scale, judged by its MCID."""

    scale: str
    first_at: IsoTime
    latest_at: IsoTime
    first: float
    latest: float
    verdict: str
    delta: float
    threshold: float
    rule: str
    citation: str


def scale_changes(
    scale_records: Iterable[ScaleRecordPublic], *, since: datetime | None = None
) -> list[ScaleChange]:
    """For each scale with a minimal important difference and two or more valid results (from
    ``since``), the change from the first to the latest, with the scales package's verdict."""
    from spasmcare.scales import ScaleResult, compare  # not needed for recurrence (triage)

    by_scale: dict[str, list[ScaleRecordPublic]] = defaultdict(list)
    for r in scale_records:
        if r.valid and r.score is not None and (since is None or r.taken_at >= since):
            by_scale[r.scale].append(r)
    changes: list[ScaleChange] = []
    for scale_id in sorted(by_scale):
        rows = sorted(by_scale[scale_id], key=lambda r: (r.taken_at, r.id))
        if len(rows) < 2:
            continue
        first, latest = rows[0], rows[-1]
        assert first.score is not None and latest.score is not None
        try:
            change = compare(
                scale_id,
                ScaleResult(scale=scale_id, name=scale_id, score=first.score, valid=True),
                ScaleResult(scale=scale_id, name=scale_id, score=latest.score, valid=True),
            )
        except SpasmcareError:
            continue  # a scale without a minimal important difference (or unknown): not judged
        changes.append(
            ScaleChange(
                scale=scale_id,
                first_at=first.taken_at,
                latest_at=latest.taken_at,
                first=first.score,
                latest=latest.score,
                verdict=change.verdict,
                delta=change.delta,
                threshold=change.threshold,
                rule=change.rule,
                citation=change.citation,
            )
        )
    return changes


class DiaryStats(ResultModel):
    """Everything ``spasmcare stats`` shows, as one JSON-ready object."""

    profile_id: int
    now: IsoTime
    episodes: int
    treatments: int
    per_week: list[PeriodCount]
    per_month: list[PeriodCount]
    resolution: Resolution
    pain: PainTrend
    recurrence: Recurrence
    not_improving: NotImproving
    triggers: list[TagCount]
    causes: list[TagCount]
    treatments_by_relief: list[TreatmentRelief]
    scale_changes: list[ScaleChange] = Field(default_factory=list)


def accepted_range(snapshot: DiarySnapshot, now: datetime) -> DiarySnapshot:
    """The snapshot without records dated outside what the diary accepts today (1900 to a day
    ahead of ``now``): only a diary written before that rule can hold them, and date arithmetic on
    years 1 or 9999 overflows."""

    def ok(moment: datetime) -> bool:
        return EARLIEST <= moment <= now + AHEAD

    return replace(
        snapshot,
        episodes=[e for e in snapshot.episodes if ok(e.started_at)],
        treatments=[t for t in snapshot.treatments if ok(t.started_at)],
        doses=[d for d in snapshot.doses if ok(d.taken_at)],
        triage_records=[r for r in snapshot.triage_records if ok(r.taken_at)],
        scale_records=[r for r in snapshot.scale_records if ok(r.taken_at)],
    )


def stats(
    snapshot: DiarySnapshot,
    now: datetime,
    *,
    zone: tzinfo = UTC,
    weeks: int = 12,
    months: int = 12,
    trend_days: int = 90,
) -> DiaryStats:
    """All the diary's analytics for one profile at ``now`` (records dated outside the accepted
    range are left out: :func:`accepted_range`)."""
    snapshot = accepted_range(snapshot, now)
    episodes = snapshot.episodes
    return DiaryStats(
        profile_id=snapshot.profile.id,
        now=now,
        episodes=len(episodes),
        treatments=len(snapshot.treatments),
        per_week=episodes_per_week(episodes, now=now, weeks=weeks, zone=zone),
        per_month=episodes_per_month(episodes, now=now, months=months, zone=zone),
        resolution=time_to_resolution(episodes),
        pain=pain_trend(pain_series(episodes, snapshot.scale_records), now=now, days=trend_days),
        recurrence=recurrence(episodes, now),
        not_improving=not_improving(episodes, snapshot.scale_records, now),
        triggers=triggers_ranked(episodes),
        causes=triggers_ranked(episodes, field_name="suspected_causes"),
        treatments_by_relief=treatments_ranked(snapshot.treatments),
        scale_changes=scale_changes(snapshot.scale_records),
    )
