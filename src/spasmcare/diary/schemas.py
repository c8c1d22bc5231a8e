"""Pydantic schemas of the diary, one family per entity: ``Create``, ``Update`` and ``Public``.

The command line and the REST API share these. Values are checked with ranges (pain and relief 0-10,
spasm frequency 0-4 as in the Penn Spasm Frequency Scale) and every time must carry a time zone; times
are converted to UTC. ``Update`` models are partial: only the fields given are changed, and a field
given as ``null`` is cleared when it may be empty. :func:`validate` turns pydantic's errors (with :func:`~spasmcare.errors.problems_from_validation`) into an
:class:`~spasmcare.errors.InputError` whose problems name the field, the bad value and what is allowed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any, Generic, Literal, Protocol, Self, TypeVar, get_args

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
    ValidationError,
    model_validator,
)

from spasmcare.diary.times import as_utc
from spasmcare.errors import InputError, Problem, problems_from_validation
from spasmcare.knowledge.body import Region, Sex
from spasmcare.safejson import find_unsafe

__all__ = [
    "AHEAD",
    "DISPOSITIONS",
    "EARLIEST",
    "TREATMENT_KINDS",
    "DoseCreate",
    "DosePublic",
    "DoseUpdate",
    "EpisodeCreate",
    "EpisodePublic",
    "EpisodeUpdate",
    "Page",
    "ProfileCreate",
    "ProfilePublic",
    "ProfileUpdate",
    "ScaleRecordCreate",
    "ScaleRecordPublic",
    "ScaleRecordUpdate",
    "TreatmentCreate",
    "TreatmentKind",
    "TreatmentPublic",
    "TreatmentUpdate",
    "TriageRecordCreate",
    "TriageRecordPublic",
    "TriageRecordUpdate",
    "check_day",
    "validate",
]

DISPOSITIONS = ("emergency", "urgent", "soon", "self_care")
TreatmentKind = Literal[
    "heat", "cold", "stretch", "exercise", "massage", "rest", "medicine", "other"
]
TREATMENT_KINDS: tuple[str, ...] = get_args(TreatmentKind)
MAX_JSON_CHARS = 100_000
JSON_DEPTH = 32
"""Deepest nesting inside a stored JSON object (an intake, a result, scale responses)."""


EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
"""The earliest time the diary accepts."""
AHEAD = timedelta(days=1)
"""How far ahead of now the diary accepts a time (clocks and time zones differ)."""
TIME_RANGE = "a time from 1900-01-01 to one day from now"


def _in_range(value: datetime) -> datetime:
    """Refuse times before 1900 or more than a day ahead: nothing real is recorded there, and
    charts, reports and exports of such dates do unbounded work or fail."""
    if value < EARLIEST:
        raise ValueError(f"{value:%Y-%m-%d} is before 1900 (allowed: {TIME_RANGE})")
    if value > datetime.now(UTC) + AHEAD:
        raise ValueError(f"{value:%Y-%m-%d} is in the future (allowed: {TIME_RANGE})")
    return value


def check_day(day: date, path: str, today: date) -> date:
    """A calendar day given as input (a report period): from 1900-01-01 to ``today`` + 1 day;
    :class:`InputError` naming ``path`` otherwise."""
    if not EARLIEST.date() <= day <= today + AHEAD:
        raise InputError(
            "the date is out of range",
            [Problem(path, f"{day.isoformat()} is out of range", f"1900-01-01 to {today + AHEAD}")],
        )
    return day


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Control characters other than tab, line feed and carriage return. Python counts U+001C to U+001F
as white space and pydantic does not, so they used to be stored as empty text that the diary's own
export could not import; PostgreSQL refuses U+0000; FHIR strings allow none of them."""
NO_CONTROLS = "text without control characters (tabs and line breaks are fine)"


def _no_controls(value: str) -> str:
    found = _CONTROL.search(value)
    if found is not None:
        raise ValueError(
            f"contains the control character U+{ord(found.group()):04X} (allowed: {NO_CONTROLS})"
        )
    return value


