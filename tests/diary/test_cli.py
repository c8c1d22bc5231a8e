"""The diary commands: quick logging (one line or a few questions in a terminal), history, stats,
charts, export and import with progress, and the database commands."""

from __future__ import annotations

import json
import os
import sys
import zipfile
from pathlib import Path
from typing import Any

import pexpect
import pytest

from spasmcare.cli import main
from spasmcare.diary import open_repository
from tests.diary.factories import memory_repository


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(args)
    captured = capsys.readouterr()
    code = info.value.code
    return (0 if code is None else int(code)), captured.out, captured.err


def ok(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    code, out, err = run(args, capsys)
    assert code == 0, err
    return out


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("SPASMCARE_DATA_DIR", str(folder))
    monkeypatch.delenv("SPASMCARE_DATABASE_URL", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    return folder


def history(capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok(["history", "--json", *extra], capsys))
    return data


def test_log_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    out = ok(
        [
            "log", "-p", "7", "-w", "low", "-w", "neck", "-s", "2h ago", "-t", "Lifting",
            "-c", "long drive", "--freq", "2", "--tried", "heat:6",
            "--tried", "ibuprofen 400mg:5", "--tried", "stretch", "-n", "at work",
        ],
        capsys,
    )  # fmt: skip
    assert "Saved episode 1: pain 7/10" in out and "3 treatment(s)" in out
    (entry,) = history(capsys)["episodes"]
    assert entry["worst_pain"] == 7 and entry["regions"] == ["lower_back", "neck"]
    assert entry["triggers"] == ["lifting"] and entry["suspected_causes"] == ["long drive"]
    assert entry["spasm_frequency"] == 2 and entry["notes"] == "at work"
    assert entry["ended_at"] is None
    tried = {(t["kind"], t["medicine"], t["dose_mg"], t["relief"]) for t in entry["treatments"]}
    assert tried == {
        ("heat", None, None, 6),
        ("medicine", "ibuprofen", 400, 5),
        ("stretch", None, None, None),
    }
    with open_repository() as repo:
        (dose,) = repo.doses.list(1).items
    assert (dose.medicine, dose.amount_mg) == ("ibuprofen", 400)


def test_end_closes_the_latest_open_episode(capsys: pytest.CaptureFixture[str]) -> None:
    ok(["log", "-p", "5", "-s", "3d ago", "-e", "2d ago"], capsys)
    ok(["log", "-p", "6", "-s", "5h ago"], capsys)
    out = ok(["end"], capsys)
    assert "Episode 2 ended" in out and "5.0 hours" in out
    assert all(e["ended_at"] for e in history(capsys)["episodes"])
    code, _, err = run(["end"], capsys)
    assert code == 1 and "no open episode" in err


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["log", "-p", "11"], ["worst_pain", "0 to 10"]),
        (["log", "-p", "5", "-w", "knee"], ["--where[0]", "'knee'", "lower_back"]),
        (["log", "-p", "5", "-s", "tomorrow"], ["--start", "2h ago"]),
        (["log", "-p", "5", "--tried", "heat:12"], ["--tried[0].relief", "0 to 10"]),
        (["log", "-p", "5", "--freq", "9"], ["spasm_frequency", "0 to 4"]),
        (["log", "-p", "5", "-s", "2h ago", "-e", "3h ago"], ["before started_at"]),
    ],
)
def test_bad_entries_say_what_is_wrong_and_store_nothing(
    args: list[str], words: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(args, capsys)
    assert code == 2 and out == ""
    assert "Traceback" not in err
    for word in words:
        assert word in err
    with open_repository() as repo:
        assert all(repo.episodes.list(p.id).total == 0 for p in repo.profiles.list().items)


def test_log_without_answers_and_without_a_terminal_asks_for_pain(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(["log"], capsys)
    assert code == 2 and "--pain" in err


def test_dose_and_profile(capsys: pytest.CaptureFixture[str]) -> None:
    assert "acetaminophen 500 mg" in ok(["dose", "Acetaminophen", "500", "--at", "1h ago"], capsys)
    out = ok(
        ["profile", "--age", "44", "--condition", "asthma", "--medicine", "sertraline"], capsys
    )
    assert "Age: 44" in out and "asthma" in out and "sertraline" in out
    data = json.loads(ok(["profile", "--json"], capsys))
    assert data["age"] == 44 and data["conditions"] == ["asthma"]
    code, _, err = run(["profile", "--condition", "astma"], capsys)
    assert code == 2 and "astma" in err


def test_history_pages_and_reports_an_empty_diary(capsys: pytest.CaptureFixture[str]) -> None:
    assert "No episodes yet" in ok(["history"], capsys)
    for hours in (30, 20, 10):
        ok(["log", "-p", "4", "-s", f"{hours}h ago", "--tried", "cold:2"], capsys)
    page = history(capsys, "--limit", "2")
    assert page["total"] == 3 and len(page["episodes"]) == 2
    out = ok(["history", "--limit", "2"], capsys)
    assert "cold (2)" in out and "Use --offset 2 for more" in out


def test_a_new_empty_diary_answers_normally(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 12: stats and export on a new diary said "the diary is empty" and exited 1."""
    data = json.loads(ok(["stats", "--json"], capsys))
    assert data["episodes"] == 0 and all(w["count"] == 0 for w in data["per_week"])
    assert "Episodes: 0 in all" in ok(["stats"], capsys)
    exported = json.loads(ok(["export"], capsys))
    assert exported["format"] == "spasmcare-diary" and exported["episodes"] == []
    ok(["export", "-f", "csv", "-o", str(tmp_path / "empty.zip")], capsys)
    assert zipfile.is_zipfile(tmp_path / "empty.zip")
    assert json.loads(ok(["history", "--json"], capsys))["total"] == 0


def test_several_profiles_need_a_choice(capsys: pytest.CaptureFixture[str]) -> None:
    ok(["log", "-p", "4"], capsys)
    with open_repository() as repo:
        from spasmcare.diary import ProfileCreate

        other = repo.profiles.create(ProfileCreate(name="Sam")).id
    code, _, err = run(["history"], capsys)
    assert code == 2 and "--profile" in err and "Sam" in err
    assert history(capsys, "--profile", str(other))["total"] == 0


def test_stats_json_and_text(capsys: pytest.CaptureFixture[str]) -> None:
    for days in (200, 100, 30):
        ok(
            [
                "log",
                "-p",
                "6",
                "-s",
                f"{days}d ago",
                "-e",
                f"{days - 2}d ago",
                "-t",
                "desk",
                "--tried",
                "heat:7",
            ],
            capsys,
        )
    data = json.loads(ok(["stats", "--json"], capsys))
    assert data["episodes"] == 3 and data["recurrence"]["fires"] is True
    assert data["resolution"]["median_days"] == 2
    out = ok(["stats"], capsys)
    assert "Keeps coming back: yes" in out and "heat (7/10)" in out and "desk (100%)" in out


def test_charts_are_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ok(["log", "-p", "6", "--tried", "heat:7"], capsys)
    for kind, name in (("pain", "pain.svg"), ("episodes", "weeks.png"), ("relief", "relief.svg")):
        ok(["chart", kind, "--out", str(tmp_path / name)], capsys)
    assert (tmp_path / "pain.svg").read_bytes().startswith(b"<?xml")
    assert (tmp_path / "weeks.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    code, _, err = run(["chart", "pie", "--out", str(tmp_path / "x.svg")], capsys)
    assert code == 2 and "pain, episodes, relief" in err


def test_export_then_import_and_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ok(["log", "-p", "6", "-s", "2d ago", "--tried", "ibuprofen 200mg:4"], capsys)
    ok(["dose", "naproxen", "220"], capsys)
    exported = ok(["export"], capsys)
    backup = tmp_path / "backup.json"
    ok(["export", "--out", str(backup)], capsys)
    assert json.loads(backup.read_text()) | {"exported_at": None} == json.loads(exported) | {
        "exported_at": None
    }
    assert backup.stat().st_mode & 0o777 == 0o600
    out = ok(["import", str(backup)], capsys)
    assert "new profile 2" in out and "1 episodes" in out and "2 doses" in out
    first = history(capsys, "--profile", "1")["episodes"]
    second = history(capsys, "--profile", "2")["episodes"]
    strip = ("id", "profile_id")
    assert [
        {k: v for k, v in e.items() if k not in strip and k != "treatments"} for e in first
    ] == [{k: v for k, v in e.items() if k not in strip and k != "treatments"} for e in second]
    archive = tmp_path / "diary.zip"
    ok(["export", "--format", "csv", "--out", str(archive), "--profile", "1"], capsys)
    assert "episodes.csv" in zipfile.ZipFile(archive).namelist()
    code, _, err = run(["export", "--format", "csv"], capsys)
    assert code == 2 and "--out" in err


def test_import_of_a_bad_file_names_the_record_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ok(["log", "-p", "6"], capsys)
    data = json.loads(ok(["export"], capsys))
    data["episodes"][0]["worst_pain"] = 15
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    code, _, err = run(["import", str(bad)], capsys)
    assert code == 2 and "episodes[0].worst_pain" in err and "nothing was imported" in err
    with open_repository() as repo:
        assert repo.profiles.list().total == 1


def test_db_commands(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = ok(["db", "upgrade"], capsys)
    assert str(data_dir / "diary.sqlite3") in out
    out = ok(["db", "status"], capsys)
    assert "current" in out


# --- in a terminal --------------------------------------------------------------------------------


def spawn(args: list[str], data_dir: Path) -> pexpect.spawn:
    env = {**os.environ, "SPASMCARE_DATA_DIR": str(data_dir), "COLUMNS": "200", "TERM": "dumb"}
    env.pop("SPASMCARE_DATABASE_URL", None)
    return pexpect.spawn(
        sys.executable,
        ["-m", "spasmcare", *args],
        env=env,
        encoding="utf-8",
        timeout=60,
        dimensions=(50, 200),
    )


@pytest.mark.slow
def test_an_interactive_entry_takes_only_the_enter_key(data_dir: Path) -> None:
    child = spawn(["log"], data_dir)
    prompts = [
        "Worst pain",
        "Where",
        "When did it start",
        "still going on",
        "What set it off",
        "What did you try",
        "Notes",
    ]
    for prompt in prompts:
        child.expect(prompt)
        child.sendline("")
    child.expect(r"Saved episode 1: pain 5/10, lower_back")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    child = spawn(["log"], data_dir)
    child.expect("Worst pain")
    child.expect(r"\(7\)|\(5\)")
    child.sendline("12")
    child.expect("whole number from 0 to 10")
    child.sendline("8")
    child.expect("Where")
    child.sendline("1,4")
    child.expect("When did it start")
    child.sendline("30m ago")
    child.expect("still going on")
    child.sendline("n")
    child.expect("When did it end")
    child.sendline("")
    child.expect("What set it off")
    child.sendline("cold wind")
    child.expect("What did you try")
    child.sendline("heat:7")
    child.expect("Notes")
    child.sendline("")
    child.expect(r"Saved episode 2: pain 8/10, neck, lower_back")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    with open_repository(f"sqlite:///{data_dir / 'diary.sqlite3'}") as repo:
        latest = repo.episodes.get(1, 2)
        assert latest.triggers == ["cold wind"] and latest.ended_at is not None
        assert [t.relief for t in repo.treatments.list(1, episode_id=latest.id).items] == [7]


@pytest.mark.slow
def test_a_large_import_shows_progress(tmp_path: Path, data_dir: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from spasmcare.diary import EpisodeCreate, ProfileCreate, export_json

    repo = memory_repository()
    me = repo.profiles.create(ProfileCreate()).id
    start = datetime(2020, 1, 1, tzinfo=UTC)
    for i in range(2500):
        repo.episodes.create(
            me,
            EpisodeCreate(
                started_at=start + timedelta(hours=i), regions=["neck"], worst_pain=i % 11
            ),
        )
    big = tmp_path / "big.json"
    big.write_text(json.dumps(export_json(repo, me, start)))
    child = spawn(["import", str(big)], data_dir)
    child.expect("Import: checking")
    child.expect("Import: writing")
    child.expect("2500 episodes")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_the_diary_commands_load_no_database_or_chart_library_at_start_up() -> None:
    import subprocess

    code = (
        "import sys, spasmcare.cli\n"
        "heavy = [m for m in ('sqlalchemy', 'alembic', 'matplotlib', 'spasmcare.diary') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
        "names = [c.name or c.callback.__name__ for c in spasmcare.cli.app.registered_commands]\n"
        "assert 'log' in names and 'history' in names, names\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr


def test_stats_name_the_period_and_agree_with_the_latest_pain(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for days, pain in ((40, 8), (30, 7), (20, 3), (10, 2)):
        ok(["log", "-p", str(pain), "-s", f"{days}d ago", "-e", f"{days - 1}d ago"], capsys)
    out = " ".join(ok(["stats"], capsys).split())
    assert "Pain from " in out and "(4 ratings in the last 90 days): getting better" in out
    assert "from about 8 to 2." in out
