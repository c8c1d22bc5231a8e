"""Checking responses against a scale's items, and the pieces every scorer shares.

Invalid *values* (not an object, unknown item ids, answers outside the allowed set, wrong types)
raise :class:`ScaleInputError` listing every problem with the allowed values. Missing answers are
not errors here: an item that is absent or ``null`` counts as not answered, and each scorer decides
whether enough was answered.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from fractions import Fraction

from spasmcare.errors import Problem, ScaleInputError
from spasmcare.scales.definitions import (
    AnswerValue,
    Band,
    Catalogue,
    Coding,
    ItemDef,
    ScaleDef,
    catalogue,
)
from spasmcare.scales.result import ScaleResult

Responses = dict[str, AnswerValue | None]
Scorer = Callable[[object], ScaleResult]
Rule = Callable[[ScaleDef, Responses], ScaleResult]


def _normalise(value: object, item: ItemDef, cat: Catalogue) -> AnswerValue | Problem:
    """The stored form of one answer, or the problem with it."""
    if item.kind == "text":
        if not isinstance(value, str) or not value.strip():
            return Problem(item.id, f"{value!r} is not text", "a name, as text")
        text = " ".join(value.split())
        if item.max_length and len(text) > item.max_length:
            return Problem(item.id, "is too long", f"at most {item.max_length} characters")
        return text
    candidate: object = value
    # JSON tools may write 3.0 for 3; accept whole floats for numeric answers, never booleans.
    if isinstance(value, float) and value.is_integer():
        candidate = int(value)
    try:
        found = cat.find(item, candidate)
    except TypeError:  # unhashable (a list or an object)
        found = None
    if found is None:
        allowed = cat.answers(item).allowed_text()
        return Problem(item.id, f"{value!r} is not an allowed answer", allowed)
    return found.value


def check_responses(scale: ScaleDef, responses: object) -> Responses:
    """Every item of ``scale`` mapped to its answer (None when not answered); raise on bad values."""
    cat = catalogue()
    if not isinstance(responses, Mapping):
        raise ScaleInputError(
            f"responses to {scale.id} must be an object",
            [Problem("responses", f"got {type(responses).__name__}", "an object of item answers")],
        )
    problems: list[Problem] = []
    known = cat.item_ids(scale.id)
    for key in responses:
        if key not in known:
            problems.append(
                Problem(str(key), f"unknown item for {scale.id}", ", ".join(scale.item_ids))
            )
    out: Responses = {}
    for item in scale.items:
        value = responses.get(item.id)
        if value is None:
            out[item.id] = None
            continue
        checked = _normalise(value, item, cat)
        if isinstance(checked, Problem):
            problems.append(checked)
        else:
            out[item.id] = checked
    if problems:
        raise ScaleInputError(f"invalid responses for {scale.id}", problems)
    return out


def band_for(bands: tuple[Band, ...], score: Fraction | int) -> Band:
    """The first band whose inclusive upper bound is at least ``score``.

    Exact: ``score`` is an int or a Fraction, and comparing a Fraction with a float is exact in
    Python, so 9/45 x 100 = 20 falls in the band ending at 20.
    """
    for band in bands:
        if score <= band.upper:
            return band
    return bands[-1]


def answer_code(scale: ScaleDef, item_id: str, value: AnswerValue, display: str) -> Coding | None:
    """The local code of an answer (for example an Ashworth grade), when the data file gives one."""
    cat = catalogue()
    answer = cat.find(scale.item(item_id), value)
    if answer is None or answer.code is None:
        return None
    return Coding(system=cat.local_system, code=answer.code, display=display)


def total_points(scale: ScaleDef, responses: Responses) -> dict[str, int]:
    """Points of every answered item, by item id."""
    cat = catalogue()
    out: dict[str, int] = {}
    for item in scale.items:
        value = responses.get(item.id)
        if value is None:
            continue
        answer = cat.find(item, value)
        assert answer is not None  # values were checked by check_responses
        if answer.points is not None:
            out[item.id] = answer.points
        else:
            assert isinstance(answer.value, int) and not isinstance(answer.value, bool)
            out[item.id] = answer.value
    return out


def missing(responses: Responses) -> list[str]:
    return [k for k, v in responses.items() if v is None]


def result(
    scale: ScaleDef,
    responses: Responses,
    *,
    score: float | None,
    problems: list[str] | None = None,
    band: Band | None = None,
    band_id: str | None = None,
    band_label: str | None = None,
    risk: str | None = None,
    subscores: dict[str, float] | None = None,
    extra_codes: list[Coding] | None = None,
    details: dict[str, str] | None = None,
) -> ScaleResult:
    """Assemble a ScaleResult with the scale's name, codes, citation and data version."""
    cat = catalogue()
    problems = list(problems or [])
    valid = not problems
    codes: list[Coding] = []
    if valid:
        if scale.codes.panel:
            codes.append(scale.codes.panel)
        codes.append(scale.codes.score)
        codes += [scale.codes.subscores[k] for k in (subscores or {}) if k in scale.codes.subscores]
        if scale.codes.risk and risk:
            codes.append(scale.codes.risk)
        codes += extra_codes or []
    return ScaleResult(
        scale=scale.id,
        name=scale.name,
        score=score if valid else None,
        valid=valid,
        problems=problems,
        band=(band.id if band else band_id) if valid else None,
        band_label=(band.label if band else band_label) if valid else None,
        risk=risk if valid else None,
        subscores=dict(subscores or {}) if valid else {},
        answered=sum(1 for v in responses.values() if v is not None),
        items=len(scale.items),
        unit=scale.score.unit if scale.score else None,
        codes=codes,
        responses=dict(responses),
        details=dict(details or {}),
        notes=list(scale.notes),
        citation=cat.citation(scale),
        scales_version=cat.version,
    )


def require_all(scale: ScaleDef, responses: Responses) -> list[str]:
    """The problem when any item is unanswered (for scales that are scored only when complete)."""
    gaps = missing(responses)
    if not gaps:
        return []
    return [
        f"{scale.short_name} is scored only when all {len(scale.items)} items are answered; "
        f"{len(scale.items) - len(gaps)} answered (missing: {', '.join(gaps)})"
    ]


def scorer(scale_id: str, *, all_required: bool = False) -> Callable[[Rule], Scorer]:
    """Make an instrument's ``score(responses)`` from its rule over the checked answers.

    The wrapper looks the scale up in the data file, checks the responses (raising on bad values)
    and, with ``all_required``, returns a not-valid result naming the unanswered items before the
    rule runs. Every instrument module is this decorator around the rule that is its own."""

    def wrap(rule: Rule) -> Scorer:
        @functools.wraps(rule)
        def score(responses: object) -> ScaleResult:
            scale = catalogue().scale(scale_id)
            answers = check_responses(scale, responses)
            if all_required:
                problems = require_all(scale, answers)
                if problems:
                    return result(scale, answers, score=None, problems=problems)
            return rule(scale, answers)

        return score

    return wrap


def citation_of(scale_id: str) -> Callable[[], str]:
    """The instrument's ``citation()``: its references from the data file, as one line."""

    def citation() -> str:
        cat = catalogue()
        return cat.citation(cat.scale(scale_id))

    return citation
