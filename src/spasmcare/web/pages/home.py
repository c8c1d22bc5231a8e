"""The home page and the about page."""

from __future__ import annotations

import json
from importlib import resources

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from spasmcare.api.context import Context
from spasmcare.knowledge import KnowledgeBase
from spasmcare.web.templating import render
from spasmcare.web.timers import timers_for

router = APIRouter()


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def home(request: Request, context: Context) -> HTMLResponse:
    return render(request, "home.html", {"title": "Home", "timers": timers_for(context.kb)})


def emergency_waiting(kb: KnowledgeBase, call: str) -> list[dict[str, str]]:
    """What to do while waiting for an ambulance (the care items for an emergency)."""
    return [
        {"title": i.title, "how": i.how.replace("{emergency}", call)}
        for i in kb.care.items
        if i.section == "waiting" and "emergency" in i.dispositions and i.when is None
    ]


@router.get("/emergency", response_class=HTMLResponse, include_in_schema=False)
def emergency(request: Request, context: Context) -> HTMLResponse:
    """What to do in an emergency: the call, the signs, and what to do while waiting. Kept by the
    service worker, so it opens without a connection after a first visit."""
    kb = context.kb
    signs = [h.title for h in kb.care.items if h.section == "get_help" and h.level == "emergency"]
    return render(
        request,
        "emergency.html",
        {
            "title": "Emergency",
            "page_class": "emergency",
            "signs": signs[:8],
            "waiting": emergency_waiting(kb, context.emergency_call),
        },
    )


@router.get("/about", response_class=HTMLResponse, include_in_schema=False)
def about(request: Request, context: Context) -> HTMLResponse:
    kb = context.kb
    sources = [
        {"citation": s.citation, "url": s.url or (f"https://doi.org/{s.doi}" if s.doi else None)}
        for s in sorted(kb.sources.values(), key=lambda s: s.citation.lower())
    ]
    return render(
        request,
        "about.html",
        {"title": "About", "knowledge_version": kb.version, "sources": sources},
    )


MANIFEST_ICONS = (
    ("icon-192.png", "192x192", "image/png"),
    ("icon-512.png", "512x512", "image/png"),
)


@router.get("/manifest.webmanifest", include_in_schema=False)
def manifest() -> Response:
    """The web app manifest: "Add to home screen" opens spasmcare like an app."""
    from spasmcare.web.templating import static_url

    data = {
        "name": "spasmcare",
        "short_name": "spasmcare",
        "description": "Help for sudden back and neck muscle spasms: where to get help, home care, "
        "timers and a diary.",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b4f8a",
        "icons": [
            {"src": static_url(name), "sizes": sizes, "type": kind, "purpose": "any"}
            for name, sizes, kind in MANIFEST_ICONS
        ]
        + [{"src": static_url("icon.svg"), "sizes": "any", "type": "image/svg+xml"}],
    }
    return Response(json.dumps(data, indent=1), media_type="application/manifest+json")


@router.get("/sw.js", include_in_schema=False)
def service_worker() -> Response:
    """The service worker, served from the root so that it may keep pages of the whole site."""
    from spasmcare.web.templating import static_url, static_version

    source = resources.files("spasmcare.web").joinpath("static/js/sw.js").read_text("utf-8")
    kept = [static_url(p) for p in ("css/app.css", "js/app.js", "vendor/htmx.min.js", "icon.svg")]
    source = source.replace("__VERSION__", static_version()).replace("__STATIC__", json.dumps(kept))
    return Response(
        source,
        media_type="text/javascript",
        headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/"},
    )
