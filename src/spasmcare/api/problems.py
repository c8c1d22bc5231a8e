"""RFC 9457 problem details: the ONE place where errors become HTTP status codes.

Every error response of the app is ``application/problem+json``::

    {"type": "about:blank", "title": "Unprocessable Content", "status": 422,
     "detail": "the intake is not valid",
     "errors": [{"path": "age", "message": "-1 is out of range", "allowed": "0 to 120"}]}

Mapping: :class:`~spasmcare.errors.InputError` 422 (400 for a body that is not JSON),
:class:`~spasmcare.errors.NotFoundError` 404, :class:`~spasmcare.errors.ConflictError` 409,
:class:`~spasmcare.errors.StorageError` 503; anything unexpected is a 500 that says nothing about the
code (the details go to the log, without the request body, which may hold health data).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, Response
from starlette.routing import compile_path

from spasmcare.errors import (
    AuthenticationError,
    ConflictError,
    InputError,
    MissingExtraError,
    NotFoundError,
    Problem,
    RateLimitedError,
    SpasmcareError,
    StorageError,
    problems_from_errors,
)

PROBLEM_MEDIA_TYPE = "application/problem+json"
log = logging.getLogger("spasmcare.api")

OVERFLOW_HINT = "dates between the years 1900 and 2100"
_STATUS_OF: tuple[tuple[type[SpasmcareError], int], ...] = (
    (AuthenticationError, 401),
    (RateLimitedError, 429),
    (InputError, 422),
    (NotFoundError, 404),
    (ConflictError, 409),
    (StorageError, 503),
    (MissingExtraError, 501),
)


class ProblemItem(BaseModel):
    """One thing wrong with the request: where (a dotted path), what, and what is allowed."""

    path: str = Field(
        description="Dotted path of the field, e.g. `findings.fever`; empty for the whole body."
    )
    message: str
    allowed: str | None = None


class ProblemDetails(BaseModel):
    """An RFC 9457 problem details object with the list of individual problems."""

    type: str = "about:blank"
    title: str
    status: int = Field(ge=400, le=599)
    detail: str | None = None
    instance: str | None = None
    errors: list[ProblemItem] = Field(default_factory=list)


def status_of(exc: SpasmcareError) -> int:
    """The HTTP status of a spasmcare error (500 for an inconsistent knowledge base and the like)."""
    for kind, status in _STATUS_OF:
        if isinstance(exc, kind):
            return status
    return 500


def problem_body(
    status: int,
    detail: str | None = None,
    problems: Iterable[Problem] = (),
    *,
    instance: str | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "errors": [{"path": p.path, "message": p.message, "allowed": p.allowed} for p in problems],
    }
    if instance is not None:
        body["instance"] = instance
    return body


def problem_response(
    status: int,
    detail: str | None = None,
    problems: Iterable[Problem] = (),
    *,
    instance: str | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """A problem details response."""
    return JSONResponse(
        problem_body(status, detail, problems, instance=instance),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def problem_of(exc: BaseException) -> tuple[int, str, list[Problem]]:
    """Status, summary and problems for any exception (the summary never shows internals)."""
    if isinstance(exc, SpasmcareError):
        return status_of(exc), exc.summary, exc.problems
    if isinstance(exc, RequestValidationError):
        problems = problems_from_request_errors(exc.errors())
        if any(e.get("type") == "json_invalid" for e in exc.errors()):
            return 400, "the request body is not valid JSON", problems
        return 422, "the request is not valid", problems
    if isinstance(exc, StarletteHTTPException):
        return exc.status_code, str(exc.detail), []
    if isinstance(exc, OverflowError):
        # Python's dates end at year 1 and 9999: a time zone offset can push an input past them.
        return (
            422,
            "a date or number in the request is out of range",
            [
                Problem(
                    "", "a date or number is too far in the past or the future", str(OVERFLOW_HINT)
                )
            ],
        )
    return 500, "something went wrong on our side", []


# -- request validation errors ------------------------------------------------------------------
def problems_from_request_errors(errors: Sequence[Any]) -> list[Problem]:
    """One :class:`Problem` per FastAPI/pydantic request error, with the field path and what is allowed."""
    return problems_from_errors(errors, request=True)


# -- handlers -----------------------------------------------------------------------------------
async def _handle(request: Request, exc: Exception) -> Response:
    status, detail, problems = problem_of(exc)
    if status >= 500:
        # No request body in the log: it may hold health data.
        log.error(
            "%s %s failed: %s", request.method, request.url.path, type(exc).__name__, exc_info=exc
        )
    headers = error_headers(exc)
    if status == 405:
        headers = {**(headers or {}), "Allow": allowed_methods(request, exc)}
    handler = getattr(request.app.state, "problem_renderer", None)
    if handler is not None and wants_html(request):
        rendered: Response | None = handler(request, status, detail, problems)
        if rendered is not None:
            if headers:
                rendered.headers.update(headers)
            return rendered
    return problem_response(status, detail, problems, instance=request.url.path, headers=headers)


def _route_table(app: Any) -> list[tuple[re.Pattern[str], frozenset[str]]]:
    """(path pattern, methods) of every route of ``app``, through included routers; built once."""
    table: list[tuple[re.Pattern[str], frozenset[str]]] | None = getattr(
        app.state, "spasmcare_route_methods", None
    )
    if table is not None:
        return table
    found: list[tuple[re.Pattern[str], frozenset[str]]] = []

    def walk(routes: Iterable[Any]) -> None:
        for route in routes:
            if hasattr(route, "effective_candidates"):  # a router included in another (FastAPI)
                walk(route.effective_candidates())
                continue
            methods = getattr(getattr(route, "original_route", route), "methods", None)
            path = getattr(route, "path", None)
            if methods and isinstance(path, str):
                found.append((compile_path(path)[0], frozenset(methods)))

    walk(app.router.routes)
    app.state.spasmcare_route_methods = found
    return found


def allowed_methods(request: Request, exc: BaseException | None = None) -> str:
    """Every method some route of the app accepts at this path, for the ``Allow`` header of a 405
    (Starlette names only the methods of the first route whose path matched)."""
    methods: set[str] = set()
    if isinstance(exc, StarletteHTTPException) and exc.headers:
        methods |= {m.strip() for m in exc.headers.get("Allow", "").split(",") if m.strip()}
    path = request.scope.get("path", "")
    for pattern, route_methods in _route_table(request.app):
        if pattern.match(path):
            methods |= route_methods
    if "GET" in methods:
        methods.add("HEAD")
    return ", ".join(sorted(methods))


def wants_html(request: Request) -> bool:
    """A browser asking for a page (not the API, the health check or the schema)."""
    path = request.url.path
    if path.startswith(("/api/", "/healthz", "/openapi.json", "/static/")):
        return False
    return "text/html" in request.headers.get("accept", "")


def error_headers(exc: BaseException) -> dict[str, str] | None:
    """Headers an error response needs: Retry-After for 429, WWW-Authenticate for 401."""
    if isinstance(exc, StarletteHTTPException) and exc.headers:
        return dict(exc.headers)
    if isinstance(exc, RateLimitedError):
        return {"Retry-After": str(exc.retry_after)}
    if isinstance(exc, AuthenticationError):
        return {"WWW-Authenticate": 'Cookie realm="spasmcare"'}
    return None


def install_problem_handlers(app: FastAPI) -> None:
    """Make every error of ``app`` a problem details response (or the web's error page for pages).

    Set ``app.state.problem_renderer(request, status, detail, problems) -> Response | None`` to render
    errors of non-API paths as HTML.
    """
    app.add_exception_handler(SpasmcareError, _handle)
    app.add_exception_handler(RequestValidationError, _handle)
    app.add_exception_handler(StarletteHTTPException, _handle)
    app.add_exception_handler(OverflowError, _handle)
    app.add_exception_handler(Exception, _handle)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for the given error statuses, documented as problem details."""
    return {
        status: {
            "description": HTTPStatus(status).phrase,
            "model": ProblemDetails,
            "content": {
                PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/ProblemDetails"}}
            },
        }
        for status in statuses
    }


__all__ = [
    "PROBLEM_MEDIA_TYPE",
    "ProblemDetails",
    "ProblemItem",
    "allowed_methods",
    "install_problem_handlers",
    "problem_body",
    "problem_of",
    "problem_response",
    "problem_responses",
    "problems_from_request_errors",
    "status_of",
]
