"""The examples in docs/interop.md are what the code produces and accepts."""

from __future__ import annotations

import importlib.util
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from spasmcare.interop import import_bundle, validation_problems
from tests.diary.factories import memory_repository

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "docs" / "examples"
HINT = "docs/examples are out of date: run python scripts/gen_interop_examples.py"


def generator() -> Any:
    spec = importlib.util.spec_from_file_location(
        "gen", ROOT / "scripts" / "gen_interop_examples.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load(name: str) -> Any:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def test_the_example_bundle_is_current_valid_and_importable() -> None:
    bundle = load("fhir-bundle.json")
    assert bundle == generator().example_bundle(), HINT
    assert validation_problems(bundle) == []
    summary = import_bundle(memory_repository(), bundle, now=datetime(2026, 1, 10, tzinfo=UTC))
    assert summary.counts["episodes"] == 1


def test_the_cds_example_response_is_what_the_service_answers() -> None:
    gen = generator()
    request = load("cds-request.json")
    assert request == gen.cds_request(), HINT
    assert load("cds-response.json") == gen.cds_response(request), HINT


def test_the_docs_page_shows_the_examples() -> None:
    page = (ROOT / "docs" / "interop.md").read_text(encoding="utf-8")
    for name in ("fhir-bundle.json", "cds-request.json", "cds-response.json"):
        assert f"examples/{name}" in page
    assert load("cds-response.json")["cards"][0]["summary"] in page
