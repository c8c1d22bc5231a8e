"""The triage interview as plain HTML forms: works without JavaScript, one question per page.

The page is stateless like the API: each form carries the steps so far (``[[question_id, value],
...]``) in a hidden field, and the server replays them through :class:`~spasmcare.triage.Interview`.
Replaying (rather than trusting an answers object) re-checks every step and makes "Back" exact.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from spasmcare.errors import IntakeError, Problem
from spasmcare.knowledge import KnowledgeBase
from spasmcare.triage import Interview, Question

MAX_STEPS = 60
Step = tuple[str, Any]


@dataclass
class FormState:
    """Where a person is in the interview."""

    steps: list[Step]
    interview: Interview

    @property
    def steps_json(self) -> str:
        return json.dumps([[qid, value] for qid, value in self.steps], separators=(",", ":"))


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


def replay(
    kb: KnowledgeBase, steps: Sequence[Step], *, emergency_call: str, context: bool
) -> FormState:
    """Rebuild the interview from its steps (raises IntakeError if any step is not valid)."""
    interview = Interview(kb, emergency_call=emergency_call, context=context)
    for qid, value in steps:
        interview.answer(qid, value)
    return FormState(list(steps), interview)


def value_from_form(question: Question, values: list[str]) -> Any:
    """Turn the submitted form values into the typed answer the question expects.

    Raises IntakeError with a message for the person when the form value cannot be an answer.
    """
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
        if first not in ("yes", "no"):
            raise IntakeError(
                "please check your answer", [Problem(question.id, "Please choose Yes or No.")]
            )
        return first == "yes"
    if question.kind == "choice":
        if not first:
            raise IntakeError(
                "please check your answer", [Problem(question.id, "Please choose one answer.")]
            )
        return first
    if question.kind == "multi":
        if not values:
            raise IntakeError(
                "please check your answer",
                [Problem(question.id, "Please choose at least one answer.")],
            )
        return list(dict.fromkeys(values))
    return list(dict.fromkeys(values))  # checklist: none ticked means none apply


__all__ = ["MAX_STEPS", "FormState", "parse_steps", "replay", "value_from_form"]
