"""Reading a JSON body by hand, for routes whose input is checked by a core parser
(``parse_intake``, a scale's ``score``) so the API reports exactly the problems the CLI reports.

The route documents the body's schema with :func:`json_request_body`.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException

from spasmcare.errors import NotJsonError
from spasmcare.safejson import loads

JSON_TYPES = ("application/json",)
PARSED_JSON = "spasmcare.json"
"""Scope key where :class:`~spasmcare.api.middleware.JsonBodyMiddleware` keeps the parsed body."""


def is_json(content_type: str | None) -> bool:
    if not content_type:
        return False
    main = content_type.split(";", 1)[0].strip().lower()
    return main in JSON_TYPES or main.endswith("+json")


async def read_json_body(request: Request) -> Any:
    """The request body parsed as JSON: 415 if it is not declared JSON, 400 if it does not parse,
    422 for values :func:`spasmcare.safejson.loads` refuses (the middleware has usually read it)."""
    if not is_json(request.headers.get("content-type")):
        raise HTTPException(415, "send the body as JSON with Content-Type: application/json")
    if PARSED_JSON in request.scope:
        return request.scope[PARSED_JSON]
    raw = await request.body()
    try:
        return loads(raw, what="the request body")
    except NotJsonError as exc:
        message = exc.problems[0].message if exc.problems else "syntax error"
        raise RequestValidationError(
            [
                {
                    "type": "json_invalid",
                    "loc": ("body", exc.position),
                    "msg": message,
                    "input": {},
                    "ctx": {"error": message},
                }
            ]
        ) from exc


JsonBody = Annotated[Any, Depends(read_json_body)]
"""A route parameter holding the parsed JSON body (any JSON value; the route checks its shape)."""


def json_request_body(schema: dict[str, Any], *, description: str | None = None) -> dict[str, Any]:
    """``openapi_extra`` documenting a JSON request body read with :data:`JsonBody`."""
    body: dict[str, Any] = {"required": True, "content": {"application/json": {"schema": schema}}}
    if description:
        body["description"] = description
    return {"requestBody": body}


__all__ = ["PARSED_JSON", "JsonBody", "is_json", "json_request_body", "read_json_body"]
