"""The export page: download the whole diary (JSON or CSV), import a JSON export, and download the
clinician's pre-visit report (PDF or HTML)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from spasmcare.api.auth import ProfileId
from spasmcare.api.context import KB
from spasmcare.api.diary import Repo
from spasmcare.api.exchange import export_response
from spasmcare.api.problems import wants_html
from spasmcare.diary.schemas import AHEAD, EARLIEST, check_day
from spasmcare.diary.transfer import import_data
from spasmcare.errors import ImportFileError, InputError, NotJsonError, Problem
from spasmcare.safejson import loads
from spasmcare.web.csrf import CsrfChecked
from spasmcare.web.localtime import page_zone
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


REPORT_DAYS = 90
"""The default report period: the last 90 days."""
REPORT_FIELDS = {"from": "From", "to": "To"}


def _report_day(raw: str | None, name: str, today: date, problems: list[Problem]) -> date | None:
    """A report date from the form: empty is None (the default); otherwise a YYYY-MM-DD day from
    1900-01-01 to one day after ``today``. A problem is added for anything else."""
    text = (raw or "").strip()
    if not text:
        return None
    allowed = f"a date from {EARLIEST.date()} to {today + AHEAD}, or empty"
    try:
        day = date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        day = None
    if day is None:
        problems.append(Problem(name, f"{text[:40]!r} is not a date (YYYY-MM-DD)", allowed))
        return None
    try:
        return check_day(day, name, today)
    except InputError:
        when = "before 1900" if day < EARLIEST.date() else "more than one day ahead"
        problems.append(Problem(name, f"{day} is {when}", allowed))
        return None


@router.get("/report/download", include_in_schema=False)
def report_download(
    request: Request,
    profile: ProfileId,
    repo: Repo,
    kb: KB,
    start: Annotated[str | None, Query(alias="from", max_length=100)] = None,
    end: Annotated[str | None, Query(alias="to", max_length=100)] = None,
    format: Annotated[Literal["pdf", "html", ""], Query()] = "pdf",
) -> Response:
    """The pre-visit report for a period, rendered by WeasyPrint (PDF) or as one HTML file (a
    format left empty, like the dates, means the default: PDF).

    Dates left empty give the default period (the last 90 days up to today). Dates before 1900 or
    more than a day ahead are refused with every problem at once: on the export page for a browser,
    as a problem document otherwise (422)."""
    format = format or "pdf"
    now = datetime.now(UTC)
    zone = page_zone(request)
    today = now.astimezone(zone).date()
    problems: list[Problem] = []
    first_given = _report_day(start, "from", today, problems)
    last_given = _report_day(end, "to", today, problems)
    last = last_given or today
    first = first_given or max(last - timedelta(days=REPORT_DAYS), EARLIEST.date())
    if not problems and first > last:
        problems.append(
            Problem("from", f"{first} is after the end, {last}", "a date on or before the end")
        )
    if problems:
        if wants_html(request):
            return render(
                request,
                "export.html",
                {
                    "title": "Export and import",
                    "problems": [],
                    "imported": None,
                    "report_problems": [
                        Problem(REPORT_FIELDS.get(p.path, p.path), p.message, p.allowed)
                        for p in problems
                    ],
                    "report_form": {"from": start or "", "to": end or "", "format": format},
                },
                status_code=422,
            )
        raise InputError("the report period is not valid", problems)

    from spasmcare.report import make_report, render_html, render_pdf

    data = make_report(repo, profile, kb, start=first, end=last, now=now, zone=zone)
    html = render_html(data)
    name = f"spasmcare-report-{first}-to-{last}"
    if format == "html":
        return Response(
            html,
            media_type="text/html; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.html"'},
        )
    return Response(
        render_pdf(html),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}.pdf"'},
    )


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
            data = loads(raw, what="the file")
            summary = import_data(repo, data, into_profile=profile)
        except NotJsonError:
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
