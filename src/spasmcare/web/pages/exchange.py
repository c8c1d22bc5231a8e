"""The export page: download the whole diary (JSON or CSV) and import a JSON export."""

from __future__ import annotations

import json
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from spasmcare.api.auth import ProfileId
from spasmcare.api.diary import Repo
from spasmcare.api.exchange import export_response
from spasmcare.diary.transfer import import_data
from spasmcare.errors import ImportFileError, InputError, Problem
from spasmcare.web.csrf import CsrfChecked
from spasmcare.web.templating import render

router = APIRouter()


@router.get("/export", response_class=HTMLResponse, include_in_schema=False)
def export_page(request: Request, profile: ProfileId) -> HTMLResponse:
    return render(
        request, "export.html", {"title": "Export and import", "problems": [], "imported": None}
    )


@router.get("/export/download", include_in_schema=False)
def download(
    profile: ProfileId,
    repo: Repo,
    format: Annotated[Literal["json", "csv"], Query()] = "json",
) -> Response:
    return export_response(repo, profile, format)


@router.post("/diary/import", response_class=HTMLResponse, include_in_schema=False)
async def import_file(
    request: Request, profile: ProfileId, repo: Repo, _csrf: CsrfChecked
) -> HTMLResponse:
    form = await request.form()
    upload = form.get("file")
    problems: list[Problem] = []
    summary = None
    if not isinstance(upload, UploadFile) or not upload.filename:
        await form.close()
        problems = [Problem("file", "choose a file to import", "a .json file from Export")]
    else:
        try:
            raw = await upload.read()
        finally:
            await form.close()
        try:
            data = json.loads(raw.decode("utf-8-sig"))
            summary = import_data(repo, data, into_profile=profile)
        except (UnicodeDecodeError, json.JSONDecodeError):
            problems = [Problem("file", "is not a JSON file", "a .json file from Export")]
        except (ImportFileError, InputError) as exc:
            problems = exc.problems or [Problem("file", exc.summary)]
    return render(
        request,
        "export.html",
        {
            "title": "Export and import",
            "problems": problems,
            "imported": dict(summary.counts) if summary else None,
        },
        status_code=422 if problems else 200,
    )


__all__ = ["router"]
