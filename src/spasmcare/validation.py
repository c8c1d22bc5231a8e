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


ALLOWED_MARK = " (allowed: "


def split_allowed(message: str) -> tuple[str, str | None]:
    """A validator's message ``"... (allowed: X)"`` as the message and X (None when absent)."""
    message = message.removeprefix("Value error, ")
    head, mark, tail = message.rpartition(ALLOWED_MARK)
    if mark and tail.endswith(")"):
        return head, tail[:-1]
    return message, None


_UNION_TAGS = ("bool", "int", "float", "str")


def _union_member(loc: tuple[Any, ...]) -> bool:
    """Whether the last part of an error's path names a member of a union (``bool``,
    ``literal['unsure']``, ...) rather than a field: pydantic reports one error per member."""
    last = loc[-1] if loc else None
    return isinstance(last, str) and (last in _UNION_TAGS or last.startswith("literal["))


def _merge_unions(problems: list[tuple[tuple[Any, ...], Any, Problem]]) -> list[Problem]:
    """One Problem for a value that matches no member of a union, naming the field itself and
    everything allowed (e.g. ``findings.fever: 'maybe' is not an allowed value (allowed: true,
    false or 'unsure')``)."""
    order: list[str | Problem] = []
    members: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    for loc, value, problem in problems:
        if len(loc) < 2 or not _union_member(loc):
            order.append(problem)
            continue
        path = ".".join(str(p) for p in loc[:-1])
        if path not in members:
            members[path] = []
            values[path] = value
            order.append(path)
        if problem.allowed:
            members[path].append(problem.allowed)
    out: list[Problem] = []
    for item in order:
        if isinstance(item, Problem):
            out.append(item)
            continue
        allowed = members[item]
        if len(allowed) > 1 and allowed[0] == "true or false":
            allowed = ["true, false", *allowed[1:]]
        out.append(
            Problem(item, f"{values[item]!r} is not an allowed value", " or ".join(allowed) or None)
        )
    return out


def problems_from_validation(exc: ValidationError, model: type[BaseModel]) -> list[Problem]:
    """One Problem per pydantic error (per field for a union), with a dotted path, the bad value and
    what is allowed."""
    problems: list[tuple[tuple[Any, ...], Any, Problem]] = []
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
        problems.append((loc, value, Problem(path, message, allowed)))
    return _merge_unions(problems)
