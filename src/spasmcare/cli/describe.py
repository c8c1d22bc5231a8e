"""``spasmcare triage --describe "TEXT"`` (or ``--describe -`` for standard input): read a story,
show what was understood, let the person confirm or change each item, then start the interview from
the confirmed answers. Only this path imports the free-text pipeline (spasmcare.understand)."""

from __future__ import annotations

import sys
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

    from spasmcare.knowledge import KnowledgeBase
    from spasmcare.understand import TextSpan, Understanding

STDIN_LIMIT = 100_000
"""Characters read from standard input at most (the reader itself reads up to MAX_CHARACTERS)."""
_VALUE_WORDS = {True: "yes", False: "no", "unsure": "not sure"}
_FIELD_NAMES = {
    "age": "Age",
    "sex": "Sex",
    "pregnant": "Pregnant",
    "pregnancy_weeks": "Weeks pregnant",
    "regions": "Where",
    "onset": "How it started",
    "duration_days": "Days since it started",
    "pain": "Pain now (0-10)",
    "medicines": "Medicines",
}
_SET_ASIDE_WHY = {
    "family": "about someone else",
    "hypothetical": "a worry or an 'if'",
    "past": "in the past",
    "uncertain": "you were not sure you take it",
    "conflict": "said both ways, so the questions will ask",
}


def read_story(source: str) -> str:
    """The story: the option's text, or standard input for ``-``."""
    if source == "-":
        return sys.stdin.read(STDIN_LIMIT)
    return source


def _plain(value: Any) -> str:
    from spasmcare.knowledge.body import REGION_LABELS

    if isinstance(value, bool) or value == "unsure":
        return _VALUE_WORDS[value]
    if isinstance(value, list):
        if not value:
            return "none"
        return ", ".join(REGION_LABELS.get(v, v) if isinstance(v, str) else str(v) for v in value)
    return str(value)


def quote(story: str, span: TextSpan, cue: TextSpan | None) -> str:
    """The words an item came from, with the words that changed it ("no ... fever")."""
    if cue is None:
        return span.text
    return story[min(span.start, cue.start) : max(span.end, cue.end)]


def items(
    u: Understanding, answers: dict[str, Any], kb: KnowledgeBase, story: str
) -> list[tuple[str, str]]:
    """(key, line) for every item of the answers, in the order shown: warning signs read as
    present first, then the intake fields, then the other findings."""
    from spasmcare.understand import emergency_findings

    quotes = {f.finding: quote(story, f.span, f.cue) for f in u.findings}
    quotes.update({f.field: f.span.text for f in u.fields})
    quotes.update({"medicines": ", ".join(m.span.text for m in u.medicines)})
    findings: dict[str, Any] = answers.get("findings", {})
    emergency = emergency_findings(kb)
    first = [f for f, v in findings.items() if v is True and f in emergency]
    rest = [f for f in findings if f not in first]

    def line(key: str, label: str, value: Any) -> tuple[str, str]:
        quote = quotes.get(key)
        said = f'  (you wrote: "{quote}")' if quote else ""
        return key, f"{label}: {_plain(value)}{said}"

    out = [line(f, f"WARNING SIGN - {kb.findings[f].label}", True) for f in first]
    out += [line(k, name, answers[k]) for k, name in _FIELD_NAMES.items() if k in answers]
    out += [line(f, kb.findings[f].label, findings[f]) for f in rest]
    return out


def show(
    console: Console, u: Understanding, answers: dict[str, Any], kb: KnowledgeBase, story: str
) -> None:
    """Print what was understood, numbered, and what was set aside or not placed."""
    from spasmcare.cli.interview import bullets, say

    lines = items(u, answers, kb, story)
    if lines:
        say(console, "You said:", "bold")
        width = len(str(len(lines)))
        for i, (_, text) in enumerate(lines, 1):
            number = f"  {i:>{width}}. "
            say(console, text, indent=len(number), first=number)
    if u.set_aside:
        console.print()
        say(console, "Not counted as yours:", "bold")
        bullets(
            console,
            [
                f'"{quote(story, a.span, a.cue)}" ({_SET_ASIDE_WHY.get(a.reason, a.reason)})'
                for a in u.set_aside
            ],
        )
    if u.unplaced:
        console.print()
        say(console, "We could not place these words; the questions will cover them:", "bold")
        bullets(console, [f'"{p.text}"' for p in u.unplaced])


