"""Migration 0004 repairs what older versions stored but could not read back or import again (a NaN
score kept as NULL on a "valid" result, empty tags from control characters), on SQLite and
PostgreSQL; migration acc2 replaces failed logins by the throttle and adds session details."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from spasmcare.diary import open_repository
from spasmcare.diary.db import create_engine_for, head_revision, upgrade
from spasmcare.diary.transfer import export_json, import_data

WHEN = datetime(2025, 4, 1, 7, 30, tzinfo=UTC)


@pytest.fixture(params=("sqlite", "postgres"))
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'old.sqlite3'}"
    return str(request.getfixturevalue("fresh_pg_url"))


def test_values_older_versions_stored_are_repaired_so_the_diary_reads_and_round_trips(
    url: str,
) -> None:
    engine = create_engine_for(url)
    upgrade(engine, "0003")
    postgres = engine.dialect.name == "postgresql"
    stamp = WHEN if postgres else WHEN.replace(tzinfo=None)
    nan = "'NaN'" if postgres else "NULL"  # SQLite stored a NaN score as NULL
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO profiles (name, conditions, medicines, created_at, updated_at) "
                "VALUES ('', '[]', '[\"\", \"ibuprofen\"]', :t, :t)"
            ),
            {"t": stamp},
        )
        conn.execute(
            text(
                "INSERT INTO episodes (profile_id, started_at, regions, worst_pain, triggers, "
                "suspected_causes, notes, created_at, updated_at) VALUES (1, :t, '[\"neck\"]', 5, "
                '\'["", "desk"]\', \'[""]\', :notes, :t, :t)'
            ),
            {"t": stamp, "notes": "long\x07day"},
        )
        conn.execute(
            text(
                "INSERT INTO doses (profile_id, medicine, amount_mg, taken_at, notes, created_at, "
                "updated_at) VALUES (1, '', 200, :t, '', :t, :t)"
            ),
            {"t": stamp},
        )
        conn.execute(
            text(
                "INSERT INTO scale_results (profile_id, scale, taken_at, responses, score, valid, "
                f"result, notes, created_at, updated_at) VALUES (1, 'nrs', :t, :responses, {nan}, "
                "true, '{}', '', :t, :t)"
            ),
            {"t": stamp, "responses": '{"pain": 5}' if postgres else '{"pain": NaN}'},
        )
        conn.execute(
            text("INSERT INTO login_failures (key, at) VALUES ('user:alice', :t)"), {"t": stamp}
        )
    upgrade(engine)
    assert inspect(engine).has_table("login_throttle")
    assert not inspect(engine).has_table("login_failures")
    assert {"last_seen_at", "user_agent"} <= {
        c["name"] for c in inspect(engine).get_columns("sessions")
    }
    engine.dispose()

    with open_repository(url) as repo:
        snapshot = repo.snapshot(1)
        assert snapshot.profile.name == "me" and snapshot.profile.medicines == ["ibuprofen"]
        (episode,) = snapshot.episodes
        assert episode.triggers == ["desk"] and episode.suspected_causes == []
        assert episode.notes == "long day"
        assert snapshot.doses[0].medicine == "unnamed medicine"
        (scale,) = snapshot.scale_records
        assert scale.score is None and scale.valid is False
        assert scale.responses == ({"pain": 5} if postgres else {"pain": None})
        assert repo.scale_records.list(1).total == 1
        first = export_json(repo, 1, WHEN)
        copy = import_data(repo, first)
        again = export_json(repo, copy.profile_id, WHEN)
        assert {k: v for k, v in again.items() if k != "exported_at"} == {
            k: v for k, v in first.items() if k != "exported_at"
        }
    assert head_revision() == "acc2"
