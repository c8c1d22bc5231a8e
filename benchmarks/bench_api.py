"""Benchmark of the web app: POST /api/v1/triage against a trivial endpoint of the same app, and the
diary history page with a year of entries.

The app runs in its own process under uvicorn (one worker, SQLite in a temporary folder, as
`spasmcare run` starts it); a small keep-alive HTTP/1.1 load generator in this process sends requests
from several connections at once. Both endpoints are measured in the same run, alternating, and the
triage figure is reported as a ratio to the trivial one (GET /api/v1/ping).

Goals (issue 6): triage throughput at least 60% of the trivial endpoint's; the history page's p95
render time under 50 ms.

    python benchmarks/bench_api.py [--seconds 4] [--connections 16]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

TRIAGE_INTAKE = {
    "age": 34,
    "regions": ["lower_back"],
    "sex": "female",
    "onset": "sudden",
    "duration_days": 1,
    "pain": 6,
    "findings": {
        "bladder_dysfunction": False,
        "saddle_numbness": False,
        "leg_weakness": False,
        "fever": False,
        "pain_below_knee": False,
        "worse_with_position": True,
    },
}
GOAL_RATIO = 0.60
GOAL_PAGE_MS = 50.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def request_bytes(method: str, path: str, body: bytes | None = None) -> bytes:
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n"
    if body is not None:
        head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    return (head + "\r\n").encode() + (body or b"")


async def read_response(reader: asyncio.StreamReader) -> int:
    """Read one response; return its status."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    length = 0
    chunked = False
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.lower() == "content-length":
            length = int(value.strip())
        elif name.lower() == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length:
        await reader.readexactly(length)
    return status


async def load(
    port: int, raw: bytes, seconds: float, connections: int
) -> tuple[float, list[float]]:
    """Requests per second and every latency (seconds), from ``connections`` keep-alive clients."""
    latencies: list[float] = []
    stop = time.perf_counter() + seconds

    async def worker() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while time.perf_counter() < stop:
                start = time.perf_counter()
                writer.write(raw)
                status = await read_response(reader)
                latencies.append(time.perf_counter() - start)
                if status >= 400:
                    raise RuntimeError(f"status {status}")
        finally:
            writer.close()

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    return len(latencies) / (time.perf_counter() - began), latencies


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[94] if len(values) >= 20 else max(values)


def seed_year(data_dir: Path) -> None:
    """A year of diary entries: about two episodes a week, each with a treatment, plus daily doses."""
    from spasmcare.config import Settings
    from spasmcare.diary import (
        DoseCreate,
        EpisodeCreate,
        ProfileCreate,
        TreatmentCreate,
        default_url,
        open_repository,
    )

    url = default_url(Settings(data_dir=data_dir))
    repo = open_repository(url)
    profile = repo.profiles.create(ProfileCreate(name="me")).id
    start = datetime.now(UTC) - timedelta(days=365)
    for day in range(0, 365, 3):
        when = start + timedelta(days=day, hours=8)
        repo.episodes.create(
            profile,
            EpisodeCreate(
                started_at=when,
                ended_at=when + timedelta(days=2),
                regions=["lower_back"],
                worst_pain=3 + day % 6,
                triggers=["lifting"] if day % 2 else ["sitting"],
            ),
            [TreatmentCreate(kind="heat", started_at=when + timedelta(hours=1), relief=5)],
        )
    for day in range(365):
        taken = start + timedelta(days=day, hours=9)
        repo.doses.create(profile, DoseCreate(medicine="ibuprofen", amount_mg=400, taken_at=taken))
    repo.close()


def start_server(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "SPASMCARE_DATA_DIR": str(data_dir),
        "SPASMCARE_PORT": str(port),
        "MPLCONFIGDIR": str(data_dir / "mpl"),
    }
    for name in ("SPASMCARE_DATABASE_URL", "SPASMCARE_MULTI_USER"):
        env.pop(name, None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "spasmcare", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(
                    proc.stderr.read().decode() if proc.stderr else "server died"
                ) from None
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the server did not start")


async def sequential(port: int, raw: bytes, count: int) -> list[float]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    times = []
    try:
        for _ in range(count):
            start = time.perf_counter()
            writer.write(raw)
            status = await read_response(reader)
            if status != 200:
                raise RuntimeError(f"status {status}")
            times.append(time.perf_counter() - start)
    finally:
        writer.close()
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=4.0, help="Length of each load round.")
    parser.add_argument("--rounds", type=int, default=3, help="Alternating rounds per endpoint.")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--pages", type=int, default=200, help="History page requests.")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="spasmcare-bench-") as tmp:
        data_dir = Path(tmp)
        started = time.perf_counter()
        seed_year(data_dir)
        print(f"seeded a year of diary entries in {time.perf_counter() - started:.1f} s")
        port = free_port()
        server = start_server(data_dir, port)
        try:
            ping = request_bytes("GET", "/api/v1/ping")
            triage = request_bytes("POST", "/api/v1/triage", json.dumps(TRIAGE_INTAKE).encode())
            asyncio.run(sequential(port, ping, 50))  # warm up both
            asyncio.run(sequential(port, triage, 50))
            rates: dict[str, list[float]] = {"ping": [], "triage": []}
            lat: dict[str, list[float]] = {"ping": [], "triage": []}
            for _ in range(args.rounds):
                for name, raw in (("ping", ping), ("triage", triage)):
                    rate, latencies = asyncio.run(load(port, raw, args.seconds, args.connections))
                    rates[name].append(rate)
                    lat[name].extend(latencies)
            ping_rate = statistics.median(rates["ping"])
            triage_rate = statistics.median(rates["triage"])
            ratio = triage_rate / ping_rate
            print(
                f"GET  /api/v1/ping    (baseline): {ping_rate:8.0f} req/s, "
                f"p95 {p95(lat['ping']) * 1000:6.1f} ms  ({args.connections} connections)"
            )
            print(
                f"POST /api/v1/triage            : {triage_rate:8.0f} req/s, "
                f"p95 {p95(lat['triage']) * 1000:6.1f} ms"
            )
            print(
                f"triage / trivial throughput ratio: {ratio:.2f} "
                f"(goal >= {GOAL_RATIO:.2f}: {'met' if ratio >= GOAL_RATIO else 'NOT met'})"
            )

            home = request_bytes("GET", "/")
            history = request_bytes("GET", "/diary")
            asyncio.run(sequential(port, history, 20))
            home_times = asyncio.run(sequential(port, home, args.pages))
            page_times = asyncio.run(sequential(port, history, args.pages))
            page_p95 = p95(page_times) * 1000
            print(
                f"GET /diary (a year: 122 episodes, 122 treatments, 365 doses): p95 {page_p95:.1f} ms, "
                f"median {statistics.median(page_times) * 1000:.1f} ms "
                f"(goal < {GOAL_PAGE_MS:.0f} ms: {'met' if page_p95 < GOAL_PAGE_MS else 'NOT met'})"
            )
            print(
                f"GET / (baseline page): p95 {p95(home_times) * 1000:.1f} ms; "
                f"history / home p95 ratio: {p95(page_times) / p95(home_times):.2f}"
            )
        finally:
            server.terminate()
            server.communicate(timeout=15)
    return 0


if __name__ == "__main__":
    sys.exit(main())
