"""The "Tell us what happened" story box on the first page of the interview, the page that shows
what was understood ("You said: ... is that right?") with every item editable, and the step that
starts the interview from the confirmed answers. Plain forms: works without JavaScript.

Nothing is decided from the words alone: the interview then asks every applicable question still
open, and shows the emergency result at once when a confirmed sign is an emergency. The story is not
stored: it travels only in the forms of these two pages.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from spasmcare.api.context import Context
from spasmcare.errors import FormValueError, IntakeError
from spasmcare.knowledge import KnowledgeBase
from spasmcare.knowledge.body import REGION_LABELS
from spasmcare.triage import Question
from spasmcare.understand import MAX_CHARACTERS, TextSpan, Understanding, check_partial
from spasmcare.web.csrf import CsrfChecked
from spasmcare.web.interview_form import START, FormState, names_from_text, replay
from spasmcare.web.pages.triage import page_url
from spasmcare.web.templating import render

router = APIRouter()

FORM_LIMIT = 20_000
"""Characters of a story read from a form (the reader itself reads up to MAX_CHARACTERS)."""
CHOICES = (("yes", "Yes"), ("no", "No"), ("unsure", "Not sure"), ("", "Leave it for the questions"))
FIELD_CHOICES = (
    (
        "sex",
        "Your sex",
        (("female", "Female"), ("male", "Male"), ("other", "Other"), ("", "Not said")),
    ),
    ("pregnant", "Are you pregnant?", CHOICES),
    (
        "onset",
        "How did it start?",
        (
            ("sudden", "Suddenly"),
            ("gradual", "Gradually"),
            ("unsure", "Not sure"),
            ("", "Not said"),
        ),
    ),
)
NUMBER_FIELDS = (
    ("duration_days", "Days since it started", "0 if it started today."),
    ("pain", "Pain now, from 0 to 10", "0 is no pain, 10 the worst you can imagine."),
)
WHY = {
    "family": "about someone else",
    "hypothetical": "a worry or an 'if', not something you have",
    "past": "in the past",
    "uncertain": "you were not sure you take it",
    "conflict": "you said it both ways, so we will ask",
}
_VALUES: dict[str, Any] = {"yes": True, "no": False, "unsure": "unsure"}
_MEDICINES = Question(id="medicines", kind="names", text="Medicines you take", field="medicines")


def _quote(story: str, span: TextSpan, cue: TextSpan | None) -> str:
    if cue is None:
        return span.text
    return story[min(span.start, cue.start) : max(span.end, cue.end)]


def _story(form: FormData) -> str:
    raw = form.get("story")
    return raw[:FORM_LIMIT] if isinstance(raw, str) else ""


async def _understand(kb: KnowledgeBase, story: str) -> Understanding:
    from spasmcare.understand import understand

    # The pipeline loads once per process, on the first story (about a second), off the event loop.
    return await run_in_threadpool(understand, story, kb, today=date.today())


def _page(
    request: Request,
    kb: KnowledgeBase,
    story: str,
    u: Understanding,
    answers: dict[str, Any],
    *,
    error: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The page that shows what was understood, with the ``answers`` as the form's values."""
    understood = not u.empty or bool(u.set_aside)
    if not understood:
        return render(
            request,
            "triage/understand.html",
            {
                "title": "Tell us what happened",
                "understood": False,
                "message": u.message or "We could not find anything to place in that.",
                "story_text": story,
                "story_limit": MAX_CHARACTERS,
            },
            status_code=status_code,
        )
    quotes: dict[str, str] = {f.finding: _quote(story, f.span, f.cue) for f in u.findings}
    quotes.update({f.field: f.span.text for f in u.fields})
    quotes["medicines"] = ", ".join(m.span.text for m in u.medicines)
    findings_answers: dict[str, Any] = answers.get("findings", {})
    order = [f.finding for f in u.findings if f.finding in findings_answers]
    order += [f for f in findings_answers if f not in order]
    first = [f for f in order if f in {r.finding for r in u.findings if r.emergency}]
    first = [f for f in first if findings_answers.get(f) is True]
    items = [
        {
            "id": fid,
            "label": kb.findings[fid].label,
            "quote": quotes.get(fid, ""),
            "value": {True: "yes", False: "no"}.get(findings_answers[fid], findings_answers[fid])
            if fid in findings_answers
            else "",
        }
        for fid in first + [f for f in order if f not in first]
    ]
    return render(
        request,
        "triage/understand.html",
        {
            "title": "You said: is that right?",
            "understood": True,
            "story_text": story,
            "answers": answers,
            "findings": items,
            "warning_signs": len(first),
            "choices": CHOICES,
            "field_choices": FIELD_CHOICES,
            "number_fields": NUMBER_FIELDS,
            "regions": list(REGION_LABELS.items()),
            "quotes": quotes,
            "set_aside": [
                {"quote": _quote(story, a.span, a.cue), "why": WHY.get(a.reason, a.reason)}
                for a in u.set_aside
            ],
            "unplaced": [p.text for p in u.unplaced],
            "error": error,
        },
        status_code=status_code,
    )


