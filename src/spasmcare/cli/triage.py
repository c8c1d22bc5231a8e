"""``spasmcare triage`` (interview or JSON intake) and ``spasmcare rules``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from spasmcare.knowledge import KnowledgeBase
    from spasmcare.triage import Interview, Question, TriageResult

_STYLE = {
    "emergency": "bold white on red",
    "urgent": "bold black on yellow",
    "soon": "bold black on cyan",
    "self_care": "bold black on green",
}


def _knowledge(version: str | None) -> KnowledgeBase:
    from spasmcare.config import get_settings
    from spasmcare.knowledge import load_knowledge

    return load_knowledge(version or get_settings().knowledge_version)


def _emergency_call(number: str | None) -> str:
    from spasmcare.config import get_settings

    settings = get_settings()
    return number or settings.emergency_call


def render_result(console: Console, result: TriageResult) -> None:
    """Print a triage result for a person: the decision first, then reasons and sources."""
    from rich.panel import Panel
    from rich.text import Text

    style = _STYLE[result.disposition.value]
    head = Text(f"{result.label.upper()}\n", style=style)
    head.append(result.instruction, style="bold")
    console.print(
        Panel(head, border_style="red" if result.disposition.value == "emergency" else "white")
    )
    for reason in result.reasons:
        console.print(f"[bold]{reason.rule}[/] {reason.title}", markup=True)
        console.print(f"   What to do: {reason.advice}", markup=False)
        console.print(f"   Why: {reason.rationale}", markup=False)
        for source in reason.sources:
            console.print(f"   Source: {source.citation}", markup=False, style="dim")
    if not result.reasons:
        console.print("No warning sign was reported.")
    if result.unanswered and result.disposition.value != "emergency":
        names = "; ".join(_unanswered_labels(result))
        prefix = (
            "This self-care result is not complete. "
            if result.disposition.value == "self_care"
            else ""
        )
        console.print(f"[yellow]{prefix}Questions not answered yet:[/] {names}", markup=True)
    console.print(
        f"[dim]Knowledge base {result.knowledge_version}. {result.notice}[/]", markup=True
    )


def _unanswered_labels(result: TriageResult) -> list[str]:
    from spasmcare.knowledge import load_knowledge

    kb = load_knowledge(result.knowledge_version)
    words = {"pain": "how bad the pain is", "onset": "whether it started suddenly"}
    return [
        kb.findings[u].label if u in kb.findings else words.get(u, u) for u in result.unanswered
    ]


def _ask(console: Console, q: Question) -> Any:
    """Ask one interview question in the terminal until the answer is valid."""
    from rich.prompt import Confirm, Prompt

    console.print()
    console.print(f"[bold]{q.text}[/]", markup=True)
    if q.help:
        console.print(f"[dim]{q.help}[/]", markup=True)
    if q.kind == "yesno":
        return Confirm.ask("Yes or no", console=console)
    if q.kind == "number":
        while True:
            raw = Prompt.ask(f"Enter a number from {q.minimum:g} to {q.maximum:g}", console=console)
            try:
                value: float = int(raw) if q.integer else float(raw)
            except ValueError:
                console.print("[red]Please type a number.[/]", markup=True)
                continue
            if q.minimum is not None and q.maximum is not None and q.minimum <= value <= q.maximum:
                return value
            console.print("[red]That number is out of range.[/]", markup=True)
    for i, option in enumerate(q.options, 1):
        console.print(f"  {i}. {option.label}", markup=False)
    while True:
        if q.kind == "choice":
            raw = Prompt.ask("Type the number of your answer", console=console)
        elif q.kind == "multi":
            raw = Prompt.ask("Type the numbers that apply, separated by commas", console=console)
        else:
            raw = Prompt.ask(
                "Type the numbers that apply, separated by commas, or 0 for none",
                console=console,
            )
        picked = _pick(raw, len(q.options), allow_none=q.kind == "checklist")
        if picked is None:
            console.print("[red]Please use the numbers shown.[/]", markup=True)
            continue
        values = [q.options[i - 1].value for i in picked]
        if q.kind == "choice":
            if len(values) == 1:
                return values[0]
            console.print("[red]Please choose one.[/]", markup=True)
            continue
        if q.kind == "multi" and not values:
            console.print("[red]Please choose at least one.[/]", markup=True)
            continue
        return values


def _pick(raw: str, count: int, *, allow_none: bool) -> list[int] | None:
    text = raw.replace(" ", "")
    if text in ("", "0", "none"):
        return [] if allow_none else None
    try:
        numbers = [int(part) for part in text.split(",") if part]
    except ValueError:
        return None
    if any(not 1 <= n <= count for n in numbers):
        return None
    return sorted(set(numbers))


def run_interview(
    console: Console, kb: KnowledgeBase, emergency_call: str, interview: Interview | None = None
) -> TriageResult:
    from spasmcare.triage import Interview

    interview = interview or Interview(kb, emergency_call=emergency_call)
    console.print(
        "[bold]spasmcare triage[/]: a few questions to decide where to get help. "
        "If you think your life is in danger, stop and call "
        f"{emergency_call} now.",
        markup=True,
    )
    while (question := interview.next_question()) is not None:
        interview.answer(question.id, _ask(console, question))
    console.print()
    return interview.result()


def triage(
    input: Annotated[
        str | None,
        typer.Option("--input", "-i", help="An intake JSON file, or - for standard input."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    emergency_number: Annotated[
        str | None, typer.Option(help="The emergency number to show, e.g. 911.")
    ] = None,
    knowledge_version: Annotated[
        str | None, typer.Option(help="Use an older knowledge-base version.")
    ] = None,
    diary: Annotated[
        bool,
        typer.Option(
            "--diary/--no-diary",
            help="Read from your diary whether spasms keep coming back (if you keep a diary).",
        ),
    ] = True,
    save: Annotated[bool, typer.Option("--save", help="Save the result in your diary.")] = False,
    profile: Annotated[
        int | None, typer.Option("--profile", help="Diary profile id (when there are several).")
    ] = None,
) -> None:
    """Decide where to get help: emergency now, a doctor today, a doctor soon, or self-care.

    Without --input, runs the interview in the terminal.
    """
    from spasmcare.cli._output import err, out, print_json, read_json
    from spasmcare.triage import Interview, evaluate, parse_intake

    kb = _knowledge(knowledge_version)
    call = _emergency_call(emergency_number)
    # JSON output from a file needs no terminal console (and so no rich import: faster start-up)
    console = out() if (input is None or not as_json) else None
    recurrence = _diary_recurrence(profile) if diary else None
    if recurrence is not None:
        (console if console is not None and not as_json else err()).print(
            f"From your diary: {recurrence}.", markup=False
        )
    interview: Interview | None = None
    if input is None:
        seed = {"findings": {"recurrent": True}} if recurrence else None
        interview = Interview(kb, emergency_call=call, answers=seed)
        assert console is not None
        result = run_interview(console, kb, call, interview)
        intake = interview.intake()
    else:
        data = read_json(input)
        if recurrence and isinstance(data, dict) and isinstance(data.get("findings", {}), dict):
            findings = data.get("findings", {})
            if "recurrent" not in findings:  # what the person said wins over the diary
                data = {**data, "findings": {**findings, "recurrent": True}}
        intake = parse_intake(data, kb)
        result = evaluate(intake, kb, emergency_call=call)
    if save:
        record = _save_result(profile, intake, result)
        (console if console is not None and not as_json else err()).print(
            f"Saved in your diary as triage result {record}."
        )
    if as_json:
        print_json(result.to_dict())
    else:
        assert console is not None
        render_result(console, result)
        if interview is not None:  # the interactive interview ends by offering the care plan
            from spasmcare.cli.plan import offer_plan

            offer_plan(console, interview, result)


def _diary_recurrence(profile: int | None) -> str | None:
    """Why the diary says spasms keep coming back, or None (no diary, no profile, or no recurrence).

    Only an existing diary is read: triage never creates one.
    """
    from datetime import UTC, datetime

    from spasmcare.config import get_settings

    if not get_settings().diary_exists():
        return None
    from spasmcare.diary import open_repository
    from spasmcare.diary.analytics import recurrence_for
    from spasmcare.errors import SpasmcareError

    try:
        with open_repository() as repo:
            page = repo.list_profiles(limit=2)
            if profile is None and page.total != 1:
                return None
            profile_id = profile if profile is not None else page.items[0].id
            repo.get_profile(profile_id)
            found = recurrence_for(repo, profile_id, datetime.now(UTC))
    except SpasmcareError:
        if profile is not None:
            raise
        return None
    return found.reason if found.fires else None


def _save_result(profile: int | None, intake: Any, result: TriageResult) -> int:
    from datetime import UTC, datetime

    from spasmcare.cli.diary import choose_profile
    from spasmcare.diary import TriageRecordCreate, open_repository

    with open_repository() as repo:
        profile_id = choose_profile(repo, profile, create=True)
        record = repo.create_triage_record(
            profile_id, TriageRecordCreate.from_result(intake, result, datetime.now(UTC))
        )
    return record.id


def rules(
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
    findings: Annotated[
        bool, typer.Option("--findings", help="List the finding ids instead.")
    ] = False,
    knowledge_version: Annotated[str | None, typer.Option(help="Knowledge-base version.")] = None,
) -> None:
    """List the triage rules with their sources (or the finding ids with --findings)."""
    from rich.table import Table

    from spasmcare.cli._output import out, print_json

    kb = _knowledge(knowledge_version)
    if findings:
        if as_json:
            print_json([f.model_dump(mode="json") for f in kb.findings.values()])
            return
        table = Table(
            "finding", "category", "question", title=f"Findings (knowledge base {kb.version})"
        )
        for f in kb.findings.values():
            table.add_row(f.id, f.category, f.question)
        out().print(table)
        return
    if as_json:
        print_json(
            {
                "knowledge_version": kb.version,
                "rules": [
                    {
                        "id": r.id,
                        "title": r.title,
                        "disposition": r.disposition.value,
                        "status": r.status,
                        "since": r.since,
                        "sources": [kb.sources[s].citation for s in r.references],
                    }
                    for r in kb.rules
                ],
            }
        )
        return
    table = Table(
        "rule", "level", "title", "sources", title=f"Triage rules (knowledge base {kb.version})"
    )
    for r in kb.rules:
        table.add_row(r.id, r.disposition.value, r.title, "; ".join(r.references))
    out().print(table)


def register(app: typer.Typer) -> None:
    app.command()(triage)
    app.command()(rules)
