"""The ``/api/v1`` router: every API route module, assembled in one place."""

from __future__ import annotations

from fastapi import APIRouter

from spasmcare.config import Settings


def api_router(settings: Settings) -> APIRouter:
    """All API routes (mounted under ``/api/v1`` by ``create_app``)."""
    from spasmcare.api import (
        auth,
        diary,
        exchange,
        health,
        insights,
        learn,
        plan,
        scales,
        triage,
        understand,
    )

    router = APIRouter()
    router.include_router(health.ping_router)
    router.include_router(triage.router)
    router.include_router(understand.router)
    router.include_router(plan.router)
    router.include_router(scales.router)
    router.include_router(learn.router)
    router.include_router(diary.router)
    router.include_router(insights.router)
    router.include_router(exchange.router)
    if settings.multi_user:
        router.include_router(auth.router)
    return router


__all__ = ["api_router"]
