"""The ``spasmcare`` command line: thin commands over the library; errors become messages and exit codes.

Exit codes: 0 success, 2 invalid input (message on stderr, never a traceback), 1 anything unexpected.
Each area registers its commands from its own module, listed in ``_COMMAND_MODULES``; heavy libraries
are imported inside the commands so that start-up stays fast.
"""

from __future__ import annotations

import importlib
import os
import sys

import typer

app = typer.Typer(
    name="spasmcare",
    help="Triage, self-care and a diary for sudden back and neck muscle spasms.\n\n"
    "spasmcare gives information, not a diagnosis.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)

_COMMAND_MODULES = ("triage", "scales", "web", "learn", "report", "diary", "plan")

for _name in _COMMAND_MODULES:
    importlib.import_module(f"spasmcare.cli.{_name}").register(app)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app and turn spasmcare's errors into exit code 2 and a message."""
    try:
        app(args=argv, prog_name="spasmcare")
    except Exception as exc:  # the one place unexpected errors become a message
        from spasmcare.cli._output import report_error

        code = report_error(exc)
        if os.environ.get("SPASMCARE_DEBUG"):
            raise
        sys.exit(code)
