"""Heat, cold and stretch timers, and the plan's calendar events."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta, timezone

import pytest
from icalendar import Calendar
from rich.console import Console

from spasmcare.cli.plan import run_timer
from spasmcare.errors import InputError
from spasmcare.knowledge import KnowledgeBase
from spasmcare.plan.calendar import plan_events, to_ics
from spasmcare.plan.timer import timer_phases
from tests.plan.helpers import plan_for


def test_heat_defaults_to_20_on_20_off(kb: KnowledgeBase) -> None:
    phases = timer_phases(kb, "heat")
    assert [(p.kind, p.minutes) for p in phases] == [("on", 20), ("off", 20), ("on", 20)]
    assert "skin" in phases[1].text


def test_options_change_the_cycles(kb: KnowledgeBase) -> None:
    phases = timer_phases(kb, "cold", minutes=25, off_minutes=30, cycles=3)
    assert [(p.kind, p.minutes, p.cycle) for p in phases] == [
        ("on", 25, 1),
        ("off", 30, 1),
        ("on", 25, 2),
        ("off", 30, 2),
        ("on", 25, 3),
    ]


def test_unsafe_or_unknown_timer_settings_are_refused(kb: KnowledgeBase) -> None:
    with pytest.raises(InputError) as info:
        timer_phases(kb, "heat", minutes=45, off_minutes=5, cycles=0)
    paths = {p.path: p for p in info.value.problems}
    assert set(paths) == {"--minutes", "--off-minutes", "--cycles"}
    assert paths["--minutes"].allowed == "more than 0, up to 30"
    assert paths["--off-minutes"].allowed == "20 to 120"
    with pytest.raises(InputError, match="unknown timer 'sauna'") as info2:
        timer_phases(kb, "sauna")
    assert info2.value.problems[0].allowed == "heat, cold, stretch"


def test_the_timer_counts_the_minutes_with_an_injected_clock(kb: KnowledgeBase) -> None:
    slept: list[float] = []
    buffer = io.StringIO()
    console = Console(file=buffer, width=100, force_terminal=True)
    run_timer(
        console,
        kb,
        "heat",
        minutes=2,
        off_minutes=20,
        cycles=2,
        seconds_per_minute=6,
        sleep=slept.append,
    )
    minutes = sum(slept) / 6
    assert minutes == pytest.approx(2 + 20 + 2)
    output = buffer.getvalue()
    assert output.count("\a") == 3, "a bell at the end of each phase"
    assert "02:00 left" in output and "20:00 left" in output, "a countdown in mm:ss"
    assert "00:00 left" in output
    assert kb.care.timers["heat"].done_text in output


def test_a_stretch_timer_holds_for_seconds(kb: KnowledgeBase) -> None:
    phases = timer_phases(kb, "stretch")
    assert phases[0].minutes == 0.5 and phases[0].kind == "on"
    slept: list[float] = []
    run_timer(Console(file=io.StringIO()), kb, "stretch", seconds_per_minute=60, sleep=slept.append)
    assert sum(slept) == pytest.approx(60 * sum(p.minutes for p in phases))


# -- calendar --------------------------------------------------------------------------------------
START = datetime(2026, 5, 1, 7, 30, tzinfo=timezone(timedelta(hours=2)))


def test_home_plans_get_heat_and_stretch_events(kb: KnowledgeBase) -> None:
    plan = plan_for(kb)
    events = plan_events(plan, kb, start=START, days=2)
    heat = [e for e in events if e.title.startswith("Heat")]
    stretch = [e for e in events if e.title.startswith("Gentle stretches")]
    assert len(heat) == 2 * 3 * 2, "2 days x 3 sessions x 2 heat cycles"
    assert len(stretch) == 2 * 3
    first = heat[0]
    assert first.start == START.replace(hour=8, minute=0) and first.end - first.start == timedelta(
        minutes=20
    )
    assert heat[1].start - heat[0].start == timedelta(minutes=40), "20 on, 20 off"
    assert all(e.start >= START for e in events)
    assert [e.start for e in events] == sorted(e.start for e in events)
    assert len({e.uid for e in events}) == len(events)


def test_sessions_already_past_today_are_skipped(kb: KnowledgeBase) -> None:
    events = plan_events(plan_for(kb), kb, start=START.replace(hour=15), days=1)
    assert {e.start.hour for e in events} == {19, 20}


def test_no_events_for_emergency_or_urgent_and_no_heat_on_numb_skin(kb: KnowledgeBase) -> None:
    assert plan_events(plan_for(kb, findings={"saddle_numbness": True}), kb, start=START) == ()
    assert plan_events(plan_for(kb, findings={"fever": True}), kb, start=START) == ()
    numb = plan_events(plan_for(kb, conditions=["numb_skin"]), kb, start=START)
    assert numb and not any(e.title.startswith("Heat") for e in numb)


def test_the_calendar_needs_an_aware_start_and_sane_days(kb: KnowledgeBase) -> None:
    with pytest.raises(InputError, match="time zone"):
        plan_events(plan_for(kb), kb, start=datetime(2026, 5, 1, 8, 0))
    with pytest.raises(InputError) as info:
        plan_events(plan_for(kb), kb, start=START, days=30)
    assert info.value.problems[0].allowed == "1 to 14"


def test_ics_round_trips_through_icalendar(kb: KnowledgeBase) -> None:
    events = plan_events(plan_for(kb), kb, start=START, days=1)
    data = to_ics(events, stamp=datetime(2026, 4, 30, 9, 0, tzinfo=UTC))
    cal = Calendar.from_ical(data)
    vevents = cal.walk("VEVENT")
    assert len(vevents) == len(events)
    first = vevents[0]
    assert first.decoded("dtstart") == events[0].start.astimezone(UTC)
    assert str(first.get("summary")) == events[0].title
    assert first.walk("VALARM"), "each event reminds"
    assert b"PRODID:-//spasmcare//care plan//EN" in data
