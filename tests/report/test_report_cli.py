"""`spasmcare report` as a user runs it: a PDF or HTML file, owner-only, and clear errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from spasmcare.diary import ProfileCreate, open_repository
from spasmcare.knowledge import KnowledgeBase
from tests.interop.diary_data import fill


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
    assert "Answers to the usual questions" in text


def test_an_empty_period_is_refused(env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    proc = run(env, "--from", "2026-03-01", "--to", "2026-02-01", "--out", str(out))
    assert proc.returncode == 2
    assert "--from: 2026-03-01 is after --to 2026-02-01" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not out.exists()


def test_several_profiles_need_profile(env: dict[str, str], tmp_path: Path) -> None:
    with open_repository(env["SPASMCARE_DATABASE_URL"]) as repo:
        repo.create_profile(ProfileCreate(name="Second"))
    out = tmp_path / "x.pdf"
    proc = run(env, "--out", str(out))
    assert proc.returncode == 2
    assert "--profile: is required" in proc.stderr
    proc = run(
        env, "--out", str(out), "--profile", "1", "--from", "2026-01-01", "--to", "2026-02-28"
    )
    assert proc.returncode == 0, proc.stderr
