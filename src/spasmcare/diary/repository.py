"""The diary's storage: one SQL repository (SQLite and PostgreSQL, SQLAlchemy Core), with one
generic store per kind of record (``repo.episodes.create(profile_id, EpisodeCreate(...))``).

Every method that touches a person's records takes the profile id, and a record asked for under the
wrong profile is reported as not found (:class:`~spasmcare.errors.NotFoundError`), exactly as if it did
not exist: one person can never read another's diary through this interface. Every write is one
transaction: it happens completely or not at all (writes start with ``BEGIN IMMEDIATE`` on SQLite, see
:mod:`.db`).

Lists are newest first and paged with ``limit`` (1 to :data:`MAX_LIMIT`) and ``offset``; ``since`` and
``until`` select by the record's own time (``started_at`` or ``taken_at``), ``since`` inclusive and
``until`` exclusive. Rows are turned into the ``Public`` schemas without validating them again: only
validated data is ever written here.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from functools import cache
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar

from pydantic import BaseModel
from sqlalchemy import (
    JSON,
    ColumnElement,
    Connection,
    Engine,
    Float,
    RowMapping,
    Select,
    Table,
    bindparam,
    delete,
    exists,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, IntegrityError

from spasmcare.diary import tables
from spasmcare.diary.db import default_url, ready_engine, storage_error, write_engine
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
from spasmcare.diary.tables import JsonType, UTCDateTime
from spasmcare.diary.times import utc_now
from spasmcare.errors import ConflictError, InputError, NotFoundError, Problem
from spasmcare.safejson import find_unsafe

if TYPE_CHECKING:  # the whole-diary shapes load when first used (not for `spasmcare log`)
    from spasmcare.diary.records import (
        Dashboard,
        DiaryBundle,
        DiarySnapshot,
        ImportSummary,
        Progress,
    )

__all__ = [
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "Clock",
    "DiaryRepository",
    "ProfileStore",
    "Store",
    "check_page",
    "check_times",
    "open_repository",
]

DEFAULT_LIMIT = 50
MAX_LIMIT = 1000
CHUNK = 1000

Clock = Callable[[], datetime]

C = TypeVar("C", bound=BaseModel)
U = TypeVar("U", bound=BaseModel)
P = TypeVar("P", bound=BaseModel)
M = TypeVar("M", bound=BaseModel)


PROFILES, EPISODES, TREATMENTS = tables.profiles, tables.episodes, tables.treatments
DOSES, TRIAGE, SCALES = tables.doses, tables.triage_results, tables.scale_results


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


def _no_profile(profile_id: int) -> NotFoundError:
    return NotFoundError(f"no profile {profile_id}", [Problem("profile_id", str(profile_id))])


def _not_found(kind: str, record_id: int) -> NotFoundError:
    """The error for a record that does not exist or belongs to another profile (indistinguishable)."""
    return NotFoundError(
        f"no {kind} {record_id} in this diary", [Problem(f"{kind}_id", f"{record_id}")]
    )


def _missing_episode(episode_id: int) -> InputError:
    return InputError(
        "episode_id does not refer to one of this diary's records",
        [
            Problem(
                "episode_id",
                f"no episode {episode_id} in this diary",
                "the id of one of this profile's episodes",
            )
        ],
    )


def _public(model: type[M], row: RowMapping | Mapping[str, Any]) -> M:
    return model.model_construct(**{name: row[name] for name in model.model_fields})


@cache
def _checked_columns(table: Table) -> tuple[str, ...]:
    """The columns of ``table`` that hold floating-point numbers or JSON."""
    return tuple(c.name for c in table.columns if isinstance(c.type, Float | JSON | JsonType))


def _refuse_unsafe(table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Raise :class:`InputError` if a row holds a number that is not finite (NaN, infinity), in a
    number column or inside JSON: the storage's own guard, whatever the caller checked. SQLite
    would keep NaN as NULL and PostgreSQL's JSON cannot hold it; either breaks reading later."""
    names = _checked_columns(table)
    for row in rows:
        for name in names:
            value = row.get(name)
            if value is None or isinstance(value, int | str):
                continue
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                continue
            if isinstance(value, float):
                found = [] if math.isfinite(value) else [Problem("", f"{value!r} is not finite")]
            else:
                found = find_unsafe(value)
            if found:
                raise InputError(
                    "the diary stores only finite numbers",
                    [Problem(name, found[0].message, "a finite number (not NaN or Infinity)")],
                )


