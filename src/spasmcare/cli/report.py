"""``spasmcare report``: the clinician summary of a period of the diary, as PDF (or HTML)."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from spasmcare.diary import DiaryRepository

DEFAULT_DAYS = 90


def choose_profile(repo: DiaryRepository, profile: int | None) -> int:
    """The profile to report on: the one given, or the only one in the diary."""
    from spasmcare.errors import InputError, NotFoundError, Problem

    if profile is not None:
        return repo.get_profile(profile).id
    page = repo.list_profiles(limit=50)
    if page.total == 0:
        raise NotFoundError(
            "the diary is empty", [Problem("profile", "no profile yet", "record an episode first")]
        )
    if page.total > 1:
        ids = ", ".join(f"{p.id} ({p.name})" for p in page.items)
        raise InputError(
            "the diary has more than one profile", [Problem("--profile", "is required", ids)]
        )
    return page.items[0].id


def write_private(path: Path, data: bytes) -> None:
    """Write health data readable by its owner only."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.chmod(path, 0o600)


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
    profile: Annotated[
        int | None, typer.Option("--profile", help="Profile id (needed when there are several).")
    ] = None,
    version: Annotated[
        str | None, typer.Option("--knowledge-version", help="Knowledge-base version to use.")
    ] = None,
) -> None:
    """Make the one- or two-page summary a clinician reads before a visit."""
    from spasmcare.cli._output import out as console
    from spasmcare.config import get_settings
    from spasmcare.diary import open_repository
    from spasmcare.errors import InputError, Problem
    from spasmcare.knowledge import load_knowledge
    from spasmcare.report import make_report, render_html, render_pdf

    now = datetime.now(UTC)
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
    settings = get_settings()
    kb = load_knowledge(version or settings.knowledge_version)
    with open_repository() as repo:
        profile_id = choose_profile(repo, profile)
        data = make_report(repo, profile_id, kb, start=first, end=last, now=now)
    page = render_html(data)
    write_private(out, page.encode("utf-8") if html else render_pdf(page))
    flags = len(data.red_flags)
    console().print(
        f"Wrote {out} ({'HTML' if html else 'PDF'}): {first} to {last}, "
        f"{len(data.episodes)} episode(s), {flags} red flag(s) ever reported.",
        markup=False,
    )


def register(app: typer.Typer) -> None:
    app.command("report")(report)


__all__ = ["choose_profile", "register", "report"]
