"""The in-memory diary repository: the same behaviour as the SQL one, for fast tests and previews.

Writes are atomic here too: each write works on copies of the tables and swaps them in only when it
succeeds. The same test suite runs against this and against SQLite and PostgreSQL.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

from pydantic import BaseModel

from spasmcare.diary.records import (
    Dashboard,
    DiaryBundle,
    DiarySnapshot,
    ImportSummary,
    Progress,
    check_bundle,
)
from spasmcare.diary.repository import (
    DEFAULT_LIMIT,
    Clock,
    DiaryRepository,
    check_page,
    check_times,
    missing_reference,
    not_found,
    owned_dose,
    utc_now,
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
    merged,
)
from spasmcare.errors import NotFoundError, Problem

__all__ = ["MemoryRepository"]

R = TypeVar("R", EpisodePublic, TreatmentPublic, DosePublic, TriageRecordPublic, ScaleRecordPublic)


@dataclass(slots=True)
class _State:
    profiles: dict[int, ProfilePublic] = field(default_factory=dict)
    episodes: dict[int, EpisodePublic] = field(default_factory=dict)
    treatments: dict[int, TreatmentPublic] = field(default_factory=dict)
    doses: dict[int, DosePublic] = field(default_factory=dict)
    triage: dict[int, TriageRecordPublic] = field(default_factory=dict)
    scales: dict[int, ScaleRecordPublic] = field(default_factory=dict)
    next_id: dict[str, int] = field(default_factory=dict)

    def copy(self) -> _State:
        return _State(
            dict(self.profiles),
            dict(self.episodes),
            dict(self.treatments),
            dict(self.doses),
            dict(self.triage),
            dict(self.scales),
            dict(self.next_id),
        )

    def new_id(self, table: str) -> int:
        value = self.next_id.get(table, 1)
        self.next_id[table] = value + 1
        return value


def _when(record: BaseModel) -> datetime:
    value = getattr(record, "started_at", None) or getattr(record, "taken_at", None)
    assert isinstance(value, datetime)
    return value


def _newest_first(rows: list[R]) -> list[R]:
    return sorted(rows, key=lambda r: (_when(r), r.id), reverse=True)


def _oldest_first(rows: list[R]) -> list[R]:
    return sorted(rows, key=lambda r: (_when(r), r.id))


class MemoryRepository(DiaryRepository):
    """A diary kept in this process's memory; gone when the process ends."""

    def __init__(self, *, clock: Clock = utc_now) -> None:
        self._state = _State()
        self._lock = threading.RLock()
        self._clock = clock

    # transactions ----------------------------------------------------------------------------------
    @contextmanager
    def _write(self) -> Iterator[_State]:
        with self._lock:
            work = self._state.copy()
            yield work
            self._state = work

    @contextmanager
    def _read(self) -> Iterator[_State]:
        with self._lock:
            yield self._state

    # helpers ---------------------------------------------------------------------------------------
    @staticmethod
    def _one(rows: dict[int, R], kind: str, profile_id: int, record_id: int) -> R:
        row = rows.get(record_id)
        if row is None or row.profile_id != profile_id:
            raise not_found(kind, record_id)
        return row

    @staticmethod
    def _require_profile(state: _State, profile_id: int) -> ProfilePublic:
        found = state.profiles.get(profile_id)
        if found is None:
            raise NotFoundError(
                f"no profile {profile_id}", [Problem("profile_id", str(profile_id))]
            )
        return found

    @staticmethod
    def _require_episode(state: _State, profile_id: int, episode_id: int | None) -> None:
        if episode_id is None:
            return
        episode = state.episodes.get(episode_id)
        if episode is None or episode.profile_id != profile_id:
            raise missing_reference("episode_id", "episode", episode_id)

    def _stamps(self, *, created: datetime | None = None) -> dict[str, Any]:
        now = self._clock()
        return {"created_at": created or now, "updated_at": now}

    def _page(
        self,
        table: str,
        profile_id: int,
        keep: Callable[[R], bool],
        since: datetime | None,
        until: datetime | None,
        limit: int,
        offset: int,
    ) -> Page[R]:
        check_page(limit, offset)
        check_times(since=since, until=until)
        with self._read() as state:
            self._require_profile(state, profile_id)
            rows: dict[int, R] = getattr(state, table)
            chosen = [
                r
                for r in rows.values()
                if r.profile_id == profile_id
                and keep(r)
                and (since is None or _when(r) >= since)
                and (until is None or _when(r) < until)
            ]
        ordered = _newest_first(chosen)
        return Page(
            items=ordered[offset : offset + limit], total=len(ordered), limit=limit, offset=offset
        )

    # profiles --------------------------------------------------------------------------------------
    def create_profile(self, data: ProfileCreate) -> ProfilePublic:
        with self._write() as state:
            profile_id = state.new_id("profiles")
            row = ProfilePublic.model_construct(
                id=profile_id,
                **data.model_dump(),
                age_recorded_at=self._clock() if data.age is not None else None,
                **self._stamps(),
            )
            state.profiles[profile_id] = row
        return row

    def get_profile(self, profile_id: int) -> ProfilePublic:
        with self._read() as state:
            return self._require_profile(state, profile_id)

    def update_profile(self, profile_id: int, data: ProfileUpdate) -> ProfilePublic:
        with self._write() as state:
            current = self._require_profile(state, profile_id)
            values = data.model_dump(include=data.model_fields_set)
            if values.get("name", "") is None:
                del values["name"]
            for listed in ("conditions", "medicines"):
                if listed in values and values[listed] is None:
                    values[listed] = []
            if "age" in values:
                values["age_recorded_at"] = self._clock() if values["age"] is not None else None
            row = current.model_copy(update={**values, **self._stamps(created=current.created_at)})
            state.profiles[profile_id] = row
        return row

    def delete_profile(self, profile_id: int) -> None:
        with self._write() as state:
            self._require_profile(state, profile_id)
            del state.profiles[profile_id]
            for rows in (state.episodes, state.treatments, state.doses, state.triage, state.scales):
                for key in [k for k, v in rows.items() if v.profile_id == profile_id]:
                    del rows[key]

    def list_profiles(
        self, *, owner: str | None = None, limit: int = DEFAULT_LIMIT, offset: int = 0
    ) -> Page[ProfilePublic]:
        check_page(limit, offset)
        with self._read() as state:
            rows = [p for p in state.profiles.values() if owner is None or p.owner == owner]
        rows.sort(key=lambda p: p.id)
        return Page(
            items=rows[offset : offset + limit], total=len(rows), limit=limit, offset=offset
        )

    # episodes --------------------------------------------------------------------------------------
    def create_episode(
        self, profile_id: int, data: EpisodeCreate, treatments: Sequence[TreatmentCreate] = ()
    ) -> EpisodePublic:
        with self._write() as state:
            self._require_profile(state, profile_id)
            episode_id = state.new_id("episodes")
            row = EpisodePublic.model_construct(
                id=episode_id, profile_id=profile_id, **data.model_dump(), **self._stamps()
            )
            state.episodes[episode_id] = row
            for treatment in treatments:
                self._add_treatment(
                    state, profile_id, treatment.model_copy(update={"episode_id": episode_id})
                )
        return row

    def get_episode(self, profile_id: int, episode_id: int) -> EpisodePublic:
        with self._read() as state:
            return self._one(state.episodes, "episode", profile_id, episode_id)

    def update_episode(
        self, profile_id: int, episode_id: int, data: EpisodeUpdate
    ) -> EpisodePublic:
        with self._write() as state:
            current = self._one(state.episodes, "episode", profile_id, episode_id)
            new = merged(EpisodeCreate, current, data)
            row = current.model_copy(
                update={**new.model_dump(), **self._stamps(created=current.created_at)}
            )
            state.episodes[episode_id] = row
        return row

    def delete_episode(self, profile_id: int, episode_id: int) -> None:
        with self._write() as state:
            self._one(state.episodes, "episode", profile_id, episode_id)
            del state.episodes[episode_id]
            gone = {k for k, t in state.treatments.items() if t.episode_id == episode_id}
            for key in gone:
                del state.treatments[key]
            for key in [k for k, d in state.doses.items() if d.treatment_id in gone]:
                del state.doses[key]
            for key, triage in list(state.triage.items()):
                if triage.episode_id == episode_id:
                    state.triage[key] = triage.model_copy(update={"episode_id": None})
            for key, scale in list(state.scales.items()):
                if scale.episode_id == episode_id:
                    state.scales[key] = scale.model_copy(update={"episode_id": None})

    def list_episodes(
        self,
        profile_id: int,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = DEFAULT_LIMIT,
        offset: int = 0,
    ) -> Page[EpisodePublic]:
        return self._page("episodes", profile_id, lambda _: True, since, until, limit, offset)

    # treatments ------------------------------------------------------------------------------------
    def _sync_dose(self, state: _State, treatment: TreatmentPublic) -> None:
        dose = next((d for d in state.doses.values() if d.treatment_id == treatment.id), None)
        if treatment.kind != "medicine" or treatment.dose_mg is None or treatment.medicine is None:
            if dose is not None:
                del state.doses[dose.id]
            return
        values: dict[str, Any] = {
            "medicine": treatment.medicine,
            "amount_mg": treatment.dose_mg,
            "taken_at": treatment.started_at,
        }
        if dose is None:
            dose_id = state.new_id("doses")
            state.doses[dose_id] = DosePublic.model_construct(
                id=dose_id,
                profile_id=treatment.profile_id,
                treatment_id=treatment.id,
                notes="",
                **values,
                **self._stamps(),
            )
        else:
            state.doses[dose.id] = dose.model_copy(
                update={**values, **self._stamps(created=dose.created_at)}
            )

    def _add_treatment(
        self, state: _State, profile_id: int, data: TreatmentCreate
    ) -> TreatmentPublic:
        self._require_episode(state, profile_id, data.episode_id)
        treatment_id = state.new_id("treatments")
        row = TreatmentPublic.model_construct(
            id=treatment_id, profile_id=profile_id, **data.model_dump(), **self._stamps()
        )
        state.treatments[treatment_id] = row
        self._sync_dose(state, row)
        return row

    def create_treatment(self, profile_id: int, data: TreatmentCreate) -> TreatmentPublic:
        with self._write() as state:
            self._require_profile(state, profile_id)
            return self._add_treatment(state, profile_id, data)

    def get_treatment(self, profile_id: int, treatment_id: int) -> TreatmentPublic:
        with self._read() as state:
            return self._one(state.treatments, "treatment", profile_id, treatment_id)

    def update_treatment(
        self, profile_id: int, treatment_id: int, data: TreatmentUpdate
    ) -> TreatmentPublic:
        with self._write() as state:
            current = self._one(state.treatments, "treatment", profile_id, treatment_id)
            new = merged(TreatmentCreate, current, data)
            self._require_episode(state, profile_id, new.episode_id)
            row = current.model_copy(
                update={**new.model_dump(), **self._stamps(created=current.created_at)}
            )
            state.treatments[treatment_id] = row
            self._sync_dose(state, row)
        return row

    def delete_treatment(self, profile_id: int, treatment_id: int) -> None:
        with self._write() as state:
            self._one(state.treatments, "treatment", profile_id, treatment_id)
            del state.treatments[treatment_id]
            for key in [k for k, d in state.doses.items() if d.treatment_id == treatment_id]:
                del state.doses[key]

    def list_treatments(
        self,
        profile_id: int,
        *,
        episode_id: int | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = DEFAULT_LIMIT,
        offset: int = 0,
    ) -> Page[TreatmentPublic]:
        return self._page(
            "treatments",
            profile_id,
            lambda t: episode_id is None or t.episode_id == episode_id,
            since,
            until,
            limit,
            offset,
        )

    # doses -----------------------------------------------------------------------------------------
    def create_dose(self, profile_id: int, data: DoseCreate) -> DosePublic:
        with self._write() as state:
            self._require_profile(state, profile_id)
            dose_id = state.new_id("doses")
            row = DosePublic.model_construct(
                id=dose_id,
                profile_id=profile_id,
                treatment_id=None,
                **data.model_dump(),
                **self._stamps(),
            )
            state.doses[dose_id] = row
        return row

    def get_dose(self, profile_id: int, dose_id: int) -> DosePublic:
        with self._read() as state:
            return self._one(state.doses, "dose", profile_id, dose_id)

    def update_dose(self, profile_id: int, dose_id: int, data: DoseUpdate) -> DosePublic:
        with self._write() as state:
            current = self._one(state.doses, "dose", profile_id, dose_id)
            if current.treatment_id is not None:
                raise owned_dose(dose_id, current.treatment_id)
            new = merged(DoseCreate, current, data)
            row = current.model_copy(
                update={**new.model_dump(), **self._stamps(created=current.created_at)}
            )
            state.doses[dose_id] = row
        return row

    def delete_dose(self, profile_id: int, dose_id: int) -> None:
        with self._write() as state:
            current = self._one(state.doses, "dose", profile_id, dose_id)
            if current.treatment_id is not None:
                raise owned_dose(dose_id, current.treatment_id)
            del state.doses[dose_id]

    def list_doses(
        self,
        profile_id: int,
        *,
        medicine: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = DEFAULT_LIMIT,
        offset: int = 0,
    ) -> Page[DosePublic]:
        name = None if medicine is None else medicine.strip().lower()
        return self._page(
            "doses",
            profile_id,
            lambda d: name is None or d.medicine == name,
            since,
            until,
            limit,
            offset,
        )

    def doses_between(self, profile_id: int, start: datetime, end: datetime) -> list[DosePublic]:
        check_times(start=start, end=end)
        with self._read() as state:
            self._require_profile(state, profile_id)
            chosen = [
                d
                for d in state.doses.values()
                if d.profile_id == profile_id and start <= d.taken_at < end
            ]
        return _oldest_first(chosen)

    # triage and scale results ----------------------------------------------------------------------
    def create_triage_record(self, profile_id: int, data: TriageRecordCreate) -> TriageRecordPublic:
        with self._write() as state:
            self._require_profile(state, profile_id)
            self._require_episode(state, profile_id, data.episode_id)
            record_id = state.new_id("triage")
            row = TriageRecordPublic.model_construct(
                id=record_id, profile_id=profile_id, **data.model_dump(), **self._stamps()
            )
            state.triage[record_id] = row
        return row

    def get_triage_record(self, profile_id: int, record_id: int) -> TriageRecordPublic:
        with self._read() as state:
            return self._one(state.triage, "triage_result", profile_id, record_id)

    def _relink(
        self,
        rows: dict[int, R],
        kind: str,
        profile_id: int,
        record_id: int,
        data: TriageRecordUpdate | ScaleRecordUpdate,
        state: _State,
    ) -> R:
        current = self._one(rows, kind, profile_id, record_id)
        values = data.model_dump(include=data.model_fields_set)
        if values.get("notes", "") is None:
            values["notes"] = ""
        self._require_episode(state, profile_id, values.get("episode_id"))
        row = current.model_copy(update={**values, **self._stamps(created=current.created_at)})
        rows[record_id] = row
        return row

    def update_triage_record(
        self, profile_id: int, record_id: int, data: TriageRecordUpdate
    ) -> TriageRecordPublic:
        with self._write() as state:
            return self._relink(state.triage, "triage_result", profile_id, record_id, data, state)

    def delete_triage_record(self, profile_id: int, record_id: int) -> None:
        with self._write() as state:
            self._one(state.triage, "triage_result", profile_id, record_id)
            del state.triage[record_id]

    def list_triage_records(
        self,
        profile_id: int,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = DEFAULT_LIMIT,
        offset: int = 0,
    ) -> Page[TriageRecordPublic]:
        return self._page("triage", profile_id, lambda _: True, since, until, limit, offset)

    def create_scale_record(self, profile_id: int, data: ScaleRecordCreate) -> ScaleRecordPublic:
        with self._write() as state:
            self._require_profile(state, profile_id)
            self._require_episode(state, profile_id, data.episode_id)
            record_id = state.new_id("scales")
            row = ScaleRecordPublic.model_construct(
                id=record_id, profile_id=profile_id, **data.model_dump(), **self._stamps()
            )
            state.scales[record_id] = row
        return row

    def get_scale_record(self, profile_id: int, record_id: int) -> ScaleRecordPublic:
        with self._read() as state:
            return self._one(state.scales, "scale_result", profile_id, record_id)

    def update_scale_record(
        self, profile_id: int, record_id: int, data: ScaleRecordUpdate
    ) -> ScaleRecordPublic:
        with self._write() as state:
            return self._relink(state.scales, "scale_result", profile_id, record_id, data, state)

    def delete_scale_record(self, profile_id: int, record_id: int) -> None:
        with self._write() as state:
            self._one(state.scales, "scale_result", profile_id, record_id)
            del state.scales[record_id]

    def list_scale_records(
        self,
        profile_id: int,
        *,
        scale: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = DEFAULT_LIMIT,
        offset: int = 0,
    ) -> Page[ScaleRecordPublic]:
        return self._page(
            "scales",
            profile_id,
            lambda r: scale is None or r.scale == scale,
            since,
            until,
            limit,
            offset,
        )

    # whole diary -----------------------------------------------------------------------------------
    def snapshot(self, profile_id: int, *, since: datetime | None = None) -> DiarySnapshot:
        check_times(since=since)
        with self._read() as state:
            profile = self._require_profile(state, profile_id)

            def mine(rows: dict[int, R]) -> list[R]:
                return _oldest_first(
                    [
                        r
                        for r in rows.values()
                        if r.profile_id == profile_id and (since is None or _when(r) >= since)
                    ]
                )

            return DiarySnapshot(
                profile=profile,
                episodes=mine(state.episodes),
                treatments=mine(state.treatments),
                doses=mine(state.doses),
                triage_records=mine(state.triage),
                scale_records=mine(state.scales),
            )

    def dashboard(self, profile_id: int, now: datetime) -> Dashboard:
        check_times(now=now)
        snap = self.snapshot(profile_id)
        episodes = snap.episodes

        def since(delta: timedelta) -> list[EpisodePublic]:
            return [e for e in episodes if now - delta <= e.started_at <= now]

        recent = since(timedelta(days=30))
        return Dashboard(
            profile_id=profile_id,
            now=now,
            episodes_total=len(episodes),
            episodes_last_7_days=len(since(timedelta(days=7))),
            episodes_last_30_days=len(recent),
            episodes_last_365_days=len(since(timedelta(days=365))),
            open_episodes=sum(1 for e in episodes if e.ended_at is None),
            mean_worst_pain_30_days=(
                round(sum(e.worst_pain for e in recent) / len(recent), 2) if recent else None
            ),
            doses_last_24_hours=sum(
                1 for d in snap.doses if now - timedelta(hours=24) <= d.taken_at <= now
            ),
            latest_episode=_newest_first(episodes)[0] if episodes else None,
            latest_triage=_newest_first(snap.triage_records)[0] if snap.triage_records else None,
        )

    def import_bundle(
        self,
        bundle: DiaryBundle,
        *,
        into_profile: int | None = None,
        owner: str | None = None,
        progress: Progress | None = None,
    ) -> ImportSummary:
        check_bundle(bundle)
        total = bundle.row_count
        done = 0
        with self._write() as state:
            if into_profile is None:
                profile_id = state.new_id("profiles")
                state.profiles[profile_id] = ProfilePublic.model_construct(
                    id=profile_id, owner=owner, **bundle.profile.model_dump()
                )
            else:
                self._require_profile(state, into_profile)
                profile_id = into_profile
            done += 1
            if progress is not None:
                progress(done, total)

            def add(
                rows: Sequence[BaseModel],
                table: str,
                model: type[R],
                target: dict[int, R],
                **refs: dict[int, int],
            ) -> dict[int, int]:
                nonlocal done
                mapping: dict[int, int] = {}
                for row in rows:
                    values = row.model_dump()
                    old_id = values.pop("id")
                    for name, ids in refs.items():
                        if values.get(name) is not None:
                            values[name] = ids[values[name]]
                    new_id = state.new_id(table)
                    target[new_id] = model.model_construct(
                        id=new_id, profile_id=profile_id, **values
                    )
                    mapping[old_id] = new_id
                    done += 1
                    if progress is not None and done % 1000 == 0:
                        progress(done, total)
                if progress is not None and rows:
                    progress(done, total)
                return mapping

            episodes = add(bundle.episodes, "episodes", EpisodePublic, state.episodes)
            treatments = add(
                bundle.treatments,
                "treatments",
                TreatmentPublic,
                state.treatments,
                episode_id=episodes,
            )
            add(bundle.doses, "doses", DosePublic, state.doses, treatment_id=treatments)
            add(
                bundle.triage_results,
                "triage",
                TriageRecordPublic,
                state.triage,
                episode_id=episodes,
            )
            add(
                bundle.scale_results, "scales", ScaleRecordPublic, state.scales, episode_id=episodes
            )
        return ImportSummary(
            profile_id=profile_id,
            created_profile=into_profile is None,
            counts={
                "episodes": len(bundle.episodes),
                "treatments": len(bundle.treatments),
                "doses": len(bundle.doses),
                "triage_results": len(bundle.triage_results),
                "scale_results": len(bundle.scale_results),
            },
        )
