"""``spasmcare plan`` (the care plan, as text, JSON or calendar events) and ``spasmcare timer``."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer

from spasmcare.cli.options import EmergencyNumber, IntakeInput, KnowledgeVersion

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from rich.console import Console

    from spasmcare.knowledge import KnowledgeBase
    from spasmcare.plan import CarePlan, MedicineAdvice
    from spasmcare.triage import Interview, TriageResult
    from spasmcare.triage.engine import SourceRef

_VERDICT_STYLE = {"ok": "bold green", "caution": "bold yellow", "avoid": "bold red"}
_VERDICT_WORDS = {"ok": "OK for you", "caution": "Take care", "avoid": "Avoid"}
_SECTION_TITLES = {
    "instruction": "What to do",
    "waiting": "While you wait",
    "now": "Now",
    "pain_relief": "Painkillers",
    "stretches": "Stretches",
    "coming_days": "In the coming days",
    "prevention": "To keep it from coming back",
}
_WARNING_STYLE = {"avoid": "bold red", "caution": "yellow", "info": "dim"}


# -- rendering -------------------------------------------------------------------------------------
# Text from the knowledge base is never parsed as Rich markup: every line is built from Text parts,
# so brackets in a title print as typed and no "[bold]" ever shows literally.
def _line(console: Console, *parts: tuple[str, str] | str, indent: int = 0) -> None:
    """Print one line made of (text, style) parts or plain strings, wrapped with a hanging indent."""
    from rich.padding import Padding
    from rich.text import Text

    line = Text()
    for part in parts:
        text, style = (part, "") if isinstance(part, str) else part
        line.append(text, style=style)
    console.print(Padding(line, (0, 0, 0, indent)) if indent else line)


def _heading(console: Console, text: str) -> None:
    console.print()
    _line(console, (text, "bold underline"))


def render_first_screen(console: Console, plan: CarePlan, *, medicines_checked: bool) -> None:
    """The same summary as the web page's first screen: get help now, then the first things to do."""
    from spasmcare.plan.summary import first_screen

    summary = first_screen(plan, medicines_checked=medicines_checked)
    if summary.help_now:
        _heading(console, "Get help at once if you have any of these")
        for sign in summary.help_now:
            _line(console, "- ", (sign.title, "bold red"))
        _line(console, ('More signs are under "When to get help" below.', "dim"))
    if summary.things:
        _heading(console, "Do these first")
        for number, thing in enumerate(summary.things, 1):
            _line(console, (f"{number}. {thing.title}", "bold"))
            _line(console, thing.text, indent=3)
            if thing.timer:
                _line(console, (f"Timer: spasmcare timer {thing.timer}", "dim"), indent=3)


def render_plan(console: Console, plan: CarePlan, *, medicines_checked: bool = True) -> None:
    """Print a care plan for a person: the decision, the first screen's summary, warnings, then
    Now / Today / This week, medicines, other options, the signs to get help, and the sources
    (numbered, listed once at the end)."""
    from rich.panel import Panel
    from rich.text import Text

    from spasmcare.cli.interview import STYLE

    head = Text(f"{plan.label.upper()}\n", style=STYLE[plan.disposition.value])
    head.append(plan.instruction, style="bold")
    console.print(
        Panel(
            head,
            title="Your care plan",
            border_style="red" if plan.disposition.value == "emergency" else "white",
        )
    )
    render_first_screen(console, plan, medicines_checked=medicines_checked)
    if plan.warnings:
        console.print()
    for warning in plan.warnings:
        _line(console, (f"! {warning.text}", _WARNING_STYLE[warning.severity]))
    section = ""
    used: dict[str, str] = {}
    number = 0
    for step in plan.steps:
        if step.section == "instruction":
            continue  # the panel above says it
        if _SECTION_TITLES.get(step.section, step.section) != section:
            section = _SECTION_TITLES.get(step.section, step.section)
            _heading(console, section)
        number += 1
        _line(console, (f"{number}. {step.title}", "bold"), ("  " + _grade(step.grade), "dim"))
        _line(console, step.how, indent=3)
        for note in step.notes:
            _line(console, f"- {note}", indent=3)
        _sources(console, step.sources, used)
        if step.section == "stretches":
            _render_stretches(console, plan)
    if plan.medicines:
        _render_medicines(console, plan, used)
    if plan.other_options:
        _heading(console, "Other things people try")
        for option in plan.other_options:
            _line(console, (option.title, "bold"), ("  " + _grade(option.grade), "dim"))
            _line(console, option.summary, indent=3)
            for note in option.notes:
                _line(console, f"- {note}", indent=3)
            _sources(console, option.sources, used)
    if plan.when_to_get_help:
        _heading(console, "When to get help")
        for sign in plan.when_to_get_help:
            _line(console, (sign.title, "bold"))
            _line(console, sign.text, indent=3)
            _sources(console, sign.sources, used)
    if plan.course is not None:
        _heading(console, plan.course.title)
        _line(console, plan.course.how)
        _sources(console, plan.course.sources, used)
    if used:
        _heading(console, "Sources")
        for ident, citation in used.items():
            _line(console, (f"[{ident}] {citation}", "dim"))
    console.print()
    _line(console, (f"Advice version {plan.knowledge_version}. {plan.notice}", "dim"))


