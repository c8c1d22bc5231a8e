"""The learn pages: topics in plain words, the warning signs, the glossary, and search."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup, escape

from spasmcare.api.context import Context
from spasmcare.errors import InputError
from spasmcare.knowledge.learn import active_topics, get_topic, link_title, topic_dict
from spasmcare.knowledge.search import MAX_QUERY_CHARS, search
from spasmcare.knowledge.search_docs import KIND_WORDS
from spasmcare.knowledge.topics import LINK_RE
from spasmcare.web.templating import render

router = APIRouter(prefix="/learn")


def link_href(kind: str, target: str) -> str | None:
    """Where a link or search result of this kind leads on the site (None: nowhere to go)."""
    if kind == "topic":
        return f"/learn/{target}"
    if kind == "rule":
        return f"/learn/warning-signs#rule-{target}"
    if kind == "term":
        return f"/learn/glossary#term-{target}"
    return None


def topic_html(text: str) -> Markup:
    """Topic text with its ``[words](kind:id)`` links as HTML links; everything else escaped."""
    out: list[str] = []
    last = 0
    for m in LINK_RE.finditer(text):
        out.append(str(escape(text[last : m.start()])))
        href = link_href(m.group(2), m.group(3))
        words = escape(m.group(1))
        out.append(f'<a href="{escape(href)}">{words}</a>' if href else f"<strong>{words}</strong>")
        last = m.end()
    out.append(str(escape(text[last:])))
    return Markup(" ".join("".join(out).split()))


def marked(snippet: str, marks: tuple[tuple[int, int], ...]) -> Markup:
    """A search snippet with the matched words in ``<mark>``."""
    out: list[str] = []
    last = 0
    for start, end in sorted(marks):
        if start < last:
            continue
        out.append(str(escape(snippet[last:start])))
        out.append(f"<mark>{escape(snippet[start:end])}</mark>")
        last = end
    out.append(str(escape(snippet[last:])))
    return Markup("".join(out))


@router.get("", response_class=HTMLResponse, include_in_schema=False)
def learn_index(request: Request, context: Context) -> HTMLResponse:
    return render(
        request,
        "learn/index.html",
        {"title": "Learn", "topics": active_topics(context.kb), "query": "", "hits": None},
    )


@router.get("/search", response_class=HTMLResponse, include_in_schema=False)
def learn_search(
    request: Request,
    context: Context,
    q: Annotated[str, Query(max_length=MAX_QUERY_CHARS)] = "",
) -> HTMLResponse:
    hits = []
    suggestion = None
    error = None
    if q.strip():
        try:
            results = search(context.kb, q, limit=15)
        except InputError as exc:
            error = exc.problems[0].message if exc.problems else exc.summary
        else:
            suggestion = results.suggestion
            hits = [
                {
                    "title": h.title,
                    "kind": h.kind,
                    "kind_words": KIND_WORDS.get(h.kind, "page"),
                    "href": link_href(h.kind, h.id),
                    "snippet": marked(h.snippet, h.marks),
                }
                for h in results.results
            ]
    return render(
        request,
        "learn/search.html",
        {
            "title": f"Search: {q}" if q else "Search",
            "query": q,
            "hits": hits,
            "suggestion": suggestion,
            "error": error,
        },
    )


@router.get("/warning-signs", response_class=HTMLResponse, include_in_schema=False)
def warning_signs(request: Request, context: Context) -> HTMLResponse:
    kb = context.kb
    levels = {d.value: kb.dispositions[d].label for d in kb.dispositions}
    rules = [
        {
            "id": r.id,
            "title": r.title,
            "level": levels.get(r.disposition.value, r.disposition.value),
            "advice": r.advice.replace("{emergency}", context.emergency_call),
            "rationale": r.rationale,
            "sources": [kb.sources[s] for s in r.references],
        }
        for r in kb.active_rules
    ]
    return render(request, "learn/warning_signs.html", {"title": "Warning signs", "rules": rules})


@router.get("/glossary", response_class=HTMLResponse, include_in_schema=False)
def glossary(request: Request, context: Context) -> HTMLResponse:
    terms = sorted(context.kb.glossary.values(), key=lambda t: t.term.lower())
    return render(request, "learn/glossary.html", {"title": "Medical words", "terms": terms})


@router.get("/{topic_id}", response_class=HTMLResponse, include_in_schema=False)
def topic_page(
    request: Request,
    context: Context,
    topic_id: Annotated[str, Path(pattern=r"^[a-z][a-z0-9_]{0,63}$")],
) -> HTMLResponse:
    kb = context.kb
    topic = get_topic(kb, topic_id)
    data = topic_dict(kb, topic)
    return render(
        request,
        "learn/topic.html",
        {
            "title": topic.title,
            "topic": data,
            "sections": [(s.heading, topic_html(s.body)) for s in topic.sections],
            "related_rules": [
                {"title": link_title(kb, "rule", r), "href": link_href("rule", r)}
                for r in topic.rules
            ],
            "see_also": [
                {"title": link_title(kb, "topic", t), "href": link_href("topic", t)}
                for t in topic.see_also
            ],
        },
    )


__all__ = ["link_href", "marked", "router", "topic_html"]