def _reserve_ids(conn: Connection, table: Table, count: int) -> list[int] | None:
    """Ids for ``count`` new rows, so a bulk insert needs no RETURNING (much faster).

    PostgreSQL hands them out from the table's sequence; on SQLite the write transaction holds the
    database lock, so the next ids after the largest ever used are free. Other databases: ``None``.
    """
    if count == 0:
        return []
    name = conn.dialect.name
    if name == "postgresql":
        query = text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)")
        return [int(v) for v in conn.execute(query, {"t": table.name, "n": count}).scalars()]
    if name == "sqlite":
        used = conn.execute(
            text("SELECT seq FROM sqlite_sequence WHERE name = :t"), {"t": table.name}
        ).scalar()
        top = conn.execute(select(func.max(table.c.id))).scalar()
        first = max(int(used or 0), int(top or 0)) + 1
        return list(range(first, first + count))
    return None


@cache
def _dashboard_statements() -> tuple[Select[Any], Select[Any], Select[Any]]:
    """The dashboard's three statements, built once with bound parameters (p, now, d7, d30, d365,
    h24). Every count is answered from the (profile_id, time) indexes."""
    e = EPISODES
    mine = e.c.profile_id == bindparam("p")
    now = bindparam("now", type_=UTCDateTime())

    def since(name: str) -> Any:
        return bindparam(name, type_=UTCDateTime())

    def episodes_since(name: str) -> Any:
        query = select(func.count()).select_from(e)
        return query.where(
            mine, e.c.started_at >= since(name), e.c.started_at <= now
        ).scalar_subquery()

    summary = select(
        select(func.count()).select_from(e).where(mine).scalar_subquery().label("total"),
        episodes_since("d7").label("d7"),
        episodes_since("d30").label("d30"),
        episodes_since("d365").label("d365"),
        select(func.count())
        .select_from(e)
        .where(mine, e.c.ended_at.is_(None))
        .scalar_subquery()
        .label("open"),
        select(func.avg(e.c.worst_pain))
        .where(mine, e.c.started_at >= since("d30"), e.c.started_at <= now)
        .scalar_subquery()
        .label("pain30"),
        select(func.count())
        .select_from(DOSES)
        .where(
            DOSES.c.profile_id == bindparam("p"),
            DOSES.c.taken_at >= since("h24"),
            DOSES.c.taken_at <= now,
        )
        .scalar_subquery()
        .label("doses24"),
        exists().where(PROFILES.c.id == bindparam("p")).label("known"),
    )
    latest_episode = (
        select(*(e.c[n] for n in EpisodePublic.model_fields))
        .where(mine)
        .order_by(e.c.started_at.desc(), e.c.id.desc())
        .limit(1)
    )
    latest_triage = (
        select(*(TRIAGE.c[n] for n in TriageRecordPublic.model_fields))
        .where(TRIAGE.c.profile_id == bindparam("p"))
        .order_by(TRIAGE.c.taken_at.desc(), TRIAGE.c.id.desc())
        .limit(1)
    )
    return summary, latest_episode, latest_triage