def _grade(grade: str) -> str:
    from spasmcare.knowledge.care import GRADE_WORDS

    return f"(evidence: {GRADE_WORDS[grade]})"


def _sources(console: Console, refs: Sequence[SourceRef], used: dict[str, str]) -> None:
    """Name the sources by number; their full citations are listed once at the end."""
    numbers = []
    for ref in refs:
        text = ref.citation + (f" {ref.url}" if ref.url else "")
        key = next((k for k, v in used.items() if v == text), None)
        if key is None:
            key = str(len(used) + 1)
            used[key] = text
        numbers.append(f"[{key}]")
    if refs:
        _line(console, (f"Sources: {' '.join(numbers)}", "dim"), indent=3)


def _render_stretches(console: Console, plan: CarePlan) -> None:
    for stretch in plan.stretches:
        when = "during a spasm or after" if stretch.during_spasm else "once the spasm has eased"
        _line(
            console,
            (stretch.title, "bold"),
            f" ({when}): hold {stretch.hold_seconds} s, {stretch.repetitions} times, "
            f"{stretch.times_per_day} times a day",
            indent=3,
        )
        for i, text in enumerate(stretch.steps, 1):
            _line(console, f"{i}. {text}", indent=6)
        _line(console, (stretch.stop_if, "yellow"), indent=6)


def _verdict_words(med: MedicineAdvice) -> tuple[str, str]:
    """The verdict for the person, never "OK for you" for a medicine advised against for spasms."""
    if med.grade == "against" and med.verdict != "avoid":
        return "Not advised for spasms", "bold yellow"
    return _VERDICT_WORDS[med.verdict], _VERDICT_STYLE[med.verdict]


def _render_medicines(console: Console, plan: CarePlan, used: dict[str, str]) -> None:
    _heading(console, "Medicine checks for you")
    for med in plan.medicines:
        brands = f" ({', '.join(med.brands)})" if med.brands else ""
        kind = "prescription only" if med.kind == "prescription" else "over the counter"
        words, style = _verdict_words(med)
        _line(
            console,
            (words, style),
            ": ",
            (med.name, "bold"),
            f"{brands}, {kind}  ",
            (_grade(med.grade), "dim"),
        )
        for reason in med.reasons:
            _line(console, f"- {reason.text}", indent=3)
        if med.dose:
            _line(console, f"Dose: {med.dose}", indent=3)
        for note in med.notes:
            _line(console, note, indent=3)
        _line(console, (f"Evidence: {med.evidence}", "dim"), indent=3)
        _sources(console, tuple(dict.fromkeys(s for r in med.reasons for s in r.sources)), used)


# -- asking the plan's questions in the terminal ------------------------------------------------------
def ask_plan_details(console: Console, interview: Interview) -> dict[str, Any]:
    """Ask the context the plan uses (causes, medicines, conditions, pregnancy week, alcohol, weight).

    Returns the intake data: the interview's answers plus these.
    """
    from spasmcare.cli.interview import ask, ask_names, say
    from spasmcare.triage import Interview

    kb = interview.kb
    context = Interview(
        kb, answers=interview.answers(), emergency_call=interview.emergency_call, context=True
    )
    while (question := context.next_question()) is not None:
        context.answer(question.id, ask(console, question))
    data = context.answers()
    data.pop("self_checked", None)  # interview state, not part of an intake
    if "medicines" not in data:  # knowledge base 1.0.0: the interview does not ask them
        console.print()
        say(console, "Which medicines do you take?", "bold")
        data["medicines"] = ask_names(console)
    from spasmcare.triage.interview import Option, Question

    options = tuple(Option(value=c.id, label=c.label) for c in kb.conditions.values())
    question = Question(
        id="conditions",
        kind="checklist",
        text="Do you have any of these health problems?",
        options=options,
    )
    ticked = ask(console, question)
    data["conditions"] = [c for c, has in ticked.items() if has is True]
    if data.get("pregnant") is True:
        weeks = _number(
            console, "How many weeks pregnant are you? (press Enter if you do not know)", 1, 45
        )
        if weeks is not None:
            data["pregnancy_weeks"] = int(weeks)
    drinks = _number(
        console, "How many alcoholic drinks do you have on a usual day? (Enter to skip)", 0, 100
    )
    if drinks is not None:
        data["alcohol_drinks_per_day"] = drinks
    weight = _number(console, "What do you weigh, in kg? (Enter to skip)", 1, 500)
    if weight is not None:
        data["weight_kg"] = weight
    return data