def _cleaned(value: str, limit: int) -> str:
    if not value:
        raise ValueError("is blank (allowed: at least 1 character besides spaces)")
    if len(value) > limit:  # lower-casing can lengthen text: 'İ' is 'i' and a combining dot
        raise ValueError(f"is longer than {limit} characters (allowed: at most {limit} characters)")
    return value


def _clean_text(value: str, limit: int = 100) -> str:
    return _cleaned(" ".join(value.split()), limit)


def _clean_tag(value: str, limit: int = 60) -> str:
    return _cleaned(" ".join(value.split()).lower(), limit)


def _clean_medicine(value: str) -> str:
    return _clean_tag(value, 100)


def _control_in_json(value: Any) -> tuple[str, str] | None:
    """The path and the character of the first control character in a JSON value's text (keys
    and values), or None."""
    stack: list[tuple[Any, str]] = [(value, "")]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            if found := _CONTROL.search(item):
                return where, found.group()
        elif isinstance(item, dict):
            for key, child in item.items():
                sub = f"{where}.{key}" if where else str(key)
                if found := _CONTROL.search(str(key)):
                    return sub, found.group()
                stack.append((child, sub))
        elif isinstance(item, list):
            stack.extend((child, f"{where}[{i}]") for i, child in enumerate(item))
    return None


def _dedupe(values: list[Any]) -> list[Any]:
    return list(dict.fromkeys(values))


def _json_size(value: dict[str, Any]) -> dict[str, Any]:
    found = find_unsafe(value, max_depth=JSON_DEPTH)
    if found:
        first = found[0]
        where = f"{first.path}: " if first.path else ""
        raise ValueError(f"{where}{first.message} (allowed: {first.allowed})")
    control = _control_in_json(value)
    if control is not None:
        where, char = control
        raise ValueError(
            f"{where!r}: contains the control character U+{ord(char):04X} (allowed: {NO_CONTROLS})"
        )
    if len(json.dumps(value, default=str)) > MAX_JSON_CHARS:
        raise ValueError(f"is larger than {MAX_JSON_CHARS} characters of JSON")
    return value


UtcDateTime = Annotated[AwareDatetime, AfterValidator(as_utc), AfterValidator(_in_range)]
Pain = Annotated[StrictInt, Field(ge=0, le=10)]
Milligrams = Annotated[float, Field(gt=0, le=10000, allow_inf_nan=False)]
Score = Annotated[float, Field(ge=-10000, le=10000, allow_inf_nan=False)]
Frequency = Annotated[StrictInt, Field(ge=0, le=4)]
Tag = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=60),
    AfterValidator(_no_controls),
    AfterValidator(_clean_tag),
]
TagList = Annotated[list[Tag], Field(max_length=20), AfterValidator(_dedupe)]
Regions = Annotated[list[Region], Field(min_length=1, max_length=8), AfterValidator(_dedupe)]
MedicineName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100),
    AfterValidator(_no_controls),
    AfterValidator(_clean_medicine),
]
Notes = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=5000), AfterValidator(_no_controls)
]
JsonObject = Annotated[dict[str, Any], AfterValidator(_json_size)]
RecordId = Annotated[StrictInt, Field(ge=1)]
ScaleId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
Label = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=40),
    AfterValidator(_no_controls),
]

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")

_INPUT = ConfigDict(extra="forbid", str_strip_whitespace=False)
_PUBLIC = ConfigDict(extra="forbid", frozen=True, from_attributes=True)


def validate(model: type[M], data: object, path: str = "") -> M:
    """Validate ``data`` as ``model``; raise :class:`InputError` naming every bad field under ``path``."""
    if isinstance(data, BaseModel):
        data = data.model_dump()
    if not isinstance(data, Mapping):
        where = path or "record"
        raise InputError(
            f"{where} must be an object",
            [Problem(where, f"got {type(data).__name__}", "an object with named fields")],
        )
    try:
        return model.model_validate(dict(data))
    except ValidationError as exc:
        raise InputError(
            f"{path or model.__name__} is not valid",
            problems_from_validation(exc, model, path, hints=HINTS),
        ) from exc


HINTS = {
    "string_pattern_mismatch": "lower-case letters, digits and _ (at most 40), starting with a letter"
}
"""What is allowed where pydantic's own words would show a regular expression (scale ids)."""


