"""``spasmcare triage`` (interview or JSON intake) and ``spasmcare rules``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from spasmcare.knowledge import KnowledgeBase
    from spasmcare.triage import Interview, Question, Reason, TriageResult

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


def _say(
    console: Console, text: str, style: str = "", *, indent: int = 0, first: str | None = None
) -> None:
    """Print plain text, never parsed as Rich markup (brackets show as typed). With ``indent``,
    wrapped lines keep the indent (and the first line starts with ``first``, e.g. a dash)."""
    from rich.text import Text

    if not indent and first is None:
        console.print(Text(text, style=style))
        return
    import textwrap

    lines = textwrap.wrap(
        text,
        width=max(console.width, indent + 20),
        initial_indent=" " * indent if first is None else first,
        subsequent_indent=" " * indent,
        break_long_words=False,
        break_on_hyphens=False,
    )
    for line in lines:
        console.print(Text(line, style=style))


def _bullets(console: Console, items: list[str]) -> None:
    """A list with a hanging indent: a long item wraps under its own text, not under the dash."""
    for item in items:
        _say(console, item, indent=4, first="  - ")


def render_result(console: Console, result: TriageResult) -> None:
    """Print a triage result for a person: the decision first, then reasons and sources, then what
    the person was not sure about (with what to do) and the questions that remain."""
    from rich.panel import Panel
    from rich.text import Text

    from spasmcare.knowledge import load_knowledge

    kb = load_knowledge(result.knowledge_version)
    unsure_rules = {r.id for r in kb.rules if r.is_unsure_rule}
    style = _STYLE[result.disposition.value]
    head = Text(f"{result.label.upper()}\n", style=style)
    head.append(result.instruction, style="bold")
    console.print(
        Panel(head, border_style="red" if result.disposition.value == "emergency" else "white")
    )
    signs = [r for r in result.reasons if r.rule not in unsure_rules]
    unsure_reasons = [r for r in result.reasons if r.rule in unsure_rules]
    for reason in signs:
        _render_reason(console, reason)
    if not signs:
        _say(
            console,
            "You did not say yes to any warning sign."
            if result.unsure
            else "No warning sign was reported.",
        )
    if result.unsure or unsure_reasons:
        console.print()
        if result.unsure:
            _say(console, "You were not sure about:", "bold")
            _bullets(console, [_plain_unsure(kb, name) for name in result.unsure])
        for reason in unsure_reasons:
            if result.unsure:
                console.print()
            _render_reason(console, reason)
        if not unsure_reasons and result.disposition.value != "emergency":
            _say(
                console,
                "If you find out that the answer to one of these is yes, run spasmcare triage again.",
            )
    if result.unanswered and result.disposition.value != "emergency":
        console.print()
        _say(
            console,
            "This self-care result is not complete. Questions not answered yet:"
            if result.disposition.value == "self_care"
            else "Questions not answered yet:",
            "bold yellow",
        )
        _bullets(console, _unanswered_labels(result))
    console.print()
    _say(console, f"Advice version {result.knowledge_version}. {result.notice}", "dim")


def _render_reason(console: Console, reason: Reason) -> None:
    from rich.text import Text

    console.print(Text(reason.title, style="bold"))
    _say(console, f"What to do: {reason.advice}", indent=3)
    _say(console, f"Why: {reason.rationale}", indent=3)
    for source in reason.sources:
        _say(console, f"Source: {source.citation}", "dim", indent=3)


def _plain_unsure(kb: KnowledgeBase, name: str) -> str:
    from spasmcare.triage.engine import unsure_label

    label = unsure_label(kb, name)
    return label[:1].upper() + label[1:]


def _unanswered_labels(result: TriageResult) -> list[str]:
    """The questions that remain, in plain words (a finding's label, or what a field asks)."""
    from spasmcare.knowledge import load_knowledge
    from spasmcare.triage.engine import unanswered_label

    kb = load_knowledge(result.knowledge_version)
    return [unanswered_label(kb, u) for u in result.unanswered]


# -- the interview in the terminal --------------------------------------------------------------
_YES = frozenset({"y", "yes"})
_NO = frozenset({"n", "no"})
_NOT_SURE = frozenset(
    {"?", "??", "not sure", "notsure", "unsure", "dont know", "don't know", "do not know", "idk"}
)
_NONE = frozenset({"0", "none", "none of these", "no", "n", "nothing"})
NOT_A_NO = "An empty answer is not taken as no."


class _Refused(ValueError):
    """An answer the terminal interview does not accept; the message says what to type."""


class _AskWhich:
    """The checklist answer "not sure" on its own: ask which items, then which of the rest."""


ASK_WHICH = _AskWhich()


def _words(raw: str) -> str:
    return " ".join(raw.strip().lower().replace("\u2019", "'").split())


def parse_yesno(raw: str, *, unsure: bool) -> bool | str:
    """y / n (or ? / "not sure" when offered) -> True, False or "unsure"; anything else is refused."""
    from spasmcare.triage.evaluator import UNSURE

    text = _words(raw).rstrip(".!")
    if text in _YES:
        return True
    if text in _NO:
        return False
    if unsure and text in _NOT_SURE:
        return UNSURE
    hint = "y for yes, n for no, or ? if you are not sure" if unsure else "y for yes or n for no"
    if not text:
        raise _Refused(f"Please answer: type {hint}. {NOT_A_NO}")
    raise _Refused(f"Please type {hint}.")


def parse_checklist(raw: str, count: int, *, unsure: bool) -> dict[int, bool | str] | _AskWhich:
    """A checklist answer typed in the terminal -> {item number: True or "unsure"} (items left out
    are no; an empty dict is "none of these"), or ``ASK_WHICH`` for "not sure" on its own.

    Accepted: numbers (``1 3`` or ``1,3``), ``0`` or ``none``, and ``?3`` (or ``3?``) for an item
    the person is not sure about. A blank is refused: it is never "none".
    """
    from spasmcare.triage.evaluator import UNSURE

    text = _words(raw)
    how = (
        "type the numbers you have, 0 for none of these, or ? before a number you are not sure "
        "about (e.g. ?2)"
        if unsure
        else "type the numbers you have, or 0 for none of these"
    )
    if not text:
        raise _Refused(f"Please answer: {how}. {NOT_A_NO}")
    if text in _NONE:
        return {}
    if unsure and text in _NOT_SURE:
        return ASK_WHICH
    marks: dict[int, bool | str] = {}
    for token in text.replace(",", " ").replace(";", " ").split():
        value: bool | str = True
        if token.startswith("?") or token.endswith("?"):
            if not unsure:
                raise _Refused(f'This question has no "not sure": {how}.')
            value = UNSURE
            token = token.strip("?")
        if token == "0" or token in _NONE:
            raise _Refused("0 means none of these: type it on its own, or leave it out.")
        if not token.isdigit() or not 1 <= int(token) <= count:
            raise _Refused(f"Please use the numbers shown (1 to {count}): {how}.")
        number = int(token)
        if marks.get(number, value) != value:
            raise _Refused(f"You typed {number} both with and without ?: please choose one.")
        marks[number] = value
    return marks


def _numbers(raw: str, count: int, *, allow_all: bool, allow_none: bool) -> list[int]:
    text = _words(raw)
    if not text:
        raise _Refused(
            "Please type numbers"
            + (", all" if allow_all else "")
            + (", or 0 for none" if allow_none else "")
            + f". {NOT_A_NO}"
        )
    if allow_all and text == "all":
        return list(range(1, count + 1))
    if allow_none and text in _NONE:
        return []
    picked = []
    for token in text.replace(",", " ").split():
        if not token.isdigit() or not 1 <= int(token) <= count:
            raise _Refused(f"Please use the numbers shown (1 to {count}).")
        picked.append(int(token))
    return sorted(set(picked))


def _prompt(console: Console, text: str) -> str:
    from rich.prompt import Prompt
    from rich.text import Text

    return Prompt.ask(Text(text, style="bold"), console=console)


def _ask(console: Console, q: Question) -> Any:
    """Ask one interview question in the terminal until the answer is valid."""
    from spasmcare.triage.evaluator import UNSURE

    console.print()
    if q.self_check:
        _show_self_check(console, q.self_check)
    _say(console, q.text, "bold")
    if q.help:
        _say(console, q.help, "dim")
    if q.kind == "yesno":
        return _ask_yesno(console, q)
    if q.kind == "number":
        return _ask_number(console, q)
    if q.kind == "names":
        return _ask_names(console)
    digits = len(str(len(q.options)))
    for i, option in enumerate(q.options, 1):
        number = f"  {i:>{digits}}. "  # right-aligned, so that the labels line up
        _say(console, option.label, indent=len(number), first=number)
    if q.kind == "checklist":
        return _ask_checklist(console, q)
    prompt = (
        "Type the number of your answer"
        if q.kind == "choice"
        else ("Type the numbers that apply, e.g. 1 3")
    )
    while True:
        raw = _prompt(console, prompt)
        if not raw.strip():
            _say(console, f"Please answer: {prompt[0].lower()}{prompt[1:]}.", "red")
            continue
        unsure = [o.value for o in q.options if o.value == UNSURE]
        if q.kind == "choice" and unsure and _words(raw) in _NOT_SURE:
            return UNSURE
        try:
            picked = _numbers(raw, len(q.options), allow_all=False, allow_none=False)
        except _Refused as refused:
            _say(console, str(refused), "red")
            continue
        values = [q.options[i - 1].value for i in picked]
        if q.kind == "choice" and len(values) != 1:
            _say(console, "Please choose one: type its number.", "red")
            continue
        return values[0] if q.kind == "choice" else values


def _show_self_check(console: Console, text: str) -> None:
    from rich.panel import Panel
    from rich.text import Text

    body = Text(text)
    body.append("\nThen answer the question again. ", style="bold")
    body.append("If you are still not sure, answer ?.")
    console.print(
        Panel(body, title="Check this yourself", title_align="left", border_style="yellow")
    )


def _ask_yesno(console: Console, q: Question) -> bool | str:
    prompt = "Yes, no or not sure? (y / n / ?)" if q.unsure else "Yes or no? (y / n)"
    while True:
        try:
            return parse_yesno(_prompt(console, prompt), unsure=q.unsure)
        except _Refused as refused:
            _say(console, str(refused), "red")


def _ask_number(console: Console, q: Question) -> float:
    assert q.minimum is not None and q.maximum is not None
    while True:
        raw = _prompt(console, f"Type a number from {q.minimum:g} to {q.maximum:g}").strip()
        try:
            value: float = int(raw) if q.integer else float(raw.replace(",", "."))
        except ValueError:
            if not raw:
                _say(console, f"Please type a number. {NOT_A_NO}", "red")
            else:
                _say(console, "Please type a number.", "red")
            continue
        if q.minimum <= value <= q.maximum:
            return value
        _say(console, "That number is out of range.", "red")


def _ask_names(console: Console) -> list[str]:
    _say(
        console,
        "Type the names from the pack, separated by commas, e.g. ibuprofen, warfarin. "
        "If you take none, press Enter (or type none).",
        "dim",
    )
    from rich.prompt import Prompt
    from rich.text import Text

    raw = Prompt.ask(
        Text("Medicines (press Enter for none)", style="bold"),
        console=console,
        default="",
        show_default=False,
    )
    if _words(raw) in _NONE:
        return []
    return [name.strip() for name in raw.replace(";", ",").split(",") if name.strip()]


def _ask_checklist(console: Console, q: Question) -> dict[str, bool | str]:
    """Ask a checklist: the numbers the person has, 0 for none, ?N for not sure."""
    count = len(q.options)
    _say(console, "Type the numbers of the ones you have, e.g. 1 3, or 0 if you have none.", "dim")
    if q.unsure:
        _say(console, "Not sure about one? Put ? before its number, e.g. ?2 (or type ?).", "dim")
    while True:
        try:
            marks = parse_checklist(_prompt(console, "Your answer"), count, unsure=q.unsure)
            if isinstance(marks, _AskWhich):
                marks = _ask_which(console, count)
        except _Refused as refused:
            _say(console, str(refused), "red")
            continue
        return {o.value: marks.get(i, False) for i, o in enumerate(q.options, 1)}


def _ask_which(console: Console, count: int) -> dict[int, bool | str]:
    """After "not sure" on its own: which items, then whether the person has any of the rest."""
    from spasmcare.triage.evaluator import UNSURE

    while True:
        try:
            raw = _prompt(console, "Which are you not sure about? Type their numbers, or all")
            unsure = _numbers(raw, count, allow_all=True, allow_none=False)
            break
        except _Refused as refused:
            _say(console, str(refused), "red")
    marks: dict[int, bool | str] = dict.fromkeys(unsure, UNSURE)
    rest = [i for i in range(1, count + 1) if i not in marks]
    while rest:
        try:
            raw = _prompt(
                console, "Do you have any of the others? Type their numbers, or 0 for none"
            )
            have = _numbers(raw, count, allow_all=False, allow_none=True)
        except _Refused as refused:
            _say(console, str(refused), "red")
            continue
        if any(i in marks for i in have):
            _say(console, "Those are the ones you are not sure about: type the others.", "red")
            continue
        marks.update(dict.fromkeys(have, True))
        break
    return marks


def run_interview(
    console: Console, kb: KnowledgeBase, emergency_call: str, interview: Interview | None = None
) -> TriageResult:
    from rich.text import Text

    from spasmcare.errors import IntakeError
    from spasmcare.triage import Interview

    interview = interview or Interview(kb, emergency_call=emergency_call)
    console.print(
        Text.assemble(
            ("spasmcare triage", "bold"),
            ": a few questions to decide where to get help. If you think your life is in danger, "
            f"stop and call {emergency_call} now. If you do not know an answer, say you are not "
            "sure: that is an answer too.",
        )
    )
    while (question := interview.next_question()) is not None:
        try:
            interview.answer(question.id, _ask(console, question))
        except IntakeError as exc:  # should not happen: the terminal checks answers first
            _say(console, f"That answer was not accepted: {exc.summary}", "red")
            for problem in exc.problems:
                _say(console, f"  - {problem}", "red")
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
    from spasmcare.triage import Interview, evaluate, parse_intake

    kb = _knowledge(knowledge_version)
    call = _emergency_call(emergency_number)
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
