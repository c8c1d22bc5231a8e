"""Diary commands: ``log``, ``end``, ``dose``, ``profile``, ``history``, ``stats``, ``chart``,
``export``, ``import`` and ``db``.

Times typed here are the computer's local time unless they carry an offset; they are stored in UTC.
Heavy libraries (SQLAlchemy, matplotlib) are imported inside the commands.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from spasmcare.cli.options import ProfileOption
from spasmcare.cli.profiles import choose_profile

if TYPE_CHECKING:
    from datetime import datetime, tzinfo

    from rich.console import Console

    from spasmcare.diary import DiaryRepository, EpisodePublic, TreatmentCreate

REGION_ALIASES = {
    "low": "lower_back",
    "lower": "lower_back",
    "upper": "upper_back",
    "mid": "mid_back",
    "middle": "mid_back",
    "back": "lower_back",
}
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _now() -> datetime:
    from datetime import UTC, datetime

    return datetime.now(UTC)


def _zone() -> tzinfo:
    from spasmcare.diary.times import local_zone

    return local_zone()


def _when(text: str, path: str) -> datetime:
    from spasmcare.diary.times import parse_when

    return parse_when(text, _now(), _zone(), path=path)


def _local(moment: datetime | None) -> str:
    if moment is None:
        return "ongoing"
    return moment.astimezone(_zone()).strftime("%Y-%m-%d %H:%M")


@contextmanager
def _diary() -> Iterator[DiaryRepository]:
    from spasmcare.diary import open_repository

    with open_repository() as repo:
        yield repo


# --- parsing what people type ---------------------------------------------------------------------


def _regions(values: list[str]) -> list[str]:
    from spasmcare.errors import InputError, Problem
    from spasmcare.knowledge.body import REGION_LABELS

    out: list[str] = []
    bad: list[Problem] = []
    allowed = ", ".join([*REGION_LABELS, *REGION_ALIASES])
    for i, raw in enumerate(v for value in values for v in value.split(",") if v.strip()):
        word = raw.strip().lower().replace(" ", "_").replace("-", "_")
        region = REGION_ALIASES.get(word, word)
        if region in REGION_LABELS:
            out.append(region)
        else:
            bad.append(Problem(f"--where[{i}]", f"{raw.strip()!r} is not a body region", allowed))
    if bad:
        raise InputError("unknown body region", bad)
    return out


def _number(text: str, path: str, low: float, high: float, whole: bool = True) -> float:
    from spasmcare.errors import InputError, Problem

    try:
        value = int(text) if whole else float(text.lower().removesuffix("mg").strip())
    except ValueError as exc:
        raise InputError(
            f"{path} is not a number",
            [Problem(path, f"{text!r} is not a number", f"{low:g} to {high:g}")],
        ) from exc
    if not low <= value <= high:
        raise InputError(
            f"{path} is out of range",
            [Problem(path, f"{value:g} is out of range", f"{low:g} to {high:g}")],
        )
    return value


def _tried(values: list[str], started: datetime) -> list[TreatmentCreate]:
    """``heat``, ``heat:7`` (relief 7), ``ibuprofen 400mg:5`` or ``medicine:ibuprofen:400:5``."""
    from spasmcare.diary import TreatmentCreate, validate
    from spasmcare.diary.schemas import TREATMENT_KINDS

    out: list[TreatmentCreate] = []
    for i, raw in enumerate(v.strip() for value in values for v in value.split(",") if v.strip()):
        path = f"--tried[{i}]"
        parts = [p.strip() for p in raw.split(":")]
        if parts[0].lower() == "medicine":
            parts = parts[1:]
        head = parts[0].lower()
        relief: float | None = None
        data: dict[str, Any] = {"started_at": started}
        if head in TREATMENT_KINDS and head != "medicine":
            data["kind"] = head
            if len(parts) > 1:
                relief = _number(parts[1], f"{path}.relief", 0, 10)
        else:
            words = head.split()
            dose = None
            if len(words) > 1 and words[-1].rstrip("mg").replace(".", "", 1).isdigit():
                dose = _number(words[-1], f"{path}.dose_mg", 0.001, 10000, whole=False)
                head = " ".join(words[:-1])
            rest = parts[1:]
            if dose is None and len(rest) >= 2:
                dose = _number(rest.pop(0), f"{path}.dose_mg", 0.001, 10000, whole=False)
            if rest:
                relief = _number(rest[0], f"{path}.relief", 0, 10)
            data.update({"kind": "medicine", "medicine": head, "dose_mg": dose})
        data["relief"] = None if relief is None else int(relief)
        out.append(validate(TreatmentCreate, data, path))
    return out


def _tags(values: list[str] | None) -> list[str]:
    return [t.strip() for value in values or [] for t in value.split(",") if t.strip()]


# --- log ------------------------------------------------------------------------------------------


def _ask_episode(console: Console, last: EpisodePublic | None) -> dict[str, Any]:
    """The interactive entry: every question has a default, so Enter through it takes seconds."""
    from rich.prompt import Confirm, Prompt

    from spasmcare.knowledge.body import REGION_LABELS

    console.print(
        "[bold]New diary entry[/] (press Enter to accept the [cyan]default[/])", markup=True
    )
    pain_default = str(last.worst_pain) if last else "5"
    while True:
        raw = Prompt.ask(
            "Worst pain, 0 (none) to 10 (worst)", default=pain_default, console=console
        )
        if raw.isdigit() and 0 <= int(raw) <= 10:
            pain = int(raw)
            break
        console.print("[red]Please type a whole number from 0 to 10.[/]", markup=True)
    names = list(REGION_LABELS)
    console.print(
        "  " + "  ".join(f"{i}. {REGION_LABELS[r]}" for i, r in enumerate(names, 1)), markup=False
    )
    region_default = ",".join(
        str(names.index(r) + 1) for r in (last.regions if last else ["lower_back"])
    )
    while True:
        raw = Prompt.ask("Where (numbers, comma between)", default=region_default, console=console)
        picked = [p.strip() for p in raw.split(",") if p.strip()]
        if picked and all(p.isdigit() and 1 <= int(p) <= len(names) for p in picked):
            regions = [names[int(p) - 1] for p in picked]
            break
        console.print("[red]Please use the numbers shown.[/]", markup=True)
    start_text = Prompt.ask(
        "When did it start (e.g. now, 2h ago, 08:30)", default="now", console=console
    )
    end_text = None
    if not Confirm.ask("Is it still going on", default=True, console=console):
        end_text = Prompt.ask("When did it end", default="now", console=console)
    triggers = Prompt.ask(
        "What set it off (comma between, Enter for none)", default="", console=console
    )
    tried = Prompt.ask(
        "What did you try, with relief 0-10 (e.g. heat:6, ibuprofen 400mg:5; Enter for none)",
        default="",
        console=console,
    )
    notes = Prompt.ask("Notes (Enter for none)", default="", console=console)
    return {
        "pain": pain,
        "regions": regions,
        "start": start_text,
        "end": end_text,
        "triggers": [triggers] if triggers else [],
        "tried": [tried] if tried else [],
        "notes": notes,
    }


def log(
    pain: Annotated[int | None, typer.Option("--pain", "-p", help="Worst pain, 0-10.")] = None,
    where: Annotated[
        list[str] | None,
        typer.Option(
            "--where", "-w", help="Body region, e.g. neck, lower_back (or low, upper, mid)."
        ),
    ] = None,
    start: Annotated[
        str, typer.Option("--start", "-s", help="When it started: now, 2h ago, 08:30.")
    ] = "now",
    end: Annotated[
        str | None, typer.Option("--end", "-e", help="When it ended (default: ongoing).")
    ] = None,
    frequency: Annotated[
        int | None,
        typer.Option("--freq", help="Spasms, 0 none to 4 more than 10 an hour (Penn scale)."),
    ] = None,
    trigger: Annotated[
        list[str] | None, typer.Option("--trigger", "-t", help="What set it off.")
    ] = None,
    cause: Annotated[
        list[str] | None, typer.Option("--cause", "-c", help="A suspected cause.")
    ] = None,
    tried: Annotated[
        list[str] | None,
        typer.Option(
            "--tried", help="What you tried, with relief: heat:6, stretch, ibuprofen 400mg:5."
        ),
    ] = None,
    note: Annotated[str, typer.Option("--note", "-n", help="A note.")] = "",
    profile: ProfileOption = None,
    as_json: JsonOption = False,
) -> None:
    """Log a spasm episode in one line, or answer a few quick questions.

    Example: spasmcare log -p 7 -w low -t lifting --tried heat:6 --tried "ibuprofen 400mg:5"
    """
    from spasmcare.cli._output import err, out, print_json
    from spasmcare.diary import EpisodeCreate, validate
    from spasmcare.errors import InputError, Problem

    with _diary() as repo:
        profile_id = choose_profile(repo, profile, create=True)
        if pain is None and not where and not tried and not trigger:
            if not sys.stdin.isatty():
                raise InputError(
                    "no entry given",
                    [Problem("--pain", "is required here", "0 to 10, or run in a terminal")],
                )
            latest = repo.episodes.list(profile_id, limit=1).items
            answers = _ask_episode(err(), latest[0] if latest else None)
        else:
            answers = {
                "pain": pain,
                "regions": _regions(where or ["lower_back"]),
                "start": start,
                "end": end,
                "triggers": trigger or [],
                "tried": tried or [],
                "notes": note,
            }
        started = _when(answers["start"], "--start")
        data = {
            "started_at": started,
            "ended_at": _when(answers["end"], "--end") if answers["end"] else None,
            "regions": answers["regions"],
            "worst_pain": answers["pain"],
            "spasm_frequency": frequency,
            "triggers": _tags(answers["triggers"]),
            "suspected_causes": _tags(cause),
            "notes": answers["notes"],
        }
        if data["worst_pain"] is None:
            raise InputError("how bad was it?", [Problem("--pain", "is required", "0 to 10")])
        entry = validate(EpisodeCreate, data)
        treatments = _tried(answers["tried"], started)
        saved = repo.episodes.create(profile_id, entry, treatments)
    if as_json:
        print_json(
            {
                **saved.model_dump(mode="json"),
                "treatments": [t.model_dump(mode="json") for t in treatments],
            }
        )
        return
    tried_text = f", {len(treatments)} treatment(s)" if treatments else ""
    out().print(
        f"Saved episode {saved.id}: pain {saved.worst_pain}/10, {', '.join(saved.regions)}, "
        f"started {_local(saved.started_at)}{tried_text}."
        + ("" if saved.ended_at else " Run `spasmcare end` when it is over.")
    )


def end(
    episode_id: Annotated[
        int | None, typer.Argument(help="Episode id (default: the latest open one).")
    ] = None,
    at: Annotated[str, typer.Option("--at", help="When it ended (default: now).")] = "now",
    profile: ProfileOption = None,
) -> None:
    """Mark an episode as over."""
    from spasmcare.cli._output import out
    from spasmcare.diary import EpisodeUpdate
    from spasmcare.errors import NotFoundError, Problem

    with _diary() as repo:
        profile_id = choose_profile(repo, profile)
        if episode_id is None:
            open_ones = [
                e for e in repo.episodes.list(profile_id, limit=200).items if e.ended_at is None
            ]
            if not open_ones:
                raise NotFoundError(
                    "no open episode", [Problem("episode", "all episodes have ended")]
                )
            episode_id = open_ones[0].id
        saved = repo.episodes.update(
            profile_id, episode_id, EpisodeUpdate(ended_at=_when(at, "--at"))
        )
    assert saved.ended_at is not None
    hours = (saved.ended_at - saved.started_at).total_seconds() / 3600
    span = f"{hours:.1f} hours" if hours < 48 else f"{hours / 24:.1f} days"
    out().print(f"Episode {saved.id} ended {_local(saved.ended_at)}, after {span}.")


def dose(
    medicine: Annotated[str, typer.Argument(help="The medicine, e.g. acetaminophen.")],
    mg: Annotated[float, typer.Argument(help="The amount in milligrams.")],
    at: Annotated[str, typer.Option("--at", help="When you took it (default: now).")] = "now",
    profile: ProfileOption = None,
) -> None:
    """Record a dose of a medicine (the care plan counts doses toward daily limits)."""
    from spasmcare.cli._output import out
    from spasmcare.diary import DoseCreate, validate

    with _diary() as repo:
        profile_id = choose_profile(repo, profile, create=True)
        data = validate(
            DoseCreate, {"medicine": medicine, "amount_mg": mg, "taken_at": _when(at, "--at")}
        )
        saved = repo.doses.create(profile_id, data)
    out().print(f"Saved: {saved.medicine} {saved.amount_mg:g} mg at {_local(saved.taken_at)}.")


def profile_command(
    name: Annotated[str | None, typer.Option("--name", help="A name for this diary.")] = None,
    age: Annotated[int | None, typer.Option("--age", help="Age in years.")] = None,
    sex: Annotated[str | None, typer.Option("--sex", help="female, male or other.")] = None,
    condition: Annotated[
        list[str] | None,
        typer.Option("--condition", help="A health condition id (replaces the list)."),
    ] = None,
    medicine: Annotated[
        list[str] | None,
        typer.Option("--medicine", help="A medicine you take (replaces the list)."),
    ] = None,
    profile: ProfileOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show or change the profile: age, conditions and medicines (used by triage and the care plan)."""
    from spasmcare.cli._output import out, print_json
    from spasmcare.diary import ProfileUpdate, validate

    changes: dict[str, Any] = {
        k: v
        for k, v in {
            "name": name,
            "age": age,
            "sex": sex,
            "conditions": condition,
            "medicines": medicine,
        }.items()
        if v is not None
    }
    with _diary() as repo:
        profile_id = choose_profile(repo, profile, create=bool(changes))
        if changes:
            shown = repo.profiles.update(profile_id, validate(ProfileUpdate, changes))
        else:
            shown = repo.profiles.get(profile_id)
    if as_json:
        print_json(shown.model_dump(mode="json"))
        return
    console = out()
    console.print(f"Profile {shown.id}: {shown.name}", markup=False)
    console.print(
        f"  Age: {shown.age_at(_now()) if shown.age is not None else 'not given'}", markup=False
    )
    console.print(f"  Sex: {shown.sex or 'not given'}", markup=False)
    console.print(f"  Conditions: {', '.join(shown.conditions) or 'none'}", markup=False)
    console.print(f"  Medicines: {', '.join(shown.medicines) or 'none'}", markup=False)


