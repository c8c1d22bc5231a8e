"""The heat, cold and stretch timers as the pages show them (on the plan, the home page and the
first screen of a home-care result)."""

from __future__ import annotations

from typing import Any

from spasmcare.knowledge import KnowledgeBase


def timers_for(kb: KnowledgeBase) -> dict[str, dict[str, Any]]:
    """Timer settings by the plan item they belong to (heat, cold, stretch routine)."""
    found: dict[str, dict[str, Any]] = {}
    for timer in kb.care.timers.values():
        on_choices = []
        minutes = timer.on_minutes
        while minutes <= timer.max_on_minutes:
            on_choices.append(minutes)
            minutes += 5
        found[timer.item] = {
            "id": timer.id,
            "title": timer.title,
            "on_seconds": round(timer.on_minutes * 60),
            "off_seconds": round(timer.off_minutes * 60),
            "cycles": timer.cycles,
            "on_choices": on_choices,
            "on_text": timer.on_text,
            "off_text": timer.off_text,
            "done_text": timer.done_text,
            "on_minutes": timer.on_minutes,
            "off_minutes": timer.off_minutes,
        }
    return found
