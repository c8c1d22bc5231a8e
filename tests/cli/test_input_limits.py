"""JSON files given to the command line get the same limits as the API: numbers must be finite,
nesting at most 64 levels, whole numbers at most 30 digits, imports at most 20 MB. Each is exit 2
with a message naming the field, never "Internal error"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spasmcare.api.middleware import IMPORT_BODY_LIMIT
from spasmcare.cli import main


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(args)
    captured = capsys.readouterr()
    code = info.value.code
    return (0 if code is None else int(code)), captured.out, captured.err


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("SPASMCARE_DATA_DIR", str(folder))
    monkeypatch.delenv("SPASMCARE_DATABASE_URL", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    return folder


def exported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert run(["log", "-p", "6", "-w", "neck", "-s", "2h ago"], capsys)[0] == 0
    assert run(["dose", "ibuprofen", "200", "--at", "1h ago"], capsys)[0] == 0
    target = tmp_path / "diary.json"
    assert run(["export", "--out", str(target)], capsys)[0] == 0
    return target.read_text(encoding="utf-8")


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_an_import_file_with_a_number_that_is_not_finite_exits_2_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], literal: str
) -> None:
    data = json.loads(exported(tmp_path, capsys))
    stamp = data["doses"][0]["taken_at"]
    data["scale_results"] = [
        {
            "id": 1,
            "scale": "nrs",
            "taken_at": stamp,
            "responses": {"pain": 5},
            "score": "PLACEHOLDER",
            "result": {},
            "created_at": stamp,
            "updated_at": stamp,
        }
    ]
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(data).replace('"PLACEHOLDER"', literal), encoding="utf-8")
    code, _, err = run(["import", str(broken)], capsys)
    assert code == 2, err
    assert "scale_results[0].score" in err and "Internal error" not in err
    code, _, err = run(["import", "--format", "fhir", str(broken)], capsys)
    assert code == 2 and "scale_results[0].score" in err, err


@pytest.mark.parametrize("fmt", ["json", "fhir"])
@pytest.mark.parametrize("depth", [65, 100_000])
def test_an_import_file_nested_too_deep_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str, depth: int
) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text('{"entry": ' + "[" * depth + "]" * depth + "}", encoding="utf-8")
    code, _, err = run(["import", "--format", fmt, str(deep)], capsys)
    assert code == 2, err
    assert "nested" in err and "Internal error" not in err and "RecursionError" not in err


@pytest.mark.parametrize("fmt", ["json", "fhir"])
def test_an_import_file_over_the_size_limit_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    big = tmp_path / "big.json"
    big.write_bytes(b"{" + b" " * IMPORT_BODY_LIMIT + b"}")
    code, _, err = run(["import", "--format", fmt, str(big)], capsys)
    assert code == 2, err
    assert "too large" in err and str(IMPORT_BODY_LIMIT) in err


def test_a_triage_input_with_a_huge_or_infinite_number_exits_2_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    intake = tmp_path / "intake.json"
    for literal, path in (("9" * 5000, "age"), ("Infinity", "age")):
        intake.write_text(f'{{"age": {literal}, "regions": ["neck"]}}', encoding="utf-8")
        code, _, err = run(["triage", "--input", str(intake)], capsys)
        assert code == 2, err
        assert path in err and "Internal error" not in err and "9999999999" not in err
