"""Turn pydantic validation errors into spasmcare :class:`Problem` lists that say what is allowed."""

from __future__ import annotations

from typing import Any

from annotated_types import Ge, Gt, Le, Lt, MaxLen, MinLen
from pydantic import BaseModel, ValidationError

from spasmcare.errors import Problem


def _field_bounds(model: type[BaseModel], loc: tuple[Any, ...]) -> str | None:
    """'0 to 120' style bounds of a top-level field, read from its metadata."""
    if not loc or not isinstance(loc[0], str) or loc[0] not in model.model_fields:
        return None
    low: str | None = None
    high: str | None = None
    for meta in model.model_fields[loc[0]].metadata:
        if isinstance(meta, Ge):
            low = f"{meta.ge}"
        elif isinstance(meta, Gt):
            low = f"more than {meta.gt}"
        elif isinstance(meta, Le):
            high = f"{meta.le}"
        elif isinstance(meta, Lt):
            high = f"less than {meta.lt}"
    if low and high:
        return f"{low} to {high}"
    if low:
        return f"{low} or more" if not low.startswith("more") else low
    if high:
        return f"up to {high}" if not high.startswith("less") else high
    return None


def _length_bounds(model: type[BaseModel], loc: tuple[Any, ...]) -> str | None:
    if not loc or not isinstance(loc[0], str) or loc[0] not in model.model_fields:
        return None
    parts = []
    for meta in model.model_fields[loc[0]].metadata:
        if isinstance(meta, MinLen):
            parts.append(f"at least {meta.min_length}")
        elif isinstance(meta, MaxLen):
            parts.append(f"at most {meta.max_length}")
    return " and ".join(parts) + " item(s)" if parts else None


def problems_from_validation(exc: ValidationError, model: type[BaseModel]) -> list[Problem]:
    """One Problem per pydantic error, with a dotted path, the bad value and what is allowed."""
    problems: list[Problem] = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        path = ".".join(str(p) for p in loc)
        kind = err["type"]
        value = err.get("input")
        ctx = err.get("ctx") or {}
        allowed: str | None = None
        if kind == "missing":
            message = "is required"
        elif kind == "extra_forbidden":
            message = f"unknown field {loc[-1]!r}"
            if len(loc) == 1:
                allowed = ", ".join(model.model_fields)
        elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
            message = f"{value!r} is out of range"
            allowed = _field_bounds(model, loc) or str(ctx)
        elif kind in ("literal_error", "enum"):
            message = f"{value!r} is not an allowed value"
            allowed = str(ctx.get("expected", ""))
        elif kind in ("too_short", "too_long"):
            message = (
                "has the wrong number of items"
                if isinstance(value, list)
                else "has the wrong length"
            )
            allowed = _length_bounds(model, loc)
        elif kind.startswith("bool"):
            message = f"{value!r} is not true or false"
            allowed = "true or false"
        elif kind.startswith("int"):
            message = f"{value!r} is not a whole number"
            allowed = _field_bounds(model, loc) or "a whole number"
        elif kind.startswith("float"):
            message = f"{value!r} is not a number"
            allowed = _field_bounds(model, loc) or "a number"
        elif kind.startswith(("list", "tuple")):
            message = f"{value!r} is not a list"
            allowed = "a list"
        elif kind.startswith(("dict", "model")):
            message = f"{value!r} is not an object"
            allowed = "an object"
        elif kind.startswith("string"):
            message = f"{value!r} is not valid text: {err['msg'].lower()}"
        else:
            message = f"{value!r} is not valid: {err['msg'].lower()}"
        problems.append(Problem(path, message, allowed))
    return problems
