"""Forms to take a scale: the questions to ask, in order, and the answers allowed for each.

A form comes either from spasmcare's own wording (pain rating, spasm frequency, Ashworth grade) or
from a questionnaire the user imported (see :mod:`spasmcare.scales.questionnaire`). Running a form
is pure: the caller passes an ``ask`` function (the terminal prompt, or test answers).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from spasmcare.errors import NotFoundError, Problem
from spasmcare.scales.definitions import AnswerValue, EnableWhen, ItemDef, ScaleDef, catalogue

Kind = str  # "choice" or "text"


@dataclass(frozen=True)
class FormAnswer:
    """One answer to offer: what the person types (``key``), its text, and the value it stores."""

    key: str
    value: AnswerValue
    text: str


@dataclass(frozen=True)
class FormItem:
    id: str
    text: str
    kind: Kind
    answers: tuple[FormAnswer, ...] = ()
    max_length: int | None = None
    enable_when: EnableWhen | None = None
    optional: bool = False

    def answer_for(self, key: str) -> FormAnswer | None:
        wanted = key.strip().lower()
        for answer in self.answers:
            if answer.key.lower() == wanted:
                return answer
        return None


@dataclass(frozen=True)
class Form:
    scale: str
    title: str
    intro: str
    items: tuple[FormItem, ...]
    source: str


def answer_keys(values: list[AnswerValue]) -> list[str]:
    """What the person types for each answer: the value itself when short, otherwise 1, 2, 3..."""
    if all(isinstance(v, bool) for v in values) and len(values) == 2:
        return ["y" if v else "n" for v in values]
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return [str(v) for v in values]
    if all(isinstance(v, str) and len(v) <= 2 for v in values):
        return [str(v) for v in values]
    return [str(i) for i in range(1, len(values) + 1)]


def form_item(item: ItemDef, text: str, answers: list[tuple[AnswerValue, str]]) -> FormItem:
    keys = answer_keys([value for value, _ in answers])
    return FormItem(
        id=item.id,
        text=text,
        kind=item.kind,
        answers=tuple(FormAnswer(k, v, t) for k, (v, t) in zip(keys, answers, strict=True)),
        max_length=item.max_length,
        enable_when=item.enable_when,
        optional=item.optional,
    )


def intro_for(scale: ScaleDef) -> str:
    parts = [scale.name + "."]
    if scale.rater == "clinician":
        parts.append("This scale is for a clinician to fill in.")
    if scale.recall_period:
        parts.append(f"Think about {scale.recall_period}.")
    parts += list(scale.notes)
    return " ".join(parts)


def builtin_form(scale_id: str) -> Form:
    """The form of a scale that uses spasmcare's own wording; NotFoundError for imported ones."""
    cat = catalogue()
    scale = cat.scale(scale_id)
    if scale.wording != "product":
        raise NotFoundError(
            f"{scale.short_name} has no built-in wording",
            [Problem("scale", "its wording must be imported from a licensed questionnaire")],
        )
    items = []
    for item in scale.items:
        assert item.question is not None
        pairs = [(a.value, a.label) for a in cat.answers(item).answers] if item.answer_set else []
        items.append(form_item(item, item.question, pairs))
    return Form(
        scale=scale.id,
        title=scale.name,
        intro=intro_for(scale),
        items=tuple(items),
        source="spasmcare's own wording",
    )


def applies(item: FormItem, answers: dict[str, AnswerValue | None]) -> bool:
    """Whether ``item`` is asked, given the answers so far (its enable_when condition)."""
    gate = item.enable_when
    if gate is None:
        return True
    previous = answers.get(gate.item)
    return isinstance(previous, int) and not isinstance(previous, bool) and previous > gate.above


def run_form(
    form: Form, ask: Callable[[FormItem], AnswerValue | None]
) -> dict[str, AnswerValue | None]:
    """Ask every item that applies, in order; return the responses to score."""
    answers: dict[str, AnswerValue | None] = {}
    for item in form.items:
        if applies(item, answers):
            answers[item.id] = ask(item)
    return answers
