"""Export and import: the JSON round trip gives back identical data on every backend; a bad file names
the record and field at fault and writes nothing."""

from __future__ import annotations

import copy
import csv
import io
import json
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from spasmcare.diary import (
    DiaryRepository,
    export_csv_zip,
    export_json,
    import_data,
    import_file,
    parse_bundle,
)
from spasmcare.diary.transfer import CSV_FILES, FORMAT, FORMAT_VERSION, MAX_PROBLEMS
from spasmcare.errors import ImportFileError, NotFoundError
from tests.diary.factories import (
    at,
    dose,
    episode,
    memory_repository,
    profile,
    scale_record,
    treatment,
    triage_record,
)

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def fill(repo: DiaryRepository, name: str = "Ana") -> int:
    """A small diary with every kind of record and every link."""
    me = repo.profiles.create(
        profile(name=name, age=44, conditions=["asthma"], medicines=["sertraline"])
    ).id
    for day in range(4):
        ep = repo.episodes.create(
            me,
            episode(
                started_at=at(days=day * 10),
                ended_at=at(days=day * 10 + 2) if day < 3 else None,
                worst_pain=5 + day,
                spasm_frequency=day % 5,
                triggers=["lifting", f"trigger {day}"],
                suspected_causes=["long drive"],
                notes=f"note é {day}",
            ),
            [
                treatment(kind="heat", relief=day + 3, started_at=at(days=day * 10, hours=1)),
                treatment(
                    kind="medicine",
                    medicine="ibuprofen",
                    dose_mg=400.5,
                    relief=None,
                    started_at=at(days=day * 10, hours=2),
                ),
            ],
        )
        repo.scale_records.create(
            me, scale_record(taken_at=at(days=day * 10, hours=3), episode_id=ep.id)
        )
    repo.doses.create(me, dose(taken_at=at(days=5), notes="for a headache"))
    repo.triage_records.create(me, triage_record(taken_at=at(days=1)))
    return me


def without_times_of_export(data: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(data)
    data.pop("exported_at")
    return data


def test_export_then_import_gives_back_identical_data(repo: DiaryRepository) -> None:
    me = fill(repo)
    exported = export_json(repo, me, NOW)
    assert exported["format"] == FORMAT and exported["format_version"] == FORMAT_VERSION
    assert len(exported["episodes"]) == 4 and len(exported["treatments"]) == 8
    assert len(exported["doses"]) == 5, "four from the medicine treatments, one on its own"
    text = json.dumps(exported)

    summary = import_data(repo, json.loads(text))
    assert summary.created_profile and summary.profile_id != me
    assert summary.counts == {
        "episodes": 4,
        "treatments": 8,
        "doses": 5,
        "triage_results": 1,
        "scale_results": 4,
    }
    again = export_json(repo, summary.profile_id, NOW + timedelta(days=1))
    assert without_times_of_export(again) == without_times_of_export(exported)

    elsewhere = memory_repository()
    moved = import_data(elsewhere, json.loads(text))
    assert without_times_of_export(export_json(elsewhere, moved.profile_id, NOW)) == (
        without_times_of_export(exported)
    )


def test_the_round_trip_keeps_links_between_records(repo: DiaryRepository) -> None:
    me = fill(repo)
    copy_id = import_data(repo, export_json(repo, me, NOW)).profile_id
    snap = repo.snapshot(copy_id)
    episode_ids = {e.id for e in snap.episodes}
    assert all(t.episode_id in episode_ids for t in snap.treatments)
    medicine = {t.id for t in snap.treatments if t.kind == "medicine"}
    linked = [d for d in snap.doses if d.treatment_id is not None]
    assert {d.treatment_id for d in linked} == medicine
    assert all(r.episode_id in episode_ids for r in snap.scale_records)
    original = repo.snapshot(me)
    assert [e.started_at for e in snap.episodes] == [e.started_at for e in original.episodes]
    assert [e.created_at for e in snap.episodes] == [e.created_at for e in original.episodes]


def test_import_into_an_existing_profile_adds_to_it(repo: DiaryRepository) -> None:
    source = fill(repo)
    target = repo.profiles.create(profile(name="Target")).id
    repo.episodes.create(target, episode(started_at=at(days=100)))
    summary = import_data(repo, export_json(repo, source, NOW), into_profile=target)
    assert summary.profile_id == target and not summary.created_profile
    assert repo.episodes.list(target).total == 5
    assert repo.profiles.get(target).name == "Target"
    with pytest.raises(NotFoundError):
        import_data(repo, export_json(repo, source, NOW), into_profile=999)


def test_a_bad_record_names_record_and_field_and_nothing_is_written(repo: DiaryRepository) -> None:
    me = fill(repo)
    data = export_json(repo, me, NOW)
    data["episodes"][2]["worst_pain"] = 11
    data["treatments"][5]["episode_id"] = 99
    data["doses"][0]["taken_at"] = "2026-01-01T08:00:00"
    profiles_before = repo.profiles.list().total
    with pytest.raises(ImportFileError) as info:
        import_data(repo, data)
    paths = {p.path: str(p) for p in info.value.problems}
    assert "episodes[2].worst_pain" in paths and "0 to 10" in paths["episodes[2].worst_pain"]
    assert "doses[0].taken_at" in paths and "time zone" in paths["doses[0].taken_at"]
    assert repo.profiles.list().total == profiles_before

    data["episodes"][2]["worst_pain"] = 3
    data["doses"][0]["taken_at"] = "2026-01-01T08:00:00Z"
    with pytest.raises(ImportFileError) as info:
        import_data(repo, data)
    assert [p.path for p in info.value.problems] == ["treatments[5].episode_id"]
    assert repo.profiles.list().total == profiles_before


def test_a_failure_while_writing_leaves_nothing_behind(
    repo: DiaryRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    me = fill(repo)
    data = export_json(repo, me, NOW)
    seen: list[tuple[int, int]] = []

    def fail_half_way(done: int, total: int) -> None:
        seen.append((done, total))
        if done > 5:
            raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        repo.import_bundle(parse_bundle(data), progress=fail_half_way)
    assert seen, "the write reported progress before failing"
    assert repo.profiles.list().total == 1
    assert repo.episodes.list(me).total == 4


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"format": "something-else"}, "format"),
        ({"format_version": 99}, "format_version"),
        ({"extra_section": []}, "extra_section"),
        ({"episodes": {"not": "a list"}}, "episodes"),
        ({"profile": None}, "profile"),
    ],
)
def test_files_that_are_not_diary_exports_are_refused(change: dict[str, Any], path: str) -> None:
    repo = memory_repository()
    data = {
        "format": FORMAT,
        "format_version": 1,
        "profile": {"created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"},
        **change,
    }
    with pytest.raises(ImportFileError) as info:
        import_data(repo, data)
    assert path in [p.path for p in info.value.problems]
    assert repo.profiles.list().total == 0