# --- reading --------------------------------------------------------------------------------------


def history(
    limit: Annotated[
        int, typer.Option("--limit", "-l", help="How many episodes, newest first.")
    ] = 20,
    offset: Annotated[int, typer.Option("--offset", help="Skip this many first.")] = 0,
    profile: ProfileOption = None,
    as_json: JsonOption = False,
) -> None:
    """List recent episodes with what was tried and how much it helped."""
    from rich.table import Table

    from spasmcare.cli._output import out, print_json

    with _diary() as repo:
        profile_id = choose_profile(repo, profile, create=True)
        page = repo.episodes.list(profile_id, limit=limit, offset=offset)
        tried = {
            e.id: repo.treatments.list(profile_id, episode_id=e.id, limit=100).items
            for e in page.items
        }
    if as_json:
        print_json(
            {
                "total": page.total,
                "limit": page.limit,
                "offset": page.offset,
                "episodes": [
                    {
                        **e.model_dump(mode="json"),
                        "treatments": [t.model_dump(mode="json") for t in tried[e.id]],
                    }
                    for e in page.items
                ],
            }
        )
        return
    console = out()
    if not page.items:
        console.print("No episodes yet. Log one with `spasmcare log`.")
        return
    table = Table(
        "#", "started", "ended", "pain", "where", "triggers", "tried (relief)", title="Diary"
    )
    for e in page.items:
        treatments = ", ".join(
            t.label + (f" ({t.relief})" if t.relief is not None else "")
            for t in reversed(tried[e.id])
        )
        table.add_row(
            str(e.id),
            _local(e.started_at),
            _local(e.ended_at),
            str(e.worst_pain),
            ", ".join(e.regions),
            ", ".join(e.triggers),
            treatments,
        )
    console.print(table)
    shown = page.offset + len(page.items)
    if shown < page.total:
        console.print(
            f"Showing {page.offset + 1}-{shown} of {page.total}. Use --offset {shown} for more."
        )