class Page(BaseModel, Generic[T]):
    """One page of a list, newest first: the items, how many there are in all, and where it starts."""

    model_config = ConfigDict(frozen=True)

    items: list[T]
    total: int
    limit: int
    offset: int


def merged(create: type[M], current: BaseModel, update: BaseModel, path: str = "") -> M:
    """The current record with the update's given fields applied, validated as ``create``.

    A field given as ``None`` is cleared: to ``None`` where that is allowed, to its empty default
    (``[]``, ``""``) for lists and notes; for a required field it is an error.
    """
    data = current.model_dump(include=set(create.model_fields))
    for name, value in update.model_dump(include=update.model_fields_set).items():
        field = create.model_fields.get(name)
        if value is None and field is not None and not field.is_required():
            value = field.get_default(call_default_factory=True)
        data[name] = value
    return validate(create, data, path)


# --- profiles -------------------------------------------------------------------------------------


def _known_conditions(values: list[str]) -> list[str]:
    from spasmcare.knowledge import load_knowledge

    known = load_knowledge().conditions
    bad = [v for v in values if v not in known]
    if bad:
        raise ValueError(f"unknown condition {bad[0]!r}; use one of: {', '.join(known)}")
    return _dedupe(values)


Conditions = Annotated[list[str], Field(max_length=30), AfterValidator(_known_conditions)]
Medicines = Annotated[list[MedicineName], Field(max_length=30), AfterValidator(_dedupe)]
Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100),
    AfterValidator(_no_controls),
    AfterValidator(_clean_text),
]
Owner = Annotated[
    str, StringConstraints(min_length=1, max_length=200), AfterValidator(_no_controls)
]


class ProfileCreate(BaseModel):
    """A person whose diary this is. ``owner`` is the web account that may read it (multi-user mode)."""

    model_config = _INPUT

    name: Name = "me"
    age: Annotated[StrictInt, Field(ge=0, le=120)] | None = None
    sex: Sex | None = None
    conditions: Conditions = Field(default_factory=list)
    medicines: Medicines = Field(default_factory=list)
    owner: Owner | None = None


class ProfileUpdate(BaseModel):
    model_config = _INPUT

    name: Name | None = None
    age: Annotated[StrictInt, Field(ge=0, le=120)] | None = None
    sex: Sex | None = None
    conditions: Conditions | None = None
    medicines: Medicines | None = None
    owner: Owner | None = None


