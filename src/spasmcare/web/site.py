"""Assembling the web part: the page routers, the static files and HTML error pages."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.responses import Response

from spasmcare.errors import Problem
from spasmcare.web.pages import (
    account,
    diary,
    exchange,
    home,
    learn,
    plan,
    scales,
    triage,
    understand,
)
from spasmcare.web.templating import render

_HEADINGS = {
    400: "Something in the form was not right",
    401: "Please log in",
    403: "That was not allowed",
    404: "Not found",
    409: "That clashes with something saved",
    413: "That file is too large",
    415: "That kind of file is not accepted",
    422: "Something in the form was not right",
    429: "Too many tries",
    503: "The diary cannot be reached right now",
}


def web_router(*, multi_user: bool) -> APIRouter:
    router = APIRouter()
    for module in (home, understand, triage, plan, diary, scales, exchange, learn):
        router.include_router(module.router)
    if multi_user:
        router.include_router(account.router)
    return router


def render_error_page(
    request: Request, status: int, detail: str | None, problems: list[Problem]
) -> Response | None:
    """HTML error pages for the web part (the API keeps problem details)."""
    if status == 401 and request.method == "GET":
        from starlette.responses import RedirectResponse

        return RedirectResponse(f"/account/login?next={request.url.path}", status_code=303)
    heading = _HEADINGS.get(status, "Something went wrong")
    return render(
        request,
        "error.html",
        {
            "title": heading,
            "heading": heading,
            "detail": detail or "",
            "problems": problems,
            "link": ("/", "Go to the home page"),
        },
        status_code=status,
    )


def _static_dir() -> Path:
    return Path(str(resources.files("spasmcare.web").joinpath("static")))


def install_web(app: FastAPI) -> None:
    """Add the pages, the static files and the HTML error pages to ``app``."""
    app.include_router(web_router(multi_user=app.state.spasmcare.settings.multi_user))
    app.mount("/static", StaticFiles(directory=_static_dir()), name="static")
    app.state.problem_renderer = render_error_page
