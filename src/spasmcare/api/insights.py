"""What the diary shows: the profile, the dashboard, statistics and charts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from spasmcare.api.auth import ProfileId
from spasmcare.api.diary import Repo
from spasmcare.api.problems import problem_responses
from spasmcare.api.timezones import TimeZoneName, zone_of
from spasmcare.diary import Dashboard, ProfilePublic, ProfileUpdate
from spasmcare.diary.analytics import DiaryStats, stats
from spasmcare.diary.charts import ChartKind
from spasmcare.diary.schemas import Conditions, Medicines, Name
from spasmcare.knowledge.body import Sex

router = APIRouter(tags=["insights"])
_ERRORS = problem_responses(401, 422, 503)
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"
"""The chart's own CSP: matplotlib writes inline styles into the SVG; nothing else is allowed."""


class ProfileChange(BaseModel):
    """Change the diary's profile: only the fields given change (the owning account cannot)."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    age: Annotated[int, Field(ge=0, le=120, strict=True)] | None = None
    sex: Sex | None = None
    conditions: Conditions | None = None
    medicines: Medicines | None = None


@router.get(
    "/profile", response_model=ProfilePublic, summary="The diary's profile", responses=_ERRORS
)
def get_profile(profile: ProfileId, repo: Repo) -> Any:
    return repo.profiles.get(profile)


@router.patch(
    "/profile",
    response_model=ProfilePublic,
    summary="Change the diary's profile",
    responses=problem_responses(400, 401, 413, 415, 422, 503),
)
def change_profile(data: ProfileChange, profile: ProfileId, repo: Repo) -> Any:
    update = ProfileUpdate.model_validate(data.model_dump(include=data.model_fields_set))
    return repo.profiles.update(profile, update)


@router.get(
    "/dashboard",
    response_model=Dashboard,
    summary="The home-screen summary: counts, latest episode and triage, recent pain",
    responses=_ERRORS,
)
def dashboard(profile: ProfileId, repo: Repo) -> Any:
    return repo.dashboard(profile, datetime.now(UTC))


@router.get(
    "/stats",
    response_model=DiaryStats,
    summary="Diary statistics: episodes per week and month, resolution, pain trend, recurrence",
    responses=_ERRORS,
)
def diary_stats(profile: ProfileId, repo: Repo, tz: TimeZoneName = "UTC") -> Any:
    zone = zone_of(tz)
    return stats(repo.snapshot(profile), datetime.now(UTC), zone=zone)


@router.get(
    "/charts/{kind}",
    summary="A diary chart as SVG (accessible, with title and description) or PNG",
    response_class=Response,
    responses={
        200: {
            "description": "The chart.",
            "content": {
                "image/svg+xml": {"schema": {"type": "string"}},
                "image/png": {"schema": {"type": "string", "format": "binary"}},
            },
        },
        **_ERRORS,
    },
)
def chart(
    kind: ChartKind,
    profile: ProfileId,
    repo: Repo,
    format: Annotated[Literal["svg", "png"], Query(description="Image format.")] = "svg",
    tz: TimeZoneName = "UTC",
) -> Response:
    from spasmcare.diary.charts import render_chart

    zone = zone_of(tz)
    snapshot = repo.snapshot(profile)
    # No lock: charts are drawn in parallel, each bounded to the last ten years.
    image = render_chart(kind, snapshot, datetime.now(UTC), fmt=format, zone=zone)
    if format == "svg":
        return Response(
            image, media_type="image/svg+xml", headers={"Content-Security-Policy": SVG_POLICY}
        )
    return Response(image, media_type="image/png")


__all__ = ["SVG_POLICY", "router"]
