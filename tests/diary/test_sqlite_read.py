"""The quick read of a SQLite diary for triage (diary/sqlite_read.py): for any diary it reads the
same episodes and gives the same recurrence as the repository; whatever it cannot answer for, it
leaves to the repository (None); it changes nothing; and `spasmcare triage` uses it without
importing SQLAlchemy."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spasmcare.diary import DiaryRepository, EpisodeCreate, ProfileCreate
from spasmcare.diary.db import create_engine_for, sqlite_path
from spasmcare.diary.recurrence import LOOKBACK, recurrence, recurrence_for
from spasmcare.diary.sqlite_read import EpisodeTimes, RecurrenceRows, recurrence_rows
from spasmcare.diary.times import from_sqlite_text, sqlite_text

NOW = datetime.now(UTC).replace(microsecond=0)

ZONES = st.sampled_from(
    [UTC, timezone(timedelta(hours=-7)), timezone(timedelta(hours=5, minutes=30))]
)
EPISODES = st.lists(
    st.tuples(
        st.floats(min_value=0.001, max_value=520),  # days before NOW
        st.one_of(st.none(), st.floats(min_value=0, max_value=60)),  # days it lasted
        ZONES,
    ),
    max_size=14,
)


@pytest.fixture
def diary(sqlite_url: str) -> Iterator[tuple[DiaryRepository, Path]]:
    repo = DiaryRepository(create_engine_for(sqlite_url))
    path = sqlite_path(sqlite_url)
    assert path is not None
    yield repo, path
    repo.close()


def _add(
    repo: DiaryRepository, profile_id: int, days_ago: float, lasted: float | None, zone: timezone
) -> None:
    start = (NOW - timedelta(days=days_ago)).astimezone(zone)
    end = None if lasted is None else min(start + timedelta(days=lasted), NOW)
    repo.episodes.create(
        profile_id,
        EpisodeCreate(started_at=start, ended_at=end, regions=["neck"], worst_pain=4),
    )


def _empty(repo: DiaryRepository) -> None:
    for p in repo.profiles.list(limit=100).items:
        repo.profiles.delete(p.id)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(mine=EPISODES, theirs=EPISODES)
def test_the_quick_read_gives_what_the_repository_gives(
    diary: tuple[DiaryRepository, Path],
    mine: list[tuple[float, float | None, timezone]],
    theirs: list[tuple[float, float | None, timezone]],
) -> None:
    repo, path = diary
    _empty(repo)
    me = repo.profiles.create(ProfileCreate(name="me")).id
    other = repo.profiles.create(ProfileCreate(name="other")).id
    for args in mine:
        _add(repo, me, *args)
    for args in theirs:
        _add(repo, other, *args)
    for profile in (me, other):
        rows = recurrence_rows(path, profile, NOW - LOOKBACK)
        assert rows is not None and rows.profile_id == profile
        stored = repo.episodes.list(profile, since=NOW - LOOKBACK, limit=1000).items
        assert sorted(rows.episodes) == sorted(
            EpisodeTimes(e.id, e.started_at, e.ended_at) for e in stored
        )
        assert recurrence(rows.episodes, NOW) == recurrence_for(repo, profile, NOW)
    assert recurrence_rows(path, None, NOW - LOOKBACK) == RecurrenceRows(
        None, []
    )  # two profiles: no choice


def test_an_episode_started_exactly_at_the_lookback_edge_is_read_by_both(
    diary: tuple[DiaryRepository, Path],
) -> None:
    repo, path = diary
    me = repo.profiles.create(ProfileCreate()).id
    edge = NOW - LOOKBACK
    for start in (edge - timedelta(microseconds=1), edge, edge + timedelta(microseconds=1)):
        repo.episodes.create(me, EpisodeCreate(started_at=start, regions=["neck"], worst_pain=3))
    rows = recurrence_rows(path, None, NOW - LOOKBACK)
    assert rows is not None and rows.profile_id == me
    assert sorted(e.started_at for e in rows.episodes) == [edge, edge + timedelta(microseconds=1)]
    assert len(repo.episodes.list(me, since=edge).items) == 2


def test_times_are_kept_as_sqlalchemy_writes_them(diary: tuple[DiaryRepository, Path]) -> None:
    repo, path = diary
    me = repo.profiles.create(ProfileCreate()).id
    start = datetime(2026, 3, 29, 1, 30, 0, 250, tzinfo=timezone(timedelta(hours=2)))
    repo.episodes.create(me, EpisodeCreate(started_at=start, regions=["neck"], worst_pain=3))
    with sqlite3.connect(path) as connection:
        (stored,) = connection.execute("SELECT started_at FROM episodes").fetchone()
    assert stored == sqlite_text(start) == "2026-03-28 23:30:00.000250"
    assert from_sqlite_text(stored) == start and from_sqlite_text(stored).tzinfo is UTC


def test_what_it_cannot_answer_for_is_left_to_the_repository(
    diary: tuple[DiaryRepository, Path], tmp_path: Path
) -> None:
    repo, path = diary
    me = repo.profiles.create(ProfileCreate()).id
    assert (
        recurrence_rows(path, me + 1, NOW - LOOKBACK) is None
    )  # no such profile: the repository says so
    assert recurrence_rows(tmp_path / "missing.sqlite3", None, NOW - LOOKBACK) is None
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"not a database at all" * 100)
    assert recurrence_rows(broken, None, NOW - LOOKBACK) is None
    repo.close()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'older'")
    assert recurrence_rows(path, None, NOW - LOOKBACK) is None  # not at the newest schema
    with sqlite3.connect(path) as connection:
        connection.execute("DROP TABLE alembic_version")
    assert recurrence_rows(path, None, NOW - LOOKBACK) is None


def test_a_time_that_does_not_read_is_left_to_the_repository(
    diary: tuple[DiaryRepository, Path],
) -> None:
    repo, path = diary
    me = repo.profiles.create(ProfileCreate()).id
    repo.episodes.create(me, EpisodeCreate(started_at=NOW, regions=["neck"], worst_pain=3))
    repo.close()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE episodes SET ended_at = 'next tuesday'")
    assert recurrence_rows(path, me, NOW - LOOKBACK) is None


def test_reading_changes_nothing_stored(diary: tuple[DiaryRepository, Path]) -> None:
    repo, path = diary
    me = repo.profiles.create(ProfileCreate()).id
    _add(repo, me, 3, 1, UTC)
    repo.close()
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    assert recurrence_rows(path, None, NOW - LOOKBACK) is not None
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert (
        not path.with_name(path.name + "-wal").exists()
        or not path.with_name(path.name + "-wal").stat().st_size
    )


def test_triage_reads_the_diary_without_sqlalchemy(tmp_path: Path) -> None:
    """The whole point: `spasmcare triage` with a diary starts without importing SQLAlchemy, and
    still finds the recurrence (two episodes in three months)."""
    data = tmp_path / "data"
    case = tmp_path / "case.json"
    case.write_text(json.dumps({"age": 35, "regions": ["lower_back"], "pain": 4}), encoding="utf-8")
    env_data = {"SPASMCARE_DATA_DIR": str(data), "SPASMCARE_CACHE_DIR": str(tmp_path / "cache")}
    setup = (
        "from datetime import UTC, datetime, timedelta\n"
        "from spasmcare.diary import EpisodeCreate, ProfileCreate, open_repository\n"
        "now = datetime.now(UTC)\n"
        "with open_repository() as repo:\n"
        "    me = repo.profiles.create(ProfileCreate()).id\n"
        "    for days in (5, 40):\n"
        "        repo.episodes.create(me, EpisodeCreate(started_at=now - timedelta(days=days),"
        " regions=['neck'], worst_pain=4))\n"
    )
    env = {**os.environ, **env_data}
    subprocess.run([sys.executable, "-c", setup], env=env, check=True)
    run = (
        "import sys\n"
        "from spasmcare.cli import main\n"
        f"try:\n    main(['triage', '--input', {str(case)!r}, '--json'])\n"
        "except SystemExit as exit:\n    assert exit.code in (0, None), exit.code\n"
        "print('sqlalchemy' in sys.modules, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", run], env=env, capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout)["rules_fired"] == ["S2"]
    assert "2 separate episodes started in the last 3 months" in done.stderr
    assert done.stderr.strip().endswith("False")
