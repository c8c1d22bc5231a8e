"""Triage benchmarks (issues 2 and 11).

1. Throughput of evaluate() on 100,000 random intakes (with "unsure" answers), in microseconds per
   intake, as a ratio to the hand-written if-chain of policy v2 (tests/triage/reference_policy_v2.py)
   on the same intakes in the same run. Goal: within 3x of the if-chain.
2. Interview length over the development cases (tests/triage/cases/) with an oracle answering from
   each case (unlisted findings are answered no, unsure ones "unsure" and, after a self-check, the
   same again; one question may be a checklist): questions until an emergency shows (goal: median
   <= 5) and questions to a complete self-care result (goal: median <= 14), with the distribution.

Command-line start-up (triage --input with and without a diary, log, stats, chart) is measured by
bench_cli.py.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import load_cases  # noqa: E402
from tests.triage.generators import random_intake_v2  # noqa: E402
from tests.triage.oracle import case_answers, run_oracle_interview  # noqa: E402
from tests.triage.reference_policy_v2 import (  # noqa: E402
    reference_disposition,
    reference_unanswered,
    reference_unsure,
)

from spasmcare.knowledge import load_knowledge  # noqa: E402
from spasmcare.triage import evaluate, parse_intake  # noqa: E402

N = 100_000


def throughput() -> None:
    kb = load_knowledge()
    rng = random.Random(7)
    ids = sorted(kb.findings)
    intakes = [parse_intake(random_intake_v2(rng, ids), kb) for _ in range(N)]
    evaluate(intakes[0], kb)  # compile once, outside the timing
    best_engine = best_chain = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for intake in intakes:
            evaluate(intake, kb)
        best_engine = min(best_engine, time.perf_counter() - start)
        start = time.perf_counter()
        for intake in intakes:
            # The same outputs as evaluate(): the level, what is unanswered and what is unsure.
            reference_disposition(intake)
            reference_unanswered(intake)
            reference_unsure(intake)
        best_chain = min(best_chain, time.perf_counter() - start)
    per_engine = best_engine / N * 1e6
    per_chain = best_chain / N * 1e6
    ratio = per_engine / per_chain
    print(
        f"triage throughput (policy v2, 1 in 10 answers unsure): engine {per_engine:.2f} us/intake,"
        f" if-chain {per_chain:.2f} us/intake"
    )
    print(f"  ratio engine/if-chain: {ratio:.2f}x (goal <= 3x) {'OK' if ratio <= 3 else 'MISSED'}")


def _spread(values: list[int]) -> str:
    counts = {v: values.count(v) for v in sorted(set(values))}
    return ", ".join(f"{k}:{n}" for k, n in counts.items())


def interview_length() -> None:
    kb = load_knowledge()
    emergency: list[int] = []
    self_care: list[int] = []
    everything: list[int] = []
    for case in load_cases():
        interview = run_oracle_interview(case_answers(case["intake"], kb), kb)
        result = interview.result()
        n = len(interview.asked)
        everything.append(n)
        if result.disposition.value == "emergency":
            emergency.append(n)
        elif result.disposition.value == "self_care" and result.complete:
            self_care.append(n)
    med_e = statistics.median(emergency)
    med_s = statistics.median(self_care)
    print(
        f"interview length over {len(everything)} cases: all median {statistics.median(everything)},"
        f" max {max(everything)}"
    )
    print(
        f"  to an emergency ({len(emergency)}): median {med_e}, max {max(emergency)};"
        f" questions:count {_spread(emergency)}"
    )
    print(
        f"  to a complete self-care ({len(self_care)}): median {med_s}, max {max(self_care)};"
        f" questions:count {_spread(self_care)}"
    )
    ok = med_e <= 5 and med_s <= 14
    print(f"  goal: emergency median <= 5, self-care median <= 14: {'OK' if ok else 'MISSED'}")


if __name__ == "__main__":
    throughput()
    interview_length()