class Store(Generic[C, U, P]):
    """Create, read, change, delete and list one kind of record, always within one profile.

    ``create`` checks that the profile exists and that an ``episode_id`` names one of its episodes;
    ``update`` applies the given fields to the stored record and validates the result as a whole
    (see :func:`~spasmcare.diary.schemas.merged`). Subclasses add the rules of their kind.
    """

    def __init__(
        self,
        repo: DiaryRepository,
        table: Table,
        kind: str,
        create_model: type[C],
        public_model: type[P],
        time_column: str,
        filters: Mapping[str, Callable[[Any], ColumnElement[bool]]] | None = None,
    ) -> None:
        self._repo = repo
        self.table = table
        self.kind = kind
        self.create_model = create_model
        self.public_model = public_model
        self.time_column = time_column
        self.filters = dict(filters or {})

    # the rules of a kind (overridden where one lives) -------------------------------------------
    def _columns(self, data: C) -> dict[str, Any]:
        """Columns stored besides the record's own fields."""
        return {}

    def _check_links(self, conn: Connection, profile_id: int, data: BaseModel) -> None:
        """An ``episode_id`` given must name one of this profile's episodes."""
        episode_id = getattr(data, "episode_id", None)
        if episode_id is None:
            return
        query = select(EPISODES.c.id).where(
            EPISODES.c.id == episode_id, EPISODES.c.profile_id == profile_id
        )
        if conn.execute(query).first() is None:
            raise _missing_episode(episode_id)

    def _check_change(self, current: RowMapping) -> None:
        """Raise when the stored record may not be changed or deleted directly."""

    def _changes(
        self, conn: Connection, profile_id: int, current: RowMapping, data: U
    ) -> dict[str, Any]:
        new = merged(self.create_model, _public(self.public_model, current), data)
        self._check_links(conn, profile_id, new)
        return new.model_dump()

    def _written(self, conn: Connection, row: RowMapping) -> None:
        """Called after a row was inserted or updated, in the same transaction."""

    # the operations ---------------------------------------------------------------------------------
    def _one(self, conn: Connection, profile_id: int, record_id: int) -> RowMapping:
        table = self.table
        query = select(table).where(table.c.id == record_id, table.c.profile_id == profile_id)
        row = conn.execute(query).mappings().first()
        if row is None:
            raise _not_found(self.kind, record_id)
        return row

    def _add(self, conn: Connection, profile_id: int, data: C) -> RowMapping:
        self._check_links(conn, profile_id, data)
        values = {**data.model_dump(), **self._columns(data), "profile_id": profile_id}
        row = self._repo._insert(conn, self.table, self._repo._stamp(values, new=True))
        self._written(conn, row)
        return row

    def create(self, profile_id: int, data: C) -> P:
        with self._repo._tx(write=True) as conn:
            self._repo._require_profile(conn, profile_id)
            row = self._add(conn, profile_id, data)
        return _public(self.public_model, row)

    def get(self, profile_id: int, record_id: int) -> P:
        with self._repo._tx(write=False) as conn:
            return _public(self.public_model, self._one(conn, profile_id, record_id))

    def update(self, profile_id: int, record_id: int, data: U) -> P:
        """Change the fields given in ``data``; a field given as ``None`` is cleared."""
        with self._repo._tx(write=True) as conn:
            current = self._one(conn, profile_id, record_id)
            self._check_change(current)
            values = self._repo._stamp(self._changes(conn, profile_id, current, data), new=False)
            row = self._repo._update(conn, self.table, record_id, values)
            self._written(conn, row)
        return _public(self.public_model, row)

    def delete(self, profile_id: int, record_id: int) -> None:
        with self._repo._tx(write=True) as conn:
            self._check_change(self._one(conn, profile_id, record_id))
            conn.execute(delete(self.table).where(self.table.c.id == record_id))

    def list(
        self,
        profile_id: int,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = DEFAULT_LIMIT,
        offset: int = 0,
        **where: Any,
    ) -> Page[P]:
        """One page, newest first; ``where`` takes this kind's filters (``None``: not filtered)."""
        check_page(limit, offset)
        check_times(since=since, until=until)
        table = self.table
        when = table.c[self.time_column]
        clauses = [table.c.profile_id == profile_id]
        for name, value in where.items():
            if name not in self.filters:
                raise TypeError(f"{self.kind} lists cannot be filtered by {name!r}")
            if value is not None:
                clauses.append(self.filters[name](value))
        if since is not None:
            clauses.append(when >= since)
        if until is not None:
            clauses.append(when < until)
        with self._repo._tx(write=False) as conn:
            self._repo._require_profile(conn, profile_id)
            total = conn.execute(
                select(func.count()).select_from(table).where(*clauses)
            ).scalar_one()
            rows = conn.execute(
                select(table)
                .where(*clauses)
                .order_by(when.desc(), table.c.id.desc())
                .limit(limit)
                .offset(offset)
            ).mappings()
            items = [_public(self.public_model, r) for r in rows]
        return Page[self.public_model](  # type: ignore[name-defined]
            items=items, total=total, limit=limit, offset=offset
        )


