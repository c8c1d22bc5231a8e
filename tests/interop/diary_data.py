"""A fixture diary (synthetic person) used by the FHIR and report tests, built through the real
repository interface so that it holds exactly what the app would store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
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
from tests.diary.factories import memory_repository

START = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)

TRIAGE_INTAKE: dict[str, Any] = {
    "age": 46,
    "regions": ["lower_back", "buttock"],
    "sex": "female",
    "onset": "sudden",
    "duration_days": 2,
    "pain": 7,
    "findings": {
        "bladder_dysfunction": False,
        "bowel_incontinence": False,
        "numbness_tingling": True,
        "leg_weakness": False,
        "cannot_stand_upright": True,
        "fever": False,
    },
    "medicines": ["sertraline"],
}


OLD_INTAKE: dict[str, Any] = {
    "age": 45,
    "regions": ["neck"],
    "pain": 5,
    "findings": {"fever": True, "numbness_tingling": True},
}


# A later triage (in the report period, so the last one) holding every kind of answer: yes
# (numbness_tingling), no (bowel_incontinence, fever), "not sure" (bladder_dysfunction,
# leg_weakness, pregnant) and not asked (saddle_numbness, sexual_dysfunction ...).
UNSURE_INTAKE: dict[str, Any] = {
    "age": 46,
    "regions": ["lower_back"],
    "sex": "female",
    "pregnant": "unsure",
    "onset": "gradual",
    "duration_days": 1,
    "pain": 5,
    "findings": {
        "bladder_dysfunction": "unsure",
        "bowel_incontinence": False,
        "numbness_tingling": True,
        "leg_weakness": "unsure",
        "fever": False,
    },
}
UNSURE_AT = START + timedelta(days=31)


def ticking_clock(start: datetime = datetime(2026, 2, 1, tzinfo=UTC)) -> Any:
    """A clock that moves one second per call, so stored times are fixed and ordered."""
    times: Iterator[datetime] = (start + timedelta(seconds=i) for i in range(10**9))
    return lambda: next(times)


def fill(repo: DiaryRepository, kb: KnowledgeBase) -> int:
    """Write the fixture diary into ``repo``; return the profile id."""
    profile = repo.profiles.create(
        ProfileCreate(
            name="Alex Example",
            age=46,
            sex="female",
            conditions=["asthma"],
            medicines=["sertraline"],
        )
    ).id
    first = repo.episodes.create(
        profile,
        EpisodeCreate(
            started_at=START,
            ended_at=START + timedelta(days=3),
            regions=["lower_back", "buttock"],
            worst_pain=7,
            spasm_frequency=3,
            triggers=["lifting a box"],
            suspected_causes=["heavy exertion"],
            notes="Could not stand up straight for a day.",
        ),
        [
            TreatmentCreate(
                kind="heat", started_at=START + timedelta(hours=2), relief=6, duration_minutes=20
            ),
            TreatmentCreate(
                kind="medicine",
                medicine="ibuprofen",
                dose_mg=400,
                started_at=START + timedelta(hours=3),
                relief=5,
            ),
        ],
    ).id
    repo.episodes.create(
        profile,
        EpisodeCreate(
            started_at=START + timedelta(days=14),
            ended_at=START + timedelta(days=15),
            regions=["neck"],
            worst_pain=4,
            spasm_frequency=1,
        ),
        [TreatmentCreate(kind="stretch", started_at=START + timedelta(days=14, hours=1), relief=3)],
    )
    repo.episodes.create(
        profile,
        EpisodeCreate(
            started_at=START + timedelta(days=30),
            regions=["lower_back"],
            worst_pain=5,
            triggers=["long drive"],
        ),
    )
    repo.doses.create(
        profile,
        DoseCreate(
            medicine="acetaminophen", amount_mg=500, taken_at=START + timedelta(days=30, hours=2)
        ),
    )
    # Long before the report period: a fever (a red flag, urgent on its own).
    old = parse_intake(OLD_INTAKE, kb)
    repo.triage_records.create(
        profile, TriageRecordCreate.from_result(old, evaluate(old, kb), START - timedelta(days=200))
    )
    intake = parse_intake(TRIAGE_INTAKE, kb)
    repo.triage_records.create(
        profile,
        TriageRecordCreate.from_result(
            intake, evaluate(intake, kb), START + timedelta(hours=1), episode_id=first
        ),
    )
    scales: list[tuple[str, dict[str, Any], timedelta]] = [
        ("nrs", {"score": 7}, timedelta(hours=1)),
        ("nrs", {"score": 3}, timedelta(days=30, hours=3)),
        ("odi", {f"s{i}": 2 for i in range(1, 11)}, timedelta(hours=1)),
        ("odi", {f"s{i}": 1 for i in range(1, 11)}, timedelta(days=30, hours=3)),
        (
            "startback",
            {**{f"q{i}": "agree" for i in range(1, 9)}, "q9": "very_much"},
            timedelta(hours=1),
        ),
        ("psfs", {"frequency": 3, "severity": 2}, timedelta(hours=1)),
    ]
    for scale_id, responses, offset in scales:
        result = score(scale_id, responses)
        repo.scale_records.create(
            profile, ScaleRecordCreate.from_result(result, responses, START + offset)
        )
    return profile


def add_unsure_triage(repo: DiaryRepository, kb: KnowledgeBase, profile: int) -> int:
    """Save the triage of :data:`UNSURE_INTAKE` (yes, no, not sure and not asked); its id."""
    intake = parse_intake(UNSURE_INTAKE, kb)
    return repo.triage_records.create(
        profile, TriageRecordCreate.from_result(intake, evaluate(intake, kb), UNSURE_AT)
    ).id


def fixture_repo(kb: KnowledgeBase, *, unsure: bool = False) -> tuple[DiaryRepository, int]:
    """The fixture diary; with ``unsure``, also the triage of :data:`UNSURE_INTAKE`."""
    repo = memory_repository(clock=ticking_clock())
    profile = fill(repo, kb)
    if unsure:
        add_unsure_triage(repo, kb, profile)
    return repo, profile
