"""The YAML parse cache (knowledge/reader.py): what it gives back is exactly what parsing gives, for
every shipped data file; a changed file never meets an old entry; a broken entry or a cache that
cannot be written changes nothing but speed; entries are the owner's alone."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from spasmcare.errors import KnowledgeError
from spasmcare.knowledge import reader
from spasmcare.knowledge.loader import available_versions, load_directory
from spasmcare.knowledge.reader import parse_yaml, use_parse_cache
from spasmcare.triage import evaluate, parse_intake

KNOWLEDGE = Path(str(resources.files("spasmcare.knowledge").joinpath("data")))
DATA_FILES = sorted(
    [
        *KNOWLEDGE.rglob("*.yaml"),
        Path(str(resources.files("spasmcare.scales").joinpath("data", "scales.yaml"))),
        Path(str(resources.files("spasmcare.interop").joinpath("data", "codes.yaml"))),
    ]
)


@pytest.fixture
def parse_cache(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "cache"
    use_parse_cache(folder)
    yield folder
    use_parse_cache(None)


def _entries(folder: Path) -> list[Path]:
    return sorted((folder / "yaml").glob("*.json"))


def test_every_shipped_data_file_is_covered() -> None:
    versions = {
        p.relative_to(KNOWLEDGE).parts[0] for p in DATA_FILES if p.is_relative_to(KNOWLEDGE)
    }
    assert set(available_versions()) <= versions
    assert len(DATA_FILES) > 90


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: "/".join(p.parts[-2:]))
def test_every_shipped_file_reads_back_from_the_cache_exactly_as_parsed(
    path: Path, parse_cache: Path
) -> None:
    data = path.read_bytes()
    parsed = yaml.safe_load(data.decode("utf-8"))
    cold = parse_yaml(data)
    assert len(_entries(parse_cache)) == 1  # every shipped file can be cached
    warm = parse_yaml(data)
    assert cold == parsed and warm == parsed
    assert json.dumps(warm, sort_keys=True) == json.dumps(parsed, sort_keys=True)  # types too


@pytest.mark.parametrize("version", available_versions())
def test_a_knowledge_base_read_from_the_cache_decides_every_case_as_one_parsed_fresh(
    version: str, parse_cache: Path, cases: list[dict[str, Any]]
) -> None:
    use_parse_cache(None)
    fresh = load_directory(KNOWLEDGE / version, shipped=True)
    use_parse_cache(parse_cache)
    load_directory(KNOWLEDGE / version, shipped=True)  # fills the cache
    assert _entries(parse_cache)
    cached = load_directory(KNOWLEDGE / version, shipped=True)  # reads it
    assert cached.care == fresh.care and cached.topics == fresh.topics
    assert cached.findings == fresh.findings and cached.lexicon == fresh.lexicon
    for case in cases:
        intake = case["intake"]
        try:
            first = evaluate(parse_intake(intake, fresh), fresh)
        except Exception as exc:  # a case made for a newer version: both must refuse it alike
            with pytest.raises(type(exc)):
                evaluate(parse_intake(intake, cached), cached)
            continue
        second = evaluate(parse_intake(intake, cached), cached)
        assert second.model_dump() == first.model_dump()


def test_a_changed_file_gets_a_new_entry_and_its_new_content(parse_cache: Path) -> None:
    assert parse_yaml(b"dose: 200\n") == {"dose": 200}
    assert parse_yaml(b"dose: 400\n") == {"dose": 400}
    assert parse_yaml(b"dose: 200\n") == {"dose": 200}
    assert len(_entries(parse_cache)) == 2


def test_a_broken_entry_is_parsed_again_and_rewritten(parse_cache: Path) -> None:
    parse_yaml(b"max_mg: 1200\n")
    (entry,) = _entries(parse_cache)
    entry.write_text("{not json", encoding="utf-8")
    assert parse_yaml(b"max_mg: 1200\n") == {"max_mg": 1200}
    assert json.loads(entry.read_text(encoding="utf-8")) == {"max_mg": 1200}


def test_yaml_that_json_would_change_is_not_cached_and_still_parses(parse_cache: Path) -> None:
    assert parse_yaml(b"1: one\n2: two\n") == {1: "one", 2: "two"}  # number keys
    assert parse_yaml(b"since: 2024-01-05\n") == {"since": yaml.safe_load("d: 2024-01-05")["d"]}
    assert parse_yaml(b"x: .nan\n")["x"] != 0
    assert _entries(parse_cache) == []


@pytest.mark.parametrize("cached", [True, False])
def test_broken_yaml_says_what_is_wrong_with_or_without_a_cache(
    parse_cache: Path, cached: bool
) -> None:
    if not cached:
        use_parse_cache(None)
    with pytest.raises(KnowledgeError, match=r"(?s)not valid YAML: .*line 2"):
        parse_yaml(b"a: [1, 2\n")
    with pytest.raises(KnowledgeError, match="not UTF-8 text"):
        parse_yaml(b"a: \xff\n")
    assert _entries(parse_cache) == []


def test_a_warm_cache_does_not_import_the_yaml_parser(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from spasmcare.knowledge.reader import parse_yaml, use_parse_cache\n"
        f"use_parse_cache(Path({str(tmp_path)!r}))\n"
        "assert parse_yaml(b'a: 1') == {'a': 1}\n"
        "print('yaml' in sys.modules)\n"
    )
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    again = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert (first.stdout.strip(), again.stdout.strip()) == ("True", "False")


def test_a_different_yaml_parser_gets_its_own_entries(
    parse_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parse_yaml(b"a: 1\n")
    monkeypatch.setattr(reader, "_parser_id", lambda: b"another parser\0")
    parse_yaml(b"a: 1\n")
    assert len(_entries(parse_cache)) == 2


def test_entries_are_readable_by_their_owner_only(parse_cache: Path) -> None:
    parse_yaml(b"a: 1\n")
    (entry,) = _entries(parse_cache)
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert stat.S_IMODE(entry.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(parse_cache.stat().st_mode) == 0o700
    assert not list(entry.parent.glob(".tmp-*"))


def test_a_cache_that_cannot_be_written_changes_nothing(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    use_parse_cache(blocker / "cache")  # under a file: nothing can be created there
    try:
        assert parse_yaml(b"a: 1\n") == {"a": 1}
    finally:
        use_parse_cache(None)


def test_without_a_cache_nothing_is_written(tmp_path: Path) -> None:
    assert reader._cache_dir is None
    assert parse_yaml(b"a: 1\n") == {"a": 1}
    assert list(tmp_path.iterdir()) == []


def test_the_command_line_keeps_its_parse_cache_in_the_cache_folder(tmp_path: Path) -> None:
    case = tmp_path / "case.json"
    case.write_text(json.dumps({"age": 35, "regions": ["neck"], "pain": 4}), encoding="utf-8")
    env = {**os.environ, "SPASMCARE_CACHE_DIR": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "spasmcare", "triage", "--input", str(case), "--json"]
    first = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    entries = _entries(tmp_path / "cache")
    assert len(entries) > 20
    second = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    assert second.stdout == first.stdout
    assert json.loads(second.stdout)["disposition"] == "self_care"
    assert _entries(tmp_path / "cache") == entries
