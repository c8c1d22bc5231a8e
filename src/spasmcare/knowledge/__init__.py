"""Clinical content as versioned data, its loader, topics and search.

``load_knowledge()`` returns the newest packaged :class:`KnowledgeBase`; older versions stay loadable
by number so that an old result can still be explained. ``search(kb, query)`` searches topics, rules,
care items, stretches and medicines.

Names load on first use, so that importing one small module (``spasmcare.knowledge.conditions`` for
the body regions, say) does not load the schema, the loader and search.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spasmcare.lazy import lazy_exports

if TYPE_CHECKING:
    from spasmcare.knowledge.learn import get_topic, topic_dict
    from spasmcare.knowledge.loader import available_versions, latest_version, load_knowledge
    from spasmcare.knowledge.schema import Disposition, Finding, KnowledgeBase, Rule, Source
    from spasmcare.knowledge.search import SearchHit, SearchResults, search
    from spasmcare.knowledge.topics import Topic

_EXPORTS: dict[str, str] = {
    "Disposition": ".schema",
    "Finding": ".schema",
    "KnowledgeBase": ".schema",
    "Rule": ".schema",
    "SearchHit": ".search",
    "SearchResults": ".search",
    "Source": ".schema",
    "Topic": ".topics",
    "available_versions": ".loader",
    "get_topic": ".learn",
    "latest_version": ".loader",
    "load_knowledge": ".loader",
    "search": ".search",
    "topic_dict": ".learn",
}

__all__ = [
    "Disposition",
    "Finding",
    "KnowledgeBase",
    "Rule",
    "SearchHit",
    "SearchResults",
    "Source",
    "Topic",
    "available_versions",
    "get_topic",
    "latest_version",
    "load_knowledge",
    "search",
    "topic_dict",
]


__getattr__ = lazy_exports(__name__, _EXPORTS, globals())


def __dir__() -> list[str]:
    return sorted(__all__)
