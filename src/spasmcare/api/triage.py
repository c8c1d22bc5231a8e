"""Triage routes: one-shot triage of an intake, the interview one step at a time, and the rules."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BeforeValidator, StringConstraints

from spasmcare.api.context import Context
from spasmcare.api.problems import problem_responses
from spasmcare.api.schemas import IntakeBody, InterviewIn, InterviewOut
from spasmcare.errors import IntakeError, Problem
from spasmcare.knowledge import KnowledgeBase, load_knowledge
from spasmcare.knowledge.base import VERSION_PATTERN
from spasmcare.triage import Interview, TriageResult, evaluate, parse_intake
from spasmcare.triage.engine import RuleList, rule_list
from spasmcare.understand.partial import check_partial

router = APIRouter(tags=["triage"])

_VERSION = re.compile(VERSION_PATTERN)


def _version(value: object) -> object:
    """A version like 1.0.0 (checked before the pattern so the problem says what is allowed)."""
    if isinstance(value, str) and (len(value) > 20 or not _VERSION.match(value)):
        raise ValueError(f"{value[:40]!r} is not a version (allowed: like 1.0.0)")
    return value


KnowledgeVersion = Annotated[
    Annotated[
        str,
        StringConstraints(max_length=20, pattern=VERSION_PATTERN),
        BeforeValidator(_version),
    ]
    | None,
    Query(description="Knowledge-base version to use (default: the server's)."),
]


def knowledge_for(context: Any, version: str | None) -> KnowledgeBase:
    """The app's knowledge base, or an older shipped version when asked (404 if unknown)."""
    if version is None or version == context.kb.version:
        kb: KnowledgeBase = context.kb
        return kb
    return load_knowledge(version)


@router.post(
    "/triage",
    response_model=TriageResult,
    summary="Triage an intake",
    description="Decide where to get help for an intake. Returns the same object as "
    '`spasmcare triage --json`. A finding, `pregnant` or `onset` may be answered "unsure" '
    "(asked, and the person does not know); the result lists those in `unsure`, and a not-sure "
    'rule (N1-N3) says what to do when one of them could raise the level. "unsure" anywhere '
    "else is a 422 naming the field.",
    responses=problem_responses(400, 404, 413, 415, 422),
)
async def triage(
    intake: IntakeBody, context: Context, knowledge_version: KnowledgeVersion = None
) -> TriageResult:
    # async: a fraction of a millisecond of computation, cheaper than a thread-pool hop.
    kb = knowledge_for(context, knowledge_version)
    return evaluate(parse_intake(intake, kb), kb, emergency_call=context.emergency_call)


def interview_step(data: InterviewIn, kb: KnowledgeBase, emergency_call: str) -> InterviewOut:
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
    return InterviewOut(
        answers=interview.answers(),
        done=question is None,
        question=question,
        result=interview.result() if question is None else None,
    )


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
def interview(
    data: InterviewIn, context: Context, knowledge_version: KnowledgeVersion = None
) -> InterviewOut:
    kb = knowledge_for(context, knowledge_version)
    return interview_step(data, kb, context.emergency_call)


@router.get(
    "/rules",
    response_model=RuleList,
    summary="The triage rules and their sources",
    responses=problem_responses(404, 422),
)
def rules(context: Context, knowledge_version: KnowledgeVersion = None) -> RuleList:
    return rule_list(knowledge_for(context, knowledge_version))


__all__ = ["interview_step", "knowledge_for", "router"]
