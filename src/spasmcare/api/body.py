"""Reading a JSON body by hand, for routes whose input is checked by a core parser
(``parse_intake``, a scale's ``score``) so the API reports exactly the problems the CLI reports.

The route documents the body's schema with :func:`json_request_body`.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException

JSON_TYPES = ("application/json",)


def is_json(content_type: str | None) -> bool:
    if not content_type:
        return False
    main = content_type.split(";", 1)[0].strip().lower()
    return main in JSON_TYPES or main.endswith("+json")


async def read_json_body(request: Request) -> Any:
    """The request body parsed as JSON: 415 if it is not declared JSON, 400 if it does not parse."""
    if not is_json(request.headers.get("content-type")):
        raise HTTPException(415, "send the body as JSON with Content-Type: application/json")
    raw = await request.body()
    try:
        return json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        position = exc.pos if isinstance(exc, json.JSONDecodeError) else exc.start
        message = exc.msg if isinstance(exc, json.JSONDecodeError) else "not UTF-8 text"
        raise RequestValidationError(
            [
                {
                    "type": "json_invalid",
                    "loc": ("body", position),
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


__all__ = ["JsonBody", "is_json", "json_request_body", "read_json_body"]
