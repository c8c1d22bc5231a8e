"""Slowing password guessing without locking the owner out (OWASP Authentication Cheat Sheet,
"Protect against automated attacks"; Blocking Brute Force Attacks).

Every password check (a login, deleting the account, changing the password) first *claims* a try,
in one write transaction, for two keys:

- ``login:<username>|<address>``: the first :data:`FREE_TRIES_PER_USER` tries are free; each one
  after that must wait twice as long as the one before (1 s, 2 s, 4 s ... at most
  :data:`MAX_DELAY`). The owner signing in from another address is not affected.
- ``address:<address>``: one address trying many usernames gets :data:`FREE_TRIES_PER_ADDRESS`
  free tries, then the same growing delays.

The claim counts the try *before* the password is checked and sets when the next try may come, so
concurrent guesses cannot all pass one check (the row is locked: ``BEGIN IMMEDIATE`` on SQLite,
``SELECT ... FOR UPDATE`` on PostgreSQL). A try that comes too early is refused with the seconds to
wait (HTTP 429, ``Retry-After``) and is not counted. A right password clears its
``login:`` key. A key's count is forgotten :data:`MEMORY` after its last failure.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select, update
from sqlalchemy.exc import SQLAlchemyError

from spasmcare.accounts.tables import login_throttle
from spasmcare.diary.db import storage_error, write_engine
from spasmcare.errors import Problem, RateLimitedError

FREE_TRIES_PER_USER = 3
FREE_TRIES_PER_ADDRESS = 30
MAX_DELAY = timedelta(minutes=15)
MEMORY = timedelta(hours=24)
KEY_LENGTH = 200


def delay_after(failures: int, free: int) -> timedelta:
    """How long to wait after ``failures`` tries when ``free`` of them cost nothing."""
    if failures <= free:
        return timedelta(0)
    seconds = 2.0 ** min(failures - free - 1, 30)
    return min(timedelta(seconds=seconds), MAX_DELAY)


def keys_for(username: str, address: str) -> list[tuple[str, int]]:
    """The throttle keys of one try and the free tries of each."""
    return [
        (f"login:{username}|{address}"[:KEY_LENGTH], FREE_TRIES_PER_USER),
        (f"address:{address}"[:KEY_LENGTH], FREE_TRIES_PER_ADDRESS),
    ]


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class Throttle:
    """The throttle of one database (shared by every worker)."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime]) -> None:
        self._writer = write_engine(engine)
        self._clock = clock

    def claim(self, username: str, address: str) -> None:
        """Count one try, or raise :class:`RateLimitedError` if it comes too early."""
        now = self._clock()
        keys = keys_for(username, address)
        try:
            with self._writer.begin() as conn:
                rows = [self._locked_row(conn, key, now) for key, _ in keys]
                wait = max((_aware(r["blocked_until"]) - now for r in rows), default=timedelta(0))
                if wait > timedelta(0):
                    seconds = max(1, math.ceil(wait.total_seconds()))
                    raise RateLimitedError(
                        "too many tries; wait a moment and try again",
                        seconds,
                        [Problem("password", "too many tries", f"try again in {seconds} seconds")],
                    )
                for (key, free), row in zip(keys, rows, strict=True):
                    failures = row["failures"] + 1
                    conn.execute(
                        update(login_throttle)
                        .where(login_throttle.c.key == key)
                        .values(
                            failures=failures,
                            last_failure_at=now,
                            blocked_until=now + delay_after(failures, free),
                        )
                    )
        except SQLAlchemyError as exc:
            raise storage_error(exc, "count the try") from exc

    def succeeded(self, username: str, address: str) -> None:
        """The password was right: forget this username's tries from this address, and give the
        address its try back."""
        now = self._clock()
        (user_key, _), (address_key, free) = keys_for(username, address)
        try:
            with self._writer.begin() as conn:
                conn.execute(delete(login_throttle).where(login_throttle.c.key == user_key))
                row = conn.execute(
                    select(login_throttle.c.failures).where(login_throttle.c.key == address_key)
                ).first()
                if row is not None:
                    failures = max(row.failures - 1, 0)
                    values: dict[str, Any] = {"failures": failures}
                    if failures <= free:
                        values["blocked_until"] = now
                    conn.execute(
                        update(login_throttle)
                        .where(login_throttle.c.key == address_key)
                        .values(**values)
                    )
                conn.execute(
                    delete(login_throttle).where(login_throttle.c.last_failure_at < now - MEMORY)
                )
        except SQLAlchemyError as exc:
            raise storage_error(exc, "clear the tries") from exc

    @staticmethod
    def _locked_row(conn: Connection, key: str, now: datetime) -> dict[str, Any]:
        """The key's row, locked for this transaction (created first if missing); a count older
        than :data:`MEMORY` reads as zero."""
        fresh = {"key": key, "failures": 0, "last_failure_at": now, "blocked_until": now}
        dialect = conn.dialect.name
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            conn.execute(pg_insert(login_throttle).values(**fresh).on_conflict_do_nothing())
        elif dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert as sqlite_insert

            conn.execute(sqlite_insert(login_throttle).values(**fresh).on_conflict_do_nothing())
        else:  # pragma: no cover - spasmcare runs on SQLite and PostgreSQL
            found = conn.execute(
                select(login_throttle.c.key).where(login_throttle.c.key == key)
            ).first()
            if found is None:
                conn.execute(insert(login_throttle).values(**fresh))
        row = (
            conn.execute(
                select(login_throttle).where(login_throttle.c.key == key).with_for_update()
            )
            .mappings()
            .one()
        )
        data = dict(row)
        if _aware(data["last_failure_at"]) < now - MEMORY:
            data["failures"] = 0
            data["blocked_until"] = now
        return data


__all__ = [
    "FREE_TRIES_PER_ADDRESS",
    "FREE_TRIES_PER_USER",
    "MAX_DELAY",
    "MEMORY",
    "Throttle",
    "delay_after",
    "keys_for",
]
