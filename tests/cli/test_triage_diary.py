"""`spasmcare triage` reads recurrence from the diary and can save its result there."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from spasmcare.cli import main
from spasmcare.config import DIARY_FILE, get_settings
from spasmcare.diary import EpisodeCreate, ProfileCreate, open_repository
from spasmcare.diary.db import default_url, sqlite_path

INTAKE = {"age": 35, "regions": ["lower_back"], "pain": 4, "findings": {"fever": False}}


def _diary_with_episodes(days_ago: list[int]) -> int:
    now = datetime.now(UTC)
    with open_repository() as repo:
        profile = repo.profiles.create(ProfileCreate())
        for days in days_ago:
            start = now - timedelta(days=days)
            repo.episodes.create(
                profile.id,
                EpisodeCreate(
                    started_at=start,
                    ended_at=start + timedelta(days=2),
                    regions=["lower_back"],
                    worst_pain=5,
                ),
            )
    return profile.id


def _triage(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: dict[str, object], *args: str
) -> dict[str, object]:
    path = tmp_path / "intake.json"
    path.write_text(json.dumps(data))
    with pytest.raises(SystemExit) as info:
        main(["triage", "--input", str(path), "--json", *args])
    assert info.value.code in (0, None)
    return dict(json.loads(capsys.readouterr().out))


def test_recurrent_episodes_in_the_diary_set_the_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _diary_with_episodes([10, 120, 250])
    result = _triage(tmp_path, capsys, INTAKE)
    assert result["disposition"] == "soon"
    assert result["rules_fired"] == ["S2"]


def test_without_recurrence_or_with_no_diary_nothing_changes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = _triage(tmp_path, capsys, INTAKE)
    assert result["disposition"] == "self_care"
    path = sqlite_path(default_url())
    assert path is not None and not path.exists(), "triage must not create a diary"
    assert path.name == DIARY_FILE and path.parent == get_settings().resolved_data_dir()
    _diary_with_episodes([10])
    assert _triage(tmp_path, capsys, INTAKE)["disposition"] == "self_care"


def test_what_the_person_says_wins_and_no_diary_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _diary_with_episodes([5, 40])
    said_no = {**INTAKE, "findings": {"fever": False, "recurrent": False}}
    assert _triage(tmp_path, capsys, said_no)["disposition"] == "self_care"
    assert _triage(tmp_path, capsys, INTAKE, "--no-diary")["disposition"] == "self_care"
    assert _triage(tmp_path, capsys, INTAKE)["disposition"] == "soon"


def test_save_stores_intake_result_and_version(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    urgent = {**INTAKE, "findings": {"fever": True}}
    result = _triage(tmp_path, capsys, urgent, "--save")
    assert result["disposition"] == "urgent"
    with open_repository() as repo:
        (profile,) = repo.profiles.list().items
        (record,) = repo.triage_records.list(profile.id).items
    assert record.result["disposition"] == "urgent"
    assert record.result["knowledge_version"] == result["knowledge_version"]
    assert record.intake["findings"] == {"fever": True}
