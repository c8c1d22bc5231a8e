"""Shared fixtures: the knowledge base, the development cases, and a PostgreSQL URL when available."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from spasmcare.knowledge import KnowledgeBase, load_knowledge, reader

ROOT = Path(__file__).resolve().parents[1]
CASES_DIR = ROOT / "tests" / "triage" / "cases"
"""The development cases of policy v2, copied into the repository: the project owns its test data."""


def load_cases() -> list[dict[str, Any]]:
    """The development cases; the suite fails loudly if they are missing."""
    files = sorted(CASES_DIR.glob("*.json"))
    if not files:
        raise RuntimeError(f"no triage cases found in {CASES_DIR}")
    return [json.loads(f.read_text(encoding="utf-8")) for f in files]


@pytest.fixture(autouse=True)
def _isolated_user_data(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every test gets its own empty user data folder, and no setting leaks in from the machine."""
    for name in (
        "SPASMCARE_DATABASE_URL",
        "SPASMCARE_EMERGENCY_NUMBER",
        "SPASMCARE_MULTI_USER",
        "SPASMCARE_KNOWLEDGE_VERSION",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SPASMCARE_DATA_DIR", str(tmp_path_factory.mktemp("userdata")))
    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path_factory.getbasetemp() / "mpl"))
    monkeypatch.setenv("SPASMCARE_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    # the parse cache a command line test turned on stays with that test
    monkeypatch.setattr(reader, "_cache_dir", None)


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge()


@pytest.fixture(scope="session")
def cases() -> list[dict[str, Any]]:
    return load_cases()


@pytest.fixture(scope="session")
def pg_url() -> str:
    """URL of the throwaway PostgreSQL server `make test` starts (scripts/with-postgres.sh)."""
    url = os.environ.get("SPASMCARE_TEST_PG_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("SPASMCARE_TEST_PG_URL is not set in CI: run the suite through `make test`")
        pytest.skip("no PostgreSQL server: run through `make test` (scripts/with-postgres.sh)")
    return url