class _EpisodeStore(Store[EpisodeCreate, EpisodeUpdate, EpisodePublic]):
    def create(
        self, profile_id: int, data: EpisodeCreate, treatments: Sequence[TreatmentCreate] = ()
    ) -> EpisodePublic:
        """Store an episode and, in the same transaction, the treatments tried for it."""
        with self._repo._tx(write=True) as conn:
            self._repo._require_profile(conn, profile_id)
            row = self._add(conn, profile_id, data)
            for treatment in treatments:
                linked = treatment.model_copy(update={"episode_id": row["id"]})
                self._repo.treatments._add(conn, profile_id, linked)
        return _public(EpisodePublic, row)


class _TreatmentStore(Store[TreatmentCreate, TreatmentUpdate, TreatmentPublic]):
    """A medicine treatment with ``dose_mg`` records its dose; the dose follows the treatment
    (changed, added or removed) and is deleted with it."""

    def _written(self, conn: Connection, row: RowMapping) -> None:
        linked = select(DOSES.c.id).where(DOSES.c.treatment_id == row["id"])
        dose_id = conn.execute(linked).scalar_one_or_none()
        if row["kind"] != "medicine" or row["dose_mg"] is None:
            if dose_id is not None:
                conn.execute(delete(DOSES).where(DOSES.c.id == dose_id))
            return
        values = {
            "medicine": row["medicine"],
            "amount_mg": row["dose_mg"],
            "taken_at": row["started_at"],
        }
        repo = self._repo
        if dose_id is None:
            extra = {"profile_id": row["profile_id"], "treatment_id": row["id"], "notes": ""}
            repo._insert(conn, DOSES, repo._stamp({**values, **extra}, new=True))
        else:
            repo._update(conn, DOSES, dose_id, repo._stamp(values, new=False))


class _DoseStore(Store[DoseCreate, DoseUpdate, DosePublic]):
    """A dose recorded by a medicine treatment changes only through the treatment."""

    def _columns(self, data: DoseCreate) -> dict[str, Any]:
        return {"treatment_id": None}

    def _check_change(self, current: RowMapping) -> None:
        treatment_id = current["treatment_id"]
        if treatment_id is not None:
            raise ConflictError(
                f"dose {current['id']} was recorded with treatment {treatment_id}",
                [Problem("treatment_id", f"change or delete treatment {treatment_id} instead")],
            )


R = TypeVar("R", TriageRecordCreate, ScaleRecordCreate)
RU = TypeVar("RU", TriageRecordUpdate, ScaleRecordUpdate)
RP = TypeVar("RP", TriageRecordPublic, ScaleRecordPublic)


class _ResultStore(Store[R, RU, RP]):
    """A triage or scale result is a record of what was given: only its notes and its episode
    link change. A triage result also stores its disposition, rules and knowledge version in
    columns of their own."""

    def _columns(self, data: R) -> dict[str, Any]:
        if isinstance(data, TriageRecordCreate):
            return _triage_columns(data)
        return {}

    def _changes(
        self, conn: Connection, profile_id: int, current: RowMapping, data: RU
    ) -> dict[str, Any]:
        values = data.model_dump(include=data.model_fields_set)
        if values.get("notes", "") is None:
            values["notes"] = ""
        self._check_links(conn, profile_id, data)
        return values


def _triage_columns(data: TriageRecordCreate) -> dict[str, Any]:
    return {
        "disposition": data.disposition,
        "rules_fired": data.rules_fired,
        "knowledge_version": data.knowledge_version,
    }


