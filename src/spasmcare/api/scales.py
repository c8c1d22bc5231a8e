"""Scale routes: the instruments, scoring, comparing two results, and saving a scored result."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, cast

from fastapi import APIRouter, Path, Response
from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

from spasmcare.api.auth import ProfileId
from spasmcare.api.diary import Repo
from spasmcare.api.problems import problem_responses
from spasmcare.diary import ScaleRecordCreate, ScaleRecordPublic
from spasmcare.diary.times import as_utc
from spasmcare.errors import NotFoundError
from spasmcare.scales import (
    Change,
    Form,
    ScaleResult,
    builtin_form,
    compare,
    get_scale,
    list_scales,
    score,
)

router = APIRouter(prefix="/scales", tags=["scales"])

ScaleIdPath = Annotated[str, Path(pattern=r"^[a-z][a-z0-9_]{0,39}$", description="e.g. nrs")]
Answer = bool | int | str | None
Responses = Annotated[dict[str, Answer], Field(max_length=200)]


class ScoreIn(BaseModel):
    """Responses by item id (see the scale's ``items``; answer values as in its form)."""

    model_config = ConfigDict(extra="forbid")

    responses: Responses


class CompareIn(BaseModel):
    """Two sets of responses to the same scale, the earlier first."""

    model_config = ConfigDict(extra="forbid")

    before: Responses
    after: Responses


class SaveIn(BaseModel):
    """Responses to score and save in the diary."""

    model_config = ConfigDict(extra="forbid")

    responses: Responses
    taken_at: Annotated[AwareDatetime, AfterValidator(as_utc)] | None = Field(
        default=None, description="When it was filled in (default: now)."
    )
    episode_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    notes: str = Field(default="", max_length=5000)


def form_dict(form: Form) -> dict[str, Any]:
    return {
        "title": form.title,
        "intro": form.intro,
        "source": form.source,
        "items": [
            {
                "id": item.id,
                "text": item.text,
                "kind": item.kind,
                "max_length": item.max_length,
                "enable_when": item.enable_when.model_dump() if item.enable_when else None,
                "answers": [{"value": a.value, "text": a.text} for a in item.answers],
            }
            for item in form.items
        ],
    }


def scale_dict(scale_id: str) -> dict[str, Any]:
    """The scale's definition plus its built-in form (null when its wording must be imported)."""
    data = get_scale(scale_id).info().model_dump(mode="json")
    try:
        data["form"] = form_dict(builtin_form(scale_id))
    except NotFoundError:
        data["form"] = None
    return data


@router.get(
    "", response_model=list[dict[str, Any]], summary="Every scale, with its licence and codes"
)
def scales() -> Any:
    return [scale_dict(s.id) for s in list_scales()]


@router.get(
    "/{scale_id}",
    response_model=dict[str, Any],
    summary="One scale and its built-in form",
    responses=problem_responses(404, 422),
)
def one_scale(scale_id: ScaleIdPath) -> Any:
    return scale_dict(scale_id)


@router.post(
    "/{scale_id}/score",
    response_model=ScaleResult,
    summary="Score responses (nothing is saved)",
    responses=problem_responses(400, 404, 413, 415, 422),
)
def score_scale(scale_id: ScaleIdPath, data: ScoreIn) -> ScaleResult:
    return score(scale_id, data.responses)


@router.post(
    "/{scale_id}/compare",
    response_model=Change,
    summary="Is the change between two results meaningful?",
    description="Uses the published minimal clinically important difference of the scale.",
    responses=problem_responses(400, 404, 413, 415, 422),
)
def compare_scale(scale_id: ScaleIdPath, data: CompareIn) -> Change:
    return compare(scale_id, score(scale_id, data.before), score(scale_id, data.after))


@router.post(
    "/{scale_id}/results",
    status_code=201,
    response_model=ScaleRecordPublic,
    summary="Score responses and save the result in the diary",
    responses=problem_responses(400, 401, 404, 409, 413, 415, 422, 503),
)
def save_result(
    scale_id: ScaleIdPath, data: SaveIn, profile: ProfileId, repo: Repo, response: Response
) -> Any:
    result = score(scale_id, data.responses)
    record = ScaleRecordCreate.from_result(
        cast(Any, result), data.responses, data.taken_at or datetime.now(UTC), data.episode_id
    )
    if data.notes:
        record = record.model_copy(update={"notes": data.notes.strip()})
    saved = repo.scale_records.create(profile, record)
    response.headers["Location"] = f"/api/v1/scale-results/{saved.id}"
    return saved


__all__ = ["form_dict", "router", "scale_dict"]
