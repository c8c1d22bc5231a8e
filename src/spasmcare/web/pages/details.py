"""The last step before a care plan: the short form for medicines, health conditions, pregnancy
week, alcohol and weight (shown after the plan's questions, and again with its problems)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from spasmcare.api.plan import profile_if_any
from spasmcare.errors import Problem
from spasmcare.web.interview_form import FormState
from spasmcare.web.templating import render


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
            profile = context.storage.repository.profiles.get(profile_id)
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
