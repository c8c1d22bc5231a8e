"""The care plan pages: the questions (the triage interview plus the plan's context questions), a
short form for medicines and health conditions, the plan with heat, cold and stretch timers, and
the timers on their own pages.

The plan is saved in the diary (as the triage result it was made from, with the plan's answers and
the note :data:`PLAN_NOTE`), so "My care plan" opens the last plan instead of asking again. Its
first screen shows the signs that mean "get help now" and the first three things to do; the rest is
grouped as Now / Today / This week with every detail collapsed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from spasmcare.api.context import Context
from spasmcare.api.plan import make_plan, profile_if_any
from spasmcare.diary import TriageRecordCreate
from spasmcare.errors import IntakeError, NotFoundError, Problem
from spasmcare.knowledge import KnowledgeBase
from spasmcare.plan import CarePlan, MedicineAdvice
from spasmcare.plan.summary import first_screen
from spasmcare.triage import evaluate, parse_intake
from spasmcare.web.csrf import CsrfChecked
from spasmcare.web.interview_form import parse_steps, replay
from spasmcare.web.localtime import page_zone, show
from spasmcare.web.pages.details import render_details_form
from spasmcare.web.pages.triage import render_state
from spasmcare.web.templating import render
from spasmcare.web.timers import timers_for

router = APIRouter()

PERIODS = (
    ("now", "Now", ("waiting", "now", "pain_relief")),
    ("today", "Today", ("stretches",)),
    ("week", "This week", ("coming_days", "prevention")),
)
"""The plan's sections grouped by when to do them (the instruction is the page's heading)."""
VERDICTS = {"ok": "OK for you", "caution": "Take care", "avoid": "Do not take"}
NOT_ADVISED = "Not advised for back spasms"
MAX_MEDICINES = 30
PLAN_NOTE = "Saved with a care plan."
"""The note on a saved triage result that holds a care plan's answers."""
PLANS_SEARCHED = 50


def plan_start(request: Request, context: Any, *, notice: str | None = None) -> HTMLResponse:
    return render(
        request,
        "plan/start.html",
        {
            "title": "Your care plan",
            "notice": notice,
            "can_save": profile_if_any(request, context) is not None,
        },
    )


def last_saved_plan(request: Request, context: Any) -> Any | None:
    """The newest saved triage result that holds a care plan's answers, or None."""
    profile = profile_if_any(request, context)
    if profile is None:
        return None
    records = context.storage.repository.triage_records.list(profile, limit=PLANS_SEARCHED)
    return next((r for r in records.items if r.notes == PLAN_NOTE), None)


@router.get("/plan", response_class=HTMLResponse, include_in_schema=False)
def my_plan(
    request: Request, context: Context, saved: Annotated[int, Query(ge=0, le=1)] = 0
) -> HTMLResponse:
    """The last plan made (rebuilt with today's advice and recorded doses), or the start page."""
    record = last_saved_plan(request, context)
    if record is None:
        return plan_start(request, context)
    kb: KnowledgeBase = context.kb
    try:
        intake = parse_intake(record.intake, kb)
        incomplete = bool(evaluate(intake, kb).unanswered)
    except IntakeError:
        incomplete = True
    if incomplete:
        return plan_start(
            request,
            context,
            notice="The questions have changed since you made your last plan. Please answer "
            "them again to get a plan you can trust.",
        )
    plan = make_plan(request, intake, kb)
    page = plan_context(plan, kb, medicines_checked=True)
    page.update(
        {
            "title": "Your care plan",
            "made": show(record.taken_at, page_zone(request)),
            "saved": bool(saved),
        }
    )
    return render(request, "plan/plan.html", page)


@router.get("/plan/new", response_class=HTMLResponse, include_in_schema=False)
def new_plan(request: Request, context: Context) -> HTMLResponse:
    return plan_start(request, context)


TimerKind = Annotated[str, Path(pattern=r"^[a-z][a-z_]{0,39}$")]


