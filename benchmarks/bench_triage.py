"""Triage benchmarks (issue 2).

1. Throughput of evaluate() on 100,000 random intakes, in microseconds per intake, as a ratio to the
   hand-written if-chain of tests/triage/reference_policy.py on the same intakes in the same run.
   Goal: within 3x of the if-chain.
2. Interview length over the shared cases with an oracle answering from each case (unlisted findings
   are answered no; one question may be a checklist): median and maximum questions, and for emergency
   cases the questions until the emergency shows. Goal: median <= 6 for emergencies, max <= 25.
3. CLI start-up: `spasmcare --help` and `spasmcare triage --input case.json`, median wall time, against
   `python -c pass` measured in the same run. Goal: under 0.3 s.
"""

from __future__ import annotations

import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import load_cases  # noqa: E402
from tests.triage.generators import random_intake_data  # noqa: E402
from tests.triage.reference_policy import reference_disposition  # noqa: E402
from tests.triage.test_interview import _oracle  # noqa: E402
from tests.triage.test_properties import run_oracle_interview  # noqa: E402

from spasmcare.knowledge import load_knowledge  # noqa: E402
from spasmcare.triage import evaluate, parse_intake  # noqa: E402

N = 100_000


def throughput() -> None:
    kb = load_knowledge()
    rng = random.Random(7)
    ids = sorted(kb.findings)
    intakes = [parse_intake(random_intake_data(rng, ids), kb) for _ in range(N)]
    evaluate(intakes[0], kb)  # compile once, outside the timing
    best_engine = best_chain = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for intake in intakes:
            evaluate(intake, kb)
        best_engine = min(best_engine, time.perf_counter() - start)
        start = time.perf_counter()
        for intake in intakes:
            reference_disposition(intake)
        best_chain = min(best_chain, time.perf_counter() - start)
    per_engine = best_engine / N * 1e6
    per_chain = best_chain / N * 1e6
    ratio = per_engine / per_chain
    print(
        f"triage throughput: engine {per_engine:.2f} us/intake, if-chain {per_chain:.2f} us/intake"
    )
    print(f"  ratio engine/if-chain: {ratio:.2f}x (goal <= 3x) {'OK' if ratio <= 3 else 'MISSED'}")


def interview_length() -> None:
    all_counts: list[int] = []
    emergency: list[int] = []
    for case in load_cases():
        interview = run_oracle_interview(_oracle(case))
        all_counts.append(len(interview.asked))
        if case["expected"] == "emergency":
            emergency.append(len(interview.asked))
    med_e = statistics.median(emergency)
    print(
        f"interview length: all cases median {statistics.median(all_counts)}, max {max(all_counts)}; "
        f"emergencies median {med_e}, max {max(emergency)}"
    )
    ok = med_e <= 6 and max(all_counts) <= 25
    print(f"  goal: emergency median <= 6, max <= 25: {'OK' if ok else 'MISSED'}")


def _median_wall(cmd: list[str], runs: int = 7, stdin: str | None = None) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, input=stdin, capture_output=True, text=True, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cli_startup() -> None:
    exe = str(Path(sys.executable).with_name("spasmcare"))
    case = load_cases()[0]
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(case["intake"], fh)
    baseline = _median_wall([sys.executable, "-c", "pass"])
    help_time = _median_wall([exe, "--help"])
    triage_time = _median_wall([exe, "triage", "--input", fh.name, "--json"])
    Path(fh.name).unlink()
    print(
        f"CLI start-up (median of 7): python -c pass {baseline * 1000:.0f} ms; "
        f"--help {help_time * 1000:.0f} ms ({help_time / baseline:.1f}x); "
        f"triage --input {triage_time * 1000:.0f} ms ({triage_time / baseline:.1f}x)"
    )
    ok = help_time < 0.3 and triage_time < 0.3
    print(f"  goal: both under 300 ms: {'OK' if ok else 'MISSED'}")


if __name__ == "__main__":
    throughput()
    interview_length()
    cli_startup()
