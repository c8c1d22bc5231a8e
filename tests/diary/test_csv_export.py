"""The CSV export cannot run formulas: a cell whose text starts with =, +, -, @, a tab or a carriage
return is written with a leading apostrophe, as OWASP's CSV injection guidance recommends; numbers
are left as numbers."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, datetime

import pytest

from spasmcare.diary import DiaryRepository
from spasmcare.diary.transfer import FORMULA_STARTS, export_csv_zip
from tests.diary.factories import (
    at,
    dose,
    episode,
    memory_repository,
    profile,
    scale_record,
    treatment,
)

NASTY = ['=HYPERLINK("http://x")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)"]


def _sheets(repo: DiaryRepository, profile_id: int) -> dict[str, list[dict[str, str]]]:
    buffer = io.BytesIO()
    export_csv_zip(repo, profile_id, buffer, datetime(2026, 2, 1, tzinfo=UTC))
    out = {}
    with zipfile.ZipFile(buffer) as archive:
        for name in archive.namelist():
            if name.endswith(".csv"):
                text = archive.read(name).decode("utf-8")
                out[name] = list(csv.DictReader(io.StringIO(text)))
    return out


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("nasty", NASTY)
def test_cells_that_start_like_a_formula_are_neutralised(nasty: str) -> None:
    repo = memory_repository()
    me = repo.profiles.create(profile(name=nasty, medicines=[nasty])).id
    e = repo.episodes.create(me, episode(triggers=[nasty, "desk"], notes=nasty))
    repo.treatments.create(
        me, treatment(kind="medicine", medicine=nasty, dose_mg=200, episode_id=e.id, notes=nasty)
    )
    repo.doses.create(me, dose(medicine=nasty, notes=nasty))
    repo.scale_records.create(me, scale_record(score=-3.0, band=nasty, notes=nasty))
    sheets = _sheets(repo, me)
    cells = [cell for rows in sheets.values() for row in rows for cell in row.values()]
    formulas = [c for c in cells if c.startswith(FORMULA_STARTS) and not _number(c)]
    assert not formulas, "a cell starts like a formula"
    lowered = nasty.lower()
    assert sheets["episodes.csv"][0]["triggers"] == f"'{lowered}; desk"
    assert sheets["episodes.csv"][0]["notes"] == f"'{nasty}"
    assert sheets["doses.csv"][0]["medicine"] == f"'{lowered}"
    assert f"'{nasty}" in {row["notes"] for row in sheets["doses.csv"]}
    assert sheets["profile.csv"][0]["name"] == f"'{nasty}"
    assert sheets["scale_results.csv"][0]["score"] == "-3.0", "numbers stay numbers"


def test_ordinary_text_is_unchanged() -> None:
    repo = memory_repository()
    me = repo.profiles.create(profile()).id
    repo.episodes.create(me, episode(started_at=at(), triggers=["desk", "a-b"], notes="fine = ok"))
    row = _sheets(repo, me)["episodes.csv"][0]
    assert row["triggers"] == "desk; a-b" and row["notes"] == "fine = ok"
