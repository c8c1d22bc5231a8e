"""The lexicon (lexicon.yaml, knowledge base 1.1.0): loaded and validated with the knowledge base,
every problem reported with its path, every finding that a rule uses given lay words."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import pytest
import yaml

from spasmcare.errors import KnowledgeError
from spasmcare.knowledge import KnowledgeBase, load_knowledge
from spasmcare.knowledge.lexicon import BACK, lexicon_problems, parse_lexicon
from spasmcare.knowledge.loader import load_directory

DATA = Path(str(resources.files("spasmcare.knowledge").joinpath("data")))


def test_the_default_knowledge_base_has_a_lexicon_and_1_0_0_has_none(kb: KnowledgeBase) -> None:
    assert kb.lexicon is not None
    assert load_knowledge("1.0.0").lexicon is None
    assert lexicon_problems(kb.lexicon, kb.findings) == []


@pytest.mark.parametrize("version", sorted(p.name for p in DATA.iterdir() if p.is_dir()))
def test_every_shipped_version_passes_the_whole_check_that_start_up_leaves_out(
    version: str,
) -> None:
    """load_knowledge trusts a shipped version's patterns to compile (it saves ~130 ms a start);
    this is where they are compiled, each one, and where a pattern matching empty text fails."""
    kb = load_directory(DATA / version)  # not shipped=True: every pattern is compiled
    assert kb.version == version
    if kb.lexicon is not None:
        assert lexicon_problems(kb.lexicon, kb.findings, compile_patterns=True) == []


def test_a_shipped_load_still_checks_everything_but_compiling() -> None:
    """Without compiling, the load still finds unknown findings, macros and phrase clashes."""
    kb = load_knowledge()
    assert kb.lexicon is not None
    raw = kb.lexicon.model_dump()
    raw["findings"]["fever"]["patterns"].append("@nosuchmacro pain")
    raw["findings"]["feverr"] = {"phrases": ["fevers galore"]}
    _parsed, problems = parse_lexicon(raw, kb.findings, compile_patterns=False)
    text = [str(p) for p in problems]
    assert any("unknown macro @nosuchmacro" in t for t in text), text
    assert any("unknown finding 'feverr'" in t for t in text), text


def test_every_finding_a_rule_uses_has_lay_words(kb: KnowledgeBase) -> None:
    assert kb.lexicon is not None
    used = set().union(*(r.findings for r in kb.active_rules))
    worded = set(kb.lexicon.findings) | {f for c in kb.lexicon.combined for f in c.findings}
    assert used - worded == set()


def test_every_region_has_words(kb: KnowledgeBase) -> None:
    from spasmcare.knowledge.body import REGIONS

    assert kb.lexicon is not None
    assert set(kb.lexicon.regions) == {*REGIONS, BACK}


def _broken_copy(tmp_path: Path, change: dict[str, object]) -> Path:
    root = tmp_path / "1.1.0"
    shutil.copytree(DATA / "1.1.0", root)
    path = root / "lexicon.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key, value in change.items():
        section, _, name = key.partition(".")
        if name:
            data[section][name] = value
        else:
            data[section] = value
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return root


def test_every_lexicon_problem_is_reported_with_its_path(tmp_path: Path) -> None:
    root = _broken_copy(
        tmp_path,
        {
            "findings.feverr": {"phrases": ["fevers galore"]},
            "findings.fever": {"phrases": ["Fever"], "patterns": ["(unclosed"]},
            "findings.chills": {"patterns": ["@nosuchmacro pain"]},
            "regions.elbow": {"phrases": ["elbow"]},
            "findings.chest_pain": {"phrases": ["heart pain"], "yields_to": ["nothing_here"]},
            "findings.cold_sweat": {"phrases": ["chest pain"], "patterns": ["x?"]},
        },
    )
    with pytest.raises(KnowledgeError) as exc:
        load_directory(root)
    messages = [str(p) for p in exc.value.problems]
    expected = [
        "lexicon.yaml: findings.feverr: unknown finding 'feverr'",
        "lexicon.yaml: findings.fever.phrases[0]: 'Fever': write phrases in lower case",
        "lexicon.yaml: findings.fever.patterns[0]: not a valid regular expression",
        "lexicon.yaml: findings.chills.patterns[0]: unknown macro @nosuchmacro",
        "lexicon.yaml: regions.elbow: unknown region 'elbow'",
        "lexicon.yaml: findings.chest_pain.yields_to[0]: not another finding: 'nothing_here'",
        "lexicon.yaml: findings.cold_sweat.patterns[0]: matches empty text",
    ]
    for want in expected:
        assert any(m.startswith(want) for m in messages), (want, messages)


def test_a_phrase_given_to_two_findings_is_a_problem(kb: KnowledgeBase) -> None:
    assert kb.lexicon is not None
    raw = kb.lexicon.model_dump()
    raw["findings"]["cold_sweat"]["phrases"].append("chest pain")
    parsed, problems = parse_lexicon(raw, kb.findings)
    assert parsed is None
    assert any("'chest pain' is also a phrase of chest_pain" in str(p) for p in problems)


def test_a_malformed_lexicon_file_is_reported_not_raised(tmp_path: Path) -> None:
    root = _broken_copy(tmp_path, {"context": "not a list"})
    with pytest.raises(KnowledgeError) as exc:
        load_directory(root)
    assert any(str(p).startswith("lexicon.yaml: context") for p in exc.value.problems)
