"""CDS Hooks 2.0 routes: ``GET /cds-services`` (discovery) and ``POST /cds-services/{service_id}``.

The logic is in :mod:`spasmcare.interop.cds_hooks`; this module only reads the body and turns its
errors into HTTP: 400 for a malformed request, 404 for an unknown service, 412 for missing prefetch.
Errors are always problem details JSON (never an HTML page), since the caller is an EHR, not a person.
The card's link to the plan points at :data:`PLAN_PATH` on this server.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from spasmcare.api.body import PARSED_JSON
from spasmcare.api.context import Context
from spasmcare.api.problems import problem_response, problem_responses
from spasmcare.errors import (
    CdsRequestError,
    InputError,
    NotFoundError,
    NotJsonError,
    PrefetchMissingError,
    Problem,
)
from spasmcare.interop.cds_hooks import discovery, patient_view
from spasmcare.safejson import loads

router = APIRouter(tags=["cds-hooks"])
PLAN_PATH = "/plan"


@router.get(
    "/cds-services",
    summary="CDS Hooks discovery",
    description="The CDS services this server offers (CDS Hooks 2.0).",
)
def cds_discovery() -> JSONResponse:
    return JSONResponse(discovery())


@router.post(
    "/cds-services/{service_id}",
    summary="Call a CDS service",
    description="Run spasmcare's triage on prefetched FHIR data and return CDS Hooks cards.",
    responses=problem_responses(400, 404, 412, 413, 422),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"type": "object"}}},
            "description": "A CDS Hooks 2.0 request for the patient-view hook.",
        }
    },
)
async def cds_service(service_id: str, request: Request, context: Context) -> JSONResponse:
    body: Any
    if PARSED_JSON in request.scope:  # read (with spasmcare's limits) by the JSON body middleware
        body = request.scope[PARSED_JSON]
    else:
        try:
            body = loads(await request.body(), what="the request body")
        except NotJsonError as exc:
            reason = exc.problems[0].message if exc.problems else "not JSON"
            return problem_response(
                400,
                "the request body is not valid JSON",
                [Problem(f"position {exc.position}", reason)],
                instance=request.url.path,
            )
        except InputError as exc:
            return problem_response(422, exc.summary, exc.problems, instance=request.url.path)
    plan_url = str(request.base_url).rstrip("/") + PLAN_PATH
    try:
        response = patient_view(
            service_id,
            body,
            kb=context.kb,
            today=datetime.now(UTC).date(),
            plan_url=plan_url,
            emergency_call=context.emergency_call,
        )
    except CdsRequestError as exc:
        return problem_response(400, exc.summary, exc.problems, instance=request.url.path)
    except PrefetchMissingError as exc:
        return problem_response(412, exc.summary, exc.problems, instance=request.url.path)
    except NotFoundError as exc:
        return problem_response(404, exc.summary, exc.problems, instance=request.url.path)
    return JSONResponse(response)


__all__ = ["PLAN_PATH", "router"]
