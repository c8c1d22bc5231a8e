"""Random intakes for property tests and benchmarks (seeded, so failures are reproducible)."""

from __future__ import annotations

import random
from typing import Any

from hypothesis import strategies as st

from spasmcare.knowledge import KnowledgeBase
from spasmcare.knowledge.conditions import REGIONS


def random_intake_data(
    rng: random.Random, finding_ids: list[str], *, density: float = 0.08
) -> dict[str, Any]:
    """A plausible random intake: each finding unknown, false or (rarely) true."""
    findings: dict[str, bool] = {}
    for fid in finding_ids:
        roll = rng.random()
        if roll < density:
            findings[fid] = True
        elif roll < 0.6:
            findings[fid] = False
    data: dict[str, Any] = {
        "age": rng.choice(
            [rng.randint(0, 120), rng.randint(16, 80), 4, 5, 15, 16, 49, 50, 64, 65, 69, 70]
        ),
        "regions": rng.sample(REGIONS, rng.randint(1, 3)),
        "findings": findings,
    }
    if rng.random() < 0.85:
        data["pain"] = rng.randint(0, 10)
    if rng.random() < 0.7:
        data["onset"] = rng.choice(["sudden", "gradual"])
    if rng.random() < 0.7:
        data["duration_days"] = rng.choice([0, 1, 3, 27, 28, 40, rng.uniform(0, 100)])
    if rng.random() < 0.5:
        data["sex"] = rng.choice(["female", "male", "other"])
        if data["sex"] != "male" and rng.random() < 0.3:
            data["pregnant"] = rng.random() < 0.5
    return data


@st.composite
def intake_data(draw: st.DrawFn, kb: KnowledgeBase) -> dict[str, Any]:
    """Hypothesis strategy for valid raw intakes."""
    ids = sorted(kb.findings)
    findings = draw(st.dictionaries(st.sampled_from(ids), st.booleans(), max_size=12))
    data: dict[str, Any] = {
        "age": draw(st.integers(0, 120)),
        "regions": draw(st.lists(st.sampled_from(REGIONS), min_size=1, max_size=4, unique=True)),
        "findings": findings,
    }
    pain = draw(st.none() | st.integers(0, 10))
    if pain is not None:
        data["pain"] = pain
    onset = draw(st.none() | st.sampled_from(["sudden", "gradual"]))
    if onset is not None:
        data["onset"] = onset
    duration = draw(st.none() | st.floats(0, 400, allow_nan=False))
    if duration is not None:
        data["duration_days"] = duration
    sex = draw(st.none() | st.sampled_from(["female", "male", "other"]))
    if sex is not None:
        data["sex"] = sex
        if sex != "male":
            pregnant = draw(st.none() | st.booleans())
            if pregnant is not None:
                data["pregnant"] = pregnant
    return data
