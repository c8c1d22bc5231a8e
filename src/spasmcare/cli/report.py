"""``spasmcare report``: the clinician summary of a period of the diary, as PDF (or HTML)."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from spasmcare.cli.options import ProfileOption

if TYPE_CHECKING:
    from spasmcare.diary import DiaryRepository, ImportSummary, Progress

DEFAULT_DAYS = 90


def write_private(path: Path, data: bytes) -> None:
    """Write health data readable by its owner only."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.chmod(path, 0o600)


def fhir_export(
    repo: DiaryRepository, profile_id: int, now: datetime, progress: Progress | None = None
) -> dict[str, Any]:
    """The diary as a FHIR R4 Bundle, with the current care plan (for `spasmcare export -f fhir`)."""
    from spasmcare.cli.settings import knowledge_base
    from spasmcare.interop import export_bundle, plan_summary
    from spasmcare.report import current_plan

    kb = knowledge_base(None)
    plan = current_plan(repo.snapshot(profile_id), kb, now)
    return export_bundle(
        repo,
        profile_id,
        kb=kb,
        now=now,
        plan=plan_summary(plan) if plan else None,
        progress=progress,
    )


def fhir_import(
    repo: DiaryRepository, file: Path, into_profile: int | None, progress: Progress | None = None
) -> ImportSummary:
    """Check a FHIR bundle file completely, then import it (for `spasmcare import -f fhir`)."""
    from spasmcare.cli._output import read_json
    from spasmcare.interop import import_bundle

    data = read_json(str(file), large=True)
    return import_bundle(
        repo, data, now=datetime.now(UTC), into_profile=into_profile, progress=progress
    )


def report(
    out: Annotated[
        Path, typer.Option("--out", "-o", help="File to write (PDF, or HTML with --html).")
    ],
    start: Annotated[
        datetime | None,
        typer.Option(
            "--from",
            formats=["%Y-%m-%d"],
            help=f"First day (default: {DEFAULT_DAYS} days before --to).",
        ),
    ] = None,
    end: Annotated[
        datetime | None,
        typer.Option(
            "--to", formats=["%Y-%m-%d"], help="Last day, included (default: today, UTC)."
        ),
    ] = None,
    html: Annotated[bool, typer.Option("--html", help="Write HTML instead of PDF.")] = False,
    paper: Annotated[
        str, typer.Option("--paper", help="Paper size: A4 or Letter (at most two pages).")
    ] = "A4",
    profile: ProfileOption = None,
    version: Annotated[
        str | None, typer.Option("--knowledge-version", help="Knowledge-base version to use.")
    ] = None,
) -> None:
    """Make the one- or two-page summary a clinician reads before a visit."""
    from spasmcare.cli._output import out as console
    from spasmcare.cli.profiles import choose_profile
    from spasmcare.cli.settings import knowledge_base
    from spasmcare.diary import open_repository
    from spasmcare.errors import InputError, Problem
    from spasmcare.report import make_report, render_html, render_pdf
    from spasmcare.report.render import PAPERS

    now = datetime.now(UTC)
    latest = now.date() + timedelta(days=1)  # a day ahead: clocks and time zones differ
    bad = [
        Problem(
            name,
            f"{given.date().isoformat()} is out of range",
            f"a day from 1900-01-01 to {latest}",
        )
        for name, given in (("--from", start), ("--to", end))
        if given and not date(1900, 1, 1) <= given.date() <= latest
    ]
    chosen = {p.lower(): p for p in PAPERS}.get(paper.lower())
    if chosen is None:
        bad.append(Problem("--paper", repr(paper), ", ".join(PAPERS)))
    if bad:
        raise InputError("the report cannot be made as asked", bad)
    last: date = end.date() if end else now.date()
    first: date = start.date() if start else last - timedelta(days=DEFAULT_DAYS)
    if first > last:
        raise InputError(
            "the period is empty",
            [Problem("--from", f"{first} is after --to {last}", f"a day on or before {last}")],
        )
    if not out.parent.is_dir():
        raise InputError(
            f"cannot write {out}",
            [Problem("--out", f"no folder {out.parent}", "an existing folder")],
        )
    kb = knowledge_base(version)
    with open_repository() as repo:
        profile_id = choose_profile(repo, profile)
        data = make_report(repo, profile_id, kb, start=first, end=last, now=now)
    page = render_html(data, paper=chosen or "A4")
    write_private(out, page.encode("utf-8") if html else render_pdf(page))
    flags = (
        f"{len(data.red_flags)} red flag(s) ever reported"
        if data.triage_count or data.red_flags
        else "red flags not screened (no triage)"
    )
    console().print(
        f"Wrote {out} ({'HTML' if html else 'PDF'}): {first} to {last}, "
        f"{len(data.episodes)} episode(s), {flags}.",
        markup=False,
    )


def register(app: typer.Typer) -> None:
    app.command("report")(report)


__all__ = ["fhir_export", "fhir_import", "register", "report"]
