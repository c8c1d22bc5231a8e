"""Diary analytics on hand-made diaries whose answers can be worked out by hand."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spasmcare.diary import DiaryRepository
from spasmcare.diary.analytics import (
    episodes_per_month,
    episodes_per_week,
    not_improving,
    pain_series,
    pain_trend,
    scale_changes,
    stats,
    time_to_resolution,
    treatments_ranked,
    triggers_ranked,
)
from spasmcare.diary.recurrence import (
    RECUR_QUARTER_COUNT,
    RECUR_YEAR_COUNT,
    distinct_episodes,
    recurrence,
    recurrence_for,
)
from spasmcare.diary.schemas import EpisodePublic, ScaleRecordPublic, TreatmentPublic
from spasmcare.knowledge import KnowledgeBase
from spasmcare.triage import evaluate, parse_intake
from tests.diary.factories import episode, memory_repository, profile, scale_record, treatment

NOW = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)  # a Wednesday


def ep(days_ago: float, pain: int = 5, lasted: float | None = 2, **kw: Any) -> EpisodePublic:
    start = NOW - timedelta(days=days_ago)
    end = None if lasted is None else start + timedelta(days=lasted)
    data = episode(started_at=start, ended_at=end, worst_pain=pain, **kw).model_dump()
    return EpisodePublic(
        id=int(days_ago * 1000) + 1, profile_id=1, created_at=start, updated_at=start, **data
    )


def rating(
    days_ago: float, value: float, scale: str = "nrs", valid: bool = True
) -> ScaleRecordPublic:
    at = NOW - timedelta(days=days_ago)
    data = scale_record(
        scale=scale, taken_at=at, score=value if valid else None, valid=valid
    ).model_dump()
    return ScaleRecordPublic(
        id=int(days_ago * 1000) + 1, profile_id=1, created_at=at, updated_at=at, **data
    )


def tr(kind: str, relief: int | None, medicine: str | None = None) -> TreatmentPublic:
    data = treatment(kind=kind, relief=relief, medicine=medicine, started_at=NOW).model_dump()
    return TreatmentPublic(id=1, profile_id=1, created_at=NOW, updated_at=NOW, **data)


def test_episodes_per_week_counts_monday_to_sunday_with_empty_weeks() -> None:
    # Wed 10 Jun, Mon 8 Jun | Sun 7 Jun, Mon 1 Jun | Fri 29 May | 1 May (outside the 3 weeks)
    episodes = [ep(0), ep(2), ep(3), ep(9), ep(12), ep(40)]
    weeks = episodes_per_week(episodes, now=NOW, weeks=3)
    assert [w.start for w in weeks] == [date(2026, 5, 25), date(2026, 6, 1), date(2026, 6, 8)]
    assert [w.count for w in weeks] == [1, 2, 2]
    assert [w.count for w in episodes_per_week(episodes, now=NOW, weeks=5)] == [0, 0, 1, 2, 2]


def test_weeks_follow_the_local_calendar() -> None:
    sunday_night_utc = NOW - timedelta(days=2, hours=12, minutes=30)  # Sunday 23:30 UTC
    late = EpisodePublic(**{**ep(0).model_dump(), "started_at": sunday_night_utc})
    utc = episodes_per_week([late], now=NOW, weeks=2)
    plus_two = episodes_per_week([late], now=NOW, weeks=2, zone=timezone(timedelta(hours=2)))
    assert [w.count for w in utc] == [1, 0]
    assert [w.count for w in plus_two] == [0, 1]


def test_episodes_per_month_crosses_the_new_year() -> None:
    jan = datetime(2026, 1, 15, tzinfo=UTC)
    dec = datetime(2025, 12, 31, 23, tzinfo=UTC)
    episodes = [EpisodePublic(**{**ep(0).model_dump(), "started_at": t}) for t in (jan, dec, dec)]
    months = episodes_per_month(episodes, now=NOW, months=8)
    assert months[0].start == date(2025, 11, 1) and months[-1].start == date(2026, 6, 1)
    counts = {m.start: m.count for m in months}
    assert counts[date(2025, 12, 1)] == 2 and counts[date(2026, 1, 1)] == 1
    assert sum(counts.values()) == 3


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=200), max_size=40), st.integers(1, 30))
def test_weekly_counts_add_up_to_the_episodes_in_the_window(
    days_ago: list[float], weeks: int
) -> None:
    episodes = [ep(d) for d in days_ago]
    result = episodes_per_week(episodes, now=NOW, weeks=weeks)
    first = result[0].start
    inside = [e for e in episodes if e.started_at.date() >= first]
    assert len(result) == weeks
    assert sum(w.count for w in result) == len(inside)


def test_time_to_resolution() -> None:
    res = time_to_resolution(
        [ep(30, lasted=1), ep(20, lasted=3), ep(10, lasted=8), ep(1, lasted=None)]
    )
    assert (res.resolved, res.ongoing) == (3, 1)
    assert (res.median_days, res.mean_days, res.shortest_days, res.longest_days) == (3, 4, 1, 8)
    assert time_to_resolution([ep(1, lasted=None)]).median_days is None


@pytest.mark.parametrize(
    ("pains", "direction"),
    [([8, 7, 5, 4, 2], "improving"), ([3, 4, 3, 4, 3], "stable"), ([2, 3, 5, 7, 8], "worsening")],
)
def test_pain_trend_is_judged_by_two_points_over_the_window(
    pains: list[int], direction: str
) -> None:
    episodes = [ep(80 - 18 * i, pain=p) for i, p in enumerate(pains)]
    trend = pain_trend(pain_series(episodes), now=NOW, days=90)
    assert trend.direction == direction and trend.ratings == 5
    assert trend.change is not None
    assert (trend.change <= -2) == (direction == "improving")


def test_pain_trend_uses_ratings_and_needs_three_points() -> None:
    assert pain_trend(pain_series([ep(5)], [rating(3, 4)]), now=NOW).direction == "not_enough_data"
    series = pain_series([ep(60, pain=9)], [rating(30, 6), rating(2, 2), rating(1, 4, valid=False)])
    assert [p.source for p in series] == ["episode", "rating", "rating"]
    assert pain_trend(series, now=NOW).direction == "improving"


def test_entries_of_one_flare_count_as_one_episode() -> None:
    flare = [ep(100, lasted=10), ep(97), ep(92, lasted=None)]  # inside the first one's 10 days
    separate = ep(60)
    assert [e.started_at for e in distinct_episodes([*flare, separate])] == [
        flare[0].started_at,
        separate.started_at,
    ]
    quick = [ep(50, lasted=0.5), ep(45, lasted=0.5)]  # 5 days apart: still the same flare
    assert len(distinct_episodes(quick)) == 1


@pytest.mark.parametrize(
    ("days_ago", "fires"),
    [
        ([300, 150], False),  # one return within a year is common: not enough
        ([300, 200, 100], True),  # 3 in 12 months
        ([80, 20], True),  # 2 in 3 months
        ([400, 380, 200], False),  # old episodes do not count
        ([60, 57, 55], False),  # one flare logged three times
        ([10], False),
    ],
)
def test_recurrence_rule(days_ago: list[float], fires: bool) -> None:
    result = recurrence([ep(d) for d in days_ago], NOW)
    assert result.fires is fires
    assert result.finding == "recurrent"
    assert str(RECUR_YEAR_COUNT) in result.rule and str(RECUR_QUARTER_COUNT) in result.rule
    assert result.sources == ("stanton-2008", "da-silva-2019")
    assert ("months" in result.reason) and (result.fires == ("not enough" not in result.reason))


def test_recurrence_feeds_the_triage_finding(repo: DiaryRepository, kb: KnowledgeBase) -> None:
    me = repo.profiles.create(profile()).id
    for days in (200, 100, 20):
        repo.episodes.create(me, episode(started_at=NOW - timedelta(days=days), ended_at=None))
    found = recurrence_for(repo, me, NOW)
    assert found.fires and found.episodes_last_365_days == 3
    assert set(kb.sources) >= set(found.sources)
    intake = parse_intake(
        {"age": 40, "regions": ["lower_back"], "findings": {found.finding: found.fires}}, kb
    )
    assert "S2" in evaluate(intake, kb).rules


def test_not_improving_after_four_weeks() -> None:
    stuck = ep(30, pain=8, lasted=None)
    assert not_improving([stuck], [], NOW).fires, "open 30 days without a rating"
    assert not not_improving([ep(20, pain=8, lasted=None)], [], NOW).fires
    assert not not_improving([ep(40, pain=8, lasted=5)], [], NOW).fires, "it ended"
    better = not_improving([stuck], [rating(2, 4)], NOW)
    assert not better.fires and better.latest_pain == 4
    small = not_improving([stuck], [rating(2, 7)], NOW)
    assert small.fires and small.first_pain == 8 and small.latest_pain == 7
    old_rating = not_improving([stuck], [rating(20, 2)], NOW)
    assert old_rating.fires, "only ratings from the last week count"


def test_triggers_ranked_by_how_many_episodes_name_them() -> None:
    episodes = [
        ep(1, triggers=["lifting", "stress"]),
        ep(2, triggers=["stress"]),
        ep(3, triggers=["cold", "lifting"]),
        ep(4, triggers=["stress"], suspected_causes=["new mattress"]),
    ]
    ranked = triggers_ranked(episodes)
    assert [(t.tag, t.count) for t in ranked] == [("stress", 3), ("lifting", 2), ("cold", 1)]
    assert ranked[0].share == 0.75
    assert [t.tag for t in triggers_ranked(episodes, field_name="suspected_causes")] == [
        "new mattress"
    ]


def test_treatments_ranked_by_median_relief() -> None:
    rows = treatments_ranked(
        [
            tr("heat", 6),
            tr("heat", 8),
            tr("heat", 2),
            tr("cold", 3),
            tr("medicine", 6, "ibuprofen"),
            tr("medicine", 6, "ibuprofen"),
            tr("stretch", None),
        ]
    )
    assert [(r.treatment, r.median_relief, r.rated, r.times) for r in rows] == [
        ("heat", 6, 3, 3),
        ("medicine: ibuprofen", 6, 2, 2),
        ("cold", 3, 1, 1),
        ("stretch", None, 0, 1),
    ]


def test_scale_changes_are_judged_by_the_minimal_important_difference() -> None:
    records = [
        rating(60, 8),
        rating(30, 6),
        rating(1, 5),  # 8 -> 5: 3 points and 37%: improved
        rating(50, 40, scale="odi"),
        rating(2, 33, scale="odi"),  # 7 points, less than 10: no meaningful change
        rating(40, 2, scale="psfs"),
        rating(3, 0, scale="psfs"),  # no minimal important difference: not judged
        rating(10, 0, scale="nrs", valid=False),
    ]
    changes = {c.scale: c for c in scale_changes(records)}
    assert set(changes) == {"nrs", "odi"}
    assert (changes["nrs"].first, changes["nrs"].latest, changes["nrs"].verdict) == (
        8,
        5,
        "improved",
    )
    assert changes["odi"].verdict == "no_meaningful_change" and changes["odi"].threshold == 10
    assert changes["nrs"].citation


def test_stats_for_a_stored_diary_is_json_ready() -> None:
    repo = memory_repository()
    me = repo.profiles.create(profile()).id
    for days in (70, 40, 10):
        repo.episodes.create(
            me,
            episode(started_at=NOW - timedelta(days=days), triggers=["lifting"]),
            [treatment(kind="heat", relief=7, started_at=NOW - timedelta(days=days))],
        )
    result = stats(repo.snapshot(me), NOW)
    data = json.loads(json.dumps(result.model_dump(mode="json")))
    assert data["now"] == NOW.isoformat(), "times as Python writes them (+00:00), as always"
    assert data["recurrence"]["sources"] == ["stanton-2008", "da-silva-2019"]
    assert data["episodes"] == 3 and data["treatments"] == 3
    assert data["recurrence"]["fires"] is True
    assert data["triggers"][0] == {"tag": "lifting", "count": 3, "share": 1.0}
    assert data["treatments_by_relief"][0]["treatment"] == "heat"
    assert len(data["per_week"]) == 12 and len(data["per_month"]) == 12
    assert data["per_week"][0]["start"] == "2026-03-23"


def test_the_pain_trend_agrees_with_the_latest_ratings_and_names_its_period() -> None:
    """Issue 12: a line fitted over a few days and stretched to 90 called a 1-point change
    "improving"; the words must agree with the latest values and say which days they cover."""
    series = pain_series([ep(5 - i, pain=p) for i, p in enumerate([5, 5, 4, 4, 4])])
    trend = pain_trend(series, now=NOW, days=90)
    assert trend.direction == "stable" and trend.change == -1
    assert (trend.first_mean, trend.last_mean) == (5, 4)
    assert trend.first_day == (NOW - timedelta(days=5)).date().isoformat()
    assert trend.last_day == (NOW - timedelta(days=1)).date().isoformat()
    rising_then_low = pain_series(
        [ep(60 - 10 * i, pain=p) for i, p in enumerate([2, 2, 9, 9, 3, 3])]
    )
    trend = pain_trend(rising_then_low, now=NOW)
    assert trend.last_mean == 3 and trend.direction == "stable", "never 'worse' as pain drops"
