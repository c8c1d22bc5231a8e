"""The in-memory repository behaves exactly like the SQL one: random sequences of operations give the
same records, ids, errors, snapshots and dashboards on both (SQLite in memory here; the shared
contract tests cover PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spasmcare.diary import (
    DiaryRepository,
    EpisodeUpdate,
    MemoryRepository,
    SqlRepository,
    TreatmentUpdate,
)
from spasmcare.diary.db import create_engine_for, upgrade
from spasmcare.errors import SpasmcareError
from tests.diary.conftest import Clock
from tests.diary.factories import at, dose, episode, profile, treatment

pain = st.integers(0, 10)
day = st.floats(0, 60, allow_nan=False)
operation = st.one_of(
    st.tuples(st.just("episode"), day, pain, st.booleans()),
    st.tuples(st.just("treatment"), st.integers(0, 6), st.sampled_from(["heat", "medicine"]), pain),
    st.tuples(st.just("dose"), day, st.integers(1, 1000)),
    st.tuples(st.just("end"), st.integers(0, 6), day),
    st.tuples(st.just("relief"), st.integers(0, 6), pain),
    st.tuples(st.just("drop_episode"), st.integers(0, 6)),
    st.tuples(st.just("drop_treatment"), st.integers(0, 6)),
)


def pick(ids: list[int], index: int) -> int:
    """One of the ids made so far (index 0: an id that does not exist)."""
    return ids[index % len(ids)] if ids and index else 999


def apply(
    repo: DiaryRepository, clock: Clock, me: int, op: tuple[Any, ...], made: dict[str, list[int]]
) -> object:
    """Run one operation; return what it gave back, or the error's kind and message."""
    clock.advance(minutes=1)
    kind = op[0]
    if kind in ("treatment", "end", "drop_episode"):
        op = (kind, pick(made["episode"], op[1]), *op[2:])
    elif kind in ("relief", "drop_treatment"):
        op = (kind, pick(made["treatment"], op[1]), *op[2:])
    try:
        if kind == "episode":
            ended = at(days=op[1] + 1) if op[3] else None
            return repo.create_episode(
                me, episode(started_at=at(days=op[1]), worst_pain=op[2], ended_at=ended)
            )
        if kind == "treatment":
            extra = {"medicine": "ibuprofen", "dose_mg": 200} if op[2] == "medicine" else {}
            return repo.create_treatment(
                me,
                treatment(
                    kind=op[2], episode_id=None if op[1] == 999 else op[1], relief=op[3], **extra
                ),
            )
        if kind == "dose":
            return repo.create_dose(me, dose(taken_at=at(days=op[1]), amount_mg=op[2]))
        if kind == "end":
            return repo.update_episode(me, op[1], EpisodeUpdate(ended_at=at(days=op[2])))
        if kind == "relief":
            return repo.update_treatment(me, op[1], TreatmentUpdate(relief=op[2]))
        if kind == "drop_episode":
            repo.delete_episode(me, op[1])
            return None
        repo.delete_treatment(me, op[1])
        return None
    except SpasmcareError as exc:
        return (type(exc).__name__, exc.summary, [str(p) for p in exc.problems])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(operation, min_size=1, max_size=25))
def test_memory_and_sql_agree_on_any_sequence_of_operations(ops: list[tuple[Any, ...]]) -> None:
    engine = create_engine_for("sqlite://")
    upgrade(engine)
    memory_clock, sql_clock = Clock(), Clock()
    memory = MemoryRepository(clock=memory_clock)
    sql = SqlRepository(engine, clock=sql_clock)
    try:
        ids = {memory.create_profile(profile()).id, sql.create_profile(profile()).id}
        assert ids == {1}
        made: dict[str, list[int]] = {"episode": [], "treatment": []}
        for op in ops:
            got = apply(memory, memory_clock, 1, op, made)
            assert got == apply(sql, sql_clock, 1, op, made), op
            if op[0] in made and hasattr(got, "id"):
                made[op[0]].append(got.id)
        assert memory.snapshot(1) == sql.snapshot(1)
        now = at(days=30)
        assert memory.dashboard(1, now) == sql.dashboard(1, now)
        window = (at(days=-1), at(days=30) + timedelta(days=1))
        assert memory.doses_between(1, *window) == sql.doses_between(1, *window)
        assert memory.list_treatments(1, limit=3, offset=1) == sql.list_treatments(
            1, limit=3, offset=1
        )
    finally:
        sql.close()
