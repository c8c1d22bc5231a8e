"""What ``spasmcare triage`` reads from a SQLite diary, read with the standard library's ``sqlite3``.

Triage reads one thing from the diary, the episodes that decide whether spasms keep coming back
(:mod:`spasmcare.diary.recurrence`), and must start quickly; SQLAlchemy alone takes longer to import
than the rest of a triage. So for the default SQLite diary it reads those rows here, read-only, with
one query, and applies the same rule. Anything out of the ordinary (a diary not at the newest schema,
a profile that does not exist, a locked or damaged file, a time that does not read) gives ``None``,
and the caller reads through the repository instead, which explains the problem. A test checks that
both reads give the same answer for any diary.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from spasmcare.diary.revisions import head_revision
from spasmcare.diary.times import from_sqlite_text, sqlite_text

__all__ = ["BUSY_TIMEOUT_MS", "EpisodeTimes", "RecurrenceRows", "recurrence_rows"]

BUSY_TIMEOUT_MS = 30_000
"""How long a connection to a SQLite diary waits for another process's write to finish."""


class EpisodeTimes(NamedTuple):
    """An episode as the recurrence rule reads it."""

    id: int
    started_at: datetime
    ended_at: datetime | None


class RecurrenceRows(NamedTuple):
    profile_id: int | None
    """The profile read: the one asked for, or the diary's only one (None: none was asked for and
    the diary has none or several, so nothing is read)."""
    episodes: list[EpisodeTimes]


def recurrence_rows(path: Path, profile: int | None, since: datetime) -> RecurrenceRows | None:
    """The episodes of a profile that the recurrence rule reads (those started at ``since`` or
    later: ``now - LOOKBACK``), from the SQLite diary at ``path``; ``None`` when they cannot be read
    here."""
    try:
        connection = sqlite3.connect(
            f"{path.absolute().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000
        )
    except sqlite3.Error:
        return None
    try:
        with closing(connection):
            version = connection.execute("SELECT version_num FROM alembic_version").fetchall()
            if version != [(head_revision(),)]:
                return None
            if profile is None:
                ids = connection.execute("SELECT id FROM profiles LIMIT 2").fetchall()
                if len(ids) != 1:
                    return RecurrenceRows(None, [])
                profile = int(ids[0][0])
            elif not connection.execute(
                "SELECT 1 FROM profiles WHERE id = ?", (profile,)
            ).fetchall():
                return None
            rows = connection.execute(
                "SELECT id, started_at, ended_at FROM episodes"
                " WHERE profile_id = ? AND started_at >= ?",
                (profile, sqlite_text(since)),
            ).fetchall()
            return RecurrenceRows(
                profile,
                [
                    EpisodeTimes(
                        int(i),
                        from_sqlite_text(start),
                        None if end is None else from_sqlite_text(end),
                    )
                    for i, start, end in rows
                ],
            )
    except (sqlite3.Error, TypeError, ValueError):
        return None