@router.post("/triage/understand", response_class=HTMLResponse, include_in_schema=False)
async def read(request: Request, context: Context, _csrf: CsrfChecked) -> HTMLResponse:
    """Read the story from the box: show what was understood, or why nothing could be."""
    form = await request.form()
    story = _story(form)
    u = await _understand(context.kb, story)
    return _page(request, context.kb, story, u, dict(u.intake))


def _number(form: FormData, name: str, low: float, high: float, *, whole: bool) -> float | None:
    raw = form.get(name)
    text = raw.strip().replace(",", ".") if isinstance(raw, str) else ""
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not low <= value <= high or (whole and not value.is_integer()):
        kind = "a whole number" if whole else "a number"
        raise FormValueError(f"Please write {kind} from {low:g} to {high:g}, or leave it empty.")
    return int(value) if value.is_integer() else value


def answers_from_form(form: FormData, kb: KnowledgeBase) -> dict[str, Any]:
    """The confirmed answers: the items the person kept or changed (blank: left for the questions).
    Raises FormValueError when a value cannot be an answer."""
    answers: dict[str, Any] = {}
    for name, low, high, whole in (
        ("age", 0, 120, True),
        ("duration_days", 0, 36500, False),
        ("pain", 0, 10, True),
    ):
        value = _number(form, name, low, high, whole=whole)
        if value is not None:
            answers[name] = value
    regions = [r for r in form.getlist("regions") if isinstance(r, str)]
    if any(r not in REGION_LABELS for r in regions):
        raise FormValueError("That place was not one of the choices. Please choose again.")
    if regions:
        answers["regions"] = list(dict.fromkeys(regions))
    for name, _, options in FIELD_CHOICES:
        raw = form.get(name)
        if not isinstance(raw, str) or not raw:
            continue
        if raw not in {value for value, _ in options}:
            raise FormValueError("That answer was not one of the choices. Please choose again.")
        answers[name] = _VALUES.get(raw, raw) if name == "pregnant" else raw
    weeks = _number(form, "pregnancy_weeks", 1, 45, whole=True)
    if weeks is not None and answers.get("pregnant") is True:
        answers["pregnancy_weeks"] = weeks
    if form.get("medicines_asked"):
        raw = form.get("medicines")
        try:
            answers["medicines"] = names_from_text(raw if isinstance(raw, str) else "", _MEDICINES)
        except IntakeError as exc:
            message = exc.problems[0].message if exc.problems else exc.summary
            raise FormValueError(message) from exc
    findings: dict[str, Any] = {}
    for key, raw in form.multi_items():
        if not key.startswith("finding.") or not isinstance(raw, str) or not raw:
            continue
        fid = key.removeprefix("finding.")
        if fid not in kb.findings or raw not in _VALUES:
            raise FormValueError("That answer was not one of the choices. Please choose again.")
        findings[fid] = _VALUES[raw]
    answers["findings"] = findings
    return answers


@router.post("/triage/understand/confirm", include_in_schema=False)
async def confirm(request: Request, context: Context, _csrf: CsrfChecked) -> Response:
    """Start the interview from the confirmed answers (or go back to the story box)."""
    form = await request.form()
    story = _story(form)
    kb = context.kb
    if form.get("action") == "edit":
        return render(
            request,
            "triage/understand.html",
            {
                "title": "Tell us what happened",
                "understood": False,
                "message": "Change what you wrote, then read it again.",
                "story_text": story,
                "story_limit": MAX_CHARACTERS,
            },
        )
    error: str | None = None
    answers: dict[str, Any] = {}
    try:
        answers = answers_from_form(form, kb)
        check_partial(answers, kb)
    except FormValueError as exc:
        error = str(exc)
    except IntakeError as exc:
        error = (
            f"Some answers do not fit together: {exc.problems[0] if exc.problems else exc.summary}."
        )
    if error is not None:
        u = await _understand(kb, story)
        shown = answers or dict(u.intake)
        return _page(request, kb, story, u, shown, error=error, status_code=422)
    state: FormState = replay(
        kb, [(START, answers)], emergency_call=context.emergency_call, context=False
    )
    return RedirectResponse(page_url(state, "triage"), status_code=303)


__all__ = ["FORM_LIMIT", "answers_from_form", "router"]
