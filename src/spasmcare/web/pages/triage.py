"""The triage interview pages and the result (a full-screen call instruction for an emergency).

Every page of the interview has its own address, ``/triage?s=<steps token>`` (post/redirect/get):
an answer is sent with POST and the browser is sent on to the next page with 303, so the phone's
Back button, a reload and "Save this result" followed by Back all work.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from spasmcare.api.context import Context
from spasmcare.errors import IntakeError
from spasmcare.knowledge import KnowledgeBase
from spasmcare.triage import TriageResult
from spasmcare.triage.engine import unanswered_label, unsure_label
from spasmcare.web.csrf import CsrfChecked
from spasmcare.web.interview_form import (
    MAX_TOKEN,
    FormState,
    Submitted,
    parse_steps,
    parse_token,
    questions_left,
    replay,
    value_from_form,
)
from spasmcare.web.pages.details import render_details_form
from spasmcare.web.templating import render
from spasmcare.web.timers import timers_for

router = APIRouter()
Token = Annotated[str, Query(alias="s", max_length=MAX_TOKEN)]
Mode = Annotated[str, Query(pattern="^(triage|plan)$")]


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
        r.model_dump(mode="json")
        for r in result.reasons
        if r.rule in rules and rules[r.rule].is_unsure_rule
    ]
    labels = [unsure_label(kb, u) for u in result.unsure]
    return {"labels": [label[:1].upper() + label[1:] for label in labels], "advice": advice}


def page_url(state: FormState, mode: str, *, back: bool = False) -> str:
    """The address of the page for ``state`` (or of the question before, with ``back``)."""
    token = state.back_token if back else state.token
    query = f"s={token}" if token else ""
    if mode == "plan":
        query += ("&" if query else "") + "mode=plan"
    return "/triage" + (f"?{query}" if query else "")


def while_you_wait(request: Request, context: Any, state: FormState) -> list[dict[str, str]]:
    """What to do until help comes (the emergency plan's steps after its call instruction)."""
    from spasmcare.api.plan import make_plan

    plan = make_plan(request, state.interview.intake(), context.kb, use_diary=False)
    return [{"title": s.title, "how": s.how} for s in plan.steps if s.section == "waiting"]


def first_screen_for(request: Request, context: Any, state: FormState) -> dict[str, Any]:
    """The first screen of a home-care result: get help now, and the first three things to do.
    The medicines and health problems are not asked yet, so no painkiller is called safe."""
    from spasmcare.api.plan import make_plan
    from spasmcare.plan.summary import first_screen

    plan = make_plan(request, state.interview.intake(), context.kb)
    summary = first_screen(plan, medicines_checked=False).model_dump(mode="json")
    summary["timers"] = timers_for(context.kb)
    return summary


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
                    "result": result.model_dump(mode="json"),
                    "waiting": while_you_wait(request, context, state),
                    "page_class": "emergency",
                },
            )
        if mode == "plan":
            return render_details_form(request, context, state)
        return render(
            request,
            "triage/result.html",
            {
                "title": result.label,
                "result": result.model_dump(mode="json"),
                "first": first_screen_for(request, context, state),
                "unanswered": unanswered_labels(result, context),
                "unsure": unsure_summary(result, context),
                "steps_json": state.steps_json,
                "back_url": page_url(state, mode, back=True),
            },
        )
    left = questions_left(state.interview)
    number = state.answered + 1
    return render(
        request,
        "triage/question.html",
        {
            "title": question.text,
            "question": question.model_dump(mode="json"),
            "steps_json": state.steps_json,
            "number": number,
            "total": number - 1 + left if left else None,
            "error": error,
            "mode": mode,
            "sent": sent or Submitted([]),
            "back_url": page_url(state, mode, back=True),
            "pain_buttons": question.kind == "number"
            and question.integer
            and question.minimum == 0
            and question.maximum == 10,
        },
        status_code=status_code,
    )


def restart_page(request: Request, message: str, mode: str = "triage") -> HTMLResponse:
    start = "/plan/new" if mode == "plan" else "/triage"
    return render(
        request,
        "error.html",
        {
            "title": "Please start again",
            "heading": "Please start again",
            "detail": message,
            "problems": [],
            "link": (start, "Start the questions again"),
        },
        status_code=400,
    )


@router.get("/triage", response_class=HTMLResponse, include_in_schema=False)
def show(request: Request, context: Context, s: Token = "", mode: Mode = "triage") -> HTMLResponse:
    """The interview page for the answers in ``s``: the next question, or the result."""
    try:
        state = replay(
            context.kb,
            parse_token(s),
            emergency_call=context.emergency_call,
            context=mode == "plan",
        )
    except IntakeError as exc:
        return restart_page(request, f"We could not read your answers ({exc.summary}).", mode)
    return render_state(request, context, state, mode=mode)


def _next_page(state: FormState, mode: str, *, back: bool = False) -> RedirectResponse:
    return RedirectResponse(page_url(state, mode, back=back), status_code=303)


@router.post("/triage", include_in_schema=False)
async def step(request: Request, context: Context, _csrf: CsrfChecked) -> Response:
    form = await request.form()
    mode = "plan" if form.get("mode") == "plan" else "triage"
    raw_steps = form.get("steps")
    try:
        steps = parse_steps(raw_steps if isinstance(raw_steps, str) else None)
        state = replay(
            context.kb, steps, emergency_call=context.emergency_call, context=mode == "plan"
        )
    except IntakeError as exc:
        return restart_page(request, f"We could not read your answers ({exc.summary}).", mode)
    action = form.get("action", "answer")
    if action == "resume":
        return _next_page(state, mode)
    if action == "back":
        return _next_page(state, mode, back=True)
    question = state.interview.next_question()
    if question is None:  # already finished (page sent twice)
        return _next_page(state, mode)
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
    return _next_page(state, mode)


__all__ = ["page_url", "render_state", "router", "unanswered_labels", "unsure_summary"]
