"""Reliability with real processes: a writer killed with SIGKILL loses nothing it had committed and
leaves a readable database; two processes writing to one SQLite diary lose nothing and never fail
with "database is locked"."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from spasmcare.diary import open_repository
from spasmcare.diary.db import create_engine_for
from tests.diary.factories import profile

WRITER = Path(__file__).with_name("writer.py")


def start_writer(url: str, profile_id: int, count: int, *extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, str(WRITER), url, str(profile_id), str(count), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


@pytest.mark.slow
def test_sigkill_during_a_burst_of_writes_loses_nothing_committed(sql_url: str) -> None:
    with open_repository(sql_url) as repo:
        me = repo.profiles.create(profile()).id
    writer = start_writer(sql_url, me, 0)
    assert writer.stdout is not None
    acknowledged: list[int] = []
    deadline = time.monotonic() + 60
    while len(acknowledged) < 150 and time.monotonic() < deadline:
        line = writer.stdout.readline()
        if not line:
            break
        acknowledged.append(int(line))
    assert len(acknowledged) >= 150, writer.stderr.read() if writer.stderr else ""
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=30)
    assert writer.returncode == -signal.SIGKILL
    # Read the rest through the same text wrapper that readline() used: it may already hold lines
    # the writer printed in one burst (communicate() would read past them, from the raw pipe).
    rest = writer.stdout.read()
    writer.stdout.close()
    if writer.stderr is not None:
        writer.stderr.close()
    acknowledged += [int(x) for x in rest.split()]

    with open_repository(sql_url) as repo:
        stored = {e.id for e in repo.snapshot(me).episodes}
        treatments = repo.treatments.list(me, limit=1).total
    missing = set(acknowledged) - stored
    assert not missing, f"committed entries lost: {sorted(missing)[:10]}"
    assert len(stored) - len(acknowledged) <= 1, "at most the one being acknowledged when killed"
    assert treatments == len(stored), "each entry's treatment was written with it, or not at all"
    if sql_url.startswith("sqlite"):
        engine = create_engine_for(sql_url)
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            assert conn.execute(text("PRAGMA foreign_key_check")).fetchall() == []
        engine.dispose()


@pytest.mark.slow
def test_two_processes_writing_one_sqlite_diary(sqlite_url: str) -> None:
    with open_repository(sqlite_url) as repo:
        me = repo.profiles.create(profile()).id
    count = 60
    writers = [start_writer(sqlite_url, me, count, "--read-first") for _ in range(2)]
    results = [w.communicate(timeout=120) for w in writers]
    for writer, (out, err) in zip(writers, results, strict=True):
        assert writer.returncode == 0, err
        assert "locked" not in err
        assert len(out.split()) == count
    ids = [int(x) for out, _ in results for x in out.split()]
    assert len(set(ids)) == 2 * count
    with open_repository(sqlite_url) as repo:
        assert repo.episodes.list(me).total == 2 * count
        assert repo.treatments.list(me).total == 2 * count
        assert {e.id for e in repo.snapshot(me).episodes} == set(ids)
