"""Documentation that must stay true: generated rule docs, and the pages every area needs."""

from __future__ import annotations

from pathlib import Path

from spasmcare.knowledge import KnowledgeBase
from spasmcare.knowledge.docs import BEGIN, END, rules_markdown

ROOT = Path(__file__).resolve().parents[1]


def test_triage_docs_match_the_rule_files(kb: KnowledgeBase) -> None:
    text = (ROOT / "docs" / "triage.md").read_text()
    generated = BEGIN + text.split(BEGIN, 1)[1].split(END, 1)[0] + END + "\n"
    assert generated == rules_markdown(kb), (
        "docs/triage.md is out of date: run python scripts/gen_docs.py"
    )
    for rule in kb.rules:
        assert f"| {rule.id} | {rule.title} |" in text, f"rule {rule.id} is undocumented"


def test_safety_docs_exist() -> None:
    for name in ("intended-use.md", "hazards.md", "change-control.md"):
        assert (ROOT / "docs" / "safety" / name).is_file(), name


def test_readme_has_the_two_commands() -> None:
    text = (ROOT / "README.md").read_text()
    assert "make run" in text and "make test" in text
