"""``POST /api/v1/plan``: the care plan for an intake, counting the doses recorded in the diary."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request

from spasmcare.api.auth import current_account
from spasmcare.api.context import AppContext, Context, get_context
from spasmcare.api.problems import problem_responses
from spasmcare.api.schemas import IntakeBody
from spasmcare.api.triage import KnowledgeVersion, knowledge_for
from spasmcare.diary import DiaryRepository
from spasmcare.knowledge import KnowledgeBase
from spasmcare.plan import CarePlan, DoseTaken, build_plan
from spasmcare.plan.doses import COURSE_WINDOW
from spasmcare.triage import Intake, parse_intake

router = APIRouter(tags=["care plan"])


def diary_doses(repo: DiaryRepository, profile: int, now: datetime) -> list[DoseTaken]:
    """The doses recorded in the last 14 days, for the plan's daily-limit and course checks."""
    return [
        DoseTaken(d.medicine, d.amount_mg, d.taken_at)
        for d in repo.doses_between(profile, now - COURSE_WINDOW, now)
    ]


def profile_if_any(request: Request, context: AppContext) -> int | None:
    """The caller's diary profile, or None (multi-user mode without a login)."""
    if context.accounts is None:
        return context.storage.local_profile_id()
    account = current_account(request)
    return context.accounts.profile_id(account) if account else None


def make_plan(
    request: Request, intake: Intake, kb: KnowledgeBase, *, use_diary: bool = True
) -> CarePlan:
    """The plan for ``intake``, with the caller's recorded doses when there is a diary to read."""
    context = get_context(request)
    now = datetime.now(UTC)
    doses: list[DoseTaken] = []
    if use_diary:
        profile = profile_if_any(request, context)
        if profile is not None:
            doses = diary_doses(context.storage.repository, profile, now)
    return build_plan(intake, kb, doses=doses, now=now, emergency_call=context.emergency_call)


@router.post(
    "/plan",
    response_model=CarePlan,
    summary="The care plan for an intake",
    description="Triage, then what to do now and in the coming days, with evidence grades and "
    "sources, and a safety verdict for each medicine. Doses recorded in the diary in the last 14 "
    "days count toward daily limits unless `diary_doses=false` (multi-user mode: only when logged "
    "in).",
    responses=problem_responses(400, 404, 413, 415, 422, 503),
)
def plan(
    intake: IntakeBody,
    request: Request,
    context: Context,
    knowledge_version: KnowledgeVersion = None,
    diary_doses: Annotated[bool, Query(description="Count doses recorded in the diary.")] = True,
) -> CarePlan:
    kb = knowledge_for(context, knowledge_version)
    return make_plan(request, parse_intake(intake, kb), kb, use_diary=diary_doses)


__all__ = ["diary_doses", "make_plan", "profile_if_any", "router"]
