"""The plan's heat cycles and stretch sessions for the coming days, as calendar events (iCalendar).

:func:`plan_events` is pure: the caller passes the start time (timezone-aware; the times of day of
the sessions are read in its time zone). :func:`to_ics` writes the events as an ``.ics`` document in
UTC, with a reminder at the start of each event.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from spasmcare.errors import InputError, Problem
from spasmcare.knowledge.schema import KnowledgeBase
from spasmcare.plan.model import CarePlan
from spasmcare.plan.timer import timer_phases

REST_BETWEEN_REPS_SECONDS = 15


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    uid: str
    title: str
    description: str
    start: datetime
    end: datetime


def plan_events(
    plan: CarePlan, kb: KnowledgeBase, *, start: datetime, days: int | None = None
) -> tuple[CalendarEvent, ...]:
    """Heat-pack cycles and stretch sessions from ``start`` for ``days`` days (the timers' default).

    Only a home plan (soon, self-care) has events: an emergency or urgent result needs a doctor, not a
    schedule. Heat is left out when the plan left it out (numb skin, poor blood flow).
    """
    if start.tzinfo is None or start.utcoffset() is None:
        raise InputError("the start time needs a time zone", [Problem("start", "has no time zone")])
    if days is not None and not 1 <= days <= 14:
        raise InputError(
            "too many or too few days", [Problem("--days", f"{days} is out of range", "1 to 14")]
        )
    if not plan.home_plan:
        return ()
    events: list[CalendarEvent] = []
    if plan.step("heat") is not None:
        timer = kb.care.timers["heat"]
        phases = [p for p in timer_phases(kb, "heat") if p.kind == "on"]
        for at in _sessions(start, timer.sessions, days or timer.days):
            offset = timedelta(0)
            for phase in timer_phases(kb, "heat"):
                length = timedelta(minutes=phase.minutes)
                if phase.kind == "on":
                    title = f"Heat pack on ({phase.minutes:g} min, {phase.cycle} of {len(phases)})"
                    events.append(
                        CalendarEvent(
                            uid=_uid("heat", at + offset),
                            title=title,
                            description=f"{timer.on_text} {timer.off_text}",
                            start=at + offset,
                            end=at + offset + length,
                        )
                    )
                offset += length
    if plan.stretches and plan.step("stretch_routine") is not None:
        timer = kb.care.timers["stretch"]
        seconds = sum(
            s.repetitions * s.hold_seconds + (s.repetitions - 1) * REST_BETWEEN_REPS_SECONDS
            for s in plan.stretches
        )
        minutes = max(5, math.ceil(seconds / 60))
        names = ", ".join(s.title for s in plan.stretches)
        stop = plan.stretches[0].stop_if
        for at in _sessions(start, timer.sessions, days or timer.days):
            events.append(
                CalendarEvent(
                    uid=_uid("stretch", at),
                    title=f"Gentle stretches ({minutes} min)",
                    description=f"{names}. {stop}",
                    start=at,
                    end=at + timedelta(minutes=minutes),
                )
            )
    events.sort(key=lambda e: e.start)
    return tuple(events)


def _sessions(start: datetime, times: tuple[str, ...], days: int) -> list[datetime]:
    first: date = start.date()
    out: list[datetime] = []
    for n in range(days):
        day = first + timedelta(days=n)
        for hhmm in times:
            hour, minute = (int(x) for x in hhmm.split(":"))
            at = datetime.combine(day, time(hour, minute), tzinfo=start.tzinfo)
            if at >= start:
                out.append(at)
    return out


def _uid(kind: str, at: datetime) -> str:
    return f"{kind}-{at.astimezone(UTC):%Y%m%dT%H%M%SZ}@spasmcare"


def to_ics(events: tuple[CalendarEvent, ...], *, stamp: datetime) -> bytes:
    """The events as an iCalendar document (times in UTC), each with a reminder when it starts."""
    from icalendar import Alarm, Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//spasmcare//care plan//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    for e in events:
        event = Event()
        event.add("uid", e.uid)
        event.add("dtstamp", stamp.astimezone(UTC))
        event.add("dtstart", e.start.astimezone(UTC))
        event.add("dtend", e.end.astimezone(UTC))
        event.add("summary", e.title)
        event.add("description", e.description)
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", e.title)
        alarm.add("trigger", timedelta(0))
        event.add_component(alarm)
        cal.add_component(event)
    data: bytes = cal.to_ical()
    return data