def _number(console: Console, prompt: str, low: float, high: float) -> float | None:
    from rich.prompt import Prompt

    while True:
        raw = Prompt.ask(prompt, default="", console=console, show_default=False).strip()
        if not raw:
            return None
        try:
            value = float(raw.replace(",", "."))
        except ValueError:
            console.print("[red]Please type a number, or press Enter.[/]", markup=True)
            continue
        if low <= value <= high:
            return int(value) if value.is_integer() else value
        console.print(f"[red]Please type a number from {low:g} to {high:g}.[/]", markup=True)


def offer_plan(console: Console, interview: Interview, result: TriageResult) -> None:
    """After the interview: an emergency gets what to do while waiting; others are offered a plan."""
    from rich.prompt import Confirm

    from spasmcare.plan import build_plan
    from spasmcare.triage import parse_intake

    kb = interview.kb
    if result.disposition.value == "emergency":
        plan = build_plan(
            interview.intake(), kb, emergency_call=interview.emergency_call, triage=result
        )
        _heading(console, "While you wait")
        for step in plan.steps[1:]:
            _line(console, "- ", (step.title, "bold"), f": {step.how}")
        return
    console.print()
    if (
        result.disposition.value == "urgent"
    ):  # a doctor today: comfort until then, no long questions
        if Confirm.ask(
            "Would you like tips to ease the pain until you see the doctor?", console=console
        ):
            plan = build_plan(
                interview.intake(), kb, emergency_call=interview.emergency_call, triage=result
            )
            render_plan(console, plan, medicines_checked=False)
        return
    if not Confirm.ask("Would you like a care plan for the next few days?", console=console):
        return
    data = ask_plan_details(console, interview)
    intake = parse_intake(data, kb)
    console.print()
    render_plan(console, build_plan(intake, kb, emergency_call=interview.emergency_call))


# -- commands ------------------------------------------------------------------------------------------
def plan(
    input: IntakeInput = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the plan as JSON.")] = False,
    ics: Annotated[
        str | None,
        typer.Option(
            "--ics", help="Write heat-pack cycles and stretch sessions to this calendar file."
        ),
    ] = None,
    days: Annotated[
        int | None, typer.Option(help="How many days the calendar covers (1-14).")
    ] = None,
    start: Annotated[
        str | None,
        typer.Option(help="When the calendar starts, e.g. 2026-05-01T08:00 (default: now)."),
    ] = None,
    emergency_number: EmergencyNumber = None,
    knowledge_version: KnowledgeVersion = None,
) -> None:
    """The care plan: what to do now and in the coming days, and which medicines are safe for you.

    Without --input, asks the questions in the terminal first.
    """
    from datetime import datetime

    from spasmcare.cli._output import err, out, print_json, read_json
    from spasmcare.cli.settings import call_number, knowledge_base
    from spasmcare.plan import build_plan
    from spasmcare.triage import Interview, parse_intake

    kb = knowledge_base(knowledge_version)
    call = call_number(emergency_number)
    console = out()
    begin = _start_time(start) if ics else None
    if input is None:
        from spasmcare.cli.interview import render_result, run_interview

        interview = Interview(kb, emergency_call=call)
        result = run_interview(console, kb, call, interview)
        if result.disposition.value == "emergency":
            render_result(console, result)
            data = interview.answers()
            data.pop("self_checked", None)  # interview state, not part of an intake
        else:
            data = ask_plan_details(console, interview)
        intake = parse_intake(data, kb)
        checked = result.disposition.value != "emergency"
    else:
        given = read_json(input)
        intake = parse_intake(given, kb)
        checked = isinstance(given, dict) and "conditions" in given
    care_plan = build_plan(intake, kb, emergency_call=call)
    if ics:
        assert begin is not None
        written = _write_ics(care_plan, kb, ics, begin, days, datetime.now().astimezone())
        message = (
            f"Wrote {written} calendar events to {ics}."
            if written
            else "No calendar written: this result needs a doctor, not a home schedule."
        )
        err().print(message, markup=False)
    if as_json:
        print_json(care_plan.model_dump(mode="json"))
    else:
        render_plan(console, care_plan, medicines_checked=checked)


