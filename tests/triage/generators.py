"""Random intakes for property tests and benchmarks (seeded, so failures are reproducible)."""

from __future__ import annotations

import random
from typing import Any

from hypothesis import strategies as st

from spasmcare.knowledge import KnowledgeBase
from spasmcare.knowledge.body import REGIONS


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


# Policy v2 (knowledge base 1.1.0): findings, pregnant and onset may also be "unsure".
V2_AGES = (0, 4, 5, 11, 12, 15, 16, 35, 39, 40, 49, 50, 55, 56, 59, 60, 64, 65, 69, 70, 74, 75)
V2_MEDICINES = (
    "Xarelto (rivaroxaban) 20mg",
    "apixaban 5mg",
    "Eliquis 5 mg tablets",
    "clopidogrel",
    "aspirin 75 mg",
    "atorvastatin 20 mg tablets",
    "Inegy",
    "ibuprofen 400mg",
    "metoclopramide 10 mg",
    "sertraline 50mg",
)


def random_intake_v2(
    rng: random.Random,
    finding_ids: list[str] | tuple[str, ...],
    *,
    positives: int = 4,
    answered: float = 0.5,
    all_fields: bool = False,
    unsure: float = 0.1,
) -> dict[str, Any]:
    """A random v2 intake: up to `positives` findings true or "unsure", the others false (with
    probability `answered`; "unsure" with probability `unsure`) or missing; fields sometimes missing or "unsure" (never missing with
    `all_fields`, so that with `answered=1` the intake is complete)."""
    findings: dict[str, Any] = {}
    for fid in rng.sample(list(finding_ids), rng.randint(0, positives)):
        findings[fid] = rng.choice([True, True, "unsure"])
    for fid in finding_ids:
        if fid not in findings and rng.random() < answered:
            findings[fid] = "unsure" if rng.random() < unsure else False
    data: dict[str, Any] = {
        "age": rng.choice([*V2_AGES, rng.randint(0, 120), rng.randint(16, 90)]),
        "regions": rng.sample(REGIONS, rng.randint(1, 3)),
        "findings": findings,
    }
    keep = 1.0 if all_fields else 0.0
    if rng.random() < 0.85 + keep:
        data["pain"] = rng.choice([rng.randint(0, 10), 6, 7, 8, 9])
    if rng.random() < 0.8 + keep:
        data["onset"] = rng.choice(["sudden", "gradual", "unsure"])
    if rng.random() < 0.75 + keep:
        data["duration_days"] = rng.choice([0, 1, 3, 27, 28, 40, rng.uniform(0, 100)])
    if rng.random() < 0.7 + keep:
        data["sex"] = rng.choice(["female", "male", "other"])
    if data.get("sex") != "male" and rng.random() < 0.6 + keep:
        data["pregnant"] = rng.choice([True, False, False, "unsure"])
    if rng.random() < 0.15:
        data["medicines"] = rng.sample(V2_MEDICINES, rng.randint(1, 2))
    return data


ANSWERS_V2 = st.sampled_from([True, False, "unsure"])


@st.composite
def intake_data_v2(draw: st.DrawFn, finding_ids: tuple[str, ...]) -> dict[str, Any]:
    """Hypothesis strategy for valid raw v2 intakes (with "unsure" answers)."""
    findings = draw(st.dictionaries(st.sampled_from(sorted(finding_ids)), ANSWERS_V2, max_size=12))
    data: dict[str, Any] = {
        "age": draw(st.sampled_from(V2_AGES) | st.integers(0, 120)),
        "regions": draw(st.lists(st.sampled_from(REGIONS), min_size=1, max_size=4, unique=True)),
        "findings": findings,
    }
    pain = draw(st.none() | st.integers(0, 10))
    if pain is not None:
        data["pain"] = pain
    onset = draw(st.none() | st.sampled_from(["sudden", "gradual", "unsure"]))
    if onset is not None:
        data["onset"] = onset
    duration = draw(st.none() | st.floats(0, 400, allow_nan=False))
    if duration is not None:
        data["duration_days"] = duration
    sex = draw(st.none() | st.sampled_from(["female", "male", "other"]))
    if sex is not None:
        data["sex"] = sex
    if sex != "male":
        pregnant = draw(st.none() | ANSWERS_V2)
        if pregnant is not None:
            data["pregnant"] = pregnant
    return data
