"""Export the diary (JSON, lossless; or a ZIP of CSV files) and import a JSON export into it."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Query
from fastapi.responses import JSONResponse, Response
from pydantic import WithJsonSchema

from spasmcare.api.auth import ProfileId
from spasmcare.api.diary import Repo
from spasmcare.api.problems import problem_responses
from spasmcare.diary import ImportSummary, export_csv_zip
from spasmcare.diary.transfer import export_json, import_data

router = APIRouter(tags=["export and import"])


ExportBody = Annotated[
    Any,
    Body(),
    WithJsonSchema(
        {"type": "object", "description": "A file from GET /api/v1/export?format=json."}
    ),
]
"""The body of an import, as FastAPI parses it; :func:`import_data` checks it (every problem with
its path, as the CLI reports them)."""


def export_filename(now: datetime, extension: str) -> str:
    return f"spasmcare-diary-{now:%Y-%m-%d}.{extension}"


def export_response(repo: Any, profile: int, format: str) -> Response:
    """The diary as a download (shared by the API and the export page)."""
    now = datetime.now(UTC)
    if format == "csv":
        buffer = io.BytesIO()
        export_csv_zip(repo, profile, buffer, now)
        return Response(
            buffer.getvalue(),
            media_type="application/zip",
            headers={
                "Content-Disposition": f'attachment; filename="{export_filename(now, "zip")}"'
            },
        )
    return JSONResponse(
        export_json(repo, profile, now),
        headers={"Content-Disposition": f'attachment; filename="{export_filename(now, "json")}"'},
    )


@router.get(
    "/export",
    summary="Download the whole diary",
    description="`format=json` (default): every record, lossless, ready to import again. "
    "`format=csv`: a ZIP file with one CSV per kind of record, for spreadsheets.",
    response_class=Response,
    responses={
        200: {
            "description": "The export file.",
            "content": {
                "application/json": {"schema": {"type": "object"}},
                "application/zip": {"schema": {"type": "string", "format": "binary"}},
            },
        },
        **problem_responses(401, 422, 503),
    },
)
def export(
    profile: ProfileId,
    repo: Repo,
    format: Annotated[Literal["json", "csv"], Query(description="File format.")] = "json",
) -> Response:
    return export_response(repo, profile, format)


@router.post(
    "/import",
    response_model=ImportSummary,
    summary="Import a JSON export into this diary (all or nothing)",
    description="The whole file is checked first; if any record is not valid, nothing is written "
    "and every problem is listed with its path, e.g. `episodes[12].worst_pain`.",
    responses=problem_responses(400, 401, 409, 413, 415, 422, 503),
)
def import_diary(body: ExportBody, profile: ProfileId, repo: Repo) -> ImportSummary:
    return import_data(repo, body, into_profile=profile)


__all__ = ["export_filename", "export_response", "router"]
