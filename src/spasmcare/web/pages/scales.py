"""The scales pages: the list, a scale's form, its score, and saving it in the diary.

Scales with spasmcare's own wording have a built-in form. Copyrighted questionnaires (ODI, RMDQ,
STarT Back, NDI) have a form only when the server's owner imported a licensed copy
(``spasmcare scales import``); spasmcare never ships their wording.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any, cast
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from spasmcare.api.auth import ProfileId
from spasmcare.api.context import Context
from spasmcare.api.diary import Repo
from spasmcare.diary import ScaleRecordCreate
from spasmcare.errors import InputError, NotFoundError, NotJsonError, Problem
from spasmcare.questionnaires import load_questionnaire
from spasmcare.safejson import loads
from spasmcare.scales import Form, builtin_form, get_scale, list_scales, score, to_form
from spasmcare.scales.forms import applies
from spasmcare.web.csrf import CsrfChecked
from spasmcare.web.templating import render

router = APIRouter(prefix="/scales")
ScaleId = Annotated[str, Path(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
MAX_RESPONSES_JSON = 20_000


def form_for(scale_id: str, context: Any) -> Form | None:
    """The scale's form: built in, or imported by the server's owner; None when there is none."""
    try:
        return builtin_form(scale_id)
    except NotFoundError:
        pass
    imported = load_questionnaire(context.settings.resolved_data_dir(), scale_id)
    return to_form(imported) if imported is not None else None


@router.get("", response_class=HTMLResponse, include_in_schema=False)
def scales_page(request: Request, context: Context) -> HTMLResponse:
    items = []
    for scale in list_scales():
        d = scale.definition
        items.append(
            {
                "id": d.id,
                "name": d.name,
                "measures": d.measures,
                "meaning": d.meaning,
                "rater": d.rater,
                "has_form": form_for(d.id, context) is not None,
                "licence": d.licence.text,
            }
        )
    return render(request, "scales/list.html", {"title": "Scales", "scales": items})


def _form_page(
    request: Request,
    scale_id: str,
    form: Form,
    *,
    chosen: dict[str, str] | None = None,
    problems: list[Problem] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    scale = get_scale(scale_id)
    items = []
    for item in form.items:
        items.append(
            {
                "id": item.id,
                "text": item.text,
                "kind": item.kind,
                "max_length": item.max_length,
                "answers": [(str(i), a.text) for i, a in enumerate(item.answers)],
                "grid": [a.value for a in item.answers] == list(range(11)),
                "optional": item.optional,
                "only_if": (
                    f"Only answer this if your answer to question "
                    f"{[i.id for i in form.items].index(item.enable_when.item) + 1} "
                    f"was more than {item.enable_when.above}."
                )
                if item.enable_when
                else None,
            }
        )
    return render(
        request,
        "scales/form.html",
        {
            "title": form.title,
            "form": form,
            "items": items,
            "scale": scale.info().model_dump(mode="json"),
            "chosen": chosen or {},
            "problems": problems or [],
        },
        status_code=status_code,
    )


def _no_form(scale_id: str) -> NotFoundError:
    return NotFoundError(
        "this scale has no form on this server",
        [Problem("scale", f"{scale_id}: import a licensed copy with `spasmcare scales import`")],
    )


@router.get("/{scale_id}", response_class=HTMLResponse, include_in_schema=False)
def scale_form(request: Request, scale_id: ScaleId, context: Context) -> HTMLResponse:
    """The scale's form; for a licensed questionnaire not imported here, what it measures and how
    to get it (the licence text collapsed), never a dead end."""
    form = form_for(scale_id, context)
    if form is None:
        scale = get_scale(scale_id)  # 404 for an unknown scale
        return render(
            request,
            "scales/about.html",
            {"title": scale.name, "scale": scale.info().model_dump(mode="json")},
        )
    return _form_page(request, scale_id, form)


def responses_from_form(form: Form, data: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """Responses by item id from the submitted form (answers by their position), and the raw picks."""
    responses: dict[str, Any] = {}
    chosen: dict[str, str] = {}
    for item in form.items:
        raw = data.get(f"item-{item.id}")
        text = raw.strip() if isinstance(raw, str) else ""
        chosen[item.id] = text
        if not applies(item, responses):
            continue
        if item.kind == "text":
            responses[item.id] = text or None
        elif text.isdigit() and int(text) < len(item.answers):
            responses[item.id] = item.answers[int(text)].value
        else:
            responses[item.id] = None
    return responses, chosen


def unanswered_problems(form: Form, responses: dict[str, Any]) -> list[Problem]:
    """One plain message per question that applies and has no answer."""
    problems = []
    for number, item in enumerate(form.items, 1):
        if item.id in responses and responses[item.id] is None and not item.optional:
            problems.append(Problem("", f"Please answer question {number}."))
    return problems


@router.post("/{scale_id}", include_in_schema=False)
async def score_form(
    request: Request, scale_id: ScaleId, context: Context, _csrf: CsrfChecked
) -> Response:
    form = form_for(scale_id, context)
    if form is None:
        raise _no_form(scale_id)
    data = await request.form()
    responses, chosen = responses_from_form(form, data)
    try:
        result = score(scale_id, responses)
    except InputError as exc:
        return _form_page(
            request, scale_id, form, chosen=chosen, problems=exc.problems, status_code=422
        )
    if not result.valid:  # nothing to score (an empty form): ask again, never offer to save it
        return _form_page(
            request,
            scale_id,
            form,
            chosen=chosen,
            problems=unanswered_problems(form, responses)
            or [Problem("", p) for p in result.problems],
            status_code=422,
        )
    # Post/redirect/get: the score has its own address, so Back after "Save" works.
    query = urlencode({"r": json.dumps(responses, separators=(",", ":"))})
    return RedirectResponse(f"/scales/{scale_id}/result?{query}", status_code=303)


@router.get("/{scale_id}/result", include_in_schema=False)
def score_page(
    request: Request,
    scale_id: ScaleId,
    context: Context,
    r: Annotated[str, Query(max_length=MAX_RESPONSES_JSON)] = "",
) -> Response:
    """The score of the answers in ``r`` (scored here; nothing is saved until "Save")."""
    scale = get_scale(scale_id)
    if not r:
        return RedirectResponse(f"/scales/{scale_id}", status_code=303)
    try:
        responses = loads(r, what="the answers")
        if not isinstance(responses, dict):
            raise InputError("the answers are not an object", [])
        result = score(scale_id, responses)
    except InputError:  # also NotJsonError: an address that was cut or changed
        result = None
    if result is None or not result.valid:
        form = form_for(scale_id, context)
        if form is None:
            raise _no_form(scale_id)
        return _form_page(
            request,
            scale_id,
            form,
            problems=[Problem("", "Please answer the questions first.")],
            status_code=422,
        )
    return render(
        request,
        "scales/result.html",
        {
            "title": f"{result.name}: your score",
            "result": result.model_dump(mode="json"),
            "meaning": scale.definition.meaning,
            "responses_json": json.dumps(responses, separators=(",", ":")),
            "scale_id": scale_id,
        },
    )


@router.post("/{scale_id}/save", include_in_schema=False)
async def save_score(
    request: Request, scale_id: ScaleId, profile: ProfileId, repo: Repo, _csrf: CsrfChecked
) -> Response:
    data = await request.form()
    raw = data.get("responses")
    if not isinstance(raw, str) or len(raw) > MAX_RESPONSES_JSON:
        raise InputError("the answers could not be read", [Problem("responses", "missing")])
    try:
        responses = loads(raw, what="the answers")
    except NotJsonError as exc:
        raise InputError(
            "the answers could not be read", [Problem("responses", "not valid JSON")]
        ) from exc
    except InputError as exc:
        raise InputError(
            "the answers could not be read",
            [
                Problem(f"responses.{p.path}" if p.path else "responses", p.message, p.allowed)
                for p in exc.problems
            ],
        ) from exc
    if not isinstance(responses, dict):
        raise InputError("the answers could not be read", [Problem("responses", "not an object")])
    result = score(scale_id, responses)  # scored again here: never trust a score sent back
    if not result.valid:
        raise InputError(
            "there is no score to save",
            [Problem("responses", "Please answer the questions first.")],
        )
    record = ScaleRecordCreate.from_result(cast(Any, result), responses, datetime.now(UTC))
    repo.scale_records.create(profile, record)
    return RedirectResponse("/diary/results?saved=1", status_code=303)


__all__ = ["form_for", "responses_from_form", "router"]
