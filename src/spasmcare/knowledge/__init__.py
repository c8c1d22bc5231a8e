"""Clinical content as versioned data, and its loader.

``load_knowledge()`` returns the newest packaged :class:`KnowledgeBase`; older versions stay loadable
by number so that an old result can still be explained.
"""

from spasmcare.knowledge.loader import available_versions, latest_version, load_knowledge
from spasmcare.knowledge.schema import Disposition, Finding, KnowledgeBase, Rule, Source

__all__ = [
    "Disposition",
    "Finding",
    "KnowledgeBase",
    "Rule",
    "Source",
    "available_versions",
    "latest_version",
    "load_knowledge",
]
