"""``GET /healthz`` (200 when the database answers) and ``GET /api/v1/ping`` (a trivial endpoint,
the baseline of the API benchmark)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from spasmcare.api.context import Context
from spasmcare.api.problems import problem_responses
from spasmcare.api.schemas import HealthOut, PingOut

router = APIRouter(tags=["health"])
ping_router = APIRouter(tags=["health"])


@router.get(
    "/healthz",
    response_model=HealthOut,
    summary="Health check",
    description="200 when the app runs and its database answers; 503 otherwise.",
    responses=problem_responses(503),
)
def healthz(context: Context) -> Any:
    context.storage.ping()
    return JSONResponse({"status": "ok", "database": "ok"})


@ping_router.get("/ping", response_model=PingOut, summary="A trivial answer (no database)")
async def ping() -> Any:
    return JSONResponse({"ok": True})


__all__ = ["ping_router", "router"]
