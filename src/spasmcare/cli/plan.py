"""``spasmcare plan`` (the care plan, as text, JSON or calendar events) and ``spasmcare timer``."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from rich.console import Console

    from spasmcare.knowledge import KnowledgeBase
    from spasmcare.plan import CarePlan
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
def render_plan(console: Console, plan: CarePlan) -> None:
    """Print a care plan for a person: the decision, warnings, steps, medicines, then the rest."""
    from rich.panel import Panel
    from rich.text import Text

    from spasmcare.cli.triage import _STYLE

    head = Text(f"{plan.label.upper()}\n", style=_STYLE[plan.disposition.value])
    head.append(plan.instruction, style="bold")
    console.print(
        Panel(
            head,
            title="Your care plan",
            border_style="red" if plan.disposition.value == "emergency" else "white",
        )
    )
    for warning in plan.warnings:
        console.print(f"! {warning.text}", style=_WARNING_STYLE[warning.severity], markup=False)
    section = ""
    used: dict[str, str] = {}
    for number, step in enumerate(plan.steps, 1):
        if step.section != section:
            section = step.section
            console.print()
            console.print(
                f"[bold underline]{_SECTION_TITLES.get(section, section)}[/]", markup=True
            )
        console.print(
            f"[bold]{number}. {step.title}[/]  [dim]({_grade(step.grade)})[/]", markup=True
        )
        console.print(f"   {step.how}", markup=False)
        for note in step.notes:
            console.print(f"   - {note}", markup=False)
        _sources(console, step.sources, used)
        if step.section == "stretches":
            _render_stretches(console, plan)
    if plan.medicines:
        _render_medicines(console, plan, used)
    if plan.other_options:
        console.print()
        console.print("[bold underline]Other things people try[/]", markup=True)
        for option in plan.other_options:
            console.print(f"[bold]{option.title}[/]  [dim]({_grade(option.grade)})[/]", markup=True)
            console.print(f"   {option.summary}", markup=False)
            for note in option.notes:
                console.print(f"   - {note}", markup=False)
            _sources(console, option.sources, used)
    if plan.when_to_get_help:
        console.print()
        console.print("[bold underline]When to get help[/]", markup=True)
        for sign in plan.when_to_get_help:
            console.print(sign.title, style="bold", markup=False)
            console.print(f"   {sign.text}", markup=False)
            _sources(console, sign.sources, used)
    if plan.course is not None:
        console.print()
        console.print(f"[bold underline]{plan.course.title}[/]", markup=True)
        console.print(plan.course.how, markup=False)
        _sources(console, plan.course.sources, used)
    if used:
        console.print()
        console.print("[bold underline]Sources[/]", markup=True)
        for ident, citation in used.items():
            console.print(f"{ident}: {citation}", style="dim", markup=False)
    console.print()
    console.print(f"[dim]Knowledge base {plan.knowledge_version}. {plan.notice}[/]", markup=True)


def _grade(grade: str) -> str:
    from spasmcare.knowledge.care import GRADE_WORDS

    return f"evidence: {GRADE_WORDS[grade]}"


def _sources(console: Console, refs: Sequence[SourceRef], used: dict[str, str]) -> None:
    """Name the sources briefly; their full citations are listed once at the end."""
    for ref in refs:
        used.setdefault(ref.id, ref.citation + (f" {ref.url}" if ref.url else ""))
    if refs:
        console.print(f"   Sources: {', '.join(r.id for r in refs)}", style="dim", markup=False)


def _render_stretches(console: Console, plan: CarePlan) -> None:
    for stretch in plan.stretches:
        when = "during a spasm or after" if stretch.during_spasm else "once the spasm has eased"
        console.print(
            f"   [bold]{stretch.title}[/] ({when}): hold {stretch.hold_seconds} s, "
            f"{stretch.repetitions} times, {stretch.times_per_day} times a day",
            markup=True,
        )
        for i, text in enumerate(stretch.steps, 1):
            console.print(f"      {i}. {text}", markup=False)
        console.print(f"      {stretch.stop_if}", style="yellow", markup=False)


def _render_medicines(console: Console, plan: CarePlan, used: dict[str, str]) -> None:
    console.print()
    console.print("[bold underline]Medicine checks for you[/]", markup=True)
    for med in plan.medicines:
        brands = f" ({', '.join(med.brands)})" if med.brands else ""
        kind = "prescription only" if med.kind == "prescription" else "over the counter"
        console.print(
            f"[{_VERDICT_STYLE[med.verdict]}]{_VERDICT_WORDS[med.verdict]}[/]: "
            f"[bold]{med.name}[/]{brands}, {kind}  [dim]({_grade(med.grade)})[/]",
            markup=True,
        )
        for reason in med.reasons:
            console.print(f"   - {reason.text}", markup=False)
        if med.dose:
            console.print(f"   Dose: {med.dose}", markup=False)
        for note in med.notes:
            console.print(f"   {note}", markup=False)
        console.print(f"   Evidence: {med.evidence}", style="dim", markup=False)
        _sources(console, tuple(dict.fromkeys(s for r in med.reasons for s in r.sources)), used)


# -- asking the plan's questions in the terminal ------------------------------------------------------
def ask_plan_details(console: Console, interview: Interview) -> dict[str, Any]:
    """Ask the context the plan uses (causes, medicines, conditions, pregnancy week, alcohol, weight).

    Returns the intake data: the interview's answers plus these.
    """
    from spasmcare.cli.triage import _ask, _ask_names, _say
    from spasmcare.triage import Interview

    kb = interview.kb
    context = Interview(
        kb, answers=interview.answers(), emergency_call=interview.emergency_call, context=True
    )
    while (question := context.next_question()) is not None:
        context.answer(question.id, _ask(console, question))
    data = context.answers()
    data.pop("self_checked", None)  # interview state, not part of an intake
    if "medicines" not in data:  # knowledge base 1.0.0: the interview does not ask them
        console.print()
        _say(console, "Which medicines do you take?", "bold")
        data["medicines"] = _ask_names(console)
    from spasmcare.triage.interview import Option, Question

    options = tuple(Option(c.id, c.label) for c in kb.conditions.values())
    question = Question(
        id="conditions",
        kind="checklist",
        text="Do you have any of these health problems?",
        options=options,
    )
    ticked = _ask(console, question)
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
        console.print()
        console.print("[bold underline]While you wait[/]", markup=True)
        for step in plan.steps[1:]:
            console.print(f"- {step.title}: {step.how}", markup=False)
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
            render_plan(console, plan)
        return
    if not Confirm.ask("Would you like a care plan for the next few days?", console=console):
        return
    data = ask_plan_details(console, interview)
    intake = parse_intake(data, kb)
    console.print()
    render_plan(console, build_plan(intake, kb, emergency_call=interview.emergency_call))


# -- commands ------------------------------------------------------------------------------------------
def plan(
    input: Annotated[
        str | None,
        typer.Option("--input", "-i", help="An intake JSON file, or - for standard input."),
    ] = None,
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
    emergency_number: Annotated[
        str | None, typer.Option(help="The emergency number to show, e.g. 911.")
    ] = None,
    knowledge_version: Annotated[
        str | None, typer.Option(help="Use an older knowledge-base version.")
    ] = None,
) -> None:
    """The care plan: what to do now and in the coming days, and which medicines are safe for you.

    Without --input, asks the questions in the terminal first.
    """
    from datetime import datetime

    from spasmcare.cli._output import err, out, print_json, read_json
    from spasmcare.cli.triage import _emergency_call, _knowledge
    from spasmcare.plan import build_plan
    from spasmcare.triage import Interview, parse_intake

    kb = _knowledge(knowledge_version)
    call = _emergency_call(emergency_number)
    console = out()
    begin = _start_time(start) if ics else None
    if input is None:
        from spasmcare.cli.triage import render_result, run_interview

        interview = Interview(kb, emergency_call=call)
        result = run_interview(console, kb, call, interview)
        if result.disposition.value == "emergency":
            render_result(console, result)
            data = interview.answers()
            data.pop("self_checked", None)  # interview state, not part of an intake
        else:
            data = ask_plan_details(console, interview)
        intake = parse_intake(data, kb)
    else:
        intake = parse_intake(read_json(input), kb)
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
        print_json(care_plan.to_dict())
    else:
        render_plan(console, care_plan)


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
    ticks_per_minute = 12  # the bar moves every 5 seconds
    tick = seconds_per_minute / ticks_per_minute
    console.print(
        f"[bold]{timer.title} timer[/]: {len(phases)} steps. Press Ctrl+C to stop.", markup=True
    )
    for phase in phases:
        label = "ON " if phase.kind == "on" else "OFF"
        console.print(f"{label} {phase.text}", markup=False)
        total = phase.minutes
        with Progress(
            TextColumn(f"[bold]{label}[/] cycle {phase.cycle}"),
            BarColumn(),
            TextColumn("{task.completed:.1f} of {task.total:g} min"),
            console=console,
            transient=False,
        ) as progress:
            task = progress.add_task(phase.kind, total=total)
            steps = max(1, round(total * ticks_per_minute))
            for _ in range(steps):
                if tick > 0:
                    sleep(tick)
                progress.advance(task, total / steps)
        console.bell()
    console.print(timer.done_text, markup=False)


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
    from spasmcare.cli.triage import _knowledge

    console = out()
    try:
        run_timer(
            console,
            _knowledge(knowledge_version),
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
