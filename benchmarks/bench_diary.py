"""Diary benchmarks (issue 5). Each figure is printed with its ratio to a baseline from the same run.

1. One person, ten years of daily entries on SQLite: 5,000 episodes and 20,000 treatments.
   Time to load the diary, compute every statistic and draw all three charts (SVG and PNG).
   Goal: stats and all charts together under 1 s. Baseline: reading the same rows with the bare
   sqlite3 module (no models, no analytics, no drawing).
2. Bulk import rate (rows per second) on SQLite and PostgreSQL: one 25,000-row diary through
   ``import_bundle`` (one transaction). Baseline: a bare DBAPI ``executemany`` of the same episode and
   treatment rows.
3. PostgreSQL, 10,000 profiles with 1,000 rows each (10 million rows): the per-profile dashboard
   query (``repository.dashboard``), p50 and p95 over random profiles. Goal: p95 under 20 ms.
   Baseline: a ``SELECT 1`` round trip on the same connection pool.

PostgreSQL parts run under ``scripts/with-postgres.sh`` (started here when SPASMCARE_TEST_PG_URL is
not set). Options: ``--profiles N --rows M`` for a smaller PostgreSQL run, ``--skip-postgres``.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("MPLCONFIGDIR", tempfile.mkdtemp(prefix="spasmcare-mpl-"))

from spasmcare.diary import (  # noqa: E402
    DiaryBundle,
    open_repository,
    render_chart,
    stats,
)
from spasmcare.diary.db import create_engine_for, upgrade  # noqa: E402
from spasmcare.diary.records import EpisodeRow, ProfileRow, TreatmentRow  # noqa: E402

NOW = datetime(2026, 6, 1, tzinfo=UTC)
KINDS = ("heat", "cold", "stretch", "exercise", "massage", "rest")
TRIGGERS = ("lifting", "sitting", "stress", "poor sleep", "cold", "sport", "gardening", "driving")
MEDICINES = (("ibuprofen", 400.0), ("naproxen", 220.0), ("acetaminophen", 1000.0))


def ten_years(episodes: int = 5000, treatments_each: int = 4, seed: int = 5) -> DiaryBundle:
    """A plausible diary: about 1.4 episodes a week for ten years, four treatments each."""
    rng = random.Random(seed)
    start = NOW - timedelta(days=3650)
    rows: list[EpisodeRow] = []
    tried: list[TreatmentRow] = []
    for i in range(episodes):
        began = start + timedelta(days=3650 * i / episodes, hours=rng.uniform(0, 12))
        rows.append(
            EpisodeRow.model_construct(
                id=i + 1,
                started_at=began,
                ended_at=began + timedelta(hours=rng.uniform(4, 60)) if i < episodes - 1 else None,
                regions=[rng.choice(["lower_back", "neck", "upper_back"])],
                worst_pain=rng.randint(2, 9),
                spasm_frequency=rng.randint(0, 4),
                triggers=rng.sample(TRIGGERS, 2),
                suspected_causes=[],
                notes="",
                created_at=began,
                updated_at=began,
            )
        )
        for k in range(treatments_each):
            medicine = k == treatments_each - 1 and rng.random() < 0.5
            name, mg = rng.choice(MEDICINES)
            tried.append(
                TreatmentRow.model_construct(
                    id=len(tried) + 1,
                    kind="medicine" if medicine else rng.choice(KINDS),
                    started_at=began + timedelta(minutes=30 * k),
                    episode_id=i + 1,
                    medicine=name if medicine else None,
                    dose_mg=mg if medicine else None,
                    relief=rng.randint(0, 10),
                    duration_minutes=20,
                    notes="",
                    created_at=began,
                    updated_at=began,
                )
            )
    profile = ProfileRow.model_construct(
        name="bench",
        age=45,
        age_recorded_at=NOW,
        sex=None,
        conditions=[],
        medicines=[],
        created_at=start,
        updated_at=start,
    )
    return DiaryBundle.model_construct(
        profile=profile,
        episodes=rows,
        treatments=tried,
        doses=[],
        triage_results=[],
        scale_results=[],
    )


def best_of(runs: int, fn: Callable[[], Any]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def raw_rows(bundle: DiaryBundle) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    import json

    episodes = [
        (1, e.started_at.isoformat(), json.dumps(e.regions), e.worst_pain, json.dumps(e.triggers))
        for e in bundle.episodes
    ]
    treatments = [(1, t.kind, t.started_at.isoformat(), t.relief) for t in bundle.treatments]
    return episodes, treatments


def bench_sqlite(bundle: DiaryBundle, folder: Path) -> None:
    print(
        "1. One person, ten years on SQLite: "
        f"{len(bundle.episodes):,} episodes, {len(bundle.treatments):,} treatments"
    )
    url = f"sqlite:///{folder / 'diary.sqlite3'}"
    with open_repository(url) as repo:
        start = time.perf_counter()
        summary = repo.import_bundle(bundle)
        import_s = time.perf_counter() - start
        rows = bundle.row_count
        me = summary.profile_id

        render_chart("episodes", repo.snapshot(me, since=NOW - timedelta(days=30)), NOW)  # warm up

        def load() -> Any:
            return repo.snapshot(me)

        snapshot = load()
        timings = {
            "load the diary": best_of(3, load),
            "stats": best_of(3, lambda: stats(snapshot, NOW)),
        }
        for kind in ("pain", "episodes", "relief"):
            timings[f"chart {kind} (svg)"] = best_of(
                3, lambda k=kind: render_chart(k, snapshot, NOW)
            )
        svg_total = sum(timings.values())
        png = {
            kind: best_of(3, lambda k=kind: render_chart(k, snapshot, NOW, fmt="png"))
            for kind in ("pain", "episodes", "relief")
        }
        png_total = timings["load the diary"] + timings["stats"] + sum(png.values())

    db = sqlite3.connect(folder / "diary.sqlite3")

    def bare_read() -> None:
        db.execute(
            "SELECT * FROM episodes WHERE profile_id = ? ORDER BY started_at", (me,)
        ).fetchall()
        db.execute(
            "SELECT * FROM treatments WHERE profile_id = ? ORDER BY started_at", (me,)
        ).fetchall()

    baseline = best_of(3, bare_read)
    db.close()
    for name, seconds in timings.items():
        print(f"   {name:<24} {seconds * 1000:8.1f} ms")
    for kind, seconds in png.items():
        print(f"   {'chart ' + kind + ' (png)':<24} {seconds * 1000:8.1f} ms")
    print(
        f"   load + stats + 3 SVG charts: {svg_total * 1000:.0f} ms (goal < 1000 ms) "
        f"{'OK' if svg_total < 1 else 'OVER'}"
    )
    print(
        f"   load + stats + 3 PNG charts: {png_total * 1000:.0f} ms (goal < 1000 ms) "
        f"{'OK' if png_total < 1 else 'OVER'}"
    )
    print(
        f"   baseline (bare sqlite3 read of the same rows): {baseline * 1000:.1f} ms; "
        f"ratio {svg_total / baseline:.0f}x"
    )

    episodes, treatments = raw_rows(bundle)
    bare = sqlite3.connect(folder / "bare.sqlite3", isolation_level=None)
    bare.execute("PRAGMA journal_mode=WAL")
    bare.execute("CREATE TABLE e (p INT, s TEXT, r TEXT, w INT, t TEXT)")
    bare.execute("CREATE TABLE t (p INT, k TEXT, s TEXT, r INT)")
    start = time.perf_counter()
    bare.execute("BEGIN")
    bare.executemany("INSERT INTO e VALUES (?,?,?,?,?)", episodes)
    bare.executemany("INSERT INTO t VALUES (?,?,?,?)", treatments)
    bare.execute("COMMIT")
    bare_s = time.perf_counter() - start
    bare.close()
    print(
        f"2a. Bulk import on SQLite: {rows / import_s:,.0f} rows/s ({rows:,} rows in {import_s:.2f} s); "
        f"bare executemany {len(episodes) + len(treatments):,.0f} rows in {bare_s:.2f} s "
        f"({(len(episodes) + len(treatments)) / bare_s:,.0f} rows/s); ratio {import_s / bare_s:.1f}x"
    )


# --- PostgreSQL -----------------------------------------------------------------------------------


def pg_database(server: str) -> str:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"bench_diary_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(server).set(database=name).render_as_string(hide_password=False)


FILL = """
INSERT INTO profiles (name, age, conditions, medicines, owner, created_at, updated_at)
SELECT 'p' || g, 20 + g % 60, '[]', '[]', 'account:' || g, now(), now() FROM generate_series(1, :profiles) g;

