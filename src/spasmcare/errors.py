"""The one exception tree of spasmcare.

Every error spasmcare raises on purpose derives from :class:`SpasmcareError`, so adapters (CLI, API)
can turn any of them into a clear message and an exit code or HTTP status without a traceback::

    SpasmcareError                  base; ``problems`` lists every problem found, each with a path
    ├── InputError                  the user's input is invalid (CLI exit 2, HTTP 422)
    │   ├── IntakeError             a triage or plan intake is invalid
    │   ├── ScaleInputError         questionnaire responses are invalid
    │   ├── ImportFileError         an import file (diary, FHIR, questionnaire) is broken
    │   ├── NotJsonError            a text is not JSON at all (HTTP 400)
    │   └── CdsRequestError         a CDS Hooks request is malformed (HTTP 400)
    ├── KnowledgeError              the packaged clinical knowledge base is inconsistent
    ├── NotFoundError               a record, topic, scale or version does not exist (HTTP 404)
    ├── ConflictError               the request conflicts with stored data (HTTP 409)
    ├── StorageError                the diary database failed or is unreachable (HTTP 503)
    ├── AuthenticationError         wrong username or password, or the session ended (HTTP 401)
    ├── RateLimitedError            too many password tries (HTTP 429)
    ├── PrefetchMissingError        a CDS Hooks request lacks prefetch data (HTTP 412)
    └── MissingExtraError           an optional part (``[pdf]``, ``[postgres]``) is not installed
                                    (CLI exit 2, HTTP 501)

Three small exceptions carry a message between two functions of one adapter and never reach the
user as such: :class:`RefusedAnswer` (terminal interview), :class:`FormValueError` (web form) and
:class:`BodyTooLargeError` (request body reader).

:func:`problems_from_validation` is the ONE translator of pydantic's validation errors (and FastAPI's
request errors) into :class:`Problem` lists: each names the field (``findings.fever``,
``episodes[3].worst_pain``), what is wrong and what is allowed.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pydantic is imported only when an error is translated (keeps `--help` fast)
    from pydantic import BaseModel, ValidationError


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input: where (a dotted path), what, and what would be allowed."""

    path: str
    message: str
    allowed: str | None = None

    def __str__(self) -> str:
        text = f"{self.path}: {self.message}" if self.path else self.message
        if self.allowed:
            text += f" (allowed: {self.allowed})"
        return text


class SpasmcareError(Exception):
    """Base of every deliberate spasmcare error; carries a summary and the individual problems."""

    def __init__(self, summary: str, problems: list[Problem] | None = None) -> None:
        self.summary = summary
        self.problems: list[Problem] = list(problems or [])
        super().__init__(self.__str__())

    def __str__(self) -> str:
        if not self.problems:
            return self.summary
        lines = [self.summary, *(f"  - {p}" for p in self.problems)]
        return "\n".join(lines)


class InputError(SpasmcareError):
    """The user's input is invalid; nothing was changed."""


class IntakeError(InputError):
    """A triage or care-plan intake is invalid."""


class ScaleInputError(InputError):
    """Responses to a scale or questionnaire are invalid."""


class ImportFileError(InputError):
    """A file to import is malformed or inconsistent; nothing was imported."""


class KnowledgeError(SpasmcareError):
    """The clinical knowledge base failed validation."""


class NotFoundError(SpasmcareError):
    """A requested record, topic, scale or knowledge-base version does not exist."""


class ConflictError(SpasmcareError):
    """The operation conflicts with data already stored."""


class StorageError(SpasmcareError):
    """The diary storage failed or cannot be reached."""


class NotJsonError(InputError):
    """The text is not JSON at all (or not UTF-8); ``position`` is the character offset."""

    def __init__(self, summary: str, problems: list[Problem], position: int) -> None:
        super().__init__(summary, problems)
        self.position = position


class CdsRequestError(InputError):
    """The CDS Hooks request is malformed (HTTP 400)."""


class PrefetchMissingError(SpasmcareError):
    """The request lacks prefetch data the service needs and spasmcare will not fetch it (HTTP 412)."""


class AuthenticationError(SpasmcareError):
    """The username or password is wrong, or the session has ended (HTTP 401)."""


