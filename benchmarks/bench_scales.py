"""Scales benchmarks (issue 4).

1. Scoring throughput: spasmcare.scales.score() on 20,000 random complete responses per instrument,
   in microseconds per score, against a trivial baseline measured in the same run (a hand-written
   dict sum with no validation, no bands, no result object). The ratio is the price of checking every
   value, reading thresholds from the data file and building a full ScaleResult.
   Goal: every instrument under 100 us per score (10,000 scores a second on one core).
2. Questionnaire import: parse_questionnaire() on a synthetic 9-item STarT Back Questionnaire
   (including fhir.resources validation), milliseconds per import, against json.loads of the same
   file. Goal: under 50 ms per import.
"""

from __future__ import annotations

import json
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.scales import samples  # noqa: E402

from spasmcare.scales import catalogue, parse_questionnaire, score  # noqa: E402

N = 20_000
SCALES = ["nrs", "psfs", "mas", "odi", "rmdq", "startback", "ndi"]


def random_responses(rng: random.Random, scale_id: str) -> dict[str, Any]:
    cat = catalogue()
    scale = cat.scale(scale_id)
    out: dict[str, Any] = {}
    for item in scale.items:
        if item.kind == "text":
            out[item.id] = "left trapezius"
            continue
        gate = item.enable_when
        if gate and not out.get(gate.item, 0) > gate.above:
            continue
        out[item.id] = rng.choice([a.value for a in cat.answers(item).answers])
    return out


def baseline(responses: dict[str, Any]) -> float:
    """The least work that still looks at every answer: a sum over the values."""
    total = 0.0
    for value in responses.values():
        if value is True or value == "agree":
            total += 1
        elif isinstance(value, int):
            total += value
    return total


def best_of(runs: int, fn: Callable[[], None]) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def throughput() -> bool:
    rng = random.Random(4)
    ok = True
    for scale_id in SCALES:
        data = [random_responses(rng, scale_id) for _ in range(N)]
        score(scale_id, data[0])  # load the data file outside the timing

        def run_score(data: list[dict[str, Any]] = data, scale_id: str = scale_id) -> None:
            for responses in data:
                score(scale_id, responses)

        def run_base(data: list[dict[str, Any]] = data) -> None:
            for responses in data:
                baseline(responses)

        ours = best_of(3, run_score) / N * 1e6
        base = best_of(3, run_base) / N * 1e6
        good = ours < 100
        ok &= good
        print(
            f"score {scale_id:<9} {ours:7.2f} us/score   baseline {base:5.2f} us   "
            f"ratio {ours / base:6.1f}x   {'OK' if good else 'MISSED'} (goal < 100 us)"
        )
    return ok


def import_speed() -> bool:
    text = json.dumps(samples.startback())
    parse_questionnaire(json.loads(text))  # import fhir.resources outside the timing
    runs = 50
    ours = best_of(3, lambda: [parse_questionnaire(json.loads(text)) for _ in range(runs)])
    base = best_of(3, lambda: [json.loads(text) for _ in range(runs)])
    per_ours, per_base = ours / runs * 1e3, base / runs * 1e3
    good = per_ours < 50
    print(
        f"import startback {per_ours:.2f} ms/import   json.loads {per_base:.3f} ms   "
        f"ratio {per_ours / per_base:.0f}x   {'OK' if good else 'MISSED'} (goal < 50 ms)"
    )
    return good


def main() -> int:
    ok = throughput()
    ok &= import_speed()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
