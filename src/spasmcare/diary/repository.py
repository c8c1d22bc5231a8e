"""The diary's storage interface, implemented in SQL (:mod:`.sql`) and in memory (:mod:`.memory`).

Every method that touches a person's records takes the profile id, and a record asked for under the
wrong profile is reported as not found (:class:`~spasmcare.errors.NotFoundError`), exactly as if it did
not exist: one person can never read another's diary through this interface. Every write is one
transaction: it happens completely or not at all.

Lists are newest first and paged with ``limit`` (1 to :data:`MAX_LIMIT`) and ``offset``; ``since`` and
``until`` select by the record's own time (``started_at`` or ``taken_at``), ``since`` inclusive and
``until`` exclusive.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from types import TracebackType
from typing import Self

from spasmcare.diary.records import (
    Dashboard,
    DiaryBundle,
    DiarySnapshot,
    ImportSummary,
    Progress,
    bundle_from_snapshot,
)
from spasmcare.diary.schemas import (
    DoseCreate,
    DosePublic,
    DoseUpdate,
    EpisodeCreate,
    EpisodePublic,
    EpisodeUpdate,
    Page,
    ProfileCreate,
    ProfilePublic,
    ProfileUpdate,
    ScaleRecordCreate,
    ScaleRecordPublic,
    ScaleRecordUpdate,
    TreatmentCreate,
    TreatmentPublic,
    TreatmentUpdate,
    TriageRecordCreate,
    TriageRecordPublic,
    TriageRecordUpdate,
)
from spasmcare.errors import ConflictError, InputError, NotFoundError, Problem

__all__ = [
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "Clock",
    "DiaryRepository",
    "check_page",
    "check_times",
    "utc_now",
]

DEFAULT_LIMIT = 50
MAX_LIMIT = 1000

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def check_page(limit: int, offset: int) -> None:
    """Raise :class:`InputError` for a page size or start out of range."""
    found = []
    if not 1 <= limit <= MAX_LIMIT:
        found.append(Problem("limit", f"{limit!r} is out of range", f"1 to {MAX_LIMIT}"))
    if offset < 0:
        found.append(Problem("offset", f"{offset!r} is out of range", "0 or more"))
    if found:
        raise InputError("the page is not valid", found)


def check_times(**values: datetime | None) -> None:
    """Raise :class:`InputError` for any time given without a time zone (``since``, ``now`` ...)."""
    found = [
        Problem(name, f"{value.isoformat()} has no time zone", "a time with an offset, e.g. ...Z")
        for name, value in values.items()
        if value is not None and (value.tzinfo is None or value.utcoffset() is None)
    ]
    if found:
        raise InputError("times must carry a time zone", found)


def not_found(kind: str, record_id: int) -> NotFoundError:
    """The error for a record that does not exist or belongs to another profile (indistinguishable)."""
    return NotFoundError(
        f"no {kind} {record_id} in this diary", [Problem(f"{kind}_id", f"{record_id}")]
    )


def missing_reference(field: str, kind: str, record_id: int) -> InputError:
    return InputError(
        f"{field} does not refer to one of this diary's records",
        [
            Problem(
                field,
                f"no {kind} {record_id} in this diary",
                f"the id of one of this profile's {kind}s",
            )
        ],
    )


def owned_dose(dose_id: int, treatment_id: int) -> ConflictError:
    return ConflictError(
        f"dose {dose_id} was recorded with treatment {treatment_id}",
        [Problem("treatment_id", f"change or delete treatment {treatment_id} instead")],
    )


class DiaryRepository(ABC):
    """Storage of diaries. Use as a context manager, or call :meth:`close` when done."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections (the in-memory store has none)."""

    # profiles --------------------------------------------------------------------------------------
    @abstractmethod
    def create_profile(self, data: ProfileCreate) -> ProfilePublic: ...

    @abstractmethod
    def get_profile(self, profile_id: int) -> ProfilePublic: ...

    @abstractmethod
    def update_profile(self, profile_id: int, data: ProfileUpdate) -> ProfilePublic: ...

    @abstractmethod
    def delete_profile(self, profile_id: int) -> None:
        """Delete the profile and every record it owns."""

    @abstractmethod
    def list_profiles(
        self, *, owner: str | None = None, limit: int = DEFAULT_LIMIT, offset: int = 0
    ) -> Page[ProfilePublic]:
        """Profiles oldest first; with ``owner``, only that account's."""

    # episodes --------------------------------------------------------------------------------------
    @abstractmethod
    def create_episode(
        self, profile_id: int, data: EpisodeCreate, treatments: Sequence[TreatmentCreate] = ()
    ) -> EpisodePublic:
        """Store an episode and, in the same transaction, the treatments tried for it."""

    @abstractmethod
    def get_episode(self, profile_id: int, episode_id: int) -> EpisodePublic: ...

    @abstractmethod
    def update_episode(
        self, profile_id: int, episode_id: int, data: EpisodeUpdate
    ) -> EpisodePublic: ...

    @abstractmethod
    def delete_episode(self, profile_id: int, episode_id: int) -> None:
        """Delete the episode and its treatments; triage and scale results stay, unlinked."""

    @abstractmethod
    def list_episodes(
        self,
        profile_id: int,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = DEFAULT_LIMIT,
        offset: int = 0,
    ) -> Page[EpisodePublic]: ...

    # treatments ------------------------------------------------------------------------------------
    @abstractmethod
    def create_treatment(self, profile_id: int, data: TreatmentCreate) -> TreatmentPublic:
        """Store a treatment; a medicine with ``dose_mg`` also records its dose."""

    @abstractmethod
    def get_treatment(self, profile_id: int, treatment_id: int) -> TreatmentPublic: ...

    @abstractmethod
    def update_treatment(
        self, profile_id: int, treatment_id: int, data: TreatmentUpdate
    ) -> TreatmentPublic:
        """Change a treatment; its recorded dose follows (changed, added or removed)."""

    @abstractmethod
    def delete_treatment(self, profile_id: int, treatment_id: int) -> None: ...

    @abstractmethod
    def list_treatments(
        self,
        profile_id: int,
        *,
        episode_id: int | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = DEFAULT_LIMIT,
        offset: int = 0,
    ) -> Page[TreatmentPublic]: ...

    # medicine doses --------------------------------------------------------------------------------
    @abstractmethod
    def create_dose(self, profile_id: int, data: DoseCreate) -> DosePublic: ...

    @abstractmethod
    def get_dose(self, profile_id: int, dose_id: int) -> DosePublic: ...

    @abstractmethod
    def update_dose(self, profile_id: int, dose_id: int, data: DoseUpdate) -> DosePublic:
        """Change a dose; one recorded by a treatment raises ConflictError (change the treatment)."""

    @abstractmethod
    def delete_dose(self, profile_id: int, dose_id: int) -> None: ...

    @abstractmethod
    def list_doses(
        self,
        profile_id: int,
        *,
        medicine: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = DEFAULT_LIMIT,
        offset: int = 0,
    ) -> Page[DosePublic]: ...

    @abstractmethod
    def doses_between(self, profile_id: int, start: datetime, end: datetime) -> list[DosePublic]:
        """Every dose taken from ``start`` (inclusive) to ``end`` (exclusive), oldest first.

        The care plan uses this for the daily acetaminophen limit and the 72-hour muscle-relaxant
        check.
        """

    # triage results --------------------------------------------------------------------------------
    @abstractmethod
    def create_triage_record(
        self, profile_id: int, data: TriageRecordCreate
    ) -> TriageRecordPublic: ...

    @abstractmethod
    def get_triage_record(self, profile_id: int, record_id: int) -> TriageRecordPublic: ...

    @abstractmethod
    def update_triage_record(
        self, profile_id: int, record_id: int, data: TriageRecordUpdate
    ) -> TriageRecordPublic: ...

    @abstractmethod
    def delete_triage_record(self, profile_id: int, record_id: int) -> None: ...

    @abstractmethod
    def list_triage_records(
        self,
        profile_id: int,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = DEFAULT_LIMIT,
        offset: int = 0,
    ) -> Page[TriageRecordPublic]: ...

    # scale results ---------------------------------------------------------------------------------
    @abstractmethod
    def create_scale_record(
        self, profile_id: int, data: ScaleRecordCreate
    ) -> ScaleRecordPublic: ...

    @abstractmethod
    def get_scale_record(self, profile_id: int, record_id: int) -> ScaleRecordPublic: ...

    @abstractmethod
    def update_scale_record(
        self, profile_id: int, record_id: int, data: ScaleRecordUpdate
    ) -> ScaleRecordPublic: ...

    @abstractmethod
    def delete_scale_record(self, profile_id: int, record_id: int) -> None: ...

    @abstractmethod
    def list_scale_records(
        self,
        profile_id: int,
        *,
        scale: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = DEFAULT_LIMIT,
        offset: int = 0,
    ) -> Page[ScaleRecordPublic]: ...

    # whole diary -----------------------------------------------------------------------------------
    @abstractmethod
    def snapshot(self, profile_id: int, *, since: datetime | None = None) -> DiarySnapshot:
        """The profile and all its records (from ``since``), oldest first, read consistently."""

    @abstractmethod
    def dashboard(self, profile_id: int, now: datetime) -> Dashboard:
        """Counts, the latest episode and triage, and recent pain: the home-screen summary."""

    def export_bundle(self, profile_id: int, progress: Progress | None = None) -> DiaryBundle:
        """The whole diary with file-local ids (see :mod:`spasmcare.diary.records`)."""
        return bundle_from_snapshot(self.snapshot(profile_id), progress)

    @abstractmethod
    def import_bundle(
        self,
        bundle: DiaryBundle,
        *,
        into_profile: int | None = None,
        owner: str | None = None,
        progress: Progress | None = None,
    ) -> ImportSummary:
        """Write a validated bundle in one transaction: into a new profile, or add to ``into_profile``.

        References inside the bundle must already be checked (:func:`spasmcare.diary.transfer.
        check_bundle`); nothing is written when anything fails.
        """
