"""Learn routes: plain-language topics and the search over topics, rules and care content."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel

from spasmcare.api.context import Context
from spasmcare.api.problems import problem_responses
from spasmcare.knowledge.learn import active_topics, get_topic, topic_dict
from spasmcare.knowledge.search import KINDS, MAX_LIMIT, MAX_QUERY_CHARS, SearchResults, search

router = APIRouter(tags=["learn"])


class TopicSummary(BaseModel):
    id: str
    title: str
    summary: str
    regions: list[str]


@router.get(
    "/search",
    response_model=SearchResults,
    summary="Search topics, warning signs, care, stretches, remedies and medicines",
    description="Best first. Words are matched with synonyms and spelling correction; the query is "
    "never treated as search syntax.",
    responses=problem_responses(422),
)
def search_knowledge(
    context: Context,
    q: Annotated[
        str, Query(min_length=1, max_length=MAX_QUERY_CHARS, description="What to look for.")
    ],
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 10,
    kinds: Annotated[
        list[str] | None,
        Query(description=f"Only these kinds: {', '.join(KINDS)}.", max_length=len(KINDS)),
    ] = None,
) -> SearchResults:
    return search(context.kb, q, limit=limit, kinds=kinds)


@router.get(
    "/topics", response_model=list[TopicSummary], summary="The learn topics, in reading order"
)
def topics(context: Context) -> Any:
    return [
        {
            "id": t.id,
            "title": t.title,
            "summary": " ".join(t.summary.split()),
            "regions": list(t.regions),
        }
        for t in active_topics(context.kb)
    ]


@router.get(
    "/topics/{topic_id}",
    response_model=dict[str, Any],
    summary="One topic: its sections, links, related warning signs and care, and sources",
    responses=problem_responses(404, 422),
)
def topic(
    context: Context, topic_id: Annotated[str, Path(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
) -> Any:
    return topic_dict(context.kb, get_topic(context.kb, topic_id))


__all__ = ["router"]
