"""The diary schema's revisions, read from the migration files without Alembic or SQLAlchemy (so a
command can check a diary's schema version cheaply)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

__all__ = ["MIGRATIONS", "head_revision", "revisions"]

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_REVISION = re.compile(r"^(down_)?revision\s*=\s*(None|\"([^\"]+)\")", re.MULTILINE)


@cache
def revisions() -> dict[str, str | None]:
    """Every shipped migration's id and the id it follows (``None``: the first)."""
    found: dict[str, str | None] = {}
    for path in (MIGRATIONS / "versions").glob("*.py"):
        ids = {bool(m[1]): m[3] for m in _REVISION.finditer(path.read_text(encoding="utf-8"))}
        if ids.get(False):
            found[ids[False]] = ids.get(True)
    return found


def head_revision() -> str:
    """The newest migration shipped with this version of spasmcare."""
    found = revisions()
    (head,) = set(found) - set(found.values())
    return head