def _change(console: Console, key: str, answers: dict[str, Any]) -> None:
    """Ask for a new value of one item (or x to remove it)."""
    from spasmcare.cli.interview import parse_yesno, prompt_line, say
    from spasmcare.knowledge.body import REGION_LABELS

    findings: dict[str, Any] = answers.setdefault("findings", {})
    while True:
        if key in findings or key == "pregnant":
            raw = prompt_line(console, "Yes, no or not sure? (y / n / ?, or x to remove it)")
        elif key == "regions":
            for i, label in enumerate(REGION_LABELS.values(), 1):
                say(console, f"  {i}. {label}")
            raw = prompt_line(console, "Type the numbers that apply (or x to remove it)")
        elif key == "medicines":
            raw = prompt_line(
                console, "Every medicine you take, separated by commas (or x to remove)"
            )
        elif key in ("sex", "onset"):
            options = "female / male / other" if key == "sex" else "sudden / gradual / unsure"
            raw = prompt_line(console, f"Type {options} (or x to remove it)")
        else:
            raw = prompt_line(console, "Type the number (or x to remove it)")
        text = raw.strip().lower()
        if text == "x":
            findings.pop(key, None)
            answers.pop(key, None)
            if key == "pregnant":
                answers.pop("pregnancy_weeks", None)
            return
        try:
            if key in findings:
                findings[key] = parse_yesno(text, unsure=True)
            elif key == "pregnant":
                answers[key] = parse_yesno(text, unsure=True)
            elif key == "regions":
                picked = [int(t) for t in text.replace(",", " ").split()]
                keys = list(REGION_LABELS)
                if not picked or any(not 1 <= p <= len(keys) for p in picked):
                    raise ValueError
                answers[key] = [keys[p - 1] for p in sorted(set(picked))]
            elif key == "medicines":
                answers[key] = [n.strip() for n in raw.split(",") if n.strip()]
            elif key in ("sex", "onset"):
                allowed = ("female", "male", "other") if key == "sex" else ("sudden", "gradual")
                value = "unsure" if key == "onset" and text in ("?", "unsure", "not sure") else text
                if value not in (*allowed, "unsure") or (key == "sex" and value == "unsure"):
                    raise ValueError
                answers[key] = value
            else:
                number = float(text.replace(",", "."))
                high = {"age": 120, "pain": 10}.get(key, 36500)
                if not 0 <= number <= high or (key != "duration_days" and not number.is_integer()):
                    raise ValueError
                answers[key] = int(number) if number.is_integer() else number
            return
        except ValueError:
            say(console, "That was not one of the answers. Please try again.", "red")


def confirm(
    console: Console, u: Understanding, kb: KnowledgeBase, story: str
) -> dict[str, Any] | None:
    """Show the understanding and let the person change items; the confirmed answers, or None
    when they chose to answer the questions without their story."""
    from spasmcare.cli.interview import prompt_line, say
    from spasmcare.errors import IntakeError
    from spasmcare.understand import check_partial

    answers: dict[str, Any] = {
        **u.intake,
        "findings": dict(u.intake.get("findings", {})),
    }
    while True:
        console.print()
        show(console, u, answers, kb, story)
        lines = items(u, answers, kb, story)
        console.print()
        if not lines:
            return answers
        raw = prompt_line(
            console,
            "Is that right? Press Enter to go on, type a number to change or remove an item, "
            "or n to answer the questions without your story",
        ).strip()
        if not raw:
            try:
                return check_partial(answers, kb)
            except IntakeError as exc:
                say(console, f"That does not fit together: {exc.summary}", "red")
                for problem in exc.problems:
                    say(console, f"  - {problem}", "red")
                continue
        if raw.lower() in ("n", "no"):
            return None
        if raw.isdigit() and 1 <= int(raw) <= len(lines):
            _change(console, lines[int(raw) - 1][0], answers)
            continue
        say(console, f"Please press Enter, type a number from 1 to {len(lines)}, or n.", "red")


def describe(
    console: Console | None, kb: KnowledgeBase, source: str, *, as_json: bool
) -> dict[str, Any] | None:
    """Read the story; with a terminal, confirm it and return the starting answers; otherwise
    print what was understood (as JSON with ``as_json``) and return None."""
    from spasmcare.cli._output import print_json
    from spasmcare.cli.interview import say
    from spasmcare.understand import understand

    story = read_story(source)
    u = understand(story, kb, today=date.today())
    if as_json:
        print_json(u.model_dump(mode="json"))
        return None
    assert console is not None
    if u.message:
        say(console, u.message, "yellow")
    interactive = source != "-" and sys.stdin.isatty()
    if not interactive:
        show(console, u, dict(u.intake), kb, story)
        console.print()
        say(
            console,
            "Nothing has been decided from your words. To confirm them and answer the remaining "
            'questions, run spasmcare triage --describe "..." in a terminal.',
            "dim",
        )
        return None
    return confirm(console, u, kb, story) or {}


__all__ = ["STDIN_LIMIT", "confirm", "describe", "items", "quote", "read_story", "show"]