class RateLimitedError(SpasmcareError):
    """Too many password tries; try again later (HTTP 429)."""

    def __init__(
        self, summary: str, retry_after: int, problems: list[Problem] | None = None
    ) -> None:
        super().__init__(summary, problems)
        self.retry_after = retry_after


class MissingExtraError(SpasmcareError):
    """An optional part of spasmcare is not installed (CLI exit 2, HTTP 501): ``extra`` names the
    ``pip install "spasmcare[extra]"`` that brings it."""

    def __init__(self, what: str, extra: str, module: str) -> None:
        super().__init__(
            f"{what} needs the optional {module} package, which is not installed",
            [Problem("", f"install it with: pip install 'spasmcare[{extra}]'")],
        )
        self.extra = extra
        self.module = module


EXTRAS = {"psycopg": "postgres", "weasyprint": "pdf", "matplotlib": "charts"}
"""Optional packages and the extra (``pip install "spasmcare[extra]"``) that installs each."""


def require_extra(module: str, what: str) -> ModuleType:
    """Import an optional package (a key of :data:`EXTRAS`); raise :class:`MissingExtraError`
    saying which extra to install when it is missing."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtraError(what, EXTRAS[module], module) from exc


def has_extra(module: str) -> bool:
    """Whether an optional package (a key of :data:`EXTRAS`) is installed, without importing it."""
    import importlib.util

    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


class RefusedAnswer(ValueError):
    """An answer the terminal interview does not accept; the message says what to type."""


class FormValueError(ValueError):
    """A web form value that cannot be an answer; the message is for the person."""


class BodyTooLargeError(Exception):
    """A request body grew past the limit while it was read."""


# -- pydantic's errors as problems ------------------------------------------------------------------
TIME_ALLOWED = "an ISO 8601 time with a time zone, e.g. 2024-05-01T08:00:00+00:00"
ALLOWED_MARK = " (allowed: "
_REQUEST_PARTS = ("body", "query", "path", "header", "cookie")
_UNION_TAGS = ("bool", "int", "float", "str")
_RANGES = ("greater_than_equal", "less_than_equal", "greater_than", "less_than")
_HIDDEN = object()


def split_allowed(message: str) -> tuple[str, str | None]:
    """A validator's message ``"... (allowed: X)"`` as the message and X (None when absent)."""
    message = message.removeprefix("Value error, ")
    head, mark, tail = message.rpartition(ALLOWED_MARK)
    if mark and tail.endswith(")"):
        return head, tail[:-1]
    return message, None


