"""``spasmcare triage`` (interview or JSON intake) and ``spasmcare rules``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from spasmcare.cli.options import EmergencyNumber, IntakeInput, KnowledgeVersion, ProfileOption

if TYPE_CHECKING:
    from spasmcare.triage import Interview, TriageResult


def triage(
    input: IntakeInput = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    emergency_number: EmergencyNumber = None,
    knowledge_version: KnowledgeVersion = None,
    diary: Annotated[
        bool,
        typer.Option(
            "--diary/--no-diary",
            help="Read from your diary whether spasms keep coming back (if you keep a diary).",
        ),
    ] = True,
    save: Annotated[bool, typer.Option("--save", help="Save the result in your diary.")] = False,
    profile: ProfileOption = None,
    describe: Annotated[
        str | None,
        typer.Option(
            "--describe",
            help="Tell what happened in your own words (- reads standard input). You confirm or "
            "change what was understood, then the interview asks what is still open. With --json "
            "(or from standard input) it only prints what was understood.",
        ),
    ] = None,
) -> None:
    """Decide where to get help: emergency now, a doctor today, a doctor soon, or self-care.

    Without --input, runs the interview in the terminal.
    """
    from spasmcare.cli._output import err, out, print_json, read_json
    from spasmcare.cli.settings import call_number, knowledge_base
    from spasmcare.triage import Interview, evaluate, parse_intake

    kb = knowledge_base(knowledge_version)
    call = call_number(emergency_number)
    # JSON output from a file needs no terminal console (and so no rich import: faster start-up)
    console = out() if ((input is None and describe is None) or not as_json) else None
    recurrence = _diary_recurrence(profile) if diary else None
    if recurrence is not None:
        (console if console is not None and not as_json else err()).print(
            f"From your diary: {recurrence}.", markup=False
        )
    interview: Interview | None = None
    story: dict[str, Any] | None = None
    if describe is not None:
        if input is not None:
            from spasmcare.errors import InputError, Problem

            raise InputError(
                "use --describe or --input, not both",
                [Problem("--describe", "given with --input", "one of them")],
            )
        from spasmcare.cli.describe import describe as read_described

        story = read_described(console if not as_json else None, kb, describe, as_json=as_json)
        if story is None:
            return  # printed what was understood; nothing is decided from words alone
    if input is None:
        seed: dict[str, Any] = {
            **(story or {}),
            "findings": dict((story or {}).get("findings", {})),
        }
        if recurrence:
            seed["findings"].setdefault("recurrent", True)  # what the person said wins
        interview = Interview(kb, emergency_call=call, answers=seed or None)
        from spasmcare.cli.interview import run_interview

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
        print_json(result.model_dump(mode="json"))
    else:
        from spasmcare.cli.interview import render_result

        assert console is not None
        render_result(console, result)
        if interview is not None:  # the interactive interview ends by offering the care plan
            from spasmcare.cli.plan import offer_plan

            offer_plan(console, interview, result)


def _diary_recurrence(profile: int | None) -> str | None:
    """Why the diary says spasms keep coming back, or None (no diary, no profile, or no recurrence).

    Only an existing diary is read: triage never creates one. The default SQLite diary is read
    with ``sqlite3`` (:mod:`spasmcare.diary.sqlite_read`: no SQLAlchemy, for a quick start); any
    other diary, or one that read cannot answer for, through the repository.
    """
    from datetime import UTC, datetime

    from spasmcare.config import DIARY_FILE, get_settings

    settings = get_settings()
    if not settings.diary_exists():
        return None
    from spasmcare.diary.recurrence import LOOKBACK, recurrence, recurrence_for

    now = datetime.now(UTC)
    if settings.database_url is None:
        from spasmcare.diary.sqlite_read import recurrence_rows

        path = settings.resolved_data_dir() / DIARY_FILE
        rows = recurrence_rows(path, profile, now - LOOKBACK)
        if rows is not None:
            found = recurrence(rows.episodes, now) if rows.profile_id is not None else None
            return found.reason if found is not None and found.fires else None
    from spasmcare.diary import open_repository
    from spasmcare.errors import SpasmcareError

    try:
        with open_repository() as repo:
            page = repo.profiles.list(limit=2)
            if profile is None and page.total != 1:
                return None
            profile_id = profile if profile is not None else page.items[0].id
            repo.profiles.get(profile_id)
            found = recurrence_for(repo, profile_id, now)
    except SpasmcareError:
        if profile is not None:
            raise
        return None
    return found.reason if found.fires else None


def _save_result(profile: int | None, intake: Any, result: TriageResult) -> int:
    from datetime import UTC, datetime

    from spasmcare.cli.profiles import choose_profile
    from spasmcare.diary import TriageRecordCreate, open_repository

    with open_repository() as repo:
        profile_id = choose_profile(repo, profile, create=True)
        record = repo.triage_records.create(
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
    from spasmcare.cli.settings import knowledge_base

    kb = knowledge_base(knowledge_version)
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
        from spasmcare.triage.engine import rule_list

        print_json(rule_list(kb).model_dump(mode="json"))
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
