"""Report, FHIR and CDS Hooks benchmarks (issue 7).

1. Clinician report for a busy year of diary data (synthetic, seeded: tests/report/busy_year.py):
   time to gather the data (with the chart), to render the HTML and to draw the PDF, median of 5
   after a warm-up; the ratio is against a one-page WeasyPrint PDF of plain text measured in the same
   run. Goal: the whole PDF under 2 s.
   And the command end to end (issue 13): `spasmcare report` on the same year in SQLite, from process
   start to PDF written and to exit, against `spasmcare export` (JSON) of the same diary, alternating
   runs, median of 5. Goal: the whole command under 1.5 s on a 2-core machine.
2. FHIR export and import of the same year: time and bundle size (no goal; for the record).
3. CDS Hooks patient-view latency under load: a real uvicorn server on localhost with the CDS router,
   8 client threads sending 2,000 requests (shared triage cases as spasmcare intakes); p50/p95/p99,
   against GET /cds-services (no work) under the same load, and the service logic alone in process.
   Goal: p95 under 50 ms. On a shared 2-core machine the HTTP figures follow the machine's load.
"""

from __future__ import annotations

import os
import socket
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MPLCONFIGDIR", tempfile.mkdtemp(prefix="mpl-"))

from tests.conftest import load_cases  # noqa: E402
from tests.diary.factories import memory_repository  # noqa: E402
from tests.report.busy_year import fill_busy_year  # noqa: E402

from spasmcare.diary import DiaryRepository  # noqa: E402
from spasmcare.knowledge import KnowledgeBase, load_knowledge  # noqa: E402

NOW = datetime(2026, 3, 1, tzinfo=UTC)
PERIOD = {"start": date(2025, 3, 1), "end": date(2026, 2, 28)}
CLI_GOAL_S = 1.5
CLI_RUNS = 5


def year_of_diary(kb: KnowledgeBase) -> tuple[DiaryRepository, int]:
    """The busy year of the report tests (tests/report/busy_year.py) ending at NOW: 40 episodes
    with 2-3 treatments each, daily pain ratings, about 180 doses, 12 triage results and monthly
    ODI, STarT Back and spasm-frequency scores."""
    repo = memory_repository()
    return repo, fill_busy_year(repo, kb, end=NOW)


def timed(fn: Any, runs: int = 5) -> tuple[float, Any]:
    """Median seconds of ``runs`` calls (after one warm-up call), and the last result."""
    result = fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def report_benchmark(kb: KnowledgeBase) -> None:
    from spasmcare.report import make_report, render_html, render_pdf

    repo, profile = year_of_diary(kb)
    t_data, data = timed(lambda: make_report(repo, profile, kb, now=NOW, **PERIOD))
    t_html, html = timed(lambda: render_html(data))
    t_pdf, pdf = timed(lambda: render_pdf(html))
    t_base, _ = timed(lambda: render_pdf("<html lang='en'><body><p>Hello.</p></body></html>"))
    total = t_data + t_html + t_pdf
    print(
        f"report, a year of data ({len(data.episodes)} episodes, "
        f"{sum(line.results for line in data.scale_lines)} scale results in the period):"
    )
    print(
        f"  gather + chart {t_data * 1000:.0f} ms, HTML {t_html * 1000:.0f} ms "
        f"({len(html) // 1024} KiB), PDF {t_pdf * 1000:.0f} ms ({len(pdf) // 1024} KiB)"
    )
    print(
        f"  one-page plain PDF baseline {t_base * 1000:.0f} ms; report PDF / baseline "
        f"{t_pdf / t_base:.1f}x"
    )
    print(
        f"  whole PDF (gather + HTML + PDF) {total:.2f} s (goal < 2 s) "
        f"{'OK' if total < 2 else 'MISSED'}"
    )


def cli_benchmark(kb: KnowledgeBase) -> None:
    """`spasmcare report` for the busy year, end to end (process start to PDF written, and to the
    process's exit), against `spasmcare export` (JSON) of the same diary, alternating, in this run."""
    import subprocess

    from spasmcare.diary import open_repository

    folder = Path(tempfile.mkdtemp(prefix="bench-report-"))
    url = f"sqlite:///{folder / 'diary.sqlite'}"
    end = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    with open_repository(url) as repo:
        fill_busy_year(repo, kb, end=end)
    env = {
        **os.environ,
        "SPASMCARE_DATABASE_URL": url,
        "SPASMCARE_DATA_DIR": str(folder / "data"),
        "MPLCONFIGDIR": str(folder / "mpl"),
    }
    script = Path(sys.executable).with_name("spasmcare")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "spasmcare"]
    pdf, export = folder / "report.pdf", folder / "export.json"
    first = (end - timedelta(days=365)).date()
    report_args = ["report", "--from", str(first), "--to", str(end.date()), "--out", str(pdf)]
    export_args = ["export", "--format", "json", "--out", str(export)]

    def run(args: list[str], out: Path) -> tuple[float, float]:
        out.unlink(missing_ok=True)
        start_ns = time.time_ns()
        start = time.perf_counter()
        subprocess.run([*command, *args], env=env, check=True, capture_output=True)
        total = time.perf_counter() - start
        written = (out.stat().st_mtime_ns - start_ns) / 1e9
        return written, total

    run(report_args, pdf)  # warm-up: the file system cache, not the program
    run(export_args, export)
    reports, exports = [], []
    for _ in range(CLI_RUNS):
        reports.append(run(report_args, pdf))
        exports.append(run(export_args, export))
    written = statistics.median(w for w, _ in reports)
    total = statistics.median(t for _, t in reports)
    baseline = statistics.median(t for _, t in exports)
    print(f"CLI, the busy year in SQLite, median of {CLI_RUNS} (alternating runs):")
    print(
        f"  spasmcare report: PDF written after {written:.2f} s, process done after {total:.2f} s "
        f"({pdf.stat().st_size // 1024} KiB)"
    )
    print(
        f"  spasmcare export (JSON, same diary): {baseline:.2f} s "
        f"({export.stat().st_size // 1024} KiB); report / export {total / baseline:.1f}x"
    )
    print(
        f"  whole command {total:.2f} s (goal < {CLI_GOAL_S:g} s) "
        f"{'OK' if total < CLI_GOAL_S else 'MISSED'}"
    )