class ProfilePublic(BaseModel):
    """A stored profile. ``age_recorded_at`` is when the age was given, so it can be brought up to date.

    Stored conditions are not checked again on reading, so a profile stays readable when a later
    knowledge base drops a condition.
    """

    model_config = _PUBLIC

    id: int
    name: str
    age: int | None
    sex: Sex | None
    conditions: list[str]
    medicines: list[str]
    owner: str | None
    age_recorded_at: datetime | None
    created_at: datetime
    updated_at: datetime

    def age_at(self, now: datetime) -> int | None:
        """The age now, counting the whole years since it was given (may be a year low)."""
        if self.age is None or self.age_recorded_at is None:
            return None
        years = int((now - self.age_recorded_at).days // 365.2425)
        return self.age + max(years, 0)


# --- episodes -------------------------------------------------------------------------------------


def _end_after_start(start: datetime, end: datetime | None, what: str = "ended_at") -> None:
    if end is not None and end < start:
        raise ValueError(f"{what} is before started_at")


class EpisodeCreate(BaseModel):
    """One spasm episode: when it started and ended (``None``: still going), where, and how bad."""

    model_config = _INPUT

    started_at: UtcDateTime
    ended_at: UtcDateTime | None = None
    regions: Regions
    worst_pain: Pain = Field(
        description="Worst pain in this episode, 0 (none) to 10 (worst possible)."
    )
    spasm_frequency: Frequency | None = Field(
        default=None,
        description="How often spasms came, 0-4 as in the Penn Spasm Frequency Scale: 0 none, 1 only "
        "when touched or moved, 2 less than once an hour, 3 more than once an hour, 4 more than 10 "
        "times an hour.",
    )
    triggers: TagList = Field(default_factory=list, description="What set it off, in your words.")
    suspected_causes: TagList = Field(default_factory=list)
    notes: Notes = ""

    @model_validator(mode="after")
    def _check_end(self) -> Self:
        _end_after_start(self.started_at, self.ended_at)
        return self

    @property
    def ongoing(self) -> bool:
        return self.ended_at is None


class EpisodeUpdate(BaseModel):
    model_config = _INPUT

    started_at: UtcDateTime | None = None
    ended_at: UtcDateTime | None = None
    regions: Regions | None = None
    worst_pain: Pain | None = None
    spasm_frequency: Frequency | None = None
    triggers: TagList | None = None
    suspected_causes: TagList | None = None
    notes: Notes | None = None


class EpisodePublic(EpisodeCreate):
    model_config = _PUBLIC

    id: int
    profile_id: int
    created_at: datetime
    updated_at: datetime


# --- treatments -----------------------------------------------------------------------------------


class TreatmentCreate(BaseModel):
    """Something tried for the spasm, and how much it helped (``relief`` 0 none to 10 complete).

    A ``medicine`` treatment names the medicine; with ``dose_mg`` it also records a dose (see
    :class:`DoseCreate`), which the care plan counts toward daily limits.
    """

    model_config = _INPUT

    kind: TreatmentKind
    started_at: UtcDateTime
    episode_id: RecordId | None = None
    medicine: MedicineName | None = None
    dose_mg: Milligrams | None = None
    relief: Pain | None = Field(default=None, description="Relief it gave, 0 none to 10 complete.")
    duration_minutes: Annotated[StrictInt, Field(ge=1, le=1440)] | None = None
    notes: Notes = ""

    @model_validator(mode="after")
    def _check_medicine(self) -> Self:
        if self.kind == "medicine" and self.medicine is None:
            raise ValueError("medicine is required when kind is 'medicine'")
        if self.kind != "medicine" and (self.medicine is not None or self.dose_mg is not None):
            raise ValueError("medicine and dose_mg are only allowed when kind is 'medicine'")
        return self

    @property
    def label(self) -> str:
        """How the treatment is named in rankings: its kind, or ``medicine: <name>``."""
        return f"medicine: {self.medicine}" if self.kind == "medicine" else self.kind


class TreatmentUpdate(BaseModel):
    model_config = _INPUT

    kind: TreatmentKind | None = None
    started_at: UtcDateTime | None = None
    episode_id: RecordId | None = None
    medicine: MedicineName | None = None
    dose_mg: Milligrams | None = None
    relief: Pain | None = None
    duration_minutes: Annotated[StrictInt, Field(ge=1, le=1440)] | None = None
    notes: Notes | None = None


class TreatmentPublic(TreatmentCreate):
    model_config = _PUBLIC

    id: int
    profile_id: int
    created_at: datetime
    updated_at: datetime


# --- medicine doses -------------------------------------------------------------------------------


class DoseCreate(BaseModel):
    """One dose of a medicine taken, in milligrams (for daily-limit and duration checks)."""

    model_config = _INPUT

    medicine: MedicineName
    amount_mg: Milligrams
    taken_at: UtcDateTime
    notes: Notes = ""


class DoseUpdate(BaseModel):
    model_config = _INPUT

    medicine: MedicineName | None = None
    amount_mg: Milligrams | None = None
    taken_at: UtcDateTime | None = None
    notes: Notes | None = None


class DosePublic(DoseCreate):
    """A stored dose; ``treatment_id`` is set when a medicine treatment recorded it (edit that instead)."""

    model_config = _PUBLIC

    id: int
    profile_id: int
    treatment_id: int | None
    created_at: datetime
    updated_at: datetime


# --- triage results -------------------------------------------------------------------------------


class _HasTriageResult(Protocol):
    def model_dump(self, *, mode: str) -> dict[str, Any]: ...


class TriageRecordCreate(BaseModel):
    """A triage result as it was given: the intake, the full result and the knowledge-base version."""

    model_config = _INPUT

    taken_at: UtcDateTime
    intake: JsonObject
    result: JsonObject
    episode_id: RecordId | None = None
    notes: Notes = ""

    @model_validator(mode="after")
    def _check_result(self) -> Self:
        result = self.result
        if result.get("disposition") not in DISPOSITIONS:
            raise ValueError(
                f"result.disposition {result.get('disposition')!r} is not one of {', '.join(DISPOSITIONS)}"
            )
        version = result.get("knowledge_version")
        if not isinstance(version, str) or not version:
            raise ValueError("result.knowledge_version is missing; it records which rules decided")
        fired = result.get("rules_fired", [])
        if not isinstance(fired, list) or not all(isinstance(r, str) for r in fired):
            raise ValueError("result.rules_fired must be a list of rule ids")
        return self

    @property
    def disposition(self) -> str:
        return str(self.result["disposition"])

    @property
    def knowledge_version(self) -> str:
        return str(self.result["knowledge_version"])

    @property
    def rules_fired(self) -> list[str]:
        return [str(r) for r in self.result.get("rules_fired", [])]

    @classmethod
    def from_result(
        cls,
        intake: Mapping[str, Any] | BaseModel,
        result: _HasTriageResult,
        taken_at: datetime,
        episode_id: int | None = None,
    ) -> TriageRecordCreate:
        """Build from a triage intake and its :class:`~spasmcare.triage.TriageResult`."""
        data = (
            intake.model_dump(mode="json", exclude_none=True)
            if isinstance(intake, BaseModel)
            else dict(intake)
        )
        return validate(
            cls,
            {
                "taken_at": taken_at,
                "intake": data,
                "result": result.model_dump(mode="json"),
                "episode_id": episode_id,
            },
        )


class TriageRecordUpdate(BaseModel):
    """Only the link to an episode and the notes can change; the result itself is a record."""

    model_config = _INPUT

    episode_id: RecordId | None = None
    notes: Notes | None = None


class TriageRecordPublic(TriageRecordCreate):
    model_config = _PUBLIC

    id: int
    profile_id: int
    created_at: datetime
    updated_at: datetime


# --- scale results --------------------------------------------------------------------------------


class _HasScaleResult(Protocol):
    scale: str
    score: float | None
    valid: bool
    band: str | None
    risk: str | None

    def model_dump(self, *, mode: str) -> dict[str, Any]: ...


CODE_GRADED_SCALES = frozenset({"mas"})
"""Scales whose valid result is a grade code, not a score."""


class ScaleRecordCreate(BaseModel):
    """A questionnaire or scale result: the responses, the score, its band or risk, and validity."""

    model_config = _INPUT

    scale: ScaleId
    taken_at: UtcDateTime
    responses: JsonObject
    score: Score | None = None
    valid: StrictBool = True
    band: Label | None = None
    risk: Label | None = None
    result: JsonObject = Field(default_factory=dict)
    episode_id: RecordId | None = None
    notes: Notes = ""

    @model_validator(mode="after")
    def _check_score(self) -> Self:
        # A valid result has a score, except a graded scale (the Modified Ashworth Scale), whose
        # result is a grade code in ``band`` and is never a number.
        if (
            self.valid
            and self.score is None
            and not (self.scale in CODE_GRADED_SCALES and self.band)
        ):
            raise ValueError(
                "score is required when valid is true (a graded scale such as mas needs its grade in band)"
            )
        return self

    @classmethod
    def from_result(
        cls,
        result: _HasScaleResult,
        responses: Mapping[str, Any],
        taken_at: datetime,
        episode_id: int | None = None,
    ) -> ScaleRecordCreate:
        """Build from a :class:`spasmcare.scales.ScaleResult` and the responses that produced it."""
        return validate(
            cls,
            {
                "scale": result.scale,
                "taken_at": taken_at,
                "responses": dict(responses),
                "score": result.score,
                "valid": result.valid,
                "band": result.band,
                "risk": result.risk,
                "result": json.loads(json.dumps(result.model_dump(mode="json"), default=str)),
                "episode_id": episode_id,
            },
        )


class ScaleRecordUpdate(BaseModel):
    """Only the link to an episode and the notes can change; the score itself is a record."""

    model_config = _INPUT

    episode_id: RecordId | None = None
    notes: Notes | None = None


class ScaleRecordPublic(ScaleRecordCreate):
    model_config = _PUBLIC

    id: int
    profile_id: int
    created_at: datetime
    updated_at: datetime
