"""The home page and the about page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from spasmcare.api.context import Context
from spasmcare.web.templating import render

router = APIRouter()


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def home(request: Request) -> HTMLResponse:
    return render(request, "home.html", {"title": "Home"})


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
