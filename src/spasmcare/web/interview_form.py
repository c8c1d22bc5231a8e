"""The triage interview as plain HTML forms: works without JavaScript, one question per page.

The page is stateless like the API: each form carries the steps so far (``[[question_id, value],
...]``) in a hidden field, and the server replays them through :class:`~spasmcare.triage.Interview`.
Replaying (rather than trusting an answers object) re-checks every step and makes "Back" exact.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from spasmcare.errors import IntakeError, Problem
from spasmcare.knowledge import KnowledgeBase
from spasmcare.triage import Interview, Question
from spasmcare.triage.evaluator import UNSURE
from spasmcare.triage.interview import NONE_OF_THESE

MAX_STEPS = 60
MAX_TOKEN = 8_000
"""The longest ``s`` (steps token) accepted in a page address."""
MAX_STEPS_JSON = 64_000
MAX_NAMES = 30
MAX_NAME_LENGTH = 200
Step = tuple[str, Any]


@dataclass
class FormState:
    """Where a person is in the interview."""

    steps: list[Step]
    interview: Interview

    @property
    def steps_json(self) -> str:
        return json.dumps([[qid, value] for qid, value in self.steps], separators=(",", ":"))

    @property
    def answered(self) -> int:
        """How many questions were answered (the confirmed story is not one)."""
        return sum(1 for qid, _ in self.steps if qid != START)

    @property
    def token(self) -> str:
        """The steps as a short, address-safe token (``/triage?s=...``)."""
        return steps_token(self.steps)

    @property
    def back_token(self) -> str:
        """The token of the steps without the last answer (the previous question)."""
        return steps_token(self.steps[:-1])


def steps_token(steps: Sequence[Step]) -> str:
    """Steps as compressed, base64url JSON: every interview page has its own address, so the
    browser's Back button and a reload work (post/redirect/get). Not a secret and not trusted:
    :func:`parse_token` reads it back and :func:`replay` checks every answer again."""
    raw = json.dumps([[qid, value] for qid, value in steps], separators=(",", ":"))
    return base64.urlsafe_b64encode(zlib.compress(raw.encode(), 9)).decode().rstrip("=")


def parse_token(token: str | None) -> list[Step]:
    """The steps of a token from :func:`steps_token`; IntakeError when it is broken or too big."""
    if not token:
        return []
    unreadable = IntakeError("your answers could not be read", [Problem("s", "not a valid token")])
    if len(token) > MAX_TOKEN:
        raise unreadable
    try:
        packed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        inflate = zlib.decompressobj()
        raw = inflate.decompress(packed, MAX_STEPS_JSON)
        if inflate.unconsumed_tail or not inflate.eof:
            raise unreadable
        text = raw.decode()
    except (binascii.Error, ValueError, zlib.error, UnicodeDecodeError):
        raise unreadable from None
    return parse_steps(text)


def parse_steps(raw: str | None) -> list[Step]:
    """The hidden ``steps`` field; raises IntakeError when it was tampered with or is broken."""
    if not raw:
        return []
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise IntakeError(
            "your answers could not be read", [Problem("steps", "not valid JSON")]
        ) from exc
    if not isinstance(data, list) or len(data) > MAX_STEPS:
        raise IntakeError(
            "your answers could not be read",
            [Problem("steps", "not a list of answers", f"at most {MAX_STEPS} answers")],
        )
    steps: list[Step] = []
    for i, item in enumerate(data):
        if not (isinstance(item, list) and len(item) == 2 and isinstance(item[0], str)):
            raise IntakeError(
                "your answers could not be read",
                [Problem(f"steps[{i}]", "not a [question, answer] pair")],
            )
        steps.append((item[0], item[1]))
    return steps


START = "start"
"""A first step ``["start", answers]``: the interview starts from the answers the person confirmed
after telling their story (spasmcare.web.pages.understand)."""


def replay(
    kb: KnowledgeBase, steps: Sequence[Step], *, emergency_call: str, context: bool
) -> FormState:
    """Rebuild the interview from its steps (raises IntakeError if any step is not valid)."""
    start: dict[str, Any] | None = None
    if steps and steps[0][0] == START:
        from spasmcare.understand.partial import check_partial

        start = check_partial(steps[0][1], kb)
    interview = Interview(kb, emergency_call=emergency_call, context=context, answers=start)
    for qid, value in steps[1:] if start is not None else steps:
        interview.answer(qid, value)
    return FormState(list(steps), interview)


_CALM_NUMBERS = {"age": 40, "pain": 3, "duration_days": 1}
"""Typical answers used only to estimate how many questions remain ("Question 3 of about 12")."""


def _calm_answer(question: Question) -> Any:
    if question.kind == "number":
        return _CALM_NUMBERS.get(question.id, question.minimum or 0)
    if question.kind == "multi":
        return [question.options[0].value]
    if question.kind == "choice":
        return question.options[0].value
    if question.kind == "names":
        return []
    if question.kind == "checklist":
        return NONE_OF_THESE
    return False


def questions_left(interview: Interview) -> int | None:
    """About how many questions remain, counting the next one: the questions a person with no
    warning sign would still be asked. None when it cannot be worked out (then no estimate is
    shown). Real answers can add questions (a self-check, a follow-up) or stop early."""
    try:
        copy = Interview(
            interview.kb,
            answers=interview.answers(),
            emergency_call=interview.emergency_call,
            context=interview.context,
        )
        for count in range(MAX_STEPS):
            question = copy.next_question()
            if question is None:
                return count
            copy.answer(question.id, _calm_answer(question))
    except IntakeError:
        return None
    return None


@dataclass(frozen=True, slots=True)
class Submitted:
    """What the question form sent: ``value`` fields (typed answers, ticked checklist items),
    ``unsure`` fields (checklist items marked "Not sure") and the "None of these" box."""

    values: list[str]
    unsure: list[str] = field(default_factory=list)
    none: bool = False


def _refuse(question: Question, message: str) -> IntakeError:
    return IntakeError("please check your answer", [Problem(question.id, message)])


def value_from_form(question: Question, sent: Submitted) -> Any:
    """Turn the submitted form values into the typed answer the question expects.

    Raises IntakeError with a message for the person when the form value cannot be an answer.
    """
    values = sent.values
    first = values[0].strip() if values else ""
    if question.kind == "number":
        low = f"{question.minimum:g}" if question.minimum is not None else "0"
        high = f"{question.maximum:g}" if question.maximum is not None else ""
        want = (
            f"a whole number from {low} to {high}"
            if question.integer
            else f"a number from {low} to {high}"
        )
        try:
            number: float = int(first) if question.integer else float(first.replace(",", "."))
        except ValueError:
            raise IntakeError(
                "please check your answer", [Problem(question.id, f"Please type {want}.", want)]
            ) from None
        if (
            question.minimum is not None
            and question.maximum is not None
            and not (question.minimum <= number <= question.maximum)
        ):
            raise IntakeError(
                "please check your answer", [Problem(question.id, f"Please type {want}.", want)]
            )
        if not question.integer and float(number).is_integer():
            return int(number)
        return number
    if question.kind == "yesno":
        if first == "yes":
            return True
        if first == "no":
            return False
        if first == UNSURE and question.unsure:
            return UNSURE
        choices = "Yes, No or Not sure" if question.unsure else "Yes or No"
        raise _refuse(question, f"Please choose {choices}.")
    if question.kind == "choice":
        if not first:
            raise _refuse(question, "Please choose one answer.")
        return first
    if question.kind == "multi":
        if not values:
            raise _refuse(question, "Please choose at least one answer.")
        return list(dict.fromkeys(values))
    if question.kind == "names":
        return names_from_text("\n".join(values), question)
    return checklist_from_form(question, sent)


NO_NAMES = frozenset(
    {"none", "no", "nothing", "nil", "n/a", "na", "-", "no medicines", "no medicine"}
)
"""Answers that say "I take none" in so many words (an empty answer says it too)."""
_SEPARATORS = re.compile(r"[;\n]|(?<!\d),|,(?!\d)")
"""Commas, semicolons and line ends, but not a decimal comma (``2,5 mg``)."""


def names_from_text(text: str, question: Question) -> list[str]:
    """Names typed one per line or separated by commas (or semicolons); empty or "none" means
    none."""
    if text.strip().strip(".!").casefold() in NO_NAMES:
        return []
    names: list[str] = []
    for name in (n.strip() for n in _SEPARATORS.split(text)):
        if name and name.casefold() not in {n.casefold() for n in names}:
            names.append(name)
    if len(names) > MAX_NAMES:
        raise _refuse(question, f"Please list at most {MAX_NAMES} names.")
    long = next((n for n in names if len(n) > MAX_NAME_LENGTH), None)
    if long is not None:
        raise _refuse(
            question,
            f"\u201c{long[:40]}\u2026\u201d is too long for a name (at most {MAX_NAME_LENGTH} "
            "letters). Please separate the names with commas.",
        )
    return names


def checklist_from_form(question: Question, sent: Submitted) -> Any:
    """A checklist answer: ticked items are yes, "Not sure" items unsure, the rest no; or "none".

    A blank form is not an answer (a blank is never "no"), and contradictions are refused.
    """
    labels = {o.value: o.label for o in question.options}
    yes = [v for v in dict.fromkeys(sent.values) if v in labels]
    unsure = [v for v in dict.fromkeys(sent.unsure) if v in labels]
    if len(yes) != len(set(sent.values)) or len(unsure) != len(set(sent.unsure)):
        raise _refuse(question, "That answer was not one of the choices. Please answer again.")
    if sent.none and (yes or unsure):
        raise _refuse(
            question,
            "You chose \u201cNone of these\u201d and also ticked some of them. Please untick "
            "\u201cNone of these\u201d, or untick the others.",
        )
    if sent.none:
        return NONE_OF_THESE
    both = [v for v in yes if v in unsure]
    if both:
        raise _refuse(
            question,
            f"You chose both Yes and Not sure for \u201c{labels[both[0]]}\u201d. "
            "Please choose one of them.",
        )
    if not yes and not unsure:
        raise _refuse(
            question,
            "You have not answered yet. Tick Yes for each one you have, Not sure for any you "
            "cannot tell, or tick \u201cNone of these\u201d if you have none of them.",
        )
    if not unsure:
        return yes
    return {v: True if v in yes else (UNSURE if v in unsure else False) for v in labels}


__all__ = [
    "MAX_STEPS",
    "START",
    "FormState",
    "Submitted",
    "checklist_from_form",
    "names_from_text",
    "parse_steps",
    "parse_token",
    "questions_left",
    "replay",
    "steps_token",
    "value_from_form",
]