def _percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def pain_line(pain: Any, words: str) -> str:
    """The pain trend in words that name the period the ratings cover and agree with them, such
    as: Pain from 2026-05-01 to 2026-05-20 (6 ratings ...): getting better, from about 7 to 3."""
    if pain.direction == "not_enough_data":
        return (
            f"Pain in the last {pain.window_days} days: {words} ({pain.ratings} of the 3 needed)."
        )
    return (
        f"Pain from {pain.first_day} to {pain.last_day} ({pain.ratings} ratings in the last "
        f"{pain.window_days} days): {words}, from about {pain.first_mean:g} to {pain.last_mean:g}."
    )


def stats(
    weeks: Annotated[int, typer.Option("--weeks", help="Weeks in the weekly counts.")] = 12,
    profile: ProfileOption = None,
    as_json: JsonOption = False,
) -> None:
    """How things are going: episodes per week, recovery time, pain trend, recurrence, what helps."""
    from spasmcare.cli._output import out, print_json
    from spasmcare.diary.analytics import stats as compute

    with _diary() as repo:
        snapshot = repo.snapshot(choose_profile(repo, profile, create=True))
    result = compute(snapshot, _now(), zone=_zone(), weeks=weeks)
    if as_json:
        print_json(result.model_dump(mode="json"))
        return
    console = out()
    console.print(f"[bold]Episodes:[/] {result.episodes} in all", markup=True)
    console.print(
        "  Per week (oldest first): " + " ".join(str(p.count) for p in result.per_week),
        markup=False,
    )
    res = result.resolution
    if res.median_days is not None:
        console.print(
            f"[bold]Time to get better:[/] median {res.median_days:g} days "
            f"(shortest {res.shortest_days:g}, longest {res.longest_days:g}); {res.ongoing} still open",
            markup=True,
        )
    pain = result.pain
    words = {
        "improving": "getting better",
        "stable": "about the same",
        "worsening": "getting worse",
        "not_enough_data": "not enough ratings yet",
    }
    console.print(pain_line(pain, words[pain.direction]), markup=False)
    rec = result.recurrence
    console.print(
        f"[bold]Keeps coming back:[/] {'yes' if rec.fires else 'no'} ({rec.reason}). Rule: {rec.rule}.",
        markup=True,
    )
    stuck = result.not_improving
    if stuck.fires:
        console.print(
            f"[bold yellow]Not getting better after 4 weeks:[/] {stuck.reason}.", markup=True
        )
    if rec.fires or stuck.fires:
        console.print("  It is worth seeing a doctor about this. Run `spasmcare triage` to check.")
    if result.triggers:
        top = ", ".join(f"{t.tag} ({_percent(t.share)})" for t in result.triggers[:5])
        console.print(f"[bold]Top triggers:[/] {top}", markup=True)
    helped = [t for t in result.treatments_by_relief if t.median_relief is not None][:5]
    if helped:
        text = ", ".join(f"{t.treatment} ({t.median_relief:g}/10)" for t in helped)
        console.print(f"[bold]Helped most (median relief):[/] {text}", markup=True)
    if not result.scale_changes:
        return
    from rich.text import Text

    from spasmcare.scales import catalogue  # only for the scales' names

    verdicts = {"improved": "better", "worse": "worse", "no_meaningful_change": "no real change"}
    for change in result.scale_changes:
        known = catalogue().scales.get(change.scale)
        console.print(
            Text.assemble(
                (f"{known.short_name if known else change.scale}: ", "bold"),
                f"{change.first:g} on {change.first_at:%Y-%m-%d} to {change.latest:g} on "
                f"{change.latest_at:%Y-%m-%d}: {verdicts.get(change.verdict, change.verdict)} "
                f"(a real change is {change.threshold:g} points or more)",
            )
        )


