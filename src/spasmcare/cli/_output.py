"""Shared CLI helpers: consoles, reading JSON input, and turning errors into messages."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from spasmcare.errors import InputError, MissingExtraError, SpasmcareError

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
        return 2 if isinstance(exc, InputError | MissingExtraError) else 1
    if isinstance(exc, OSError):
        console.print(f"[bold red]Error:[/] {exc.strerror or exc}: {exc.filename or ''}")
        return 2
    console.print(
        f"[bold red]Internal error:[/] {type(exc).__name__}: {exc}. "
        "Please report it; set SPASMCARE_DEBUG=1 to see the details.",
        markup=True,
    )
    return 1


def read_json(source: str, *, large: bool = False) -> Any:
    """Read JSON from a file path or ``-`` (standard input) with the API's limits (1 MB, or 20 MB
    for an import with ``large``; finite numbers; at most 64 levels of nesting); raise InputError
    with the position or the path of each bad value."""
    from spasmcare.safejson import BODY_LIMIT, IMPORT_LIMIT, read_file

    return read_file(Path(source), what=source, max_bytes=IMPORT_LIMIT if large else BODY_LIMIT)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
