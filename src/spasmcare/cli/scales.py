"""``spasmcare scales``: list, score, compare, import a licensed questionnaire, and take a scale."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from spasmcare.scales import Change, Form, FormItem, ScaleResult
    from spasmcare.scales.definitions import AnswerValue

scales_app = typer.Typer(
    name="scales",
    help="Clinical scales: pain, spasm and disability scores, and whether a change matters.",
    no_args_is_help=True,
)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print as JSON.")]


def _data_dir() -> Path:
    from spasmcare.config import get_settings

    return get_settings().resolved_data_dir()


@scales_app.command("list")
def list_command(as_json: JsonFlag = False) -> None:
    """List the scales, their licence and whether their wording is built in or imported."""
    from rich.table import Table

    from spasmcare.cli._output import out, print_json
    from spasmcare.scales import list_scales

    scales = list_scales()
    if as_json:
        print_json([s.info().model_dump(mode="json") for s in scales])
        return
    table = Table("id", "scale", "rated by", "wording", "licence", title="Scales")
    for s in scales:
        d = s.definition
        wording = "built in" if d.wording == "product" else "import a licensed copy"
        table.add_row(d.id, d.name, d.rater, wording, d.licence.status)
    console = out()
    console.print(table)
    console.print("Scores cite their source; see `spasmcare scales score --help`.", style="dim")


def render_result(console: Console, result: ScaleResult) -> None:
    """Print a scale result for a person: the score first, then what it means and its source."""
    if not result.valid:
        console.print(f"[bold yellow]{result.name}: not scored[/]", markup=True)
        for problem in result.problems:
            console.print(f"  - {problem}", markup=False)
    else:
        if result.score is not None:
            unit = "%" if result.unit == "percent" else " points"
            head = f"{result.name}: {result.score:g}{unit}"
        else:
            head = f"{result.name}: grade {result.band}"
        console.print(f"[bold]{head}[/]", markup=True)
        if result.band_label and result.score is not None:
            console.print(f"  Band: {result.band_label}", markup=False)
        if result.risk:
            console.print(f"  Risk group: {result.risk}", markup=False)
        for name, number in result.subscores.items():
            console.print(f"  {name.replace('_', ' ')}: {number:g}", markup=False)
        for name, text in result.details.items():
            console.print(f"  {name.replace('_', ' ')}: {text}", markup=False)
    console.print(f"  Answered: {result.answered} of {result.items}", markup=False)
    for note in result.notes:
        console.print(f"  Note: {note}", markup=False)
    console.print(
        f"[dim]Source: {result.citation} Scales data {result.scales_version}.[/]", markup=True
    )


@scales_app.command("score")
def score_command(
    scale_id: Annotated[str, typer.Argument(metavar="ID", help="Scale id, e.g. odi.")],
    input: Annotated[
        str,
        typer.Option("--input", "-i", help="A JSON object of answers, or - for standard input."),
    ],
    as_json: JsonFlag = False,
) -> None:
    """Score answers from a JSON file, e.g. {"s1": 2, "s2": 3, ...} for the ODI."""
    from spasmcare.cli._output import out, print_json, read_json
    from spasmcare.scales import score

    result = score(scale_id, read_json(input))
    if as_json:
        print_json(result.model_dump(mode="json"))
    else:
        render_result(out(), result)


def _render_change(console: Console, change: Change) -> None:
    words = {
        "improved": "[bold green]Improved[/]",
        "worse": "[bold red]Worse[/]",
        "no_meaningful_change": "[bold]No meaningful change[/]",
    }
    console.print(
        f"{words[change.verdict]}: {change.before:g} -> {change.after:g} "
        f"(change {change.delta:+g}; meaningful at {change.threshold:g})",
        markup=True,
    )
    console.print(f"  Rule: {change.rule}", markup=False)
    console.print(f"[dim]Source: {change.citation}[/]", markup=True)


@scales_app.command("compare")
def compare_command(
    scale_id: Annotated[str, typer.Argument(metavar="ID", help="Scale id, e.g. rmdq.")],
    before: Annotated[str, typer.Option(help="JSON answers from before.")],
    after: Annotated[str, typer.Option(help="JSON answers from after.")],
    as_json: JsonFlag = False,
) -> None:
    """Say whether the change between two sets of answers is clinically meaningful."""
    from spasmcare.cli._output import out, print_json, read_json
    from spasmcare.scales import compare, score

    first = score(scale_id, read_json(before))
    second = score(scale_id, read_json(after))
    change = compare(scale_id, first, second)
    if as_json:
        print_json(change.model_dump(mode="json"))
    else:
        _render_change(out(), change)


def _parse_map(pairs: list[str]) -> dict[str, str]:
    from spasmcare.errors import InputError, Problem

    mapping: dict[str, str] = {}
    problems = []
    for pair in pairs:
        link, sep, item = pair.rpartition("=")
        if not sep or not link or not item:
            problems.append(
                Problem("--map", f"{pair!r} is not LINKID=ITEM", "e.g. --map /1234-5=s1")
            )
        else:
            mapping[link] = item
    if problems:
        raise InputError("invalid --map option", problems)
    return mapping


@scales_app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="A FHIR R4 Questionnaire (JSON) you may use.")],
    scale: Annotated[
        str | None,
        typer.Option("--scale", help="The scale it is for (found from its code if unset)."),
    ] = None,
    map_: Annotated[
        list[str] | None,
        typer.Option("--map", help="Map an item: LINKID=ITEM (repeatable), e.g. /1234-5=s1."),
    ] = None,
    replace: Annotated[
        bool, typer.Option(help="Replace a questionnaire already imported.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Import the wording of a scale from a licensed FHIR Questionnaire; then `scales take`."""
    from datetime import UTC, datetime

    from spasmcare.cli._output import out, print_json
    from spasmcare.questionnaires import import_questionnaire

    stored, path = import_questionnaire(
        _data_dir(),
        file,
        now=datetime.now(UTC),
        scale_id=scale,
        link_map=_parse_map(map_ or []),
        replace=replace,
    )
    if as_json:
        print_json(
            {
                "scale": stored.scale,
                "stored": str(path),
                "items": [{"id": i.id, "link_id": i.link_id} for i in stored.items],
                "ignored": list(stored.ignored),
            }
        )
        return
    console = out()
    console.print(
        f"Imported {len(stored.items)} items for {stored.scale} into {path}.", markup=False
    )
    if stored.ignored:
        console.print("Items not used: " + "; ".join(stored.ignored), markup=False)
    console.print(f"Take it with: spasmcare scales take {stored.scale}", markup=False)


