"""Our own stories (tests/understand/stories/*.yaml): each is read into exactly the partial intake it
states, with family history, worries and the past set aside. Varied wording, typos, negation, family
history and hedging; a new wording in the lexicon comes with a story here."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from spasmcare.knowledge import KnowledgeBase
from spasmcare.understand import understand

STORIES_DIR = Path(__file__).parent / "stories"


def load_stories() -> list[dict[str, Any]]:
    stories: list[dict[str, Any]] = []
    for path in sorted(STORIES_DIR.glob("*.yaml")):
        stories += yaml.safe_load(path.read_text(encoding="utf-8"))
    return stories


STORIES = load_stories()


def test_there_are_at_least_sixty_stories_with_unique_ids() -> None:
    ids = [s["id"] for s in STORIES]
    assert len(ids) >= 60
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("story", STORIES, ids=[s["id"] for s in STORIES])
def test_story_is_read_into_its_intake(story: dict[str, Any], kb: KnowledgeBase) -> None:
    today = story.get("today")
    u = understand(story["text"], kb, today=today if isinstance(today, date) else None)
    assert u.intake == story["intake"], [
        f"{f.field}={f.value!r} <- {f.span.text!r}" for f in u.fields
    ] + [f"{f.finding}={f.value!r} <- {f.span.text!r}" for f in u.findings]
    aside = {a.about: a.reason for a in u.set_aside}
    for about, reason in story.get("set_aside", {}).items():
        assert aside.get(about) == reason, aside
    for phrase in story.get("unplaced", []):
        assert phrase in [p.text for p in u.unplaced], u.unplaced
    for read in u.findings:
        assert story["text"][read.span.start : read.span.end] == read.span.text