INSERT INTO episodes (profile_id, started_at, ended_at, regions, worst_pain, spasm_frequency, triggers,
                      suspected_causes, notes, created_at, updated_at)
SELECT :base + p, t, CASE WHEN k % 50 = 0 THEN NULL ELSE t + interval '2 days' END, '["lower_back"]',
       (k * 7 + p) % 11, k % 5, '["lifting", "stress"]', '[]', '', t, t
FROM generate_series(1, :profiles) p, generate_series(1, :episodes) k,
     LATERAL (SELECT now() - ((k * 3650.0 / :episodes) || ' days')::interval AS t) s;

INSERT INTO treatments (profile_id, episode_id, kind, started_at, medicine, dose_mg, relief,
                        duration_minutes, notes, created_at, updated_at)
SELECT e.profile_id, e.id, (ARRAY['heat','cold','stretch'])[j], e.started_at, NULL, NULL,
       (e.id + j) % 11, 20, '', e.started_at, e.started_at
FROM episodes e, generate_series(1, 3) j
WHERE (e.id * 3 + j) % 5 <> 0;

INSERT INTO doses (profile_id, medicine, amount_mg, taken_at, notes, created_at, updated_at)
SELECT :base + p, 'acetaminophen', 500, now() - ((k * 3650.0 / :doses) || ' days')::interval, '', now(), now()
FROM generate_series(1, :profiles) p, generate_series(1, :doses) k;

