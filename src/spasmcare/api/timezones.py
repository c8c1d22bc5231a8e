"""The ``tz`` query parameter: the person's time zone for weeks, months and chart axes."""

from __future__ import annotations

from datetime import tzinfo
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import Query

from spasmcare.errors import InputError, Problem

TimeZoneName = Annotated[
    str,
    Query(
        max_length=64,
        pattern=r"^[A-Za-z0-9_+\-]+(/[A-Za-z0-9_+\-]+)*$",
        description="IANA time zone for days, weeks and chart axes, e.g. Europe/Paris.",
    ),
]


def zone_of(name: str) -> tzinfo:
    """The zone called ``name``; InputError (422) when there is no such zone."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise InputError(
            f"unknown time zone {name!r}",
            [Problem("tz", f"{name!r} is not a time zone", "an IANA name such as Europe/Paris")],
        ) from exc


__all__ = ["TimeZoneName", "zone_of"]
