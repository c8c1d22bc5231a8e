"""Clinical content as versioned data, its loader, topics and search.

``load_knowledge()`` returns the newest packaged :class:`KnowledgeBase`; older versions stay loadable
by number so that an old result can still be explained. ``search(kb, query)`` searches topics, rules,
care items, stretches and medicines.
"""

from spasmcare.knowledge.learn import get_topic, topic_dict
from spasmcare.knowledge.loader import available_versions, latest_version, load_knowledge
from spasmcare.knowledge.schema import Disposition, Finding, KnowledgeBase, Rule, Source
from spasmcare.knowledge.search import SearchHit, SearchResults, search
from spasmcare.knowledge.topics import Topic

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
