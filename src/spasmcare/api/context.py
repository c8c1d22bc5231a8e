"""What every request can reach: the settings, the knowledge base and storage, held by the app.

``create_app`` builds one :class:`AppContext` and stores it as ``app.state.spasmcare``; routes take it
(or parts of it) through the ``Annotated`` dependencies below.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from spasmcare.accounts import Accounts
from spasmcare.api.storage import Storage
from spasmcare.config import Settings
from spasmcare.knowledge import KnowledgeBase


@dataclass
class AppContext:
    """The app's long-lived parts; created once in ``create_app``, never at import time."""

    settings: Settings
    kb: KnowledgeBase
    storage: Storage
    secret: bytes
    accounts: Accounts | None = None

    @property
    def emergency_call(self) -> str:
        return self.settings.emergency_call


def get_context(request: Request) -> AppContext:
    context: AppContext = request.app.state.spasmcare
    return context


async def _context_dependency(request: Request) -> AppContext:
    # async: a plain attribute read, never worth a hop to the thread pool
    return get_context(request)


async def _kb_dependency(request: Request) -> KnowledgeBase:
    return get_context(request).kb


Context = Annotated[AppContext, Depends(_context_dependency)]
KB = Annotated[KnowledgeBase, Depends(_kb_dependency)]

__all__ = ["KB", "AppContext", "Context", "get_context"]
