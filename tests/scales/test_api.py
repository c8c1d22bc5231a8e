"""The public API other areas depend on: names, frozen results, JSON shape."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

import spasmcare.scales as scales
from spasmcare.errors import NotFoundError
from spasmcare.scales import ScaleResult, get_scale, score


def test_exported_members() -> None:
    assert set(scales.__all__) >= {
        "ScaleResult",
        "Change",
        "score",
        "compare",
        "get_scale",
        "list_scales",
        "parse_questionnaire",
        "run_form",
        "builtin_form",
        "to_form",
    }
    for name in scales.__all__:
        assert hasattr(scales, name), name


def test_each_instrument_module_has_score_and_citation() -> None:
    from spasmcare.scales import mas, ndi, nrs, odi, peg, psfs, rmdq, specific, startback

    for module in (nrs, psfs, peg, specific, mas, odi, rmdq, startback, ndi):
        assert callable(module.score)
        assert module.citation() == get_scale(module.SCALE_ID).citation
        assert len(module.citation()) > 20


def test_result_is_frozen_and_json_ready() -> None:
    result = score("nrs", {"score": 4})
    with pytest.raises(ValidationError, match="frozen"):
        result.score = 5.0  # type: ignore[misc]
    data = result.model_dump(mode="json")
    assert json.loads(json.dumps(data)) == data
    assert set(ScaleResult.model_fields) >= {
        "scale",
        "score",
        "valid",
        "problems",
        "band",
        "risk",
        "subscores",
        "answered",
        "codes",
    }
    assert data["codes"] == [
        {
            "system": "http://loinc.org",
            "code": "72514-3",
            "display": "Pain severity 0-10 numeric rating, reported",
        }
    ]


def test_unknown_scale_is_not_found_with_the_ids() -> None:
    with pytest.raises(NotFoundError) as info:
        get_scale("vas")
    assert (
        info.value.problems[0].allowed
        == "nrs, psfs, peg, specific_function, mas, odi, rmdq, startback, ndi"
    )


def test_scale_to_dict_is_json_ready() -> None:
    for scale in scales.list_scales():
        data = scale.info().model_dump(mode="json")
        assert json.loads(json.dumps(data)) == data
        assert data["licence"]["text"]


def test_core_reads_no_settings_or_clock() -> None:
    """The core is pure: its sources import no config, no datetime.now, no file writes."""
    from importlib import resources

    root = resources.files("spasmcare.scales")
    for entry in root.iterdir():
        if entry.name.endswith(".py"):
            text = entry.read_text("utf-8")
            for banned in (
                "spasmcare.config",
                "datetime.now",
                "time.time(",
                "open(",
                "typer",
                "rich",
            ):
                assert banned not in text, (entry.name, banned)