def dotted(loc: Iterable[Any]) -> str:
    """A pydantic location as a path: ``("episodes", 3, "pain")`` is ``episodes[3].pain``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def under(prefix: str, path: str) -> str:
    """``path`` inside ``prefix`` (``episodes[3]`` + ``pain``, ``episodes`` + ``[3]``)."""
    if not prefix or not path:
        return prefix or path
    return f"{prefix}{path}" if path.startswith("[") else f"{prefix}.{path}"


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _bounds(low: Any, high: Any, low_open: bool, high_open: bool) -> str | None:
    """'0 to 120', '0 or more', 'more than 0', 'up to 30', 'less than 5'."""
    lo = None if low is None else (f"more than {_number(low)}" if low_open else _number(low))
    hi = None if high is None else (f"less than {_number(high)}" if high_open else _number(high))
    if lo and hi:
        return f"{lo} to {hi}"
    if lo:
        return lo if low_open else f"{lo} or more"
    if hi:
        return hi if high_open else f"up to {hi}"
    return None


def _schema(model: type[BaseModel] | None) -> dict[str, Any]:
    if model is None:
        return {}
    from pydantic import PydanticUserError

    try:
        return model.model_json_schema()
    except PydanticUserError:  # a type JSON Schema cannot describe: no hints, still the problems
        return {}


def _node(schema: dict[str, Any], loc: Sequence[Any]) -> dict[str, Any]:
    """The JSON schema of the value at ``loc`` (through $ref, optional types, lists and maps)."""
    defs = schema.get("$defs", {})

    def resolve(node: Any, depth: int = 0) -> dict[str, Any]:
        if not isinstance(node, dict) or depth > 20:
            return {}
        if "$ref" in node:
            return resolve(defs.get(str(node["$ref"]).rsplit("/", 1)[-1], {}), depth + 1)
        options = [o for o in node.get("anyOf", []) if o.get("type") != "null"]
        if len(options) == 1 and "type" not in node:
            return {
                **resolve(options[0], depth + 1),
                **{k: v for k, v in node.items() if k != "anyOf"},
            }
        return node

    node = resolve(schema)
    for part in loc:
        if isinstance(part, int):
            node = resolve(node.get("items", {}))
        elif isinstance(part, str) and part in node.get("properties", {}):
            node = resolve(node["properties"][part])
        elif isinstance(part, str) and isinstance(node.get("additionalProperties"), dict):
            node = resolve(node["additionalProperties"])
        else:
            return {}
    return node


def _range(node: dict[str, Any], ctx: Mapping[str, Any]) -> str | None:
    for source in (node, *(o for o in node.get("anyOf", []) if isinstance(o, dict))):
        text = _bounds(
            source.get("minimum", source.get("exclusiveMinimum")),
            source.get("maximum", source.get("exclusiveMaximum")),
            "exclusiveMinimum" in source,
            "exclusiveMaximum" in source,
        )
        if text:
            return text
    return _bounds(
        ctx.get("ge", ctx.get("gt")), ctx.get("le", ctx.get("lt")), "gt" in ctx, "lt" in ctx
    )


def _length(node: dict[str, Any], ctx: Mapping[str, Any], text: bool) -> str | None:
    """'at least 1 and at most 5 items', 'at least 1 item', 'at most 40 characters'."""
    key = "Length" if text else "Items"
    low = node.get(f"min{key}", ctx.get("min_length"))
    high = node.get(f"max{key}", ctx.get("max_length"))
    parts = [f"at least {low}" if low else "", f"at most {high}" if high is not None else ""]
    if not any(parts):
        return None
    last = high if high is not None else low
    unit = ("character" if text else "item") + ("" if last == 1 else "s")
    return " and ".join(p for p in parts if p) + f" {unit}"


def _show(value: Any) -> str:
    if value is _HIDDEN:
        return "the password"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _union_member(loc: tuple[Any, ...]) -> bool:
    """Whether the last part of an error's path names a member of a union (``bool``,
    ``literal['unsure']``, ...) rather than a field: pydantic reports one error per member."""
    last = loc[-1] if loc else None
    return isinstance(last, str) and (last in _UNION_TAGS or last.startswith("literal["))


def _merge_unions(found: list[tuple[tuple[Any, ...], Any, Problem]], prefix: str) -> list[Problem]:
    """One Problem for a value that matches no member of a union, naming the field itself and
    everything allowed (e.g. ``findings.fever: 'maybe' is not an allowed value (allowed: true,
    false or 'unsure')``)."""
    order: list[str | Problem] = []
    members: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    for loc, value, problem in found:
        if len(loc) < 2 or not _union_member(loc):
            order.append(problem)
            continue
        path = under(prefix, dotted(loc[:-1]))
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
            Problem(
                item, f"{_show(values[item])} is not an allowed value", " or ".join(allowed) or None
            )
        )
    return out


def _describe(
    err: Mapping[str, Any], loc: tuple[Any, ...], value: Any, schema: dict[str, Any]
) -> tuple[str, str | None]:
    """What is wrong and what is allowed, for one pydantic error."""
    kind = str(err.get("type", ""))
    ctx: Mapping[str, Any] = err.get("ctx") or {}
    shown = _show(value)
    node = _node(schema, loc[:-1] if _union_member(loc) else loc) if schema else {}
    if kind == "missing" or kind.endswith(
        ".missing"
    ):  # fhir.resources: model_field_validation.missing
        return "is required", None
    if kind == "extra_forbidden":
        fields = _node(schema, loc[:-1]).get("properties") if schema else None
        return f"unknown field {loc[-1]!r}", ", ".join(fields) if fields else "remove it"
    if kind in _RANGES:
        return f"{shown} is out of range", _range(node, ctx)
    if kind in ("literal_error", "enum"):
        return f"{shown} is not an allowed value", str(ctx.get("expected", "")) or None
    if kind in ("too_short", "too_long"):
        wrong = (
            "has the wrong number of items" if isinstance(value, list) else "has the wrong length"
        )
        return wrong, _length(node, ctx, text=False)
    if kind in ("string_too_short", "string_too_long"):
        return f"{shown} has the wrong length", _length(node, ctx, text=True)
    if kind.startswith(("timezone", "datetime")):
        return f"{shown} is not a time with a time zone", TIME_ALLOWED
    if kind.startswith("bool"):
        return f"{shown} is not true or false", "true or false"
    if kind.startswith("int"):
        return f"{shown} is not a whole number", _range(node, {}) or "a whole number"
    if kind.startswith("float"):
        return f"{shown} is not a number", _range(node, {}) or "a number"
    if kind.startswith(("list", "tuple")):
        return f"{shown} is not a list", "a list"
    if kind.startswith(("dict", "model_type", "model_attributes_type")):
        return f"{shown} is not an object", "an object"
    if kind == "value_error":
        return split_allowed(str(err.get("msg", "")))
    return f"{shown} is not valid: {str(err.get('msg', '')).lower()}", None


def problems_from_errors(
    errors: Iterable[Mapping[str, Any]],
    model: type[BaseModel] | None = None,
    path: str = "",
    *,
    request: bool = False,
    hints: Mapping[str, str] | None = None,
) -> list[Problem]:
    """One :class:`Problem` per pydantic error (one per field for a union): the field's path under
    ``path``, the bad value (never a password) and what is allowed, read from ``model`` when given.

    ``request`` drops FastAPI's ``body``/``query``/... first part of each location; ``hints`` gives
    the allowed text for an error type (e.g. ``{"string_pattern_mismatch": "lower-case letters"}``).
    """
    schema = _schema(model)
    found: list[tuple[tuple[Any, ...], Any, Problem]] = []
    for err in errors:
        loc = tuple(err.get("loc", ()))
        where = ""
        if request and loc and loc[0] in _REQUEST_PARTS:
            where, loc = str(loc[0]), loc[1:]
        kind = str(err.get("type", ""))
        if kind == "json_invalid":
            ctx = err.get("ctx") or {}
            position = f"position {loc[0]}" if loc else ""
            problem = Problem(position, f"not valid JSON: {ctx.get('error', 'syntax error')}")
            found.append(((), None, problem))
            continue
        value = err.get("input")
        if any(isinstance(part, str) and "password" in part.lower() for part in loc):
            value = _HIDDEN  # a password is never echoed, not even in part
        message, allowed = _describe(err, loc, value, schema)
        if hints and kind in hints:
            allowed = hints[kind]
        shown_path = dotted(loc) if loc or not where or where == "body" else where
        found.append((loc, value, Problem(under(path, shown_path), message, allowed)))
    return _merge_unions(found, path)


def problems_from_validation(
    exc: ValidationError,
    model: type[BaseModel] | None = None,
    path: str = "",
    *,
    hints: Mapping[str, str] | None = None,
) -> list[Problem]:
    """The problems of a pydantic :class:`~pydantic.ValidationError` (see :func:`problems_from_errors`)."""
    return problems_from_errors(exc.errors(), model, path, hints=hints)


__all__ = [
    "ALLOWED_MARK",
    "EXTRAS",
    "TIME_ALLOWED",
    "AuthenticationError",
    "BodyTooLargeError",
    "CdsRequestError",
    "ConflictError",
    "FormValueError",
    "ImportFileError",
    "InputError",
    "IntakeError",
    "KnowledgeError",
    "MissingExtraError",
    "NotFoundError",
    "NotJsonError",
    "PrefetchMissingError",
    "Problem",
    "RateLimitedError",
    "RefusedAnswer",
    "ScaleInputError",
    "SpasmcareError",
    "StorageError",
    "dotted",
    "has_extra",
    "problems_from_errors",
    "problems_from_validation",
    "require_extra",
    "split_allowed",
    "under",
]
