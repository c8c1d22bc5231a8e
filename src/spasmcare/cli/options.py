"""Command-line options that several commands share, declared once (same flag, same help)."""

from __future__ import annotations

from typing import Annotated

import typer

IntakeInput = Annotated[
    str | None,
    typer.Option("--input", "-i", help="An intake JSON file, or - for standard input."),
]
EmergencyNumber = Annotated[
    str | None, typer.Option(help="The emergency number to show, e.g. 911.")
]
KnowledgeVersion = Annotated[str | None, typer.Option(help="Use an older knowledge-base version.")]
ProfileOption = Annotated[
    int | None, typer.Option("--profile", help="Profile id (needed when there are several).")
]

__all__ = ["EmergencyNumber", "IntakeInput", "KnowledgeVersion", "ProfileOption"]
