"""Time handling for the diary: everything is stored in UTC, and every stored time is timezone-aware.

Library and API callers must pass aware datetimes (a naive one is rejected, because a server cannot know
the person's time zone). The command line reads times typed by a person as the computer's local time
and converts them here, with :func:`parse_when`.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from spasmcare.errors import InputError, Problem

__all__ = [
    "FUTURE_GRACE",
    "WHEN_HELP",
    "as_utc",
    "from_sqlite_text",
    "is_future",
    "local_zone",
    "parse_when",
    "require_aware",
    "sqlite_text",
    "utc_now",
]

WHEN_HELP = (
    "now, 30m ago, 2h ago, 3d ago, today 08:00, yesterday 18:30, 18:30, "
    "2024-05-01 08:00 (local time) or 2024-05-01T08:00+02:00"
)

_AGO = re.compile(
    r"^(\d+(?:\.\d+)?)\s*(m|min|mins|minutes?|h|hr|hrs|hours?|d|days?|w|weeks?)\s+ago$"
)
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")

FUTURE_GRACE = timedelta(minutes=1)
"""How far past ``now`` a typed time may be and still count as now (clocks differ a little, and a
time typed to the minute can be seconds ahead)."""


def is_future(moment: datetime, now: datetime) -> bool:
    """Whether a time a person typed is in the future, which the diary refuses (it records what
    happened): later than :data:`FUTURE_GRACE` after ``now``. The command line and the web pages
    both use this rule."""
    return moment > now + FUTURE_GRACE


def require_aware(value: datetime, path: str = "time") -> datetime:
    """Return ``value`` in UTC; raise :class:`InputError` when it has no time zone."""
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise InputError(
            f"{path} has no time zone",
            [
                Problem(
                    path, f"{value.isoformat()} has no time zone", "a time with an offset, e.g. Z"
                )
            ],
        )
    return value.astimezone(UTC)


def utc_now() -> datetime:
    """The current time in UTC (the default clock of the diary and the accounts)."""
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """The time in UTC: aware times are converted; naive ones are taken to be UTC already (database
    values). A time that cannot be expressed in UTC raises :class:`ValueError` (so it can check
    pydantic fields: ``AfterValidator(as_utc)``)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:  # e.g. 0001-01-01T00:30:00+01:00 is before the first UTC time
        raise ValueError("is too far in the past or future to convert to UTC") from None


def local_zone() -> tzinfo:
    """The computer's local time zone (what a person typing a time at the command line means)."""
    zone = datetime.now().astimezone().tzinfo
    return zone if zone is not None else UTC


def _on_day(day: date, clock: str | None, zone: tzinfo) -> datetime:
    if clock is None:
        return datetime.combine(day, time(12, 0), tzinfo=zone)
    match = _CLOCK.match(clock)
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise ValueError(clock)
    return datetime.combine(day, time(int(match.group(1)), int(match.group(2))), tzinfo=zone)


def _bad(raw: str, path: str = "when") -> InputError:
    return InputError(
        f"cannot read the time {raw!r}",
        [Problem(path, f"{raw!r} is not a time I understand", WHEN_HELP)],
    )


def parse_when(
    text: str, now: datetime, zone: tzinfo | None = None, path: str = "when"
) -> datetime:
    """Read a time typed by a person; naive times are in ``zone`` (default: local). Returns UTC.

    ``now`` must be aware. Times in the future (:func:`is_future`: more than a minute ahead) are
    refused, because a diary records what happened.
    """
    zone = zone or local_zone()
    now = require_aware(now, "now")
    raw = text.strip()
    low = raw.lower()
    result: datetime
    try:
        if low in ("", "now"):
            result = now
        elif match := _AGO.match(low):
            amount = float(match.group(1))
            unit = match.group(2)[0]
            step = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1)}.get(
                unit, timedelta(weeks=1)
            )
            result = now - amount * step
        elif low.startswith(("today", "yesterday")):
            word, _, rest = low.partition(" ")
            today = now.astimezone(zone).date()
            day = today if word == "today" else today - timedelta(days=1)
            result = _on_day(day, rest.strip() or None, zone)
        elif _CLOCK.match(low):
            result = _on_day(now.astimezone(zone).date(), low, zone)
            if is_future(result, now):
                result -= timedelta(days=1)  # "23:30" typed just after midnight means last night
        else:
            parsed = datetime.fromisoformat(raw)
            result = parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=zone)
    except (ValueError, OverflowError) as exc:
        raise _bad(raw, path) from exc
    result = result.astimezone(UTC)
    if is_future(result, now):
        raise InputError(
            f"{raw!r} is in the future",
            [Problem(path, f"{raw!r} is later than now", "a time that has already happened")],
        )
    return result


def sqlite_text(moment: datetime) -> str:
    """How the diary keeps a time in SQLite: UTC as ``YYYY-MM-DD HH:MM:SS.ffffff`` (the text
    SQLAlchemy writes for the tables' ``UTCDateTime``; such texts sort as the times do)."""
    return require_aware(moment).strftime("%Y-%m-%d %H:%M:%S.%f")


def from_sqlite_text(value: str) -> datetime:
    """The UTC time a SQLite diary keeps as text (see :func:`sqlite_text`)."""
    # parsing with the offset gives the UTC singleton in one C call (5 times faster than replace)
    return datetime.fromisoformat(value + "+00:00")