class ProfileStore:
    """The people whose diaries these are; deleting a profile deletes every record it owns."""

    def __init__(self, repo: DiaryRepository) -> None:
        self._repo = repo

    def create(self, data: ProfileCreate) -> ProfilePublic:
        repo = self._repo
        values = data.model_dump()
        values["age_recorded_at"] = repo._clock() if data.age is not None else None
        with repo._tx(write=True) as conn:
            row = repo._insert(conn, PROFILES, repo._stamp(values, new=True))
        return _public(ProfilePublic, row)

    def get(self, profile_id: int) -> ProfilePublic:
        with self._repo._tx(write=False) as conn:
            query = select(PROFILES).where(PROFILES.c.id == profile_id)
            row = conn.execute(query).mappings().first()
        if row is None:
            raise _no_profile(profile_id)
        return _public(ProfilePublic, row)

    def update(self, profile_id: int, data: ProfileUpdate) -> ProfilePublic:
        repo = self._repo
        values = data.model_dump(include=data.model_fields_set)
        if values.get("name", "") is None:
            del values["name"]
        for listed in ("conditions", "medicines"):
            if listed in values and values[listed] is None:
                values[listed] = []
        if "age" in values:
            values["age_recorded_at"] = repo._clock() if values["age"] is not None else None
        with repo._tx(write=True) as conn:
            repo._require_profile(conn, profile_id)
            row = repo._update(conn, PROFILES, profile_id, repo._stamp(values, new=False))
        return _public(ProfilePublic, row)

    def delete(self, profile_id: int) -> None:
        with self._repo._tx(write=True) as conn:
            self._repo._require_profile(conn, profile_id)
            conn.execute(delete(PROFILES).where(PROFILES.c.id == profile_id))

    def list(
        self, *, owner: str | None = None, limit: int = DEFAULT_LIMIT, offset: int = 0
    ) -> Page[ProfilePublic]:
        """Profiles oldest first; with ``owner``, only that account's."""
        check_page(limit, offset)
        clauses = [] if owner is None else [PROFILES.c.owner == owner]
        with self._repo._tx(write=False) as conn:
            total = conn.execute(
                select(func.count()).select_from(PROFILES).where(*clauses)
            ).scalar_one()
            rows = conn.execute(
                select(PROFILES).where(*clauses).order_by(PROFILES.c.id).limit(limit).offset(offset)
            ).mappings()
            items = [_public(ProfilePublic, r) for r in rows]
        return Page[ProfilePublic](items=items, total=total, limit=limit, offset=offset)


