"""Regenerate the generated part of docs/care-plan.md from the knowledge base: `python scripts/gen_care_docs.py`."""

from __future__ import annotations

from pathlib import Path

from spasmcare.knowledge import load_knowledge
from spasmcare.plan.docs import care_markdown, replace_generated

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    path = ROOT / "docs" / "care-plan.md"
    path.write_text(replace_generated(path.read_text(), care_markdown(load_knowledge())))
    print(f"updated {path}")


if __name__ == "__main__":
    main()
