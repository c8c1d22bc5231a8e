"""The home page and the about page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from spasmcare.api.context import Context
from spasmcare.knowledge import KnowledgeBase
from spasmcare.web.templating import render

router = APIRouter()


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def home(request: Request, context: Context) -> HTMLResponse:
    from spasmcare.web.pages.plan import timers_for

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
    signs = [
        h.title
        for h in kb.care.items
        if h.section == "get_help" and h.level == "emergency"
    ]
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
