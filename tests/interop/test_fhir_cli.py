"""`spasmcare export --format fhir` and `spasmcare import --format fhir` as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from spasmcare.diary import open_repository
from spasmcare.knowledge import KnowledgeBase
from tests.interop.diary_data import fill


def env_for(tmp_path: Path, name: str) -> dict[str, str]:
    return {
        **os.environ,
        "SPASMCARE_DATABASE_URL": f"sqlite:///{tmp_path / name}",
        "SPASMCARE_DATA_DIR": str(tmp_path / "data"),
        "MPLCONFIGDIR": str(tmp_path / "mpl"),
    }


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "spasmcare", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def source(tmp_path: Path, kb: KnowledgeBase) -> dict[str, str]:
    env = env_for(tmp_path, "source.sqlite")
    with open_repository(env["SPASMCARE_DATABASE_URL"]) as repo:
        fill(repo, kb)
    return env


def without_timestamp(bundle: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in bundle.items() if k != "timestamp"}


def test_export_import_export_through_the_command_line(
    source: dict[str, str], tmp_path: Path
) -> None:
    first = tmp_path / "first.json"
    proc = run(source, "export", "--format", "fhir", "--out", str(first))
    assert proc.returncode == 0, proc.stderr
    assert first.stat().st_mode & 0o777 == 0o600
    bundle = json.loads(first.read_text(encoding="utf-8"))
    assert bundle["resourceType"] == "Bundle"
    assert any(e["resource"]["resourceType"] == "CarePlan" for e in bundle["entry"])

    target = env_for(tmp_path, "target.sqlite")
    proc = run(target, "import", "--format", "fhir", str(first))
    assert proc.returncode == 0, proc.stderr
    said = " ".join(proc.stdout.split())  # Rich wraps long lines
    assert "3 episodes" in said and "2 triage results" in said

    second = tmp_path / "second.json"
    proc = run(target, "export", "-f", "fhir", "-o", str(second))
    assert proc.returncode == 0, proc.stderr
    again = json.loads(second.read_text(encoding="utf-8"))
    assert without_timestamp(again) == without_timestamp(bundle)


def test_a_broken_bundle_is_refused_and_nothing_is_imported(
    source: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "bundle.json"
    assert run(source, "export", "-f", "fhir", "-o", str(out)).returncode == 0
    bundle = json.loads(out.read_text(encoding="utf-8"))
    index = next(
        i for i, e in enumerate(bundle["entry"]) if e["resource"]["id"] == "episode-1-pain"
    )
    bundle["entry"][index]["resource"]["subject"]["reference"] = "Patient/nobody"
    out.write_text(json.dumps(bundle), encoding="utf-8")

    target = env_for(tmp_path, "target.sqlite")
    proc = run(target, "import", "-f", "fhir", str(out))
    assert proc.returncode == 2
    said = " ".join(proc.stderr.split())
    assert f"entry[{index}].resource.subject.reference" in said
    assert "Observation/episode-1-pain" in said
    assert "nothing was imported" in said
    assert "Traceback" not in said
    with open_repository(target["SPASMCARE_DATABASE_URL"]) as repo:
        assert repo.profiles.list().total == 0


def test_a_file_of_another_type_is_refused(source: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "patient.json"
    out.write_text(json.dumps({"resourceType": "Patient", "id": "x"}), encoding="utf-8")
    proc = run(source, "import", "-f", "fhir", str(out))
    assert proc.returncode == 2
    said = " ".join(proc.stderr.split())
    assert "resourceType: 'Patient' is the wrong resource type (allowed: Bundle)" in said