def fhir_benchmark(kb: KnowledgeBase) -> None:
    import json

    from spasmcare.interop import export_bundle, import_bundle

    repo, profile = year_of_diary(kb)
    t_out, bundle = timed(lambda: export_bundle(repo, profile, kb=kb, now=NOW), runs=3)
    text = json.dumps(bundle)
    t_in, _ = timed(lambda: import_bundle(memory_repository(), json.loads(text), now=NOW), runs=3)
    t_json, _ = timed(lambda: json.loads(text), runs=3)
    print(f"FHIR, a year of data: {len(bundle['entry'])} resources, {len(text) // 1024} KiB")
    print(
        f"  export {t_out * 1000:.0f} ms, import {t_in * 1000:.0f} ms "
        f"(json.loads alone {t_json * 1000:.1f} ms; import / json.loads {t_in / t_json:.0f}x)"
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cds_benchmark(kb: KnowledgeBase) -> None:
    import httpx
    import uvicorn
    from fastapi import FastAPI
    from tests.interop.helpers import intake_qr, patient, request

    from spasmcare.api.cds_hooks import router
    from spasmcare.api.context import AppContext
    from spasmcare.api.problems import install_problem_handlers
    from spasmcare.api.storage import Storage
    from spasmcare.config import Settings

    app = FastAPI()
    app.state.spasmcare = AppContext(
        settings=Settings(), kb=kb, storage=Storage(memory_repository()), secret=b"bench"
    )
    install_problem_handlers(app)
    app.include_router(router)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    bodies = [
        request({"patient": patient(), "intake": intake_qr(c["intake"])}) for c in load_cases()
    ]
    total, workers = 2000, 8

    def load(call: Any) -> list[float]:
        local = threading.local()

        def one(i: int) -> float:
            client = getattr(local, "client", None)
            if client is None:
                client = local.client = httpx.Client(base_url=base, timeout=10)
            start = time.perf_counter()
            response = call(client, i)
            elapsed = time.perf_counter() - start
            assert response.status_code == 200, response.text
            return elapsed

        for i in range(50):  # warm up
            one(i)
        with ThreadPoolExecutor(workers) as pool:
            return sorted(pool.map(one, range(total)))

    def pct(values: list[float], p: float) -> float:
        return values[min(len(values) - 1, int(p * len(values)))] * 1000

    cds = load(lambda c, i: c.post("/cds-services/spasmcare-triage", json=bodies[i % len(bodies)]))
    disc = load(lambda c, i: c.get("/cds-services"))
    server.should_exit = True
    thread.join(timeout=5)
    from spasmcare.interop import patient_view

    pure = []
    for i in range(total):  # the service logic alone, in process: what spasmcare adds to HTTP
        start = time.perf_counter()
        patient_view(
            "spasmcare-triage",
            bodies[i % len(bodies)],
            kb=kb,
            today=NOW.date(),
            plan_url=f"{base}/plan",
        )
        pure.append(time.perf_counter() - start)
    pure.sort()
    p95 = pct(cds, 0.95)
    print(f"CDS Hooks patient-view, {total} requests from {workers} threads:")
    print(f"  p50 {pct(cds, 0.5):.1f} ms, p95 {p95:.1f} ms, p99 {pct(cds, 0.99):.1f} ms")
    print(
        f"  service logic alone (no HTTP): p50 {pct(pure, 0.5):.2f} ms, p95 {pct(pure, 0.95):.2f} ms"
    )
    print(f"  discovery baseline p95 {pct(disc, 0.95):.1f} ms; ratio {p95 / pct(disc, 0.95):.1f}x")
    print(f"  p95 goal < 50 ms: {'OK' if p95 < 50 else 'MISSED'}")


def main() -> None:
    kb = load_knowledge()
    report_benchmark(kb)
    cli_benchmark(kb)
    fhir_benchmark(kb)
    cds_benchmark(kb)


if __name__ == "__main__":
    main()
