"""Documentation that must stay true: generated rule docs, and the pages every area needs."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from spasmcare.knowledge import KnowledgeBase

ROOT = Path(__file__).resolve().parents[1]


def _gen_docs() -> ModuleType:
    """scripts/gen_docs.py, the generator of docs/triage.md and docs/care-plan.md (not installed)."""
    spec = importlib.util.spec_from_file_location("gen_docs", ROOT / "scripts" / "gen_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gen = _gen_docs()


def _generated(text: str, begin: str, end: str) -> str:
    return begin + text.split(begin, 1)[1].split(end, 1)[0] + end + "\n"


def test_triage_docs_match_the_rule_files(kb: KnowledgeBase) -> None:
    text = (ROOT / "docs" / "triage.md").read_text()
    assert _generated(text, gen.RULES_BEGIN, gen.RULES_END) == gen.rules_markdown(kb), (
        "docs/triage.md is out of date: run python scripts/gen_docs.py"
    )
    for rule in kb.rules:
        assert f"| {rule.id} | {rule.title} |" in text, f"rule {rule.id} is undocumented"


def test_the_care_page_matches_the_data(kb: KnowledgeBase) -> None:
    text = (ROOT / "docs" / "care-plan.md").read_text()
    assert _generated(text, gen.CARE_BEGIN, gen.CARE_END) == gen.care_markdown(kb), (
        "docs/care-plan.md is out of date: run python scripts/gen_docs.py"
    )


def test_every_care_item_is_documented(kb: KnowledgeBase) -> None:
    text = (ROOT / "docs" / "care-plan.md").read_text()
    care = kb.care
    ids = [
        *(i.id for i in care.items),
        *care.remedies,
        *(s.id for s in care.stretches),
        *care.medicines,
        *(c.id for c in care.checks),
        *care.timers,
        *care.messages,
    ]
    for ident in ids:
        assert f"| `{ident}` |" in text, f"{ident} is undocumented"


def test_regenerating_replaces_only_the_generated_part(kb: KnowledgeBase) -> None:
    for begin, end, render in (
        (gen.CARE_BEGIN, gen.CARE_END, gen.care_markdown),
        (gen.RULES_BEGIN, gen.RULES_END, gen.rules_markdown),
    ):
        page = f"# Title\n\nhand-written\n\n{begin}\nold\n{end}\n\nafter\n"
        new = gen.replace_generated(page, render(kb))
        assert new.startswith("# Title\n\nhand-written\n\n" + begin)
        assert new.endswith(end + "\n\nafter\n") and "\nold\n" not in new
        assert gen.replace_generated(new, render(kb)) == new
    assert gen.replace_generated("# Page\n", "GEN\n") == "# Page\n\nGEN\n"


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
