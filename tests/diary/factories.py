"""Small builders of valid diary inputs, so each test states only what matters to it."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from spasmcare.diary import (
    DiaryRepository,
    DoseCreate,
    EpisodeCreate,
    ProfileCreate,
    ScaleRecordCreate,
    TreatmentCreate,
    TriageRecordCreate,
)
from spasmcare.diary.db import create_engine_for, upgrade

T0 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)

_template: list[tuple[Engine, sqlite3.Connection]] = []


def memory_repository(clock: Callable[[], datetime] | None = None) -> DiaryRepository:
    """A new, empty diary in memory (SQLite), copied from one migrated once per test process
    (running the migrations for every test would be slower)."""
    if not _template:
        engine = create_engine_for("sqlite://")
        upgrade(engine)
        raw = engine.raw_connection().driver_connection
        assert isinstance(raw, sqlite3.Connection)
        _template.append((engine, raw))
    engine = create_engine_for("sqlite://")
    with engine.connect() as conn:
        target = conn.connection.driver_connection
        assert isinstance(target, sqlite3.Connection)
        _template[0][1].backup(target)
    return DiaryRepository(engine) if clock is None else DiaryRepository(engine, clock=clock)


def at(days: float = 0, hours: float = 0) -> datetime:
    return T0 + timedelta(days=days, hours=hours)


def profile(**kw: Any) -> ProfileCreate:
    return ProfileCreate.model_validate({"name": "Ana", **kw})


def episode(**kw: Any) -> EpisodeCreate:
    data: dict[str, Any] = {"started_at": at(), "regions": ["lower_back"], "worst_pain": 6}
    return EpisodeCreate.model_validate({**data, **kw})


def treatment(**kw: Any) -> TreatmentCreate:
    return TreatmentCreate.model_validate({"kind": "heat", "started_at": at(), "relief": 5, **kw})


def dose(**kw: Any) -> DoseCreate:
    return DoseCreate.model_validate(
        {"medicine": "acetaminophen", "amount_mg": 500, "taken_at": at(), **kw}
    )


def triage_record(**kw: Any) -> TriageRecordCreate:
    result = {
        "disposition": "soon",
        "rules_fired": ["S2"],
        "knowledge_version": "1.0.0",
        "reasons": [],
    }
    return TriageRecordCreate.model_validate(
        {"taken_at": at(), "intake": {"age": 40, "regions": ["lower_back"]}, "result": result, **kw}
    )


def scale_record(**kw: Any) -> ScaleRecordCreate:
    return ScaleRecordCreate.model_validate(
        {"scale": "nrs", "taken_at": at(), "responses": {"score": 6}, "score": 6.0, **kw}
    )