def test_repeated_ids_and_doses_pointing_at_non_medicine_are_refused() -> None:
    repo = memory_repository()
    me = fill(repo)
    data = export_json(repo, me, NOW)
    data["episodes"][1]["id"] = data["episodes"][0]["id"]
    heat = next(t["id"] for t in data["treatments"] if t["kind"] == "heat")
    data["doses"][1]["treatment_id"] = heat
    with pytest.raises(ImportFileError) as info:
        import_data(repo, data)
    paths = [p.path for p in info.value.problems]
    assert "episodes[1].id" in paths and "doses[1].treatment_id" in paths


def test_too_many_problems_are_cut_short() -> None:
    repo = memory_repository()
    me = repo.profiles.create(profile()).id
    for day in range(MAX_PROBLEMS + 20):
        repo.episodes.create(me, episode(started_at=at(days=day)))
    data = export_json(repo, me, NOW)
    for row in data["episodes"]:
        row["worst_pain"] = 50
    with pytest.raises(ImportFileError) as info:
        import_data(repo, data)
    assert len(info.value.problems) == MAX_PROBLEMS + 1
    assert "more problems" in info.value.problems[-1].message


def test_import_file_reports_broken_json_with_its_position(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"format": "spasmcare-diary",\n  "profile": }', encoding="utf-8")
    with pytest.raises(ImportFileError) as info:
        import_file(memory_repository(), path)
    assert info.value.problems[0].path == "line 2, column 14"
    with pytest.raises(ImportFileError, match="not found"):
        import_file(memory_repository(), tmp_path / "missing.json")


def test_csv_export_is_a_zip_with_one_file_per_kind() -> None:
    repo = memory_repository()
    me = fill(repo)
    buffer = io.BytesIO()
    names = export_csv_zip(repo, me, buffer, NOW)
    assert tuple(names) == CSV_FILES
    with zipfile.ZipFile(buffer) as archive:
        assert set(archive.namelist()) == {*CSV_FILES, "README.txt"}
        episodes = list(csv.DictReader(io.StringIO(archive.read("episodes.csv").decode())))
        treatments = list(csv.DictReader(io.StringIO(archive.read("treatments.csv").decode())))
        profile_rows = list(csv.DictReader(io.StringIO(archive.read("profile.csv").decode())))
    assert len(episodes) == 4 and episodes[0]["id"] == "1"
    assert episodes[0]["triggers"] == "lifting; trigger 0"
    assert episodes[0]["notes"] == "note é 0"
    assert episodes[3]["ended_at"] == ""
    assert {t["kind"] for t in treatments} == {"heat", "medicine"}
    assert profile_rows[0]["conditions"] == "asthma"


def test_imported_rows_never_reuse_ids_and_later_rows_follow_them(repo: DiaryRepository) -> None:
    me = fill(repo)
    before = {e.id for e in repo.snapshot(me).episodes}
    last = repo.episodes.create(me, episode(started_at=at(days=99))).id
    repo.episodes.delete(me, last)
    copied = import_data(repo, export_json(repo, me, NOW)).profile_id
    new_ids = {e.id for e in repo.snapshot(copied).episodes}
    assert not new_ids & (before | {last}), "an import reused an id"
    after = repo.episodes.create(copied, episode(started_at=at(days=50))).id
    assert after > max(new_ids)
    treatment_ids = [t.id for t in repo.snapshot(copied).treatments]
    assert len(set(treatment_ids)) == len(treatment_ids)
