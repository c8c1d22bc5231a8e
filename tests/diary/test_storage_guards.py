"""The SQL storage itself refuses numbers that are not finite, even from a caller that skipped
validation: SQLite would store NaN as NULL (a "valid" result without a score, which every later
list, export and report refused), PostgreSQL would store it and JSON could not carry it out."""

from __future__ import annotations

import math
from typing import Any

import pytest

from spasmcare.diary import DiaryRepository, DoseCreate, ScaleRecordCreate
from spasmcare.diary.db import create_engine_for
from spasmcare.errors import InputError
from tests.diary.factories import at, profile

NOT_FINITE = [math.nan, math.inf, -math.inf]


def _scale(**kw: Any) -> ScaleRecordCreate:
    data: dict[str, Any] = {
        "scale": "nrs",
        "taken_at": at(),
        "responses": {"pain": 4},
        "score": 4.0,
        "valid": True,
        "band": None,
        "risk": None,
        "result": {},
        "episode_id": None,
        "notes": "",
    }
    return ScaleRecordCreate.model_construct(**{**data, **kw})


@pytest.mark.parametrize("value", NOT_FINITE, ids=["nan", "inf", "-inf"])
def test_the_sql_storage_refuses_numbers_that_are_not_finite(sql_url: str, value: float) -> None:
    repo = DiaryRepository(create_engine_for(sql_url))
    try:
        me = repo.profiles.create(profile()).id
        for bad, field in (
            (_scale(score=value), "score"),
            (_scale(responses={"pain": value}), "responses"),
            (_scale(result={"deep": [1, {"x": value}]}), "result"),
        ):
            with pytest.raises(InputError) as info:
                repo.scale_records.create(me, bad)
            assert [p.path for p in info.value.problems] == [field]
        dose = DoseCreate.model_construct(
            medicine="ibuprofen", amount_mg=value, taken_at=at(), notes=""
        )
        with pytest.raises(InputError) as info:
            repo.doses.create(me, dose)
        assert [p.path for p in info.value.problems] == ["amount_mg"]
        assert repo.scale_records.list(me).total == 0 and repo.doses.list(me).total == 0
        repo.scale_records.create(me, _scale())  # the storage still works
        assert repo.scale_records.list(me).items[0].score == 4.0
    finally:
        repo.close()
