"""`spasmcare report` as a user runs it: a PDF or HTML file, owner-only, and clear errors; and
`spasmcare chart pain` on a diary with pain ratings but no episodes."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from spasmcare.diary import ProfileCreate, ScaleRecordCreate, open_repository
from spasmcare.knowledge import KnowledgeBase
from spasmcare.scales import score
from tests.interop.diary_data import fill
from tests.report.pdf import page_size_mm, pdf_text


@pytest.fixture
def env(tmp_path: Path, kb: KnowledgeBase) -> dict[str, str]:
    url = f"sqlite:///{tmp_path / 'diary.sqlite'}"
    with open_repository(url) as repo:
        fill(repo, kb)
    return {
        **os.environ,
        "SPASMCARE_DATABASE_URL": url,
        "SPASMCARE_DATA_DIR": str(tmp_path / "data"),
        "MPLCONFIGDIR": str(tmp_path / "mpl"),
    }


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "spasmcare", "report", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_report_writes_an_owner_only_pdf(env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "visit.pdf"
    proc = run(env, "--from", "2026-01-01", "--to", "2026-02-28", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes().startswith(b"%PDF-")
    assert out.stat().st_mode & 0o777 == 0o600
    assert "3 episode(s)" in proc.stdout and "1 red flag(s)" in proc.stdout


def test_report_html(env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "visit.html"
    proc = run(env, "--from", "2026-01-01", "--to", "2026-02-28", "--out", str(out), "--html")
    assert proc.returncode == 0, proc.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!doctype html>")
    assert "At a glance" in text and "History (last triage and diary)" in text


def test_an_empty_period_is_refused(env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    proc = run(env, "--from", "2026-03-01", "--to", "2026-02-01", "--out", str(out))
    assert proc.returncode == 2
    assert "--from: 2026-03-01 is after --to 2026-02-01" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not out.exists()


def test_several_profiles_need_profile(env: dict[str, str], tmp_path: Path) -> None:
    with open_repository(env["SPASMCARE_DATABASE_URL"]) as repo:
        repo.profiles.create(ProfileCreate(name="Second"))
    out = tmp_path / "x.pdf"
    proc = run(env, "--out", str(out))
    assert proc.returncode == 2
    assert "--profile: is required" in proc.stderr
    proc = run(
        env, "--out", str(out), "--profile", "1", "--from", "2026-01-01", "--to", "2026-02-28"
    )
    assert proc.returncode == 0, proc.stderr


def test_dates_out_of_range_are_refused_with_both_problems(
    env: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "x.pdf"
    proc = run(env, "--from", "0001-01-01", "--to", "0001-01-02", "--out", str(out))
    assert proc.returncode == 2, proc.stderr
    assert "--from: 0001-01-01 is out of range" in proc.stderr
    assert "--to: 0001-01-02 is out of range" in proc.stderr
    assert "a day from 1900-01-01 to" in proc.stderr
    assert "Traceback" not in proc.stderr and not out.exists()


def test_letter_paper(env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "visit.pdf"
    args = ("--from", "2026-01-01", "--to", "2026-02-28", "--out", str(out))
    proc = run(env, *args, "--paper", "letter")
    assert proc.returncode == 0, proc.stderr
    assert page_size_mm(out.read_bytes()) == (215.9, 279.4)
    proc = run(env, *args, "--paper", "A5")
    assert proc.returncode == 2 and "--paper: 'A5'" in proc.stderr and "A4, Letter" in proc.stderr


def test_pain_ratings_without_episodes_make_a_report_and_a_chart(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ratings.sqlite'}"
    now = datetime.now(UTC)
    with open_repository(url) as repo:
        profile = repo.profiles.create(ProfileCreate(name="Only Ratings", age=40)).id
        for days in (20, 10, 1):
            result = score("nrs", {"score": 5})
            repo.scale_records.create(
                profile,
                ScaleRecordCreate.from_result(result, {"score": 5}, now - timedelta(days=days)),
            )
    env = {
        **os.environ,
        "SPASMCARE_DATABASE_URL": url,
        "SPASMCARE_DATA_DIR": str(tmp_path / "data"),
        "MPLCONFIGDIR": str(tmp_path / "mpl"),
    }
    pdf = tmp_path / "visit.pdf"
    proc = run(env, "--out", str(pdf))
    assert proc.returncode == 0, proc.stderr
    assert "0 episode(s), red flags not screened (no triage)" in " ".join(proc.stdout.split())
    text = pdf_text(pdf.read_bytes(), tmp_path)
    assert "3 pain ratings and 0 episodes" in text
    assert "No episodes started in this period." in text
    svg = tmp_path / "pain.svg"
    chart = subprocess.run(
        [sys.executable, "-m", "spasmcare", "chart", "pain", "--out", str(svg)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert chart.returncode == 0, chart.stderr
    assert "Traceback" not in chart.stderr
    assert "3 pain ratings" in svg.read_text(encoding="utf-8")
