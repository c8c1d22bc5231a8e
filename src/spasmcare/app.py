"""``create_app(settings)``: the single place the web app is assembled.

The app serves the REST API under ``/api/v1`` (documented at ``/openapi.json``), the web pages, the
static files and ``/healthz``. Nothing happens at import time; ``create_app`` opens the diary database
(a new SQLite file is set up automatically) and ``spasmcare serve`` runs it with uvicorn.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from spasmcare.accounts import Accounts
from spasmcare.api import api_router, install_problem_handlers
from spasmcare.api.context import AppContext
from spasmcare.api.middleware import (
    BodyLimitMiddleware,
    HostCheckMiddleware,
    JsonBodyMiddleware,
    OriginCheckMiddleware,
    SecurityHeadersMiddleware,
)
from spasmcare.api.storage import open_storage
from spasmcare.config import Settings, get_settings
from spasmcare.knowledge import load_knowledge
from spasmcare.web import install_web

SECRET_FILE = "secret_key"
IMPORT_PATHS = ("/import",)


def _secret(settings: Settings) -> bytes:
    """The key that signs CSRF tokens: SPASMCARE_SECRET_KEY, or a random one kept in the data folder
    (owner-only), so that every worker of one server shares it and restarts keep forms valid."""
    if settings.secret_key:
        return settings.secret_key.encode()
    path: Path = settings.resolved_data_dir() / SECRET_FILE
    try:
        return path.read_bytes().strip() or _new_secret(path)
    except FileNotFoundError:
        return _new_secret(path)


def _new_secret(path: Path) -> bytes:
    import os

    value = secrets.token_urlsafe(48).encode()
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:  # another worker won the race
        return path.read_bytes().strip()
    with os.fdopen(fd, "wb") as handle:
        handle.write(value)
    return value


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the spasmcare web app for ``settings`` (default: read from the environment now)."""
    settings = settings or get_settings()
    kb = load_knowledge(settings.knowledge_version)
    storage = open_storage(settings)
    accounts = None
    if settings.multi_user:
        if storage.engine is None:  # pragma: no cover - open_storage always gives SQL storage
            raise RuntimeError("multi-user mode needs an SQL database")
        accounts = Accounts(storage.engine, storage.repository)
    context = AppContext(
        settings=settings, kb=kb, storage=storage, secret=_secret(settings), accounts=accounts
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        storage.close()

    from spasmcare import __version__

    app = FastAPI(
        title="spasmcare",
        version=__version__,
        summary="Triage, self-care, scales and a diary for sudden back and neck muscle spasms.",
        description="spasmcare gives information, not a diagnosis. Errors are RFC 9457 problem "
        "details (`application/problem+json`) listing every problem with its field path.",
        docs_url=None,  # the interactive docs load scripts from a CDN; the schema is at /openapi.json
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.spasmcare = context
    install_problem_handlers(app)
    from spasmcare.api.cds_hooks import router as cds_hooks_router
    from spasmcare.api.health import router as health_router

    app.include_router(health_router)
    app.include_router(api_router(settings), prefix="/api/v1")
    app.include_router(cds_hooks_router)  # CDS Hooks 2.0: discovery at {base}/cds-services
    install_web(app)
    # Outermost last: headers on every response, including the limit's and the origin check's.
    app.add_middleware(JsonBodyMiddleware)
    app.add_middleware(BodyLimitMiddleware, large_paths=IMPORT_PATHS)
    app.add_middleware(OriginCheckMiddleware)
    app.add_middleware(HostCheckMiddleware, allowed_hosts=settings.trusted_hosts())
    app.add_middleware(SecurityHeadersMiddleware)
    return app


__all__ = ["create_app"]
