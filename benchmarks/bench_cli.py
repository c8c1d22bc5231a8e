"""Command-line start-up benchmark (issue 15, "A fast command line").

Whole-process wall time of the commands people type most, each run many times in turns with
`python -c pass` (so every command meets the same load on a shared machine); medians are reported,
with the ratio to `python -c pass` and the excess over it (what spasmcare adds to starting Python).
Goals, on the excess: `triage --input case.json --json` under 0.3 s without a diary and with one
(it then reads recurrence from the diary), `log` under 0.35 s, `stats` under 0.5 s, `chart pain
--out x.png` under 0.8 s; `--help` is shown too.

The diary is a temporary data directory (SPASMCARE_DATA_DIR) filled through `spasmcare import` with
half a year of episodes and treatments; the command without a diary gets an empty directory. The
commands share one cache folder (SPASMCARE_CACHE_DIR), filled by a first round that is not counted,
as on a machine where spasmcare has run once; "first run" is `triage` with an empty cache folder
each time (after an install or an upgrade), shown without a goal.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

RUNS = 11
GOALS = {  # seconds over `python -c pass`
    "triage --input (no diary)": 0.3,
    "triage --input (diary)": 0.3,
    "log": 0.35,
    "stats": 0.5,
    "chart pain --out x.png": 0.8,
}
CASE = {"age": 35, "regions": ["lower_back"], "pain": 4, "findings": {"fever": False}}


def _env(data_dir: Path, cache_dir: Path | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPASMCARE_")}
    env["SPASMCARE_DATA_DIR"] = str(data_dir)
    env["SPASMCARE_CACHE_DIR"] = str(cache_dir or data_dir.parent / "cache")
    return env


def _spasmcare(*args: str) -> list[str]:
    return [sys.executable, "-m", "spasmcare", *args]


def _fill_diary(data_dir: Path, work: Path) -> None:
    """Half a year of episodes (every few days) and treatments, written by `spasmcare import`."""
    now = datetime.now(UTC)
    stamp = now.isoformat()
    episodes, treatments = [], []
    for i in range(60):
        start = now - timedelta(days=3 * i + 1, hours=i % 7)
        episodes.append(
            {
                "id": i + 1,
                "created_at": stamp,
                "updated_at": stamp,
                "started_at": start.isoformat(),
                "ended_at": (start + timedelta(hours=20)).isoformat(),
                "regions": ["lower_back"] if i % 3 else ["neck"],
                "worst_pain": 3 + i % 6,
                "spasm_frequency": i % 5,
                "triggers": ["lifting"] if i % 2 else [],
                "suspected_causes": [],
                "notes": "",
            }
        )
        treatments.append(
            {
                "id": i + 1,
                "created_at": stamp,
                "updated_at": stamp,
                "kind": "heat" if i % 2 else "stretch",
                "started_at": start.isoformat(),
                "episode_id": i + 1,
                "medicine": None,
                "dose_mg": None,
                "relief": 2 + i % 7,
                "duration_minutes": 20,
                "notes": "",
            }
        )
    export = {
        "format": "spasmcare-diary",
        "format_version": 1,
        "exported_at": stamp,
        "spasmcare_version": "0.1.0",
        "profile": {
            "name": "me",
            "age": None,
            "age_recorded_at": None,
            "sex": None,
            "conditions": [],
            "medicines": [],
            "created_at": stamp,
            "updated_at": stamp,
        },
        "episodes": episodes,
        "treatments": treatments,
        "doses": [],
        "triage_results": [],
        "scale_results": [],
    }
    path = work / "diary.json"
    path.write_text(json.dumps(export), encoding="utf-8")
    subprocess.run(
        _spasmcare("import", str(path)), env=_env(data_dir), capture_output=True, check=True
    )


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="spasmcare-bench-") as tmp:
        work = Path(tmp)
        diary, empty = work / "diary", work / "empty"
        diary.mkdir()
        empty.mkdir()
        _fill_diary(diary, work)
        case = work / "case.json"
        case.write_text(json.dumps(CASE), encoding="utf-8")
        png = work / "x.png"
        commands: dict[str, tuple[list[str], Path]] = {
            "python -c pass": ([sys.executable, "-c", "pass"], empty),
            "--help": (_spasmcare("--help"), empty),
            "triage --input (no diary)": (
                _spasmcare("triage", "--input", str(case), "--json"),
                empty,
            ),
            "triage --input (diary)": (
                _spasmcare("triage", "--input", str(case), "--json"),
                diary,
            ),
            "log": (_spasmcare("log", "-p", "5", "-w", "low", "-s", "2h ago"), diary),
            "stats": (_spasmcare("stats"), diary),
            "chart pain --out x.png": (
                _spasmcare("chart", "pain", "--out", str(png)),
                diary,
            ),
        }
        first_run = "triage, first run"
        for cmd, data_dir in commands.values():  # fills the cache folder; not counted
            subprocess.run(cmd, env=_env(data_dir), capture_output=True, check=True)
        times: dict[str, list[float]] = {name: [] for name in [*commands, first_run]}
        for turn in range(RUNS):  # in turns: every command meets the same load
            for name, (cmd, data_dir) in commands.items():
                start = time.perf_counter()
                subprocess.run(cmd, env=_env(data_dir), capture_output=True, check=True)
                times[name].append(time.perf_counter() - start)
            cmd, data_dir = commands["triage --input (no diary)"]
            env = _env(data_dir, work / f"cold-cache-{turn}")
            start = time.perf_counter()
            subprocess.run(cmd, env=env, capture_output=True, check=True)
            times[first_run].append(time.perf_counter() - start)
    base = statistics.median(times["python -c pass"])
    print(
        f"CLI start-up, median of {RUNS} whole-process runs (python -c pass {base * 1000:.0f} ms)"
    )
    missed = 0
    for name, runs in times.items():
        if name == "python -c pass":
            continue
        median = statistics.median(runs)
        excess = median - base
        line = (
            f"  {name:<26} {median * 1000:6.0f} ms  {median / base:5.1f}x  +{excess * 1000:4.0f} ms"
        )
        goal = GOALS.get(name)
        if goal is not None:
            ok = excess < goal
            missed += not ok
            line += f"  (goal +{goal * 1000:.0f} ms: {'OK' if ok else 'MISSED'})"
        print(line)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