def _ask(console: Console, item: FormItem, optional: bool) -> AnswerValue | None:
    """Ask one item until the answer is allowed."""
    from rich.prompt import Prompt

    console.print()
    console.print(item.text, markup=False, style="bold")
    if item.kind == "text":
        while True:
            raw = Prompt.ask("Your answer", console=console).strip()
            if raw and (item.max_length is None or len(raw) <= item.max_length):
                return raw
            console.print(f"[red]Please type up to {item.max_length} characters.[/]", markup=True)
    for answer in item.answers:
        console.print(f"  {answer.key}. {answer.text}", markup=False)
    keys = ", ".join(a.key for a in item.answers)
    hint = f"Type one of {keys}" + (", or press Enter to skip" if optional else "")
    while True:
        if optional:
            raw = Prompt.ask(hint, console=console, default="", show_default=False)
            if not raw.strip():
                return None
        else:
            raw = Prompt.ask(hint, console=console)
        found = item.answer_for(raw)
        if found is not None:
            return found.value
        console.print(f"[red]Please type one of {keys}.[/]", markup=True)


def _form_for(scale_id: str) -> Form:
    from spasmcare.errors import NotFoundError, Problem
    from spasmcare.questionnaires import load_questionnaire
    from spasmcare.scales import builtin_form, get_scale, to_form

    definition = get_scale(scale_id).definition
    if definition.wording == "product":
        return builtin_form(scale_id)
    stored = load_questionnaire(_data_dir(), scale_id)
    if stored is None:
        raise NotFoundError(
            f"no {definition.short_name} questionnaire has been imported yet",
            [
                Problem(
                    "",
                    "spasmcare does not ship this wording because it is under copyright. "
                    f"Licence: {definition.licence.text}",
                ),
                Problem(
                    "",
                    "Get a FHIR R4 Questionnaire for it that you may use (for example from LOINC "
                    "or the copyright holder), then run: "
                    f"spasmcare scales import FILE --scale {scale_id}",
                ),
            ],
        )
    return to_form(stored)


def run_take(
    console: Console,
    form: Form,
    optional: bool,
    ask: Callable[[FormItem], AnswerValue | None] | None = None,
) -> dict[str, AnswerValue | None]:
    """Ask every item of ``form`` in the terminal (or with ``ask``) and return the answers."""
    from spasmcare.scales import run_form

    console.print(f"[bold]{form.title}[/]", markup=True)
    console.print(form.intro, markup=False)
    console.print(f"[dim]Wording: {form.source}.[/]", markup=True)
    return run_form(form, ask or (lambda item: _ask(console, item, optional)))


@scales_app.command("take")
def take_command(
    scale_id: Annotated[str, typer.Argument(metavar="ID", help="Scale id, e.g. nrs.")],
    as_json: JsonFlag = False,
) -> None:
    """Answer a scale in the terminal and see the score (imported scales need `scales import`)."""
    from spasmcare.cli._output import err, out, print_json
    from spasmcare.scales import get_scale, score

    form = _form_for(scale_id)
    definition = get_scale(scale_id).definition
    optional = (definition.min_answered or len(definition.items)) < len(definition.items)
    console = err() if as_json else out()
    answers = run_take(console, form, optional)
    result = score(scale_id, answers)
    if as_json:
        print_json(result.model_dump(mode="json"))
    else:
        console.print()
        render_result(console, result)


def register(app: typer.Typer) -> None:
    app.add_typer(scales_app, name="scales")
