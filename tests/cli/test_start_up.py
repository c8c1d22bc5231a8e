"""What the quick commands leave unimported (issue 15, "a fast command line"). Time is measured by
`make bench` (benchmarks/bench_cli.py), not here; these tests pin the reasons the commands are fast,
so that a change which brings a heavy library back onto a quick path fails a test, not a benchmark."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = {
    "sqlalchemy": "SQLAlchemy",
    "sqlalchemy.dialects.postgresql": "SQLAlchemy's PostgreSQL dialect",
    "alembic": "Alembic",
    "yaml": "the YAML parser (a warm parse cache needs none)",
    "matplotlib": "matplotlib",
    "rich": "Rich",
    "fastapi": "FastAPI",
    "jinja2": "Jinja2",
    "weasyprint": "WeasyPrint",
    "spasmcare.plan": "the care plan",
    "spasmcare.knowledge.conditions": "the condition language",
    "spasmcare.diary.recurrence": "the diary's recurrence rule (no diary, nothing to read)",
}

CASES: dict[str, tuple[list[str], bool, set[str]]] = {
    # name: (arguments, with a diary, what must stay unimported)
    "triage, no diary": (
        ["triage", "--input", "{case}", "--json"],
        False,
        {
            "sqlalchemy",
            "alembic",
            "yaml",
            "matplotlib",
            "rich",
            "fastapi",
            "jinja2",
            "spasmcare.plan",
        },
    ),
    "triage, diary": (  # it prints why the diary says spasms keep coming back (with Rich)
        ["triage", "--input", "{case}", "--json"],
        True,
        {"sqlalchemy", "alembic", "yaml", "matplotlib", "fastapi", "spasmcare.plan"},
    ),
    "log": (
        ["log", "-p", "5", "-w", "low", "-s", "2h ago"],
        True,
        {
            "sqlalchemy.dialects.postgresql",
            "alembic",
            "yaml",
            "matplotlib",
            "fastapi",
            "spasmcare.plan",
            "spasmcare.knowledge.conditions",
        },
    ),
    "stats": (
        ["stats"],
        True,
        {
            "sqlalchemy.dialects.postgresql",
            "alembic",
            "yaml",
            "matplotlib",
            "fastapi",
            "weasyprint",
        },
    ),
    "chart": (
        ["chart", "pain", "--out", "{png}"],
        True,
        {"sqlalchemy.dialects.postgresql", "alembic", "yaml", "fastapi", "weasyprint"},
    ),
}

RUN = """
import sys
from spasmcare.cli import main
try:
    main({args!r})
except SystemExit as exit:
    assert exit.code in (0, None), exit.code
print(sorted(m for m in {names!r} if m in sys.modules), file=sys.stderr)
"""

SETUP = """
from datetime import UTC, datetime, timedelta
from spasmcare.diary import EpisodeCreate, ProfileCreate, open_repository
now = datetime.now(UTC)
with open_repository() as repo:
    me = repo.profiles.create(ProfileCreate()).id
    for days in (3, 30, 200):
        repo.episodes.create(
            me, EpisodeCreate(started_at=now - timedelta(days=days), regions=["neck"], worst_pain=4)
        )
"""


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_quick_command_leaves_heavy_libraries_unimported(name: str, tmp_path: Path) -> None:
    args, with_diary, absent = CASES[name]
    case = tmp_path / "case.json"
    case.write_text(json.dumps({"age": 35, "regions": ["neck"], "pain": 4}), encoding="utf-8")
    args = [a.format(case=case, png=tmp_path / "x.png") for a in args]
    env = {
        **os.environ,
        "SPASMCARE_DATA_DIR": str(tmp_path / "data"),
        "SPASMCARE_CACHE_DIR": str(tmp_path / "cache"),
    }
    if with_diary:
        subprocess.run([sys.executable, "-c", SETUP], env=env, check=True)
    code = RUN.format(args=args, names=sorted(absent))
    for _ in range(2):  # the first run fills the parse cache; the second is the usual start
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
    loaded = done.stderr.strip().splitlines()[-1]
    assert loaded == "[]", f"{name} imported {loaded}: " + ", ".join(
        HEAVY[m] for m in absent if m in loaded
    )
