"""Diary schemas: ranges, time zones, clean-up of free text, and messages that name the field."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spasmcare.diary import (
    DoseCreate,
    EpisodeCreate,
    ProfileCreate,
    ScaleRecordCreate,
    TreatmentCreate,
    TriageRecordCreate,
    validate,
)
from spasmcare.errors import InputError
from tests.diary.factories import at

EPISODE: dict[str, Any] = {
    "started_at": "2026-01-05T08:00:00+01:00",
    "regions": ["lower_back"],
    "worst_pain": 6,
}


def problems(model: type, data: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(InputError) as info:
        validate(model, data)
    return {p.path: f"{p.message} | {p.allowed}" for p in info.value.problems}


def test_a_valid_episode_is_converted_to_utc() -> None:
    ep = validate(
        EpisodeCreate, {**EPISODE, "triggers": ["  Lifting   Boxes ", "lifting boxes", "Cold"]}
    )
    assert ep.started_at == datetime(2026, 1, 5, 7, 0, tzinfo=UTC)
    assert ep.started_at.tzinfo == UTC
    assert ep.triggers == ["lifting boxes", "cold"], "tags are tidied and repeated ones dropped"
    assert ep.ongoing


@pytest.mark.parametrize(
    ("field", "value", "allowed"),
    [
        ("worst_pain", 11, "0 to 10"),
        ("worst_pain", -1, "0 to 10"),
        ("spasm_frequency", 5, "0 to 4"),
        ("regions", ["knee"], "neck"),
        ("regions", [], "at least 1"),
    ],
)
def test_out_of_range_values_name_the_field_and_what_is_allowed(
    field: str, value: object, allowed: str
) -> None:
    found = problems(EpisodeCreate, {**EPISODE, field: value})
    (path,) = found
    assert path.startswith(field)
    assert allowed in found[path]


def test_pain_must_be_a_whole_number_not_text_or_true() -> None:
    for bad in ("7", True, 6.5):
        assert "worst_pain" in problems(EpisodeCreate, {**EPISODE, "worst_pain": bad})


def test_naive_times_are_refused_with_an_example_of_what_works() -> None:
    found = problems(EpisodeCreate, {**EPISODE, "started_at": "2026-01-05T08:00:00"})
    assert "time zone" in found["started_at"] and "+00:00" in found["started_at"]
    found = problems(EpisodeCreate, {**EPISODE, "started_at": datetime(2026, 1, 5, 8)})
    assert "started_at" in found


def test_an_episode_cannot_end_before_it_starts() -> None:
    found = problems(EpisodeCreate, {**EPISODE, "ended_at": "2026-01-05T06:00:00+01:00"})
    assert any("before started_at" in v for v in found.values())


def test_every_problem_is_reported_at_once() -> None:
    found = problems(EpisodeCreate, {"worst_pain": 12, "regions": ["knee"], "colour": "red"})
    assert {"started_at", "worst_pain", "regions[0]", "colour"} <= set(found)


def test_medicine_rules_for_treatments() -> None:
    assert "medicine is required" in " ".join(
        problems(TreatmentCreate, {"kind": "medicine", "started_at": at()}).values()
    )
    assert "only allowed" in " ".join(
        problems(TreatmentCreate, {"kind": "heat", "started_at": at(), "dose_mg": 400}).values()
    )
    ok = validate(
        TreatmentCreate,
        {"kind": "medicine", "medicine": " Ibuprofen ", "dose_mg": 400, "started_at": at()},
    )
    assert ok.medicine == "ibuprofen" and ok.label == "medicine: ibuprofen"
    assert "relief" in problems(TreatmentCreate, {"kind": "heat", "started_at": at(), "relief": 11})


def test_doses_need_a_positive_amount() -> None:
    assert "amount_mg" in problems(DoseCreate, {"medicine": "x", "amount_mg": 0, "taken_at": at()})
    assert "amount_mg" in problems(
        DoseCreate, {"medicine": "x", "amount_mg": 20000, "taken_at": at()}
    )


def test_profile_conditions_come_from_the_knowledge_base() -> None:
    found = problems(ProfileCreate, {"conditions": ["asthma", "astma"]})
    assert "astma" in found["conditions"] and "asthma" in found["conditions"]
    assert validate(ProfileCreate, {"conditions": ["asthma", "asthma"]}).conditions == ["asthma"]
    assert "age" in problems(ProfileCreate, {"age": 121})


def test_a_triage_record_must_say_which_knowledge_base_decided() -> None:
    base: dict[str, Any] = {"taken_at": at(), "intake": {"age": 40}}
    found = problems(TriageRecordCreate, {**base, "result": {"disposition": "soon"}})
    assert "knowledge_version" in " ".join(found.values())
    found = problems(
        TriageRecordCreate,
        {**base, "result": {"disposition": "maybe", "knowledge_version": "1.0.0"}},
    )
    assert "disposition" in " ".join(found.values())
    record = validate(
        TriageRecordCreate,
        {
            **base,
            "result": {
                "disposition": "urgent",
                "knowledge_version": "1.0.0",
                "rules_fired": ["U1"],
            },
        },
    )
    assert (record.disposition, record.knowledge_version, record.rules_fired) == (
        "urgent",
        "1.0.0",
        ["U1"],
    )


def test_scale_records_need_a_score_when_valid_and_a_clean_id() -> None:
    base: dict[str, Any] = {"scale": "nrs", "taken_at": at(), "responses": {}}
    assert "score is required" in " ".join(problems(ScaleRecordCreate, base).values())
    assert validate(ScaleRecordCreate, {**base, "valid": False}).score is None
    found = problems(ScaleRecordCreate, {**base, "scale": "Bad Id", "score": 1})
    assert "lower-case" in found["scale"]
    graded = {"scale": "mas", "taken_at": at(), "responses": {"grade": "2"}}
    assert "score is required" in " ".join(problems(ScaleRecordCreate, graded).values())
    assert validate(ScaleRecordCreate, {**graded, "band": "2"}).score is None


def test_a_non_object_is_refused_clearly() -> None:
    with pytest.raises(InputError) as info:
        validate(EpisodeCreate, ["not", "an", "object"], "episodes[3]")
    assert info.value.problems[0].path == "episodes[3]"


@given(
    pain=st.integers(min_value=0, max_value=10),
    offset_minutes=st.integers(min_value=-14 * 60, max_value=14 * 60),
    hours=st.floats(min_value=0, max_value=1000, allow_nan=False),
)
def test_any_valid_episode_round_trips_through_json(
    pain: int, offset_minutes: int, hours: float
) -> None:
    zone = timezone(timedelta(minutes=offset_minutes))
    start = datetime(2025, 6, 1, 12, tzinfo=zone)
    ep = EpisodeCreate(
        started_at=start,
        ended_at=start + timedelta(hours=hours),
        regions=["neck", "upper_back"],
        worst_pain=pain,
    )
    again = EpisodeCreate.model_validate_json(ep.model_dump_json())
    assert again == ep
    assert again.started_at == start and again.started_at.tzinfo == UTC


def test_a_time_that_cannot_be_converted_to_utc_names_its_field() -> None:
    found = problems(
        EpisodeCreate,
        {"started_at": "0001-01-01T00:30:00+01:00", "regions": ["neck"], "worst_pain": 3},
    )
    assert "too far in the past or future" in found["started_at"]
