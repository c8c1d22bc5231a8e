"""Times on the pages: shown in the browser's time zone (the ``spasmcare_tz`` cookie set by app.js),
or in UTC, labelled as such, when the browser did not say. Typed times are read in the same zone."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import Request

from spasmcare.diary.times import is_future
from spasmcare.errors import InputError, Problem

TZ_COOKIE = "spasmcare_tz"
INPUT_FORMAT = "%Y-%m-%dT%H:%M"


def page_zone(request: Request) -> tzinfo:
    name = request.cookies.get(TZ_COOKIE, "")
    if not name or len(name) > 64:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return UTC


def zone_name(zone: tzinfo) -> str:
    return "UTC" if zone is UTC else str(zone)


def show(moment: datetime | None, zone: tzinfo) -> str:
    """A time for people: 'Mon 5 May 2025, 08:30' in the page's zone."""
    if moment is None:
        return ""
    local = moment.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M}"


def input_value(moment: datetime | None, zone: tzinfo) -> str:
    """The value of a ``datetime-local`` input."""
    return "" if moment is None else moment.astimezone(zone).strftime(INPUT_FORMAT)


def parse_input(text: str, zone: tzinfo, path: str, now: datetime) -> datetime | None:
    """Read a ``datetime-local`` value typed in ``zone``; empty means None. Future times are refused."""
    text = text.strip()
    if not text:
        return None
    try:
        naive = datetime.strptime(text[:16], INPUT_FORMAT)
    except ValueError:
        raise InputError(
            "please check the time",
            [
                Problem(
                    path,
                    f"{text!r} is not a date and time",
                    "a date and time like 2025-05-01 08:30",
                )
            ],
        ) from None
    try:
        moment = naive.replace(tzinfo=zone).astimezone(UTC)
    except OverflowError:
        raise InputError(
            "please check the time", [Problem(path, f"{text!r} is too far in the past")]
        ) from None
    if is_future(moment, now):
        raise InputError(
            "please check the time",
            [Problem(path, "is in the future", "a time that has already passed")],
        )
    return moment


__all__ = ["TZ_COOKIE", "input_value", "page_zone", "parse_input", "show", "zone_name"]
