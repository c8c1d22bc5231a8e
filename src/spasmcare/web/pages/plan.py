"""The care plan pages: the questions (the triage interview plus the plan's context questions), a
short form for medicines and health conditions, and the plan with heat, cold and stretch timers."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from spasmcare.api.context import Context
from spasmcare.api.plan import make_plan, profile_if_any
from spasmcare.errors import IntakeError, Problem
from spasmcare.knowledge import KnowledgeBase
from spasmcare.plan import CarePlan
from spasmcare.triage import parse_intake
from spasmcare.web.csrf import CsrfChecked
from spasmcare.web.interview_form import FormState, parse_steps, replay
from spasmcare.web.templating import render

router = APIRouter()

SECTIONS = {
    "instruction": "What to do",
    "waiting": "While you wait",
    "now": "Right now",
    "pain_relief": "Pain relief",
    "stretches": "Stretches",
    "coming_days": "In the coming days",
    "prevention": "To stop it coming back",
}
VERDICTS = {"ok": "OK for you", "caution": "Take care", "avoid": "Do not take"}
MAX_MEDICINES = 30


def timers_for(kb: KnowledgeBase) -> dict[str, dict[str, Any]]:
    """Timer settings by the plan item they belong to (heat, cold, stretch routine)."""
    found: dict[str, dict[str, Any]] = {}
    for timer in kb.care.timers.values():
        on_choices = []
        minutes = timer.on_minutes
        while minutes <= timer.max_on_minutes:
            on_choices.append(minutes)
            minutes += 5
        found[timer.item] = {
            "id": timer.id,
            "title": timer.title,
            "on_seconds": round(timer.on_minutes * 60),
            "off_seconds": round(timer.off_minutes * 60),
            "cycles": timer.cycles,
            "on_choices": on_choices,
            "on_text": timer.on_text,
            "off_text": timer.off_text,
            "done_text": timer.done_text,
            "on_minutes": timer.on_minutes,
            "off_minutes": timer.off_minutes,
        }
    return found


def render_details_form(
    request: Request,
    context: Any,
    state: FormState,
    *,
    values: dict[str, Any] | None = None,
    problems: list[Problem] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The last step before the plan: medicines, conditions, pregnancy week, alcohol and weight."""
    answers = state.interview.answers()
    if values is None:
        values = {"medicines": "", "conditions": []}
        profile_id = profile_if_any(request, context)
        if profile_id is not None:
            profile = context.storage.repository.get_profile(profile_id)
            values = {"medicines": ", ".join(profile.medicines), "conditions": profile.conditions}
        if "medicines" in answers:  # asked in the interview (knowledge base 1.1.0 and later)
            values["medicines"] = ", ".join(answers["medicines"])
    return render(
        request,
        "plan/details.html",
        {
            "title": "About your medicines and health",
            "steps_json": state.steps_json,
            "conditions": [{"id": c.id, "label": c.label} for c in context.kb.conditions.values()],
            "pregnant": answers.get("pregnant") is True,
            "values": values,
            "problems": problems or [],
        },
        status_code=status_code,
    )


@router.get("/plan", response_class=HTMLResponse, include_in_schema=False)
def plan_start(request: Request) -> HTMLResponse:
    return render(request, "plan/start.html", {"title": "Your care plan"})


def _number(form_value: Any, path: str, problems: list[Problem], *, integer: bool) -> Any:
    text = form_value.strip() if isinstance(form_value, str) else ""
    if not text:
        return None
    try:
        return int(text) if integer else float(text.replace(",", "."))
    except ValueError:
        kind = "a whole number" if integer else "a number"
        problems.append(Problem(path, f"{text!r} is not {kind}", kind))
        return None


def plan_context(plan: CarePlan, kb: KnowledgeBase) -> dict[str, Any]:
    data = plan.to_dict()
    sections: dict[str, list[dict[str, Any]]] = {}
    for step in data["steps"]:
        sections.setdefault(step["section"], []).append(step)
    return {
        "plan": data,
        "sections": [
            (key, SECTIONS.get(key, key), sections[key]) for key in SECTIONS if key in sections
        ],
        "timers": timers_for(kb),
        "verdicts": VERDICTS,
    }


@router.post("/plan", response_class=HTMLResponse, include_in_schema=False)
async def plan_page(request: Request, context: Context, _csrf: CsrfChecked) -> HTMLResponse:
    form = await request.form()
    raw = form.get("steps")
    try:
        state = replay(
            context.kb,
            parse_steps(raw if isinstance(raw, str) else None),
            emergency_call=context.emergency_call,
            context=True,
        )
    except IntakeError:
        return render(
            request,
            "error.html",
            {
                "title": "Please start again",
                "heading": "Please start again",
                "detail": "We could not read your answers.",
                "problems": [],
                "link": ("/plan", "Start the care plan again"),
            },
            status_code=400,
        )
    if state.interview.next_question() is not None:  # not finished: carry on asking
        from spasmcare.web.pages.triage import render_state

        return render_state(request, context, state, mode="plan")
    problems: list[Problem] = []
    raw_medicines = form.get("medicines")
    medicine_text = raw_medicines if isinstance(raw_medicines, str) else ""
    medicines = [m.strip() for m in medicine_text.replace("\n", ",").split(",") if m.strip()]
    if len(medicines) > MAX_MEDICINES:
        problems.append(Problem("medicines", "too many medicines", f"at most {MAX_MEDICINES}"))
    conditions = [c for c in form.getlist("conditions") if isinstance(c, str)]
    data = dict(state.interview.answers())
    data["medicines"] = medicines[:MAX_MEDICINES]
    data["conditions"] = conditions
    for name, integer in (
        ("pregnancy_weeks", True),
        ("alcohol_drinks_per_day", False),
        ("weight_kg", False),
    ):
        value = _number(form.get(name), name, problems, integer=integer)
        if value is not None:
            data[name] = value
    values = {"medicines": medicine_text, "conditions": conditions}
    for name in ("pregnancy_weeks", "alcohol_drinks_per_day", "weight_kg"):
        raw_value = form.get(name)
        values[name] = raw_value if isinstance(raw_value, str) else ""
    if not problems:
        try:
            intake = parse_intake(data, context.kb)
        except IntakeError as exc:
            problems = exc.problems
    if problems:
        return render_details_form(
            request, context, state, values=values, problems=problems, status_code=422
        )
    plan = make_plan(request, intake, context.kb)
    page = plan_context(plan, context.kb)
    page.update({"title": "Your care plan", "steps_json": state.steps_json})
    return render(request, "plan/plan.html", page)


__all__ = ["plan_context", "render_details_form", "router", "timers_for"]
