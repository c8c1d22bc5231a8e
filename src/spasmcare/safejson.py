"""Reading JSON that comes from outside (request bodies, import files, command-line input) safely.

Python's :func:`json.loads` accepts more than JSON and fails in ways a caller does not expect:

- ``NaN``, ``Infinity`` and ``-Infinity`` are read as floats, and so is ``1e400`` (as infinity); such
  numbers break every later step that compares, sorts or stores them;
- an integer with more than 4,300 digits raises ``ValueError``, and nesting around 1,000 levels
  deep raises ``RecursionError`` (later code that walks the value recursively fails earlier).

:func:`loads` reads JSON with limits: at most :data:`MAX_DEPTH` levels of nesting, whole numbers of
at most :data:`MAX_INT_DIGITS` digits, only finite numbers, and (optionally) a size limit. Every
value that breaks a limit is reported at once, with its path (``episodes[3].dose_mg``), as an
:class:`~spasmcare.errors.InputError`; text that is not JSON raises :class:`~spasmcare.errors.NotJsonError` with the
position. :func:`find_unsafe` checks an already-parsed value the same way (the diary's schemas use
it on free-form JSON objects).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from spasmcare.errors import InputError, NotJsonError, Problem

__all__ = [
    "BODY_LIMIT",
    "IMPORT_LIMIT",
    "MAX_DEPTH",
    "MAX_INT_DIGITS",
    "check_value",
    "find_unsafe",
    "loads",
    "read_file",
]

BODY_LIMIT = 1_000_000
"""Largest JSON input accepted, in bytes (1 MB): a request body, an intake or scale file."""
IMPORT_LIMIT = 20_000_000
"""Largest diary or FHIR import accepted, in bytes (20 MB)."""
MAX_DEPTH = 64
"""Deepest nesting of objects and lists accepted (spasmcare's own files need fewer than 12)."""
MAX_INT_DIGITS = 30
"""Longest whole number accepted, in digits (a sign not counted)."""
FINITE = "a finite number (not NaN or Infinity)"


class _Refused:
    """A number the parser met but will not hand on; found again, with its path, by the walk."""

    __slots__ = ("allowed", "message")

    def __init__(self, message: str, allowed: str) -> None:
        self.message = message
        self.allowed = allowed


def _constant(name: str) -> _Refused:
    return _Refused(f"{name} is not a finite number", FINITE)


def _float(text: str) -> float | _Refused:
    value = float(text)
    if math.isfinite(value):
        return value
    shown = text if len(text) <= 30 else text[:27] + "..."
    return _Refused(f"{shown} is too large to be a number here", FINITE)


def _int(text: str) -> int | _Refused:
    digits = len(text.lstrip("-"))
    if digits > MAX_INT_DIGITS:
        return _Refused(
            f"a whole number with {digits} digits is too long",
            f"at most {MAX_INT_DIGITS} digits",
        )
    return int(text)


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _children(value: Any) -> Iterator[tuple[str | int, Any]]:
    if isinstance(value, dict):
        return iter(value.items())
    return enumerate(value)


def find_unsafe(value: Any, path: str = "", *, max_depth: int = MAX_DEPTH) -> list[Problem]:
    """Every number that is not finite (or was refused while parsing) and every place nested
    deeper than ``max_depth``, each with its path; an empty list when the value is safe."""
    found: list[Problem] = []
    stack: list[tuple[Any, str, int]] = [(value, path, 0)]
    while stack:
        item, where, depth = stack.pop()
        if isinstance(item, float):
            if not math.isfinite(item):
                found.append(Problem(where, f"{item!r} is not a finite number", FINITE))
        elif isinstance(item, _Refused):
            found.append(Problem(where, item.message, item.allowed))
        elif isinstance(item, dict | list | tuple):
            if depth >= max_depth:
                found.append(
                    Problem(
                        where,
                        f"is nested more than {max_depth} levels deep",
                        f"at most {max_depth} levels of objects and lists",
                    )
                )
                continue
            children = list(_children(item))
            for key, child in reversed(children):
                if isinstance(key, str) and len(key) > 200:
                    key = key[:197] + "..."
                stack.append((child, _join(where, key), depth + 1))
        if len(found) >= 100:
            break
    return found


def check_value(value: Any, what: str = "the JSON", path: str = "") -> Any:
    """``value`` unchanged, or :class:`InputError` listing everything :func:`find_unsafe` finds."""
    found = find_unsafe(value, path)
    if found:
        raise InputError(f"{what} has values spasmcare does not accept", found)
    return value


def loads(raw: str | bytes, *, what: str = "the JSON", max_bytes: int | None = None) -> Any:
    """Parse JSON with spasmcare's limits (see the module docstring).

    ``max_bytes`` refuses longer input before parsing. A UTF-8 byte order mark is ignored.
    """
    if max_bytes is not None and len(raw) > max_bytes:
        raise InputError(
            f"{what} is too large",
            [Problem("", "is larger than allowed", f"at most {max_bytes} bytes")],
        )
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise NotJsonError(
                f"{what} is not UTF-8 text",
                [Problem(f"byte {exc.start}", "is not UTF-8 text", "JSON in UTF-8")],
                exc.start,
            ) from None
    else:
        text = raw.removeprefix("\ufeff")
    try:
        value = json.loads(text, parse_constant=_constant, parse_float=_float, parse_int=_int)
    except json.JSONDecodeError as exc:
        raise NotJsonError(
            f"{what} is not valid JSON",
            [Problem(f"line {exc.lineno}, column {exc.colno}", exc.msg)],
            exc.pos,
        ) from None
    except RecursionError:
        raise InputError(
            f"{what} has values spasmcare does not accept",
            [
                Problem(
                    "",
                    f"is nested more than {MAX_DEPTH} levels deep",
                    f"at most {MAX_DEPTH} levels of objects and lists",
                )
            ],
        ) from None
    return check_value(value, what)  # finds every refused number again, with its path


def read_file(path: Path, *, what: str | None = None, max_bytes: int = BODY_LIMIT) -> Any:
    """Read a JSON file (``-``: standard input) with :func:`loads`; a missing or unreadable file is
    an :class:`InputError` too."""
    import sys

    name = what or str(path)
    raw: str | bytes
    try:
        if str(path) == "-":
            stream = getattr(sys.stdin, "buffer", sys.stdin)  # a test may hand in a text stream
            raw = stream.read(max_bytes + 1)
        else:
            with path.open("rb") as handle:
                raw = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputError(f"file not found: {path}", [Problem("file", str(path))]) from None
    except OSError as exc:
        raise InputError(
            f"cannot read {path}: {exc.strerror}", [Problem("file", str(path))]
        ) from None
    return loads(raw, what=name, max_bytes=max_bytes)
