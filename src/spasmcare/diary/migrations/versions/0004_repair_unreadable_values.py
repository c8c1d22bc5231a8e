"""Repair values that older versions accepted but that broke reading the diary or importing its own
export (issue 14). Nothing is deleted; no table changes.

- A number that is not finite (NaN, Infinity): SQLite kept a NaN score as NULL, so a "valid" scale
  result had no score and every list, export and report of the diary failed. Such scores become
  NULL and their result is marked not valid; a NaN or Infinity inside stored JSON (responses,
  results, intakes) becomes null.
- Control characters (U+0000 to U+001F but tab and line breaks, U+007F to U+009F): triggers or
  medicine names made only of U+001C to U+001F were stored as empty text, which the export could
  not import again. Control characters become spaces; empty tags are dropped; an empty medicine name
  becomes "unnamed medicine", an empty profile name "me", an empty band or risk NULL.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
UNNAMED_MEDICINE = "unnamed medicine"


def _notes(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    return CONTROL.sub(" ", value).strip()


def _line(value: Any) -> Any:
    """One line of text as the diary cleans it (control characters as spaces, runs of white space
    as one space); None when nothing is left."""
    if not isinstance(value, str):
        return value
    cleaned = " ".join(CONTROL.sub(" ", value).split())
    return cleaned or None


def _tags(value: Any) -> Any:
    if not isinstance(value, list):
        return value
    out: list[Any] = []
    for item in value:
        cleaned = _line(item)
        if isinstance(cleaned, str):
            cleaned = cleaned.lower()
        if cleaned is not None and cleaned not in out:
            out.append(cleaned)
    return out


def _medicine(value: Any) -> Any:
    if value is None:
        return None
    cleaned = _line(value)
    return cleaned.lower() if isinstance(cleaned, str) else UNNAMED_MEDICINE


def _name(value: Any) -> Any:
    return _line(value) or "me"


def _json(value: Any) -> Any:
    """Stored JSON without numbers that are not finite (as null) or control characters."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, str):
        return CONTROL.sub(" ", value)
    if isinstance(value, dict):
        return {CONTROL.sub(" ", str(k)): _json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json(v) for v in value]
    return value


def _score(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


FIXES: dict[str, dict[str, Callable[[Any], Any]]] = {
    "profiles": {"name": _name, "medicines": _tags},
    "episodes": {"triggers": _tags, "suspected_causes": _tags, "notes": _notes},
    "treatments": {"medicine": _medicine, "notes": _notes},
    "doses": {"medicine": _medicine, "notes": _notes},
    "triage_results": {"intake": _json, "result": _json, "notes": _notes},
    "scale_results": {
        "score": _score,
        "band": _line,
        "risk": _line,
        "responses": _json,
        "result": _json,
        "notes": _notes,
    },
}
TYPES: dict[str, Any] = {
    "medicines": JSON,
    "triggers": JSON,
    "suspected_causes": JSON,
    "intake": JSON,
    "result": JSON,
    "responses": JSON,
    "score": sa.Float(),
}


def upgrade() -> None:
    conn = op.get_bind()
    for name, fixes in FIXES.items():
        table = sa.table(
            name,
            sa.column("id", sa.Integer()),
            *(sa.column(col, TYPES.get(col, sa.Text())) for col in fixes),
        )
        rows = conn.execute(sa.select(table)).mappings().all()
        for row in rows:
            changed = {}
            for col, fix in fixes.items():
                new = fix(row[col])
                if new != row[col] or (isinstance(row[col], float) and not math.isfinite(row[col])):
                    changed[col] = new
            if changed:
                conn.execute(sa.update(table).where(table.c.id == row["id"]).values(**changed))
    scales = sa.table(
        "scale_results",
        sa.column("score", sa.Float()),
        sa.column("valid", sa.Boolean()),
        sa.column("scale", sa.String()),
        sa.column("band", sa.String()),
    )
    # A valid result needs a score (the Modified Ashworth Scale: a grade in band).
    conn.execute(
        sa.update(scales)
        .where(
            scales.c.valid.is_(True),
            scales.c.score.is_(None),
            sa.not_(sa.and_(scales.c.scale == "mas", scales.c.band.is_not(None))),
        )
        .values(valid=False)
    )


def downgrade() -> None:
    """The repaired values stay repaired (the old ones could not be read)."""
