"""docs/care-plan.md is generated from the care data: a test fails when an item is undocumented."""

from __future__ import annotations

from pathlib import Path

from spasmcare.knowledge import KnowledgeBase
from spasmcare.plan.docs import BEGIN, END, care_markdown, replace_generated

PAGE = Path(__file__).resolve().parents[2] / "docs" / "care-plan.md"


def test_the_care_page_matches_the_data(kb: KnowledgeBase) -> None:
    text = PAGE.read_text()
    generated = BEGIN + text.split(BEGIN, 1)[1].split(END, 1)[0] + END + "\n"
    assert generated == care_markdown(kb), (
        "docs/care-plan.md is out of date: run python scripts/gen_care_docs.py"
    )


def test_every_care_item_is_documented(kb: KnowledgeBase) -> None:
    text = PAGE.read_text()
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
    page = f"# Title\n\nhand-written\n\n{BEGIN}\nold\n{END}\n\nafter\n"
    new = replace_generated(page, care_markdown(kb))
    assert new.startswith("# Title\n\nhand-written\n\n" + BEGIN)
    assert new.endswith(END + "\n\nafter\n") and "\nold\n" not in new
    assert replace_generated("# Page\n", "GEN\n") == "# Page\n\nGEN\n"
