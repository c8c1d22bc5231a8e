"""Learn topics as the CLI, the API and the web pages read them: in reading order, by id (with
"did you mean"), with the titles of the items they link to, and as JSON-ready data."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from spasmcare.errors import NotFoundError, Problem
from spasmcare.knowledge.schema import KnowledgeBase
from spasmcare.knowledge.topics import Topic


def active_topics(kb: KnowledgeBase) -> list[Topic]:
    """The topics of a knowledge base in reading order: by ``order`` (most important first), then
    the rest in file order of ids."""
    active = [t for t in kb.topics.values() if t.status == "active"]
    return sorted(active, key=lambda t: (t.order is None, t.order or 0))


def get_topic(kb: KnowledgeBase, topic_id: str) -> Topic:
    """One topic by id; NotFoundError names the closest ids when there is no such topic."""
    topic = kb.topics.get(topic_id)
    if topic is None or topic.status != "active":
        known = [t.id for t in active_topics(kb)]
        close = difflib.get_close_matches(topic_id, known, n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise NotFoundError(
            f"no topic {topic_id!r} in knowledge base {kb.version}{hint}",
            [Problem("topic", f"unknown topic {topic_id!r}", ", ".join(known))],
        )
    return topic


def link_title(kb: KnowledgeBase, kind: str, target: str) -> str:
    """The title of the item a link or related id points to (the id itself if it has none)."""
    if kind == "topic" and target in kb.topics:
        return kb.topics[target].title
    if kind == "rule":
        found = [r.title for r in kb.rules if r.id == target]
        return found[0] if found else target
    if kind == "finding" and target in kb.findings:
        return kb.findings[target].label
    if kind == "term" and target in kb.glossary:
        return kb.glossary[target].term
    care = kb.care
    if kind == "care":
        for item in care.items:
            if item.id == target:
                return item.title
        if target in care.remedies:
            return care.remedies[target].title
    if kind == "stretch":
        for stretch in care.stretches:
            if stretch.id == target:
                return stretch.title
    if kind == "medicine" and target in care.medicines:
        return care.medicines[target].name
    return target


def topic_dict(kb: KnowledgeBase, topic: Topic) -> dict[str, Any]:
    """A topic as JSON-ready data: text with links kept, plus every related item with its title."""

    def related(kind: str, ids: Iterable[str]) -> list[dict[str, str]]:
        return [{"id": i, "kind": kind, "title": link_title(kb, kind, i)} for i in ids]

    return {
        "id": topic.id,
        "title": topic.title,
        "summary": topic.summary,
        "regions": list(topic.regions),
        "sections": [
            {"heading": s.heading, "body": " ".join(s.body.split())} for s in topic.sections
        ],
        "links": [
            {"text": link.text, "kind": link.kind, "id": link.target} for link in topic.links()
        ],
        "rules": related("rule", topic.rules),
        "care": related("care", topic.care),
        "see_also": related("topic", topic.see_also),
        "sources": [
            kb.sources[s].model_dump(mode="json", exclude_none=True)
            for s in topic.sources
            if s in kb.sources
        ],
        "knowledge_version": kb.version,
    }