INSERT INTO triage_results (profile_id, taken_at, intake, result, disposition, rules_fired,
                            knowledge_version, notes, created_at, updated_at)
SELECT :base + p, now() - ((k * 3650.0 / :triage) || ' days')::interval, '{"age": 40, "regions": ["neck"]}',
       '{"disposition": "self_care", "knowledge_version": "1.0.0", "rules_fired": []}', 'self_care',
       '[]', '1.0.0', '', now(), now()
FROM generate_series(1, :profiles) p, generate_series(1, :triage) k;
"""


def fill_postgres(url: str, profiles: int, rows: int) -> dict[str, int]:
    """Generate the rows inside PostgreSQL: per profile about 25% episodes, 60% treatments (2.4 per
    episode), 10% doses and 5% triage results (of 1,000 rows: 250, 600, 100, 50)."""
    from sqlalchemy import text

    episodes = max(1, rows // 4)
    treatments = episodes * 12 // 5
    doses = max(1, rows // 10)
    triage = max(1, rows - episodes - treatments - doses)
    engine = create_engine_for(url)
    with engine.begin() as conn:
        base = conn.execute(text("SELECT coalesce(max(id), 0) FROM profiles")).scalar_one()
        conn.execute(
            text(f"SELECT setval(pg_get_serial_sequence('profiles', 'id'), {base + 1}, false)")
        )
        for statement in FILL.split(";\n"):
            if statement.strip():
                conn.execute(
                    text(statement),
                    {
                        "profiles": profiles,
                        "episodes": episodes,
                        "doses": doses,
                        "triage": triage,
                        "base": base,
                    },
                )
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    engine.dispose()
    return {
        "base": base,
        "episodes": episodes,
        "treatments": treatments,
        "doses": doses,
        "triage": triage,
    }


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def bench_postgres(server: str, profiles: int, rows: int, bundle: DiaryBundle) -> None:
    from sqlalchemy import text

    url = pg_database(server)
    upgrade(url)
    with open_repository(url) as repo:
        start = time.perf_counter()
        summary = repo.import_bundle(bundle)
        import_s = time.perf_counter() - start
    episodes, treatments = raw_rows(bundle)
    import psycopg

    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as bare:
        bare.execute("CREATE TABLE e (p INT, s TEXT, r TEXT, w INT, t TEXT)")
        bare.execute("CREATE TABLE t (p INT, k TEXT, s TEXT, r INT)")
        start = time.perf_counter()
        with bare.cursor() as cur:
            cur.executemany("INSERT INTO e VALUES (%s,%s,%s,%s,%s)", episodes)
            cur.executemany("INSERT INTO t VALUES (%s,%s,%s,%s)", treatments)
        bare.commit()
        bare_s = time.perf_counter() - start
    n = len(episodes) + len(treatments)
    print(
        f"2b. Bulk import on PostgreSQL: {bundle.row_count / import_s:,.0f} rows/s "
        f"({bundle.row_count:,} rows in {import_s:.2f} s); bare executemany {n / bare_s:,.0f} rows/s; "
        f"ratio {import_s / bare_s:.1f}x"
    )
    with open_repository(url) as repo:
        repo.profiles.delete(summary.profile_id)

    print(
        f"3. PostgreSQL dashboard: {profiles:,} profiles x {rows:,} rows = {profiles * rows:,} rows"
    )
    start = time.perf_counter()
    made = fill_postgres(url, profiles, rows)
    counts = {k: v for k, v in made.items() if k != "base"}
    print(f"   generated {counts} per profile in {time.perf_counter() - start:.0f} s")
    rng = random.Random(7)
    samples = 2000
    with open_repository(url) as repo:
        ids = [made["base"] + rng.randint(1, profiles) for _ in range(samples)]
        first = repo.dashboard(ids[0], datetime.now(UTC))
        assert first.episodes_total == made["episodes"], first
        for pid in ids[:100]:
            repo.dashboard(pid, datetime.now(UTC))
        latencies = []
        for pid in ids:
            t0 = time.perf_counter()
            repo.dashboard(pid, datetime.now(UTC))
            latencies.append(time.perf_counter() - t0)
        engine = repo.engine  # type: ignore[attr-defined]
        base = []
        with engine.connect() as conn:
            for _ in range(samples):
                t0 = time.perf_counter()
                conn.execute(text("SELECT 1")).scalar()
                base.append(time.perf_counter() - t0)
        with engine.connect() as conn:
            plan = "\n".join(
                r[0]
                for r in conn.execute(
                    text(
                        "EXPLAIN SELECT count(*) FROM episodes WHERE profile_id = 5 AND started_at >= now() - interval '30 days'"
                    )
                )
            )
    p50, p95 = percentile(latencies, 0.5), percentile(latencies, 0.95)
    print(
        f"   dashboard p50 {p50 * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms, max {max(latencies) * 1000:.1f} ms "
        f"over {samples} random profiles (goal p95 < 20 ms) {'OK' if p95 < 0.02 else 'OVER'}"
    )
    b50 = statistics.median(base)
    print(f"   baseline SELECT 1 round trip p50 {b50 * 1000:.3f} ms; ratio p50 {p50 / b50:.0f}x")
    print("   plan of a windowed count: " + plan.splitlines()[0].strip())
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--profiles", type=int, default=10_000, help="PostgreSQL profiles (issue: 10,000)"
    )
    parser.add_argument("--rows", type=int, default=1_000, help="rows per profile (issue: 1,000)")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--postgres-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    bundle = ten_years()
    if not args.postgres_only:
        with tempfile.TemporaryDirectory() as folder:
            bench_sqlite(bundle, Path(folder))
    if args.skip_postgres:
        return 0
    server = os.environ.get("SPASMCARE_TEST_PG_URL")
    if not server:
        script = ROOT / "scripts" / "with-postgres.sh"
        cmd = [
            "bash",
            str(script),
            sys.executable,
            __file__,
            "--postgres-only",
            "--profiles",
            str(args.profiles),
            "--rows",
            str(args.rows),
        ]
        return subprocess.run(cmd, check=False).returncode
    bench_postgres(server, args.profiles, args.rows, bundle)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
