"""The triage interview pages and the result (a full-screen call instruction for an emergency)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from spasmcare.api.context import Context
from spasmcare.errors import IntakeError
from spasmcare.knowledge import KnowledgeBase
from spasmcare.triage import TriageResult
from spasmcare.triage.engine import unanswered_label, unsure_label
from spasmcare.web.csrf import CsrfChecked
from spasmcare.web.interview_form import (
    FormState,
    Submitted,
    parse_steps,
    replay,
    value_from_form,
)
from spasmcare.web.templating import render

router = APIRouter()


def unanswered_labels(result: TriageResult, context: Any) -> list[str]:
    """The questions that remain, in plain words (finding labels, field phrases)."""
    kb: KnowledgeBase = context.kb
    return [unanswered_label(kb, u) for u in result.unanswered]


def unsure_summary(result: TriageResult, context: Any) -> dict[str, Any]:
    """What the person was not sure about, in plain words, and what to do about it: the advice of
    the not-sure rules (N1-N3) that fired."""
    kb: KnowledgeBase = context.kb
    rules = {r.id: r for r in kb.rules}
    advice = [
        r.to_dict() for r in result.reasons if r.rule in rules and rules[r.rule].is_unsure_rule
    ]
    labels = [unsure_label(kb, u) for u in result.unsure]
    return {"labels": [label[:1].upper() + label[1:] for label in labels], "advice": advice}


def render_state(
    request: Request,
    context: Any,
    state: FormState,
    *,
    mode: str = "triage",
    error: str | None = None,
    status_code: int = 200,
    sent: Submitted | None = None,
) -> HTMLResponse:
    question = state.interview.next_question()
    if question is None:
        result = state.interview.result()
        if result.disposition.value == "emergency":
            return render(
                request,
                "triage/emergency.html",
                {
                    "title": "Emergency: call now",
                    "result": result.to_dict(),
                    "page_class": "emergency",
                },
            )
        if mode == "plan":
            from spasmcare.web.pages.plan import render_details_form

            return render_details_form(request, context, state)
        return render(
            request,
            "triage/result.html",
            {
                "title": result.label,
                "result": result.to_dict(),
                "unanswered": unanswered_labels(result, context),
                "unsure": unsure_summary(result, context),
                "steps_json": state.steps_json,
            },
        )
    return render(
        request,
        "triage/question.html",
        {
            "title": question.text,
            "question": question.to_dict(),
            "steps_json": state.steps_json,
            "number": len(state.steps) + 1,
            "error": error,
            "mode": mode,
            "sent": sent or Submitted([]),
        },
        status_code=status_code,
    )


@router.get("/triage", response_class=HTMLResponse, include_in_schema=False)
def start(request: Request, context: Context) -> HTMLResponse:
    state = replay(context.kb, [], emergency_call=context.emergency_call, context=False)
    return render_state(request, context, state)


def restart_page(request: Request, message: str) -> HTMLResponse:
    return render(
        request,
        "error.html",
        {
            "title": "Please start again",
            "heading": "Please start again",
            "detail": message,
            "problems": [],
            "link": ("/triage", "Start the questions again"),
        },
        status_code=400,
    )


@router.post("/triage", response_class=HTMLResponse, include_in_schema=False)
async def step(request: Request, context: Context, _csrf: CsrfChecked) -> HTMLResponse:
    form = await request.form()
    mode = "plan" if form.get("mode") == "plan" else "triage"
    raw_steps = form.get("steps")
    try:
        steps = parse_steps(raw_steps if isinstance(raw_steps, str) else None)
        state = replay(
            context.kb, steps, emergency_call=context.emergency_call, context=mode == "plan"
        )
    except IntakeError as exc:
        return restart_page(request, f"We could not read your answers ({exc.summary}).")
    action = form.get("action", "answer")
    if action == "resume":
        return render_state(request, context, state, mode=mode)
    if action == "back":
        if state.steps:
            state = replay(
                context.kb,
                state.steps[:-1],
                emergency_call=context.emergency_call,
                context=mode == "plan",
            )
        return render_state(request, context, state, mode=mode)
    question = state.interview.next_question()
    if question is None:  # already finished (page sent twice)
        return render_state(request, context, state, mode=mode)
    if form.get("question_id") != question.id:
        return render_state(
            request,
            context,
            state,
            mode=mode,
            error="That answer was for another question. Please answer this one.",
            status_code=409,
        )
    sent = Submitted(
        values=[v for v in form.getlist("value") if isinstance(v, str)],
        unsure=[v for v in form.getlist("unsure") if isinstance(v, str)],
        none=form.get("none") == "none",
    )
    try:
        value = value_from_form(question, sent)
        state.interview.answer(question.id, value)
    except IntakeError as exc:
        message = exc.problems[0].message if exc.problems else exc.summary
        return render_state(
            request, context, state, mode=mode, error=message, status_code=422, sent=sent
        )
    state.steps.append((question.id, value))
    return render_state(request, context, state, mode=mode)


__all__ = ["WORDS", "render_state", "router", "unanswered_labels", "unsure_summary"]
