"""Reading times typed at the command line: local time converted to UTC, future times refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from spasmcare.diary.times import parse_when, require_aware
from spasmcare.errors import InputError

NOW = datetime(2026, 3, 10, 14, 30, tzinfo=UTC)
BERLIN_WINTER = timezone(timedelta(hours=1))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("now", NOW),
        ("", NOW),
        ("30m ago", NOW - timedelta(minutes=30)),
        ("2h ago", NOW - timedelta(hours=2)),
        ("1.5 hours ago", NOW - timedelta(hours=1.5)),
        ("3d ago", NOW - timedelta(days=3)),
        ("1 week ago", NOW - timedelta(weeks=1)),
        ("today 08:00", datetime(2026, 3, 10, 7, 0, tzinfo=UTC)),
        ("yesterday 18:30", datetime(2026, 3, 9, 17, 30, tzinfo=UTC)),
        ("09:15", datetime(2026, 3, 10, 8, 15, tzinfo=UTC)),
        ("2026-03-01 08:00", datetime(2026, 3, 1, 7, 0, tzinfo=UTC)),
        ("2026-03-01T08:00+05:00", datetime(2026, 3, 1, 3, 0, tzinfo=UTC)),
    ],
)
def test_times_people_type(text: str, expected: datetime) -> None:
    got = parse_when(text, NOW, BERLIN_WINTER)
    assert got == expected and got.tzinfo == UTC


def test_a_clock_time_later_than_now_means_yesterday() -> None:
    assert parse_when("23:00", NOW, BERLIN_WINTER) == datetime(2026, 3, 9, 22, 0, tzinfo=UTC)


@pytest.mark.parametrize("text", ["tomorrow", "25:00", "2h from now", "2026-13-01"])
def test_unreadable_times_say_what_works(text: str) -> None:
    with pytest.raises(InputError) as info:
        parse_when(text, NOW, BERLIN_WINTER, path="start")
    (problem,) = info.value.problems
    assert problem.path == "start" and problem.allowed and "2h ago" in problem.allowed


def test_future_times_are_refused() -> None:
    with pytest.raises(InputError) as info:
        parse_when("2026-03-11 08:00", NOW, BERLIN_WINTER)
    assert "future" in info.value.summary


def test_naive_datetimes_are_refused_by_the_library() -> None:
    with pytest.raises(InputError):
        require_aware(datetime(2026, 1, 1), "taken_at")
    assert require_aware(datetime(2026, 1, 1, 1, tzinfo=BERLIN_WINTER)) == datetime(
        2026, 1, 1, tzinfo=UTC
    )


def test_one_future_rule_for_the_command_line_and_the_web_pages() -> None:
    """docs/diary.md: "Times in the future are refused." Both readers of typed times use one rule
    (spasmcare.diary.times.is_future): up to a minute ahead of now still counts as now; later is
    refused."""
    from spasmcare.web.localtime import parse_input

    now = datetime(2026, 3, 10, 14, 30, 30, tzinfo=UTC)
    almost = now + timedelta(seconds=29)  # 14:30:59, typed to the minute as 14:30 (or 14:31)
    assert parse_when(almost.isoformat(), now) == almost
    assert parse_input("2026-03-10T14:31", UTC, "when", now) == datetime(
        2026, 3, 10, 14, 31, tzinfo=UTC
    )
    for later in ("2026-03-10T14:32", "2026-03-11T09:00"):
        with pytest.raises(InputError, match="future"):
            parse_when(later + "+00:00", now)
        with pytest.raises(InputError) as info:
            parse_input(later, UTC, "when", now)
        assert info.value.problems[0].message == "is in the future"
