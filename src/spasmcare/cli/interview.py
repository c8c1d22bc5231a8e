"""The triage interview in the terminal: asking the questions, reading what the person types, and
printing plain text and the result (shared by ``spasmcare triage``, ``plan`` and ``--describe``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from spasmcare.errors import RefusedAnswer

if TYPE_CHECKING:
    from rich.console import Console

    from spasmcare.knowledge import KnowledgeBase
    from spasmcare.triage import Interview, Question, Reason, TriageResult

STYLE = {
    "emergency": "bold white on red",
    "urgent": "bold black on yellow",
    "soon": "bold black on cyan",
    "self_care": "bold black on green",
}


def say(
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


def bullets(console: Console, items: list[str]) -> None:
    """A list with a hanging indent: a long item wraps under its own text, not under the dash."""
    for item in items:
        say(console, item, indent=4, first="  - ")


def render_result(console: Console, result: TriageResult) -> None:
    """Print a triage result for a person: the decision first, then reasons and sources, then what
    the person was not sure about (with what to do) and the questions that remain."""
    from rich.panel import Panel
    from rich.text import Text

    from spasmcare.knowledge import load_knowledge

    kb = load_knowledge(result.knowledge_version)
    unsure_rules = {r.id for r in kb.rules if r.is_unsure_rule}
    style = STYLE[result.disposition.value]
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
        say(
            console,
            "You did not say yes to any warning sign."
            if result.unsure
            else "No warning sign was reported.",
        )
    if result.unsure or unsure_reasons:
        console.print()
        if result.unsure:
            say(console, "You were not sure about:", "bold")
            bullets(console, [_plain_unsure(kb, name) for name in result.unsure])
        for reason in unsure_reasons:
            if result.unsure:
                console.print()
            _render_reason(console, reason)
        if not unsure_reasons and result.disposition.value != "emergency":
            say(
                console,
                "If you find out that the answer to one of these is yes, run spasmcare triage again.",
            )
    if result.unanswered and result.disposition.value != "emergency":
        console.print()
        say(
            console,
            "This self-care result is not complete. Questions not answered yet:"
            if result.disposition.value == "self_care"
            else "Questions not answered yet:",
            "bold yellow",
        )
        bullets(console, _unanswered_labels(result))
    console.print()
    say(console, f"Advice version {result.knowledge_version}. {result.notice}", "dim")


def _render_reason(console: Console, reason: Reason) -> None:
    from rich.text import Text

    console.print(Text(reason.title, style="bold"))
    say(console, f"What to do: {reason.advice}", indent=3)
    say(console, f"Why: {reason.rationale}", indent=3)
    for source in reason.sources:
        say(console, f"Source: {source.citation}", "dim", indent=3)


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
        raise RefusedAnswer(f"Please answer: type {hint}. {NOT_A_NO}")
    raise RefusedAnswer(f"Please type {hint}.")


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
        raise RefusedAnswer(f"Please answer: {how}. {NOT_A_NO}")
    if text in _NONE:
        return {}
    if unsure and text in _NOT_SURE:
        return ASK_WHICH
    marks: dict[int, bool | str] = {}
    for token in text.replace(",", " ").replace(";", " ").split():
        value: bool | str = True
        if token.startswith("?") or token.endswith("?"):
            if not unsure:
                raise RefusedAnswer(f'This question has no "not sure": {how}.')
            value = UNSURE
            token = token.strip("?")
        if token == "0" or token in _NONE:
            raise RefusedAnswer("0 means none of these: type it on its own, or leave it out.")
        if not token.isdigit() or not 1 <= int(token) <= count:
            raise RefusedAnswer(f"Please use the numbers shown (1 to {count}): {how}.")
        number = int(token)
        if marks.get(number, value) != value:
            raise RefusedAnswer(f"You typed {number} both with and without ?: please choose one.")
        marks[number] = value
    return marks


def _numbers(raw: str, count: int, *, allow_all: bool, allow_none: bool) -> list[int]:
    text = _words(raw)
    if not text:
        raise RefusedAnswer(
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
            raise RefusedAnswer(f"Please use the numbers shown (1 to {count}).")
        picked.append(int(token))
    return sorted(set(picked))


def prompt_line(console: Console, text: str) -> str:
    from rich.prompt import Prompt
    from rich.text import Text

    return Prompt.ask(Text(text, style="bold"), console=console)


def ask(console: Console, q: Question) -> Any:
    """Ask one interview question in the terminal until the answer is valid."""
    from spasmcare.triage.evaluator import UNSURE

    console.print()
    if q.self_check:
        _show_self_check(console, q.self_check)
    say(console, q.text, "bold")
    if q.help:
        say(console, q.help, "dim")
    if q.kind == "yesno":
        return _ask_yesno(console, q)
    if q.kind == "number":
        return _ask_number(console, q)
    if q.kind == "names":
        return ask_names(console)
    digits = len(str(len(q.options)))
    for i, option in enumerate(q.options, 1):
        number = f"  {i:>{digits}}. "  # right-aligned, so that the labels line up
        say(console, option.label, indent=len(number), first=number)
    if q.kind == "checklist":
        return _ask_checklist(console, q)
    prompt = (
        "Type the number of your answer"
        if q.kind == "choice"
        else ("Type the numbers that apply, e.g. 1 3")
    )
    while True:
        raw = prompt_line(console, prompt)
        if not raw.strip():
            say(console, f"Please answer: {prompt[0].lower()}{prompt[1:]}.", "red")
            continue
        unsure = [o.value for o in q.options if o.value == UNSURE]
        if q.kind == "choice" and unsure and _words(raw) in _NOT_SURE:
            return UNSURE
        try:
            picked = _numbers(raw, len(q.options), allow_all=False, allow_none=False)
        except RefusedAnswer as refused:
            say(console, str(refused), "red")
            continue
        values = [q.options[i - 1].value for i in picked]
        if q.kind == "choice" and len(values) != 1:
            say(console, "Please choose one: type its number.", "red")
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
            return parse_yesno(prompt_line(console, prompt), unsure=q.unsure)
        except RefusedAnswer as refused:
            say(console, str(refused), "red")


def _ask_number(console: Console, q: Question) -> float:
    assert q.minimum is not None and q.maximum is not None
    while True:
        raw = prompt_line(console, f"Type a number from {q.minimum:g} to {q.maximum:g}").strip()
        try:
            value: float = int(raw) if q.integer else float(raw.replace(",", "."))
        except ValueError:
            if not raw:
                say(console, f"Please type a number. {NOT_A_NO}", "red")
            else:
                say(console, "Please type a number.", "red")
            continue
        if q.minimum <= value <= q.maximum:
            return value
        say(console, "That number is out of range.", "red")


def ask_names(console: Console) -> list[str]:
    say(
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
    say(console, "Type the numbers of the ones you have, e.g. 1 3, or 0 if you have none.", "dim")
    if q.unsure:
        say(console, "Not sure about one? Put ? before its number, e.g. ?2 (or type ?).", "dim")
    while True:
        try:
            marks = parse_checklist(prompt_line(console, "Your answer"), count, unsure=q.unsure)
            if isinstance(marks, _AskWhich):
                marks = _ask_which(console, count)
        except RefusedAnswer as refused:
            say(console, str(refused), "red")
            continue
        return {o.value: marks.get(i, False) for i, o in enumerate(q.options, 1)}


def _ask_which(console: Console, count: int) -> dict[int, bool | str]:
    """After "not sure" on its own: which items, then whether the person has any of the rest."""
    from spasmcare.triage.evaluator import UNSURE

    while True:
        try:
            raw = prompt_line(console, "Which are you not sure about? Type their numbers, or all")
            unsure = _numbers(raw, count, allow_all=True, allow_none=False)
            break
        except RefusedAnswer as refused:
            say(console, str(refused), "red")
    marks: dict[int, bool | str] = dict.fromkeys(unsure, UNSURE)
    rest = [i for i in range(1, count + 1) if i not in marks]
    while rest:
        try:
            raw = prompt_line(
                console, "Do you have any of the others? Type their numbers, or 0 for none"
            )
            have = _numbers(raw, count, allow_all=False, allow_none=True)
        except RefusedAnswer as refused:
            say(console, str(refused), "red")
            continue
        if any(i in marks for i in have):
            say(console, "Those are the ones you are not sure about: type the others.", "red")
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
            interview.answer(question.id, ask(console, question))
        except IntakeError as exc:  # should not happen: the terminal checks answers first
            say(console, f"That answer was not accepted: {exc.summary}", "red")
            for problem in exc.problems:
                say(console, f"  - {problem}", "red")
    console.print()
    return interview.result()