class DiaryRepository:
    """The diary in an SQL database; open it with :func:`open_repository`. Use as a context
    manager, or call :meth:`close` when done.

    One store per kind of record: :attr:`profiles`, :attr:`episodes`, :attr:`treatments`,
    :attr:`doses`, :attr:`triage_records` and :attr:`scale_records`, each with ``create``, ``get``,
    ``update``, ``delete`` and ``list``.
    """

    def __init__(self, engine: Engine, *, clock: Clock = utc_now) -> None:
        self.engine = engine
        self._writer = write_engine(engine)
        self._clock = clock
        self.profiles = ProfileStore(self)
        self.episodes = _EpisodeStore(
            self, EPISODES, "episode", EpisodeCreate, EpisodePublic, "started_at"
        )
        self.treatments = _TreatmentStore(
            self,
            TREATMENTS,
            "treatment",
            TreatmentCreate,
            TreatmentPublic,
            "started_at",
            {"episode_id": lambda value: TREATMENTS.c.episode_id == value},
        )
        self.doses = _DoseStore(
            self,
            DOSES,
            "dose",
            DoseCreate,
            DosePublic,
            "taken_at",
            {"medicine": lambda value: DOSES.c.medicine == value.strip().lower()},
        )
        self.triage_records: _ResultStore[
            TriageRecordCreate, TriageRecordUpdate, TriageRecordPublic
        ] = _ResultStore(
            self, TRIAGE, "triage_result", TriageRecordCreate, TriageRecordPublic, "taken_at"
        )
        self.scale_records: _ResultStore[
            ScaleRecordCreate, ScaleRecordUpdate, ScaleRecordPublic
        ] = _ResultStore(
            self,
            SCALES,
            "scale_result",
            ScaleRecordCreate,
            ScaleRecordPublic,
            "taken_at",
            {"scale": lambda value: SCALES.c.scale == value},
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    # transactions and rows (for the stores) ------------------------------------------------------
    @contextmanager
    def _tx(self, write: bool) -> Iterator[Connection]:
        try:
            with (self._writer if write else self.engine).begin() as conn:
                yield conn
        except IntegrityError as exc:
            raise ConflictError(
                "the change conflicts with the stored diary (a linked record was changed or removed)",
                [Problem("database", type(exc.orig).__name__, "try again")],
            ) from exc
        except DBAPIError as exc:
            raise storage_error(exc, "write to the diary" if write else "read the diary") from exc

    @staticmethod
    def _require_profile(conn: Connection, profile_id: int) -> None:
        if conn.execute(select(PROFILES.c.id).where(PROFILES.c.id == profile_id)).first() is None:
            raise _no_profile(profile_id)

    @staticmethod
    def _insert(conn: Connection, table: Table, values: dict[str, Any]) -> RowMapping:
        _refuse_unsafe(table, [values])
        return conn.execute(insert(table).values(**values).returning(*table.c)).mappings().one()

    @staticmethod
    def _update(
        conn: Connection, table: Table, record_id: int, values: dict[str, Any]
    ) -> RowMapping:
        _refuse_unsafe(table, [values])
        query = update(table).where(table.c.id == record_id).values(**values).returning(*table.c)
        return conn.execute(query).mappings().one()

    def _stamp(self, values: dict[str, Any], *, new: bool) -> dict[str, Any]:
        now = self._clock()
        values["updated_at"] = now
        if new:
            values["created_at"] = now
        return values

    # queries across records -------------------------------------------------------------------------
    def doses_between(self, profile_id: int, start: datetime, end: datetime) -> list[DosePublic]:
        """Every dose taken from ``start`` (inclusive) to ``end`` (exclusive), oldest first.

        The care plan uses this for the daily acetaminophen limit and the 72-hour muscle-relaxant
        check.
        """
        check_times(start=start, end=end)
        query = (
            select(DOSES)
            .where(
                DOSES.c.profile_id == profile_id, DOSES.c.taken_at >= start, DOSES.c.taken_at < end
            )
            .order_by(DOSES.c.taken_at, DOSES.c.id)
        )
        with self._tx(write=False) as conn:
            self._require_profile(conn, profile_id)
            return [_public(DosePublic, r) for r in conn.execute(query).mappings()]

    # whole diary -----------------------------------------------------------------------------------
    def snapshot(self, profile_id: int, *, since: datetime | None = None) -> DiarySnapshot:
        """The profile and all its records (from ``since``), oldest first, read consistently."""
        from spasmcare.diary.records import DiarySnapshot

        check_times(since=since)

        def rows(model: type[P], table: Table, column: str) -> list[P]:
            when = table.c[column]
            names = tuple(model.model_fields)
            query: Select[Any] = select(*(table.c[n] for n in names))
            query = query.where(table.c.profile_id == profile_id)
            if since is not None:
                query = query.where(when >= since)
            query = query.order_by(when, table.c.id)
            return [
                model.model_construct(**dict(zip(names, r, strict=True)))
                for r in conn.execute(query)
            ]

        with self._tx(write=False) as conn:
            row = (
                conn.execute(select(PROFILES).where(PROFILES.c.id == profile_id)).mappings().first()
            )
            if row is None:
                raise _no_profile(profile_id)
            return DiarySnapshot(
                profile=_public(ProfilePublic, row),
                episodes=rows(EpisodePublic, EPISODES, "started_at"),
                treatments=rows(TreatmentPublic, TREATMENTS, "started_at"),
                doses=rows(DosePublic, DOSES, "taken_at"),
                triage_records=rows(TriageRecordPublic, TRIAGE, "taken_at"),
                scale_records=rows(ScaleRecordPublic, SCALES, "taken_at"),
            )

    def dashboard(self, profile_id: int, now: datetime) -> Dashboard:
        """Counts, the latest episode and triage, and recent pain: the home-screen summary."""
        from spasmcare.diary.records import Dashboard

        check_times(now=now)
        summary, latest_episode, latest_triage = _dashboard_statements()
        params = {
            "p": profile_id,
            "now": now,
            "d7": now - timedelta(days=7),
            "d30": now - timedelta(days=30),
            "d365": now - timedelta(days=365),
            "h24": now - timedelta(hours=24),
        }
        with self._tx(write=False) as conn:
            counts = conn.execute(summary, params).mappings().one()
            if not counts["known"]:
                raise _no_profile(profile_id)
            episode = conn.execute(latest_episode, params).mappings().first()
            triage = conn.execute(latest_triage, params).mappings().first()
        pain = counts["pain30"]
        return Dashboard(
            profile_id=profile_id,
            now=now,
            episodes_total=counts["total"],
            episodes_last_7_days=counts["d7"],
            episodes_last_30_days=counts["d30"],
            episodes_last_365_days=counts["d365"],
            open_episodes=counts["open"],
            mean_worst_pain_30_days=None if pain is None else round(float(pain), 2),
            doses_last_24_hours=counts["doses24"],
            latest_episode=None if episode is None else _public(EpisodePublic, episode),
            latest_triage=None if triage is None else _public(TriageRecordPublic, triage),
        )

    def export_bundle(self, profile_id: int, progress: Progress | None = None) -> DiaryBundle:
        """The whole diary with file-local ids (see :mod:`spasmcare.diary.records`)."""
        from spasmcare.diary.records import bundle_from_snapshot

        return bundle_from_snapshot(self.snapshot(profile_id), progress)

    def import_bundle(
        self,
        bundle: DiaryBundle,
        *,
        into_profile: int | None = None,
        owner: str | None = None,
        progress: Progress | None = None,
    ) -> ImportSummary:
        """Write a bundle in one transaction: into a new profile, or add to ``into_profile``.

        The bundle's internal links are checked first (:func:`~spasmcare.diary.records.check_bundle`);
        nothing is written when anything fails.
        """
        from spasmcare.diary.records import ImportSummary, check_bundle, progress_ticker

        check_bundle(bundle)
        total = bundle.row_count
        tick = progress_ticker(progress, total)

        def insert_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> list[int]:
            _refuse_unsafe(table, rows)
            reserved = _reserve_ids(conn, table, len(rows))
            ids: list[int] = []
            for start in range(0, len(rows), CHUNK):
                chunk = rows[start : start + CHUNK]
                if reserved is None:  # another database: INSERT ... RETURNING, in order
                    query = insert(table).returning(table.c.id, sort_by_parameter_order=True)
                    ids.extend(conn.execute(query, chunk).scalars().all())
                else:
                    new_ids = reserved[start : start + CHUNK]
                    for values, new_id in zip(chunk, new_ids, strict=True):
                        values["id"] = new_id
                    conn.execute(insert(table), chunk)
                    ids.extend(new_ids)
                tick(len(chunk))
            return ids

        with self._tx(write=True) as conn:
            if into_profile is None:
                profile = bundle.profile.model_dump()
                profile_id = self._insert(conn, PROFILES, {**profile, "owner": owner})["id"]
            else:
                self._require_profile(conn, into_profile)
                profile_id = into_profile
            tick(1)

            def rows_of(
                models: Sequence[BaseModel], **refs: dict[int, int]
            ) -> list[dict[str, Any]]:
                out = []
                for model in models:
                    values = model.model_dump(exclude={"id"})
                    values["profile_id"] = profile_id
                    for field, mapping in refs.items():
                        if values.get(field) is not None:
                            values[field] = mapping[values[field]]
                    out.append(values)
                return out

            episode_ids = dict(
                zip(
                    (e.id for e in bundle.episodes),
                    insert_rows(conn, EPISODES, rows_of(bundle.episodes)),
                    strict=True,
                )
            )
            treatment_ids = dict(
                zip(
                    (t.id for t in bundle.treatments),
                    insert_rows(
                        conn, TREATMENTS, rows_of(bundle.treatments, episode_id=episode_ids)
                    ),
                    strict=True,
                )
            )
            insert_rows(conn, DOSES, rows_of(bundle.doses, treatment_id=treatment_ids))
            triage_rows = rows_of(bundle.triage_results, episode_id=episode_ids)
            for values, record in zip(triage_rows, bundle.triage_results, strict=True):
                values.update(_triage_columns(record))
            insert_rows(conn, TRIAGE, triage_rows)
            insert_rows(conn, SCALES, rows_of(bundle.scale_results, episode_id=episode_ids))
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


def open_repository(url: str | URL | None = None, *, clock: Clock | None = None) -> DiaryRepository:
    """Open the diary at ``url`` (default: :func:`~spasmcare.diary.db.default_url`), ready to use.

    A new or empty SQLite file is set up automatically. Any other database must be at the newest
    schema; otherwise a :class:`StorageError` says to run ``spasmcare db upgrade``.
    """
    engine = ready_engine(url if url is not None else default_url())
    return DiaryRepository(engine, clock=clock or utc_now)
