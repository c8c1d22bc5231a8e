"""The settings commands share: which knowledge base and which emergency number to use."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spasmcare.knowledge import KnowledgeBase


def knowledge_base(version: str | None) -> KnowledgeBase:
    """The knowledge base asked for, or the configured one.

    Its files are parsed through the parse cache in the cache folder (``SPASMCARE_CACHE_DIR``), so a
    command does not parse the same YAML again at every start; the content is checked in full at
    every load all the same (see :mod:`spasmcare.knowledge.reader`)."""
    from spasmcare.config import get_settings
    from spasmcare.knowledge import load_knowledge
    from spasmcare.knowledge.reader import use_parse_cache

    settings = get_settings()
    use_parse_cache(settings.resolved_cache_dir())
    return load_knowledge(version or settings.knowledge_version)


def call_number(number: str | None) -> str:
    """The emergency number given, or the configured one."""
    from spasmcare.config import get_settings

    return number or get_settings().emergency_call
