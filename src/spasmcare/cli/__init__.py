"""The ``spasmcare`` command line: thin commands over the library; errors become messages and exit codes.

Exit codes: 0 success, 2 invalid input (message on stderr, never a traceback), 1 anything unexpected.
Each area registers its commands from its own module; :data:`COMMANDS` says which module has which
command, so that ``spasmcare triage ...`` imports only the triage module and builds only the triage
command (the whole app, :data:`app`, is built for ``--help``, an unknown command and on first
use). Heavy libraries are imported inside the commands so that start-up stays fast; :func:`run` is
the program itself.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys
from collections.abc import Iterable

import typer

COMMANDS = {
    "triage": "triage",
    "rules": "triage",
    "scales": "scales",
    "serve": "web",
    "run": "web",
    "learn": "learn",
    "search": "learn",
    "report": "report",
    "log": "diary",
    "end": "diary",
    "dose": "diary",
    "profile": "diary",
    "history": "diary",
    "stats": "diary",
    "chart": "diary",
    "export": "diary",
    "import": "diary",
    "db": "diary",
    "plan": "plan",
    "timer": "plan",
}
"""Each command (or command group) and the module under ``spasmcare.cli`` that registers it."""

_MODULES = ("triage", "scales", "web", "learn", "report", "diary", "plan")
"""The command modules in the order of ``spasmcare --help``."""


def build(modules: Iterable[str] = _MODULES) -> typer.Typer:
    """The app with the commands of these modules."""
    built = typer.Typer(
        name="spasmcare",
        help="Triage, self-care and a diary for sudden back and neck muscle spasms.\n\n"
        "spasmcare gives information, not a diagnosis.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        add_completion=False,
        rich_markup_mode=None,
    )
    for name in modules:
        importlib.import_module(f"spasmcare.cli.{name}").register(built)
    return built


def _only(app: typer.Typer, command: str) -> typer.Typer:
    """The app with only ``command`` (a command or a group) of those its modules registered, so
    that Typer builds one command, not every command of the module."""
    app.registered_commands = [
        c
        for c in app.registered_commands
        if (c.name or (c.callback.__name__ if c.callback else "")) == command
    ]
    app.registered_groups = [g for g in app.registered_groups if g.name == command]
    return app


def __getattr__(name: str) -> typer.Typer:
    """``spasmcare.cli.app``: the app with every command, built on first use."""
    if name != "app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    whole = globals()["app"] = build()
    return whole


def run() -> None:
    """The ``spasmcare`` program (console script and ``python -m spasmcare``): :func:`main`, then a
    quick exit.

    When the command is over (its output written and flushed, its files and database closed by
    their ``with`` blocks), every object left is moved out of the garbage collector's sight
    (:func:`gc.freeze`), so the interpreter's shutdown does not walk them all once more: about 55 ms
    of every command with SQLAlchemy or matplotlib loaded. Shutdown is otherwise the normal one
    (``atexit`` handlers, buffers flushed). Only the process entry point does this; :func:`main`
    called in a process that goes on (tests, another program) leaves the collector alone.
    """
    try:
        main()
    finally:
        gc.freeze()


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app and turn spasmcare's errors into exit code 2 and a message."""
    args = sys.argv[1:] if argv is None else argv
    module = COMMANDS.get(args[0]) if args else None
    try:
        if module is None:  # --help, no command or an unknown one: every command
            __getattr__("app")(args=argv, prog_name="spasmcare")
        else:  # only the command itself (in a group, even when it is one command)
            typer.main.get_group(_only(build([module]), args[0]))(args=argv, prog_name="spasmcare")
    except Exception as exc:  # the one place unexpected errors become a message
        from spasmcare.cli._output import report_error

        code = report_error(exc)
        if os.environ.get("SPASMCARE_DEBUG"):
            raise
        sys.exit(code)