@router.get("/timer", response_class=HTMLResponse, include_in_schema=False)
def timers_page(request: Request, context: Context) -> HTMLResponse:
    timers = timers_for(context.kb)
    return render(
        request,
        "plan/timers.html",
        {"title": "Timers", "timers": timers, "only": None, "autostart": False},
    )


@router.get("/timer/{kind}", response_class=HTMLResponse, include_in_schema=False)
def timer_page(
    request: Request,
    context: Context,
    kind: TimerKind,
    start: Annotated[int, Query(ge=0, le=1)] = 0,
) -> HTMLResponse:
    """One timer (heat, cold or the stretch routine); ``start=1`` starts it at once."""
    timers = timers_for(context.kb)
    if kind not in timers:
        raise NotFoundError("there is no such timer", [Problem("kind", kind, ", ".join(timers))])
    return render(
        request,
        "plan/timers.html",
        {
            "title": f"{timers[kind]['title']} timer",
            "timers": timers,
            "only": kind,
            "autostart": bool(start),
        },
    )


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


def verdict_words(medicine: MedicineAdvice) -> tuple[str, str]:
    """What the page says about a medicine for this person, and the style to show it in.

    A medicine advised against for back spasms is never called "OK for you", whatever its safety
    checks found: it says "not advised for back spasms" (and "do not take" when a check forbids it).
    """
    if medicine.verdict == "avoid":
        return VERDICTS["avoid"], "avoid"
    if medicine.grade == "against":
        return NOT_ADVISED, "caution"
    return VERDICTS.get(medicine.verdict, medicine.verdict), medicine.verdict


def plan_context(plan: CarePlan, kb: KnowledgeBase, *, medicines_checked: bool) -> dict[str, Any]:
    data = plan.model_dump(mode="json")
    sections: dict[str, list[dict[str, Any]]] = {}
    for step in data["steps"]:
        sections.setdefault(step["section"], []).append(step)
    medicines = []
    for advice, shown in zip(plan.medicines, data["medicines"], strict=True):
        words, style = verdict_words(advice)
        medicines.append({**shown, "verdict_words": words, "verdict_class": style})
    periods = []
    for key, heading, members in PERIODS:
        steps = [step for section in members for step in sections.get(section, [])]
        if steps or (key == "now" and medicines) or (key == "week" and plan.other_options):
            periods.append((key, heading, steps))
    timers = timers_for(kb)
    first = first_screen(plan, medicines_checked=medicines_checked).model_dump(mode="json")
    first["timers"] = timers
    return {
        "plan": data,
        "periods": periods,
        "medicines": medicines,
        "timers": timers,
        "first": first,
        "made": None,
        "saved": False,
    }


def save_plan(request: Request, context: Any, intake: Any, kb: KnowledgeBase) -> bool:
    """Keep the plan's answers in the diary (with the triage result they give); False when there
    is no diary to keep them in (multi-user mode without a login)."""
    profile = profile_if_any(request, context)
    if profile is None:
        return False
    record = TriageRecordCreate.from_result(
        intake, evaluate(intake, kb, emergency_call=context.emergency_call), datetime.now(UTC)
    ).model_copy(update={"notes": PLAN_NOTE})
    context.storage.repository.triage_records.create(profile, record)
    return True


@router.post("/plan", include_in_schema=False)
async def plan_page(request: Request, context: Context, _csrf: CsrfChecked) -> Response:
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
                "link": ("/plan/new", "Start the care plan again"),
            },
            status_code=400,
        )
    if state.interview.next_question() is not None:  # not finished: carry on asking
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
    if save_plan(request, context, intake, context.kb):
        return RedirectResponse("/plan?saved=1", status_code=303)
    plan = make_plan(request, intake, context.kb)
    page = plan_context(plan, context.kb, medicines_checked=True)
    page.update({"title": "Your care plan"})
    return render(request, "plan/plan.html", page)


__all__ = [
    "PLAN_NOTE",
    "plan_context",
    "router",
    "save_plan",
    "verdict_words",
]
