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


def test_every_test_named_in_the_hazard_log_exists() -> None:
    """A mitigation is only as good as its test: each `tests/...` the hazard log names must exist,
    and a `file::name` must be a test defined in that file."""
    import re

    text = (ROOT / "docs" / "safety" / "hazards.md").read_text()
    refs = re.findall(r"`(tests/[^`\s]+)`", text)
    assert len(refs) > 50
    missing = []
    for ref in refs:
        path, _, name = ref.partition("::")
        target = ROOT / path
        if not target.exists():
            missing.append(ref)
            continue
        if name:
            base = name.split("[", 1)[0]
            source = target.read_text()
            if not re.search(
                rf"^(async )?def {re.escape(base)}\b|^class {re.escape(base)}\b", source, re.M
            ):
                missing.append(ref)
    assert not missing, f"the hazard log names tests that do not exist: {missing}"


def test_readme_and_docs_point_inside_the_repository() -> None:
    """The design document is docs/architecture.md; nothing points at ../shared or outside."""
    texts = {"README.md": (ROOT / "README.md").read_text()}
    texts |= {str(p.relative_to(ROOT)): p.read_text() for p in (ROOT / "docs").rglob("*.md")}
    for name, text in texts.items():
        assert "../shared" not in text and "shared/design" not in text, name
    assert "(docs/architecture.md)" in texts["README.md"]
    assert (ROOT / "docs" / "architecture.md").exists()
