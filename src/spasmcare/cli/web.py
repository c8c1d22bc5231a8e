"""``spasmcare serve`` and ``spasmcare run``: the web app with uvicorn.

``run`` is what ``make run`` calls: the web app on the embedded SQLite default, at
http://127.0.0.1:8000 unless SPASMCARE_HOST / SPASMCARE_PORT say otherwise.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def _serve(host: str | None, port: int | None, workers: int, proxy: bool) -> None:
    from spasmcare.cli._output import err, out
    from spasmcare.config import get_settings
    from spasmcare.errors import InputError, Problem

    settings = get_settings()
    host = host or settings.host
    port = port or settings.port
    if not settings.multi_user and host not in LOCAL_HOSTS:
        raise InputError(
            "single-user mode has no login, so it only listens on this computer",
            [
                Problem(
                    "host",
                    f"{host!r} would let other computers read your diary",
                    "127.0.0.1, or set SPASMCARE_MULTI_USER=1 for accounts",
                )
            ],
        )
    if workers > 1 and settings.database_url is None:
        err().print("[yellow]Note:[/] several workers share one SQLite file; PostgreSQL is better.")
    import uvicorn

    # Each worker builds the app from the environment: it must know the address it listens on,
    # whose name it answers to (the Host allow-list).
    os.environ["SPASMCARE_HOST"] = host
    shown = f"[{host}]" if ":" in host else host
    out().print(
        f"spasmcare is running at [bold]http://{shown}:{port}[/] "
        f"({'multi-user' if settings.multi_user else 'single-user'} mode). Press Ctrl+C to stop.",
        markup=True,
    )
    uvicorn.run(
        "spasmcare.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=proxy,
        forwarded_allow_ips="*" if proxy else None,
        server_header=False,
        log_level="warning",
        access_log=False,
    )


def serve(
    host: Annotated[
        str | None, typer.Option(help="Address to listen on (default 127.0.0.1).")
    ] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="Port (default 8000).")] = None,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes.")] = 1,
    proxy: Annotated[
        bool,
        typer.Option(
            "--proxy/--no-proxy",
            help="Trust X-Forwarded-For/Proto from a reverse proxy (only behind one).",
        ),
    ] = False,
) -> None:
    """Start the web app and its REST API (single-user on 127.0.0.1 unless set otherwise)."""
    _serve(host, port, workers, proxy)


def run() -> None:
    """Start spasmcare: the web app at http://127.0.0.1:8000, with the diary in a local SQLite file."""
    _serve(None, None, 1, False)


def register(app: typer.Typer) -> None:
    app.command()(serve)
    app.command()(run)
