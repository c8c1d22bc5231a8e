"""The settings commands share: which knowledge base and which emergency number to use."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spasmcare.knowledge import KnowledgeBase


def knowledge_base(version: str | None) -> KnowledgeBase:
    """The knowledge base asked for, or the configured one."""
    from spasmcare.config import get_settings
    from spasmcare.knowledge import load_knowledge

    return load_knowledge(version or get_settings().knowledge_version)


def call_number(number: str | None) -> str:
    """The emergency number given, or the configured one."""
    from spasmcare.config import get_settings

    return number or get_settings().emergency_call
