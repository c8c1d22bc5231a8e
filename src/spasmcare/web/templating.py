"""The Jinja2 environment of the web pages and :func:`render`, which every page goes through.

Templates are autoescaped, loaded once per process from the package, and never contain inline script
or style (the Content-Security-Policy forbids both).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from spasmcare.api.auth import current_account
from spasmcare.web.csrf import csrf_token, set_csrf_cookie

NAV: tuple[tuple[str, str], ...] = (
    ("/triage", "Symptoms"),
    ("/plan", "Plan"),
    ("/diary", "Diary"),
    ("/scales", "Scales"),
    ("/learn", "Learn"),
)
"""The main menu: short enough for one line on a 390 px phone (Export is in the diary's menu)."""


@functools.lru_cache(maxsize=1)
def static_version() -> str:
    """The release, added to static file addresses so a new release is fetched afresh."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("spasmcare")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
        return "dev"


def static_url(path: str) -> str:
    return f"/static/{path}?v={static_version()}"


@functools.lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("spasmcare.web", "templates"),
        autoescape=select_autoescape(["html", "svg"], default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
        auto_reload=False,
    )
    env.globals["static"] = static_url
    env.globals["NAV"] = NAV
    env.filters["tel"] = tel_href
    env.globals["source_href"] = source_href
    return env


def source_href(source: Any) -> str | None:
    """Where a source can be read: its URL, else its DOI as a link, else None (citation only).

    Takes a knowledge-base source, a :class:`~spasmcare.triage.engine.SourceRef` or their JSON
    form (a dict that may leave ``url`` out), so no page fails on a source without a URL."""
    if isinstance(source, Mapping):
        url, doi = source.get("url"), source.get("doi")
    else:
        url, doi = getattr(source, "url", None), getattr(source, "doi", None)
    if isinstance(url, str) and url:
        return url
    return f"https://doi.org/{doi}" if isinstance(doi, str) and doi else None


def tel_href(number: str) -> str:
    """A ``tel:`` link target with only the characters a phone number may contain."""
    return "tel:" + "".join(ch for ch in number if ch.isdigit() or ch in "+*#")


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """Render a page; sets the CSRF cookie when the browser does not have one yet."""
    app_context = request.app.state.spasmcare
    data: dict[str, Any] = {
        "request": request,
        "path": request.url.path,
        "csrf_token": csrf_token(request),
        "multi_user": app_context.settings.multi_user,
        "user": current_account(request) if app_context.settings.multi_user else None,
        "emergency_numbers": emergency_numbers(app_context.settings.emergency_number),
        "emergency_call": app_context.emergency_call,
        "title": "",
    }
    if context:
        data.update(context)
    html = environment().get_template(template).render(data)
    response = HTMLResponse(html, status_code=status_code, headers=dict(headers or {}))
    set_csrf_cookie(request, response)
    return response


def emergency_numbers(configured: str | None) -> list[str]:
    """The numbers to offer as call buttons: the configured one, or the common ones."""
    if configured:
        return [configured]
    return ["911", "999", "112"]


__all__ = [
    "NAV",
    "emergency_numbers",
    "environment",
    "render",
    "source_href",
    "static_url",
    "static_version",
    "tel_href",
]
