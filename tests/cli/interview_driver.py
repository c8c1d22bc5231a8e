"""Drive the terminal triage interview by the kind of prompt on screen, not by a fixed order.

The knowledge base decides which questions come and in what order; a test says only how to answer
the questions it cares about (``rules``: a regular expression on the question's screen and the reply,
each used once, in order) and lets every other question get a harmless default answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import pexpect

PROMPTS: dict[str, str] = {
    "yesno": r"Yes, no or not sure\? \(y / n / \?\): ",
    "checklist": r"Your answer: ",
    "which": r"Which are you not sure about\? Type their numbers, or all: ",
    "others": r"Do you have any of the others\? Type their numbers, or 0 for none: ",
    "choice": r"Type the number of your answer: ",
    "multi": r"Type the numbers that apply, e\.g\. 1 3: ",
    "number": r"Type a number from [\d.]+ to [\d.]+: ",
    "names": r"Medicines \(press Enter for none\): ",
}
RESULTS = ["EMERGENCY", "SEE A DOCTOR TODAY", "SEE A DOCTOR SOON", "SELF-CARE"]
Reply = str | Callable[[str], str]
Rule = tuple[str, Reply]
"""A regular expression on the screen of a question, and the reply (or a function of the screen
that gives it)."""


def options(screen: str) -> dict[str, str]:
    """The numbered options on a screen, number -> label (a wrapped label joined again)."""
    found: dict[str, str] = {}
    current: str | None = None
    for line in screen.replace("\r", "").split("\n"):
        match = re.match(r"^\s*(\d+)\. (.*)$", line)
        if match:
            current = match.group(1)
            found[current] = match.group(2).strip()
        elif current is not None and line.startswith(" ") and line.strip():
            found[current] += " " + line.strip()
        else:
            current = None
    return found


def option_number(screen: str, label: str) -> str | None:
    """The number shown for the option whose label matches ``label`` (a regular expression)."""
    for number, text in options(screen).items():
        if re.search(label, text):
            return number
    return None


def default_answer(kind: str, screen: str) -> str:
    """A harmless answer: no, none of these, a 35-year-old man, lower back, gradual, pain 4."""
    if kind == "number":
        for pattern, value in (("How old", "35"), ("How bad", "4"), ("days", "1")):
            if re.search(pattern, screen):
                return value
        return "1"
    if kind == "choice":
        return option_number(screen, r"^(Male|Gradually)") or "1"
    if kind == "multi":
        return option_number(screen, r"^Lower back") or "1"
    return {"yesno": "n", "checklist": "0", "others": "0", "which": "all", "names": ""}[kind]


class Answers:
    """Chooses the reply for each prompt: the first unused rule that matches the screen (its
    lines joined with single spaces), else the default."""

    def __init__(self, rules: Iterable[Rule] = ()) -> None:
        self.rules = list(rules)
        self.log: list[tuple[str, str, str]] = []

    def reply(self, kind: str, screen: str) -> str:
        flat = " ".join(screen.replace("│", " ").split())  # wrapped lines joined again
        for i, (pattern, reply) in enumerate(self.rules):
            if re.search(pattern, flat):
                del self.rules[i]
                answer = reply(screen) if callable(reply) else reply
                break
        else:
            answer = default_answer(kind, screen)
        self.log.append((kind, screen, answer))
        return answer


def drive(
    child: pexpect.spawn,
    rules: Iterable[Rule] = (),
    until: Iterable[str] = RESULTS,
    limit: int = 120,
    on_prompt: Callable[[str, str], None] | None = None,
) -> tuple[str, Answers]:
    """Answer prompts until one of ``until`` shows; return it and the answers given."""
    answers = Answers(rules)
    stops = list(until)
    kinds = list(PROMPTS)
    patterns = [re.escape(s) for s in stops] + [PROMPTS[k] for k in kinds]
    for _ in range(limit):
        index = child.expect(patterns)
        if index < len(stops):
            return stops[index], answers
        kind = kinds[index - len(stops)]
        screen = str(child.before)
        if on_prompt is not None:
            on_prompt(kind, screen)
        child.sendline(answers.reply(kind, screen))
    raise AssertionError(f"no result after {limit} answers: {answers.log[-5:]}")
