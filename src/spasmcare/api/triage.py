"""Triage routes: one-shot triage of an intake, the interview one step at a time, and the rules."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from spasmcare.api.body import json_request_body, read_json_body
from spasmcare.api.context import Context, get_context
from spasmcare.api.problems import problem_responses
from spasmcare.api.schemas import INTAKE_SCHEMA, InterviewIn, InterviewOut, TriageResultOut
from spasmcare.errors import InputError, IntakeError, Problem
from spasmcare.knowledge import KnowledgeBase, load_knowledge
from spasmcare.triage import Interview, evaluate, parse_intake
from spasmcare.understand.partial import check_partial

router = APIRouter(tags=["triage"])

VERSION_PATTERN = r"^[0-9]+\.[0-9]+\.[0-9]+$"
VERSION_DESCRIPTION = "Knowledge-base version to use (default: the server's)."
KnowledgeVersion = Annotated[
    str | None, Query(description=VERSION_DESCRIPTION, pattern=VERSION_PATTERN, max_length=20)
]
_VERSION = re.compile(VERSION_PATTERN)
VERSION_PARAMETER = {
    "name": "knowledge_version",
    "in": "query",
    "required": False,
    "description": VERSION_DESCRIPTION,
    "schema": {"type": "string", "pattern": VERSION_PATTERN, "maxLength": 20},
}


def version_from_query(request: Request) -> str | None:
    """``?knowledge_version=`` read by hand on the hot path (same rules as :data:`KnowledgeVersion`)."""
    value = request.query_params.get("knowledge_version")
    if value is None:
        return None
    if len(value) > 20 or not _VERSION.match(value):
        raise InputError(
            "the knowledge-base version is not valid",
            [Problem("knowledge_version", f"{value[:40]!r} is not a version", "like 1.0.0")],
        )
    return value


def knowledge_for(context: Any, version: str | None) -> KnowledgeBase:
    """The app's knowledge base, or an older shipped version when asked (404 if unknown)."""
    if version is None or version == context.kb.version:
        kb: KnowledgeBase = context.kb
        return kb
    return load_knowledge(version)


@router.post(
    "/triage",
    response_model=TriageResultOut,
    summary="Triage an intake",
    description="Decide where to get help for an intake. Returns the same object as "
    '`spasmcare triage --json`. A finding, `pregnant` or `onset` may be answered "unsure" '
    "(asked, and the person does not know); the result lists those in `unsure`, and a not-sure "
    'rule (N1-N3) says what to do when one of them could raise the level. "unsure" anywhere '
    "else is a 422 naming the field.",
    responses=problem_responses(400, 404, 413, 415, 422),
    openapi_extra={
        **json_request_body(INTAKE_SCHEMA, description="The intake."),
        "parameters": [VERSION_PARAMETER],
    },
)
async def triage(request: Request) -> Any:
    # The hot path: async, no dependencies to solve, the query read by hand. About 0.1 ms of pure
    # computation, cheaper than a thread-pool hop or FastAPI's per-request parameter solving.
    context = get_context(request)
    kb = knowledge_for(context, version_from_query(request))
    body = await read_json_body(request)
    result = evaluate(parse_intake(body, kb), kb, emergency_call=context.emergency_call)
    return JSONResponse(result.to_dict())


def interview_step(data: InterviewIn, kb: KnowledgeBase, emergency_call: str) -> dict[str, Any]:
    """Apply one answer (if any) to the answers so far; the next question, or the result when done."""
    findings = data.answers.get("findings")
    if findings is not None and not isinstance(findings, dict):
        raise IntakeError(
            "the answers so far are not valid",
            [
                Problem(
                    "answers.findings",
                    f"got {type(findings).__name__}",
                    'an object mapping finding ids to true, false or "unsure"',
                )
            ],
        )
    if data.answers and not ("age" in data.answers and "regions" in data.answers):
        # Starting answers without age or regions (a confirmed story): the interview checks answers
        # once it has both, so check the rest now, every problem with its path.
        check_partial(data.answers, kb)
    interview = Interview(
        kb, answers=data.answers, emergency_call=emergency_call, context=data.context
    )
    if data.answer is not None:
        interview.answer(data.answer.question_id, data.answer.value)
    question = interview.next_question()
    return {
        "answers": interview.answers(),
        "done": question is None,
        "question": question.to_dict() if question else None,
        "result": interview.result().to_dict() if question is None else None,
    }


@router.post(
    "/interview",
    response_model=InterviewOut,
    summary="The triage interview, one step at a time",
    description="Stateless: send the answers so far and the answer to the current question; get "
    "back the updated answers and the next question, or the result when the interview is done. "
    'Start with `{}`. Every yes/no question and checklist item accepts "unsure"; a checklist '
    'is answered with an object of option: true/false/"unsure", a non-empty list of the '
    'options that apply, or "none" (an empty list is a 422). After "unsure" on a finding '
    "with a self-check the question comes back once with `self_check` text to show above it. "
    "To start from a story, send the `intake` of POST /api/v1/triage/understand, once the "
    "person has confirmed or changed it, as `answers`: the interview asks every applicable "
    "question still open (age and regions first when missing), and is done at once, with the "
    "emergency result, when a confirmed sign is an emergency.",
    responses=problem_responses(400, 404, 413, 422),
)
async def interview(
    data: InterviewIn, context: Context, knowledge_version: KnowledgeVersion = None
) -> Any:
    kb = knowledge_for(context, knowledge_version)
    return JSONResponse(interview_step(data, kb, context.emergency_call))


class RuleOut(BaseModel):
    id: str
    title: str
    disposition: str
    status: str
    since: str
    sources: list[str]


class RulesOut(BaseModel):
    knowledge_version: str
    rules: list[RuleOut]


@router.get(
    "/rules",
    response_model=RulesOut,
    summary="The triage rules and their sources",
    responses=problem_responses(404, 422),
)
def rules(context: Context, knowledge_version: KnowledgeVersion = None) -> Any:
    kb = knowledge_for(context, knowledge_version)
    return {
        "knowledge_version": kb.version,
        "rules": [
            {
                "id": r.id,
                "title": r.title,
                "disposition": r.disposition.value,
                "status": r.status,
                "since": r.since,
                "sources": [kb.sources[s].citation for s in r.references],
            }
            for r in kb.rules
        ],
    }


__all__ = ["interview_step", "knowledge_for", "router"]
