"""``POST /api/v1/triage/understand``: a story in the person's own words, read into a partial intake
with the words behind every item. It decides nothing: show it to the person, let them confirm or
change each item, then send the confirmed intake as ``answers`` to ``POST /api/v1/interview``."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from spasmcare.api.context import Context
from spasmcare.api.problems import problem_responses
from spasmcare.api.triage import KnowledgeVersion, knowledge_for
from spasmcare.understand import MAX_CHARACTERS, Understanding, understand

router = APIRouter(tags=["triage"])

TEXT_LIMIT = 20_000
"""Longer bodies are refused (422); up to this, a story over MAX_CHARACTERS gets a message."""


class UnderstandIn(BaseModel):
    """A story, and optionally the day it is told (for "since Tuesday")."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(
        max_length=TEXT_LIMIT,
        description=f"What happened, in the person's own words (English). Up to {MAX_CHARACTERS:,} "
        "characters are read; an empty, longer, non-English or wordless text gives an empty "
        "result with a `message`. The text is not stored or logged.",
        examples=[
            "bent to tie my shoe, low back locked, can't stand straight, no fever, peeing fine"
        ],
    )
    today: date | None = Field(
        default=None,
        description="The day the story is told, to count 'since Tuesday' (default: the server's "
        "date).",
    )


@router.post(
    "/triage/understand",
    response_model=Understanding,
    summary="Read a story in the person's own words",
    description="Free text in; out, a partial intake (`intake`, the shape of the interview's "
    'answers: findings true, false or "unsure", age, sex, pregnant, regions, onset, '
    "duration_days, pain, medicines) and the evidence: for each finding and field the words it "
    "came from (`span`) and the words that made it false or unsure (`cue`), medicines matched by "
    "the medicine matcher, mentions set aside (family history, worries, the past, things said "
    "both ways) and phrases that could not be placed. Nothing is decided: show the person what "
    "was understood, let them confirm or change each item, then start `POST /api/v1/interview` "
    "with the confirmed intake as `answers`; it asks every applicable question still open, and "
    "stops at once if a confirmed sign is an emergency. The pipeline loads on the first request.",
    responses=problem_responses(400, 404, 413, 415, 422),
)
def read_story(
    data: UnderstandIn, context: Context, knowledge_version: KnowledgeVersion = None
) -> Any:
    kb = knowledge_for(context, knowledge_version)
    return understand(data.text, kb, today=data.today or date.today())


__all__ = ["TEXT_LIMIT", "UnderstandIn", "router"]
