"""Care-plan benchmark (issue 3).

Plan building for 10,000 random intakes (seeded; medicines, conditions and context included):
microseconds per plan, and the ratio to triage alone (evaluate() on the same intakes, same run).
build_plan() includes its own triage, so the ratio is the whole cost of a plan over a triage.
Goal: a plan costs no more than 5x a triage. Also shown per disposition, since an emergency plan is
short and a self-care plan is the full one.
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

from spasmcare.knowledge import load_knowledge  # noqa: E402
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


def _best_pair(
    a: Callable[[Intake], object], b: Callable[[Intake], object], intakes: list[Intake]
) -> tuple[float, float]:
    """Best of ROUNDS passes of each, interleaved so both meet the same conditions."""
    best_a = best_b = float("inf")
    for _ in range(ROUNDS):
        best_a = min(best_a, _cpu(a, intakes))
        best_b = min(best_b, _cpu(b, intakes))
    return best_a, best_b


def main() -> int:
    kb = load_knowledge()
    rng = random.Random(3)
    intakes = [parse_intake(random_plan_intake_data(rng, kb), kb) for _ in range(N)]
    build_plan(intakes[0], kb)  # compile once, outside the timing

    def triage(intake: Intake) -> object:
        return evaluate(intake, kb)

    def plan(intake: Intake) -> object:
        return build_plan(intake, kb)

    t_triage, t_plan = _best_pair(triage, plan, intakes)
    per_triage = t_triage / N * 1e6
    per_plan = t_plan / N * 1e6
    ratio = per_plan / per_triage
    print(
        f"care plan: {per_plan:.1f} us/plan, triage alone {per_triage:.1f} us/intake ({N:,} intakes)"
    )
    print(f"  ratio plan/triage: {ratio:.2f}x (goal <= 5x) {'OK' if ratio <= 5 else 'MISSED'}")

    groups: dict[str, list[Intake]] = defaultdict(list)
    for intake in intakes:
        groups[evaluate(intake, kb).disposition.value].append(intake)
    for level in ("emergency", "urgent", "soon", "self_care"):
        group = groups.get(level, [])
        if not group:
            continue
        best_t, best_p = _best_pair(triage, plan, group)
        gt = best_t / len(group) * 1e6
        gp = best_p / len(group) * 1e6
        print(
            f"  {level:<9} {len(group):>5} intakes: plan {gp:6.1f} us, triage {gt:5.1f} us, {gp / gt:.2f}x"
        )
    return 0 if ratio <= 5 else 1


if __name__ == "__main__":
    sys.exit(main())
