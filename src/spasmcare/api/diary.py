"""Diary routes: create, read, update, delete and list (with paging) episodes, treatments, doses,
triage results and scale results, always within the caller's own profile.

A record of another profile is answered exactly like a missing one (404): the repository looks every
record up under the caller's profile id, which comes from the session (multi-user mode) or is the
local profile (single-user mode), never from the request.

(No ``from __future__ import annotations`` here: the route factory below builds functions whose
annotations FastAPI must see as real classes.)
"""

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import AfterValidator, AwareDatetime, BaseModel

from spasmcare.api.auth import ProfileId
from spasmcare.api.context import get_context
from spasmcare.api.problems import problem_responses
from spasmcare.diary import (
    MAX_LIMIT,
    DiaryRepository,
    DoseCreate,
    DosePublic,
    DoseUpdate,
    EpisodeCreate,
    EpisodePublic,
    EpisodeUpdate,
    Page,
    ScaleRecordCreate,
    ScaleRecordPublic,
    ScaleRecordUpdate,
    TreatmentCreate,
    TreatmentPublic,
    TreatmentUpdate,
    TriageRecordCreate,
    TriageRecordPublic,
    TriageRecordUpdate,
)
from spasmcare.diary.repository import Store
from spasmcare.diary.times import as_utc

MAX_OFFSET = 1_000_000_000
MAX_ID = 2**31 - 1


def get_repository(request: Request) -> DiaryRepository:
    return get_context(request).storage.repository


Repo = Annotated[DiaryRepository, Depends(get_repository)]


Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size.")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="How many to skip.")]
Since = Annotated[
    Annotated[AwareDatetime, AfterValidator(as_utc)] | None,
    Query(description="Only records from this time on (inclusive), with a time zone."),
]
Until = Annotated[
    Annotated[AwareDatetime, AfterValidator(as_utc)] | None,
    Query(description="Only records before this time (exclusive), with a time zone."),
]
RecordId = Annotated[int, Query(ge=1, le=MAX_ID)]

router = APIRouter(tags=["diary"])


def _window(
    limit: Limit = 50, offset: Offset = 0, since: Since = None, until: Until = None
) -> dict[str, Any]:
    """The page of a list: how many, from where, and the time window (the same for every kind)."""
    return {"limit": limit, "offset": offset, "since": since, "until": until}


def _no_filters() -> dict[str, Any]:
    return {}


def _treatment_filters(
    episode_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> dict[str, Any]:
    return {"episode_id": episode_id}


def _dose_filters(
    medicine: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
) -> dict[str, Any]:
    return {"medicine": medicine}


def _scale_filters(
    scale: Annotated[str | None, Query(pattern=r"^[a-z][a-z0-9_]{0,39}$")] = None,
) -> dict[str, Any]:
    return {"scale": scale}


_ERRORS = problem_responses(400, 401, 404, 409, 413, 415, 422, 503)


def _crud(
    path: str,
    kind: str,
    create_model: type[BaseModel],
    update_model: type[BaseModel],
    public_model: type[BaseModel],
    store: Callable[[DiaryRepository], Store[Any, Any, Any]],
    plural: str,
    filters: Callable[..., dict[str, Any]] = _no_filters,
) -> None:
    """Register POST (create), GET the list (newest first, with the kind's own ``filters``), GET one,
    PATCH and DELETE for one kind of record."""
    item_path = f"/{path}/{{record_id}}"

    def create(
        data: create_model,  # type: ignore[valid-type]
        profile: ProfileId,
        repo: Repo,
        response: Response,
    ) -> Any:
        record = store(repo).create(profile, data)
        response.headers["Location"] = f"/api/v1/{path}/{record.id}"
        return record

    def listing(
        profile: ProfileId,
        repo: Repo,
        chosen: Annotated[dict[str, Any], Depends(filters)],
        window: Annotated[dict[str, Any], Depends(_window)],
    ) -> Any:
        return store(repo).list(profile, **chosen, **window)

    def read(record_id: Annotated[int, _path_id()], profile: ProfileId, repo: Repo) -> Any:
        return store(repo).get(profile, record_id)

    def change(
        record_id: Annotated[int, _path_id()],
        data: update_model,  # type: ignore[valid-type]
        profile: ProfileId,
        repo: Repo,
    ) -> Any:
        return store(repo).update(profile, record_id, data)

    def remove(record_id: Annotated[int, _path_id()], profile: ProfileId, repo: Repo) -> Response:
        store(repo).delete(profile, record_id)
        return Response(status_code=204)

    router.add_api_route(
        f"/{path}",
        create,
        methods=["POST"],
        status_code=201,
        response_model=public_model,
        summary=f"Record a new {kind}",
        responses=_ERRORS,
        operation_id=f"create_{path.replace('-', '_')}",
    )
    router.add_api_route(
        f"/{path}",
        listing,
        methods=["GET"],
        response_model=Page[public_model],  # type: ignore[valid-type]
        summary=f"{plural}, newest first",
        responses=_ERRORS,
        operation_id=f"list_{path.replace('-', '_')}",
    )
    router.add_api_route(
        item_path,
        read,
        methods=["GET"],
        response_model=public_model,
        summary=f"One {kind}",
        responses=_ERRORS,
        operation_id=f"get_{path.replace('-', '_')}",
    )
    router.add_api_route(
        item_path,
        change,
        methods=["PATCH"],
        response_model=public_model,
        summary=f"Change a {kind}",
        description="Only the fields given change; a field given as null is cleared when it may "
        "be empty.",
        responses=_ERRORS,
        operation_id=f"update_{path.replace('-', '_')}",
    )
    router.add_api_route(
        item_path,
        remove,
        methods=["DELETE"],
        status_code=204,
        response_class=Response,
        summary=f"Delete a {kind}",
        responses=_ERRORS,
        operation_id=f"delete_{path.replace('-', '_')}",
    )


def _path_id() -> Any:
    from fastapi import Path

    return Path(ge=1, le=MAX_ID, description="The record's id.")


_crud(
    "episodes",
    "spasm episode",
    EpisodeCreate,
    EpisodeUpdate,
    EpisodePublic,
    lambda repo: repo.episodes,
    "Spasm episodes",
)
_crud(
    "treatments",
    "treatment",
    TreatmentCreate,
    TreatmentUpdate,
    TreatmentPublic,
    lambda repo: repo.treatments,
    "Treatments",
    _treatment_filters,
)
_crud(
    "doses",
    "medicine dose",
    DoseCreate,
    DoseUpdate,
    DosePublic,
    lambda repo: repo.doses,
    "Medicine doses",
    _dose_filters,
)
_crud(
    "triage-results",
    "triage result",
    TriageRecordCreate,
    TriageRecordUpdate,
    TriageRecordPublic,
    lambda repo: repo.triage_records,
    "Saved triage results",
)
_crud(
    "scale-results",
    "scale result",
    ScaleRecordCreate,
    ScaleRecordUpdate,
    ScaleRecordPublic,
    lambda repo: repo.scale_records,
    "Saved scale results",
    _scale_filters,
)