def chart(
    kind: Annotated[
        str, typer.Argument(help="pain, episodes, relief or function (PEG and activities scores).")
    ],
    out_file: Annotated[
        Path, typer.Option("--out", "-o", help="Where to write the image (.svg or .png).")
    ],
    fmt: Annotated[
        str | None, typer.Option("--format", help="svg or png (default: from --out).")
    ] = None,
    profile: ProfileOption = None,
) -> None:
    """Draw a chart of the diary as an SVG or PNG file."""
    from spasmcare.cli._output import out
    from spasmcare.diary.charts import render_chart

    chosen = (fmt or out_file.suffix.lstrip(".") or "svg").lower()
    with _diary() as repo:
        snapshot = repo.snapshot(choose_profile(repo, profile, create=True))
    data = render_chart(kind, snapshot, _now(), fmt=chosen, zone=_zone())
    out_file.write_bytes(data)
    out().print(f"Wrote {out_file} ({len(data) // 1024 + 1} KB).", markup=False)


# --- moving data ----------------------------------------------------------------------------------


@contextmanager
def _progress(label: str, enabled: bool) -> Iterator[Callable[[str, int, int], None]]:
    """A Rich progress bar on standard error (only on a terminal); yields ``update(stage, done, total)``."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from spasmcare.cli._output import err

    console = err()
    if not enabled or not console.is_terminal:
        yield lambda stage, done, total: None
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as bar:
        tasks: dict[str, Any] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(f"{label}: {stage}", total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update


def export(
    fmt: Annotated[
        str,
        typer.Option(
            "--format", "-f", help="json (a full backup), csv (a ZIP of CSVs) or fhir (FHIR R4)."
        ),
    ] = "json",
    out_file: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="The file to write (JSON: default standard output)."),
    ] = None,
    profile: ProfileOption = None,
) -> None:
    """Export the diary: JSON for backup and moving (import reads it), CSV for spreadsheets."""
    import json

    from spasmcare.cli._output import err
    from spasmcare.diary.transfer import export_csv_zip, export_json
    from spasmcare.errors import InputError, Problem

    if fmt not in ("json", "csv", "fhir"):
        raise InputError(
            "unknown export format", [Problem("--format", repr(fmt), "json, csv, fhir")]
        )
    if fmt == "csv" and out_file is None:
        raise InputError(
            "CSV export needs a file", [Problem("--out", "is required", "a .zip file name")]
        )
    with _diary() as repo, _progress("Export", out_file is not None) as update:
        profile_id = choose_profile(repo, profile, create=True)
        if fmt == "csv":
            assert out_file is not None
            export_csv_zip(repo, profile_id, out_file, _now(), lambda d, t: update("reading", d, t))
        else:
            if fmt == "fhir":
                from spasmcare.cli.report import fhir_export

                data = fhir_export(repo, profile_id, _now(), lambda d, t: update("reading", d, t))
            else:
                data = export_json(repo, profile_id, _now(), lambda d, t: update("reading", d, t))
            text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
            if out_file is None:
                sys.stdout.write(text)
            else:
                out_file.write_text(text, encoding="utf-8")
    if out_file is not None:
        out_file.chmod(0o600)
        err().print(f"Wrote {out_file} (readable by you only).", markup=False)


def import_command(
    file: Annotated[Path, typer.Argument(help="A JSON file made by `spasmcare export`.")],
    into: Annotated[
        int | None, typer.Option("--into-profile", help="Add to this profile instead of a new one.")
    ] = None,
    fmt: Annotated[
        str,
        typer.Option("--format", "-f", help="json (spasmcare export) or fhir (FHIR R4 bundle)."),
    ] = "json",
) -> None:
    """Import a diary export; the whole file is checked first, then written all at once or not at all."""
    from spasmcare.cli._output import out
    from spasmcare.diary.transfer import import_file
    from spasmcare.errors import InputError, Problem

    if fmt not in ("json", "fhir"):
        raise InputError("unknown import format", [Problem("--format", repr(fmt), "json, fhir")])
    with _diary() as repo, _progress("Import", True) as update:
        if fmt == "fhir":
            from spasmcare.cli.report import fhir_import

            summary = fhir_import(repo, file, into, lambda d, t: update("writing", d, t))
        else:
            summary = import_file(repo, file, into_profile=into, progress=update)
    counts = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in summary.counts.items())
    where = "a new profile" if summary.created_profile else "profile"
    out().print(f"Imported into {where} {summary.profile_id}: {counts}.", markup=False)


# --- database -------------------------------------------------------------------------------------

db_app = typer.Typer(
    help="The diary database: set it up, upgrade it, see where it is.", no_args_is_help=True
)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or upgrade the diary tables (back up the database first)."""
    from spasmcare.cli._output import out
    from spasmcare.diary.db import default_url, display_url, upgrade

    url = default_url()
    revision = upgrade(url)
    out().print(f"The diary at {display_url(url)} is at schema {revision}.", markup=False)


@db_app.command("status")
def db_status() -> None:
    """Where the diary is and whether its schema is up to date."""
    from spasmcare.cli._output import out
    from spasmcare.diary.db import (
        create_engine_for,
        current_revision,
        default_url,
        display_url,
        head_revision,
        schema_state,
    )

    url = default_url()
    engine = create_engine_for(url)
    try:
        state, current = schema_state(engine), current_revision(engine)
    finally:
        engine.dispose()
    console = out()
    console.print(f"Database: {display_url(url)}", markup=False)
    console.print(f"Schema: {current or 'none'} (newest: {head_revision()}; {state})", markup=False)


def register(app: typer.Typer) -> None:
    app.command()(log)
    app.command()(end)
    app.command()(dose)
    app.command("profile")(profile_command)
    app.command()(history)
    app.command()(stats)
    app.command()(chart)
    app.command()(export)
    app.command("import")(import_command)
    app.add_typer(db_app, name="db")


__all__ = ["register"]
