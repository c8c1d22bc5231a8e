"""Whole-diary shapes: the export bundle (lossless, for backup and moving), snapshots and the dashboard.

In a :class:`DiaryBundle` every record keeps its creation and change times, and ``id`` is a number
local to the file (1, 2, 3 ... oldest first); ``episode_id`` and ``treatment_id`` refer to those local
numbers. Importing gives every record a new id in the target database and maps the references.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from spasmcare.diary.schemas import (
    Conditions,
    DoseCreate,
    DosePublic,
    EpisodeCreate,
    EpisodePublic,
    Medicines,
    Name,
    ProfilePublic,
    RecordId,
    ScaleRecordCreate,
    ScaleRecordPublic,
    TreatmentCreate,
    TreatmentPublic,
    TriageRecordCreate,
    TriageRecordPublic,
    UtcDateTime,
)
from spasmcare.errors import ImportFileError, Problem
from spasmcare.knowledge.body import Sex

__all__ = [
    "Dashboard",
    "DiaryBundle",
    "DiarySnapshot",
    "DoseRow",
    "EpisodeRow",
    "ImportSummary",
    "ProfileRow",
    "Progress",
    "ScaleRow",
    "TreatmentRow",
    "TriageRow",
    "bundle_from_snapshot",
    "bundle_problems",
    "check_bundle",
]

Progress = Callable[[int, int], None]


def progress_ticker(progress: Progress | None, total: int) -> Callable[[int], None]:
    """``tick(count)``: add ``count`` records done and tell ``progress`` (done, total), if given."""
    done = 0

    def tick(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress(done, total)

    return tick


"""Called as ``progress(done, total)`` during long imports and exports."""

_ROW = ConfigDict(extra="forbid")


class ProfileRow(BaseModel):
    """The profile in an export (without the web account that owned it)."""

    model_config = _ROW

    name: Name = "me"
    age: int | None = Field(default=None, ge=0, le=120)
    age_recorded_at: UtcDateTime | None = None
    sex: Sex | None = None
    conditions: Conditions = Field(default_factory=list)
    medicines: Medicines = Field(default_factory=list)
    created_at: UtcDateTime
    updated_at: UtcDateTime


class _Stamped(BaseModel):
    model_config = _ROW

    id: RecordId
    created_at: UtcDateTime
    updated_at: UtcDateTime


class EpisodeRow(EpisodeCreate, _Stamped):
    model_config = _ROW


class TreatmentRow(TreatmentCreate, _Stamped):
    model_config = _ROW


class DoseRow(DoseCreate, _Stamped):
    model_config = _ROW

    treatment_id: RecordId | None = None


class TriageRow(TriageRecordCreate, _Stamped):
    model_config = _ROW


class ScaleRow(ScaleRecordCreate, _Stamped):
    model_config = _ROW


class DiaryBundle(BaseModel):
    """One person's whole diary, ready to write to a file or to import."""

    model_config = _ROW

    profile: ProfileRow
    episodes: list[EpisodeRow] = Field(default_factory=list)
    treatments: list[TreatmentRow] = Field(default_factory=list)
    doses: list[DoseRow] = Field(default_factory=list)
    triage_results: list[TriageRow] = Field(default_factory=list)
    scale_results: list[ScaleRow] = Field(default_factory=list)

    @property
    def row_count(self) -> int:
        return 1 + sum(
            len(rows)
            for rows in (
                self.episodes,
                self.treatments,
                self.doses,
                self.triage_results,
                self.scale_results,
            )
        )


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What an import wrote: the profile it went into and how many rows of each kind."""

    profile_id: int
    created_profile: bool
    counts: dict[str, int]


@dataclass(frozen=True, slots=True)
class DiarySnapshot:
    """Everything analytics and reports need for one profile, oldest first."""

    profile: ProfilePublic
    episodes: list[EpisodePublic] = field(default_factory=list)
    treatments: list[TreatmentPublic] = field(default_factory=list)
    doses: list[DosePublic] = field(default_factory=list)
    triage_records: list[TriageRecordPublic] = field(default_factory=list)
    scale_records: list[ScaleRecordPublic] = field(default_factory=list)


class Dashboard(BaseModel):
    """The per-profile summary a home screen shows, from one fast query."""

    model_config = ConfigDict(frozen=True)

    profile_id: int
    now: datetime
    episodes_total: int
    episodes_last_7_days: int
    episodes_last_30_days: int
    episodes_last_365_days: int
    open_episodes: int
    mean_worst_pain_30_days: float | None
    doses_last_24_hours: int
    latest_episode: EpisodePublic | None
    latest_triage: TriageRecordPublic | None


def bundle_from_snapshot(snapshot: DiarySnapshot, progress: Progress | None = None) -> DiaryBundle:
    """Number every record 1, 2, 3 ... (oldest first) and point references at those numbers."""
    total = 1 + sum(
        len(rows)
        for rows in (
            snapshot.episodes,
            snapshot.treatments,
            snapshot.doses,
            snapshot.triage_records,
            snapshot.scale_records,
        )
    )
    tick = progress_ticker(progress, total)
    profile = snapshot.profile
    profile_row = ProfileRow.model_construct(
        name=profile.name,
        age=profile.age,
        age_recorded_at=profile.age_recorded_at,
        sex=profile.sex,
        conditions=list(profile.conditions),
        medicines=list(profile.medicines),
        created_at=profile.created_at,
        updated_at=profile.updated_at,
    )
    tick(1)
    episode_ref = {e.id: i for i, e in enumerate(snapshot.episodes, 1)}
    treatment_ref = {t.id: i for i, t in enumerate(snapshot.treatments, 1)}
    skip = {"profile_id"}

    def ref(mapping: dict[int, int], value: int | None) -> int | None:
        return None if value is None else mapping[value]

    episodes = [
        EpisodeRow.model_construct(**{**e.model_dump(exclude=skip), "id": i})
        for i, e in enumerate(snapshot.episodes, 1)
    ]
    tick(len(episodes))
    treatments = [
        TreatmentRow.model_construct(
            **{**t.model_dump(exclude=skip), "id": i, "episode_id": ref(episode_ref, t.episode_id)}
        )
        for i, t in enumerate(snapshot.treatments, 1)
    ]
    tick(len(treatments))
    doses = [
        DoseRow.model_construct(
            **{
                **d.model_dump(exclude=skip),
                "id": i,
                "treatment_id": ref(treatment_ref, d.treatment_id),
            }
        )
        for i, d in enumerate(snapshot.doses, 1)
    ]
    tick(len(doses))
    triage = [
        TriageRow.model_construct(
            **{**r.model_dump(exclude=skip), "id": i, "episode_id": ref(episode_ref, r.episode_id)}
        )
        for i, r in enumerate(snapshot.triage_records, 1)
    ]
    tick(len(triage))
    scales = [
        ScaleRow.model_construct(
            **{**r.model_dump(exclude=skip), "id": i, "episode_id": ref(episode_ref, r.episode_id)}
        )
        for i, r in enumerate(snapshot.scale_records, 1)
    ]
    tick(len(scales))
    return DiaryBundle.model_construct(
        profile=profile_row,
        episodes=episodes,
        treatments=treatments,
        doses=doses,
        triage_results=triage,
        scale_results=scales,
    )


def bundle_problems(bundle: DiaryBundle) -> list[Problem]:
    """Problems with the links inside a bundle: repeated ids and references to records not in it."""
    found: list[Problem] = []

    def unique(name: str, ids: list[int]) -> set[int]:
        seen: set[int] = set()
        for i, value in enumerate(ids):
            if value in seen:
                found.append(
                    Problem(f"{name}[{i}].id", f"id {value} is used twice", "a unique number")
                )
            seen.add(value)
        return seen

    episodes = unique("episodes", [e.id for e in bundle.episodes])
    treatments = unique("treatments", [t.id for t in bundle.treatments])
    unique("doses", [d.id for d in bundle.doses])
    unique("triage_results", [r.id for r in bundle.triage_results])
    unique("scale_results", [r.id for r in bundle.scale_results])
    medicine = {t.id for t in bundle.treatments if t.kind == "medicine"}
    linked: list[tuple[str, list[int | None]]] = [
        ("treatments", [t.episode_id for t in bundle.treatments]),
        ("triage_results", [r.episode_id for r in bundle.triage_results]),
        ("scale_results", [r.episode_id for r in bundle.scale_results]),
    ]
    for name, refs in linked:
        for i, ref in enumerate(refs):
            if ref is not None and ref not in episodes:
                found.append(
                    Problem(
                        f"{name}[{i}].episode_id",
                        f"no episode with id {ref} in this file",
                        "the id of an episode in the file, or null",
                    )
                )
    owned: set[int] = set()
    for i, dose in enumerate(bundle.doses):
        ref = dose.treatment_id
        if ref is not None and ref in owned:
            found.append(
                Problem(
                    f"doses[{i}].treatment_id",
                    f"treatment {ref} already has a dose",
                    "at most one dose per medicine treatment",
                )
            )
        if ref is not None:
            owned.add(ref)
        if ref is not None and ref not in treatments:
            found.append(
                Problem(
                    f"doses[{i}].treatment_id",
                    f"no treatment with id {ref} in this file",
                    "the id of a medicine treatment in the file, or null",
                )
            )
        elif ref is not None and ref not in medicine:
            found.append(
                Problem(
                    f"doses[{i}].treatment_id",
                    f"treatment {ref} is not a medicine",
                    "the id of a medicine treatment in the file, or null",
                )
            )
    return found


def check_bundle(bundle: DiaryBundle) -> None:
    """Raise :class:`ImportFileError` when the bundle's internal links are broken."""
    found = bundle_problems(bundle)
    if found:
        raise ImportFileError("the diary file is not consistent; nothing was imported", found)
