"""Regenerate the generated parts of docs/ from the knowledge base: `python scripts/gen_docs.py`."""

from __future__ import annotations

from pathlib import Path

from spasmcare.knowledge import load_knowledge
from spasmcare.knowledge.docs import replace_generated, rules_markdown

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    path = ROOT / "docs" / "triage.md"
    path.write_text(replace_generated(path.read_text(), rules_markdown(load_knowledge())))
    print(f"updated {path}")


if __name__ == "__main__":
    main()
