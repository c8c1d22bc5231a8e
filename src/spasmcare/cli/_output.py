"""Shared CLI helpers: consoles, reading JSON input, and turning errors into messages."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from spasmcare.errors import InputError, Problem, SpasmcareError

if TYPE_CHECKING:
    from rich.console import Console


def out() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def err() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def report_error(exc: BaseException) -> int:
    """Print an error without a traceback; return the exit code."""
    console = err()
    if isinstance(exc, SpasmcareError):
        console.print(f"[bold red]Error:[/] {exc.summary}", markup=True)
        for problem in exc.problems:
            console.print(f"  - {problem}", markup=False)
        return 2 if isinstance(exc, InputError) else 1
    if isinstance(exc, OSError):
        console.print(f"[bold red]Error:[/] {exc.strerror or exc}: {exc.filename or ''}")
        return 2
    console.print(
        f"[bold red]Internal error:[/] {type(exc).__name__}: {exc}. "
        "Please report it; set SPASMCARE_DEBUG=1 to see the details.",
        markup=True,
    )
    return 1


def read_json(source: str) -> Any:
    """Read JSON from a file path or ``-`` (standard input); raise InputError with the position."""
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InputError(f"file not found: {source}", [Problem("input", "no such file")]) from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{source} is not UTF-8 text", [Problem("input", str(exc))]) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{source} is not valid JSON",
            [Problem(f"line {exc.lineno}, column {exc.colno}", exc.msg)],
        ) from exc


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