def _start_time(text: str | None) -> datetime:
    from datetime import datetime

    from spasmcare.errors import InputError, Problem

    if text is None:
        return datetime.now().astimezone()
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise InputError(
            "the start time is not valid",
            [Problem("--start", f"{text!r} is not a date and time", "e.g. 2026-05-01T08:00")],
        ) from exc
    return value if value.tzinfo is not None else value.astimezone()


def _write_ics(
    care_plan: CarePlan,
    kb: KnowledgeBase,
    path: str,
    begin: datetime,
    days: int | None,
    stamp: datetime,
) -> int:
    from pathlib import Path

    from spasmcare.plan.calendar import plan_events, to_ics

    events = plan_events(care_plan, kb, start=begin, days=days)
    if events:
        Path(path).write_bytes(to_ics(events, stamp=stamp))
    return len(events)


def run_timer(
    console: Console,
    kb: KnowledgeBase,
    mode: str,
    *,
    minutes: float | None = None,
    off_minutes: float | None = None,
    cycles: int | None = None,
    seconds_per_minute: float = 60.0,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Count down each phase with a progress bar in minutes; ring the bell when each phase ends."""
    from rich.progress import BarColumn, Progress, TextColumn

    from spasmcare.plan.timer import timer_for, timer_phases

    timer = timer_for(kb, mode)
    phases = timer_phases(kb, mode, minutes=minutes, off_minutes=off_minutes, cycles=cycles)
    ticks_per_minute = 60  # the clock moves every second
    tick = seconds_per_minute / ticks_per_minute
    _line(
        console, (f"{timer.title} timer", "bold"), f": {len(phases)} steps. Press Ctrl+C to stop."
    )
    for phase in phases:
        label = "ON " if phase.kind == "on" else "OFF"
        _line(console, (label, "bold"), f" {phase.text}")
        total = phase.minutes
        seconds = max(1, round(total * 60))
        with Progress(
            TextColumn(f"[bold]{label}[/] round {phase.cycle}"),
            BarColumn(),
            TextColumn("{task.fields[left]} left"),
            console=console,
            transient=False,
        ) as progress:
            task = progress.add_task(phase.kind, total=seconds, left=clock(seconds))
            for done in range(1, seconds + 1):
                if tick > 0:
                    sleep(tick)
                progress.update(task, completed=done, left=clock(seconds - done))
        console.bell()
    _line(console, timer.done_text)


def clock(seconds: float) -> str:
    """Seconds as a countdown clock: ``mm:ss`` (``h:mm:ss`` from an hour)."""
    whole = max(0, round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def timer(
    mode: Annotated[str, typer.Argument(help="heat, cold or stretch", metavar="heat|cold|stretch")],
    minutes: Annotated[
        float | None, typer.Option(help="Minutes on (heat and cold: at most 30).")
    ] = None,
    off_minutes: Annotated[
        float | None, typer.Option(help="Minutes off between cycles (heat and cold: at least 20).")
    ] = None,
    cycles: Annotated[int | None, typer.Option(help="How many on/off cycles.")] = None,
    seconds_per_minute: Annotated[
        float, typer.Option(hidden=True, help="Length of a minute in seconds (for tests).")
    ] = 60.0,
    knowledge_version: Annotated[str | None, typer.Option(help="Knowledge-base version.")] = None,
) -> None:
    """A heat, cold or stretch timer: on/off cycles with a progress bar and a bell at the end of each."""
    from spasmcare.cli._output import out
    from spasmcare.cli.settings import knowledge_base

    console = out()
    try:
        run_timer(
            console,
            knowledge_base(knowledge_version),
            mode,
            minutes=minutes,
            off_minutes=off_minutes,
            cycles=cycles,
            seconds_per_minute=max(seconds_per_minute, 0.0),
        )
    except KeyboardInterrupt:
        console.print("Timer stopped.", markup=False)
        raise typer.Exit(130) from None


def register(app: typer.Typer) -> None:
    app.command()(plan)
    app.command()(timer)
