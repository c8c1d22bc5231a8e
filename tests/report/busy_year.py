"""A busy year of diary data (synthetic, seeded), written through the real repository interface: the
report tests check that it fits two pages, and benchmarks/bench_report.py times the report on it.

A year ending at ``end``: 40 episodes with 1-2 treatments and a medicine each, a 0-10 pain rating
every day (about 180 acetaminophen doses on top), a triage every month (one with a fever, the last
with "not sure" answers), monthly ODI, STarT Back and spasm-frequency scores, and two ODI forms left
unfinished (no score).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from spasmcare.diary import (
    DiaryRepository,
    DoseCreate,
    EpisodeCreate,
    ProfileCreate,
    ScaleRecordCreate,
    TreatmentCreate,
    TriageRecordCreate,
)
from spasmcare.knowledge import KnowledgeBase
from spasmcare.scales import score
from spasmcare.triage import evaluate, parse_intake

DAYS = 365
REGIONS = ["lower_back", "neck", "upper_back", "buttock", "mid_back"]
KINDS = ["heat", "cold", "stretch", "exercise", "massage", "rest"]
MEDICINES = ["ibuprofen", "naproxen", "acetaminophen"]
TRIGGERS = ["lifting", "sitting at the desk all day", "sport", "stress", "cold weather"]
# Findings the monthly triages answer: never a red flag, except the fever of month 3.
CALM = ["numbness_tingling", "pain_below_knee", "worse_with_position", "cannot_stand_upright"]
DENIED = ["bladder_dysfunction", "bowel_incontinence", "saddle_numbness", "leg_weakness"]


def fill_busy_year(
    repo: DiaryRepository, kb: KnowledgeBase, *, end: datetime, seed: int = 7
) -> int:
    """Write the busy year ending at ``end`` (aware, UTC) into ``repo``; return the profile id."""
    rng = random.Random(seed)
    start = end - timedelta(days=DAYS)
    profile = repo.profiles.create(
        ProfileCreate(
            name="Robin Busy",
            age=52,
            sex="male",
            conditions=["asthma"],
            medicines=["sertraline"],
        )
    ).id
    for i in range(40):
        began = start + timedelta(days=i * 9 + rng.randint(0, 3), hours=rng.randint(0, 12))
        length = timedelta(days=rng.uniform(0.5, 6))
        treatments = [
            TreatmentCreate(
                kind=rng.choice(KINDS),
                started_at=began + timedelta(hours=j + 1),
                relief=rng.randint(0, 10),
                duration_minutes=rng.choice([None, 15, 20, 30]),
            )
            for j in range(rng.randint(1, 2))
        ]
        treatments.append(
            TreatmentCreate(
                kind="medicine",
                medicine=rng.choice(MEDICINES),
                dose_mg=400,
                started_at=began + timedelta(hours=4),
                relief=rng.randint(0, 10),
            )
        )
        repo.episodes.create(
            profile,
            EpisodeCreate(
                started_at=began,
                ended_at=None if i == 39 else began + length,
                regions=rng.sample(REGIONS, rng.randint(1, 2)),
                worst_pain=rng.randint(3, 9),
                spasm_frequency=rng.randint(0, 4),
                triggers=rng.sample(TRIGGERS, 1),
            ),
            treatments,
        )
    for d in range(DAYS):
        day = start + timedelta(days=d, hours=20)
        rating = score("nrs", {"score": rng.randint(0, 8)})
        repo.scale_records.create(
            profile,
            ScaleRecordCreate.from_result(
                rating, {"score": rating.score and int(rating.score)}, day
            ),
        )
        if rng.random() < 0.5:
            repo.doses.create(
                profile, DoseCreate(medicine="acetaminophen", amount_mg=500, taken_at=day)
            )
    for m in range(12):
        when = start + timedelta(days=30 * m + 2)
        findings: dict[str, Any] = {f: rng.random() < 0.3 for f in CALM}
        findings |= dict.fromkeys(DENIED, False)
        if m == 3:
            findings["fever"] = True
        if m == 11:
            findings |= {"bladder_dysfunction": "unsure", "leg_weakness": "unsure"}
        intake = parse_intake(
            {"age": 52, "sex": "male", "regions": ["lower_back"], "pain": 6, "findings": findings},
            kb,
        )
        repo.triage_records.create(
            profile, TriageRecordCreate.from_result(intake, evaluate(intake, kb), when)
        )
        odi = {f"s{k}": rng.randint(0, 5) for k in range(1, 11)}
        sbst = {
            **{f"q{k}": rng.choice(["agree", "disagree"]) for k in range(1, 9)},
            "q9": "slightly",
        }
        psfs = {"frequency": rng.randint(0, 4), "severity": rng.randint(1, 3)}
        for scale_id, responses in (("odi", odi), ("startback", sbst), ("psfs", psfs)):
            repo.scale_records.create(
                profile, ScaleRecordCreate.from_result(score(scale_id, responses), responses, when)
            )
        if m in (4, 9):  # an ODI form left unfinished: stored, with no score
            partial = {"s1": 2}
            repo.scale_records.create(
                profile,
                ScaleRecordCreate.from_result(
                    score("odi", partial), partial, when + timedelta(hours=1)
                ),
            )
    return profile
