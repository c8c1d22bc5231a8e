"""The app's storage: the diary repository, the database engine behind it, and the health check.

The app opens one repository for its whole life (``create_app``) and shares it between requests: each
repository method is its own short transaction, so this is safe from the worker threads of sync
routes.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from spasmcare.config import Settings
from spasmcare.diary import DiaryRepository, ProfileCreate, open_repository
from spasmcare.diary.db import default_url, storage_error

LOCAL_PROFILE_NAME = "me"


@dataclass
class Storage:
    """The diary repository of the app and, for SQL storage, its engine."""

    repository: DiaryRepository
    engine: Engine | None = None
    _local_profile: int | None = field(default=None, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)

    def ping(self) -> None:
        """Raise StorageError (HTTP 503) unless the database answers."""
        if self.engine is None:
            return
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except SQLAlchemyError as exc:
            raise storage_error(exc, "reach the diary database") from exc

    def local_profile_id(self) -> int:
        """Single-user mode: the oldest profile no account owns, created on first use.

        With one profile (the usual case) this is the one the command line uses, so the web and
        the terminal share one diary.
        """
        if self._local_profile is not None:
            return self._local_profile
        with self._lock:
            if self._local_profile is None:
                self._local_profile = find_local_profile(self.repository)
        return self._local_profile

    def close(self) -> None:
        self.repository.close()


def find_local_profile(repository: DiaryRepository) -> int:
    """The oldest profile without an owner; a new one named "me" when there is none."""
    offset = 0
    while True:
        page = repository.profiles.list(limit=100, offset=offset)
        for profile in page.items:
            if profile.owner is None:
                return profile.id
        offset += len(page.items)
        if not page.items or offset >= page.total:
            break
    return repository.profiles.create(ProfileCreate(name=LOCAL_PROFILE_NAME)).id


def open_storage(settings: Settings) -> Storage:
    """Open the diary for the app.

    SQLite is set up automatically; another database must be at the newest schema (run
    ``spasmcare db upgrade``), or a StorageError says so.
    """
    url = default_url(settings)
    repository = open_repository(url)
    return Storage(repository=repository, engine=repository.engine)


__all__ = [
    "LOCAL_PROFILE_NAME",
    "Storage",
    "find_local_profile",
    "open_storage",
]
