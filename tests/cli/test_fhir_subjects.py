"""`spasmcare import --format fhir` files a bundle's records under its one patient only: a bundle with
a second Patient, or a clinical resource about another patient, is refused and nothing is written."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from spasmcare.cli import main
from spasmcare.diary import open_repository
from spasmcare.interop import export_bundle
from spasmcare.knowledge import KnowledgeBase
from tests.diary.factories import memory_repository
from tests.interop.diary_data import fill


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(args)
    captured = capsys.readouterr()
    code = info.value.code
    return (0 if code is None else int(code)), captured.out, captured.err


@pytest.fixture
def bundle(kb: KnowledgeBase) -> dict[str, Any]:
    repo = memory_repository()
    profile = fill(repo, kb)
    data: dict[str, Any] = export_bundle(
        repo, profile, kb=kb, now=datetime(2026, 3, 1, 12, tzinfo=UTC)
    )
    return json.loads(json.dumps(data))


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'target.sqlite3'}"
    monkeypatch.setenv("SPASMCARE_DATABASE_URL", url)
    monkeypatch.setenv("COLUMNS", "200")
    return url


def _other_patient(bundle: dict[str, Any]) -> dict[str, Any]:
    patient = next(e for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient")
    other = json.loads(json.dumps(patient))
    other["resource"]["id"] = "other"
    other["fullUrl"] = str(other.get("fullUrl", "")).replace("Patient/patient", "Patient/other")
    return other


def _import(
    bundle: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str]:
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    code, _, err = run(["import", "--format", "fhir", str(path)], capsys)
    return code, " ".join(err.split())


def test_records_about_another_patient_are_refused(
    bundle: dict[str, Any], database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle["entry"].append(_other_patient(bundle))
    index = next(
        i for i, e in enumerate(bundle["entry"]) if e["resource"]["id"] == "episode-1-pain"
    )
    bundle["entry"][index]["resource"]["subject"]["reference"] = "Patient/other"
    code, said = _import(bundle, tmp_path, capsys)
    assert code == 2, said
    assert "Patient/other" in said and f"entry[{index}].resource.subject" in said
    assert "nothing was imported" in said
    with open_repository(database) as repo:
        assert repo.profiles.list().total == 0


def test_a_bundle_with_two_patients_is_refused(
    bundle: dict[str, Any], database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle["entry"].append(_other_patient(bundle))
    code, said = _import(bundle, tmp_path, capsys)
    assert code == 2, said
    assert "one Patient" in said
    with open_repository(database) as repo:
        assert repo.profiles.list().total == 0


def test_a_bundle_about_its_one_patient_still_imports(
    bundle: dict[str, Any], database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, said = _import(bundle, tmp_path, capsys)
    assert code == 0, said
    with open_repository(database) as repo:
        assert repo.profiles.list().total == 1


def test_the_fhir_reader_itself_refuses_another_patient(bundle: dict[str, Any]) -> None:
    """The check lives in the reader, so the library, the API and the web import refuse it too."""
    from spasmcare.errors import ImportFileError
    from spasmcare.interop.fhir_in import fhir_to_diary

    bundle["entry"].append(_other_patient(bundle))
    index = next(
        i for i, e in enumerate(bundle["entry"]) if e["resource"]["id"] == "episode-1-pain"
    )
    bundle["entry"][index]["resource"]["subject"]["reference"] = "Patient/other"
    with pytest.raises(ImportFileError) as info:
        fhir_to_diary(bundle, now=datetime(2026, 3, 2, tzinfo=UTC))
    paths = [p.path for p in info.value.problems]
    assert f"entry[{index}].resource.subject.reference" in paths
