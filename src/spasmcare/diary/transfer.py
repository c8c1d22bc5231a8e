"""Export and import of a diary: JSON (lossless, for backups and moving) and CSV (for spreadsheets).

JSON export is one object: ``format`` (``spasmcare-diary``), ``format_version``, ``exported_at`` and
the :class:`~spasmcare.diary.records.DiaryBundle` fields (``profile``, ``episodes``, ``treatments``,
``doses``, ``triage_results``, ``scale_results``). Importing it gives back the same data.

CSV export is a ZIP file with one CSV per kind of record (lists joined with ``; ``, nested data as JSON
text). It is for reading in a spreadsheet; import only reads JSON.

Import checks the whole file first and writes nothing unless every record is valid; the error lists
each bad record and field, e.g. ``episodes[12].worst_pain: 11 is out of range (allowed: 0 to 10)``.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from spasmcare.diary.records import (
    DiaryBundle,
    DoseRow,
    EpisodeRow,
    ImportSummary,
    ProfileRow,
    Progress,
    ScaleRow,
    TreatmentRow,
    TriageRow,
    bundle_problems,
)
from spasmcare.diary.repository import DiaryRepository
from spasmcare.diary.schemas import HINTS
from spasmcare.errors import ImportFileError, InputError, Problem, problems_from_validation
from spasmcare.safejson import IMPORT_LIMIT, read_file

__all__ = [
    "CSV_FILES",
    "FORMAT",
    "FORMAT_VERSION",
    "FORMULA_STARTS",
    "MAX_PROBLEMS",
    "export_csv_zip",
    "export_json",
    "import_data",
    "import_file",
    "neutralise",
    "parse_bundle",
    "read_json_file",
]

FORMAT = "spasmcare-diary"
FORMAT_VERSION = 1
MAX_PROBLEMS = 100
SECTIONS: dict[str, type[BaseModel]] = {
    "episodes": EpisodeRow,
    "treatments": TreatmentRow,
    "doses": DoseRow,
    "triage_results": TriageRow,
    "scale_results": ScaleRow,
}
CSV_FILES = ("profile.csv", *(f"{name}.csv" for name in SECTIONS))


def export_json(
    repo: DiaryRepository, profile_id: int, now: datetime, progress: Progress | None = None
) -> dict[str, Any]:
    """The profile's whole diary as JSON-ready data, with the format header."""
    from spasmcare import __version__

    bundle = repo.export_bundle(profile_id, progress)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": now.isoformat(),
        "spasmcare_version": __version__,
        **bundle.model_dump(mode="json"),
    }


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A spreadsheet may run a cell that starts with one of these as a formula (CSV injection)."""


def neutralise(text: str) -> str:
    """Text as a spreadsheet shows it but never runs it: a leading apostrophe before a cell that
    starts like a formula (OWASP, CSV Injection)."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)  # a number is never a formula, and "-3.0" must stay a number
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return neutralise("; ".join(value))
    if isinstance(value, dict | list):
        return neutralise(json.dumps(value, ensure_ascii=False, sort_keys=True))
    return neutralise(str(value))


def export_csv_zip(
    repo: DiaryRepository,
    profile_id: int,
    target: Path | io.BytesIO,
    now: datetime,
    progress: Progress | None = None,
) -> list[str]:
    """Write a ZIP of CSV files (one per kind of record); return the file names inside."""
    data = export_json(repo, profile_id, now, progress)
    written: list[str] = []
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        sections: dict[str, tuple[list[str], list[dict[str, Any]]]] = {
            "profile": (list(ProfileRow.model_fields), [data["profile"]]),
        }
        for name, model in SECTIONS.items():
            sections[name] = (list(model.model_fields), data[name])
        for name, (columns, rows) in sections.items():
            ordered = ["id", *[c for c in columns if c != "id"]] if "id" in columns else columns
            text = io.StringIO()
            writer = csv.writer(text, lineterminator="\n")
            writer.writerow(ordered)
            for row in rows:
                writer.writerow([_cell(row.get(c)) for c in ordered])
            archive.writestr(f"{name}.csv", text.getvalue())
            written.append(f"{name}.csv")
        archive.writestr(
            "README.txt",
            f"spasmcare diary export ({FORMAT} {FORMAT_VERSION}), {data['exported_at']}.\n"
            "One CSV per kind of record. Lists are joined with '; '; nested data is JSON text.\n"
            "Text that starts with = + - @ (which a spreadsheet could run as a formula) has an\n"
            "apostrophe in front.\n"
            "Times are in UTC (ISO 8601). For a backup that can be imported, export JSON.\n",
        )
    return written


def read_json_file(path: Path) -> Any:
    """Read a JSON file with :func:`spasmcare.safejson.read_file` (at most 20 MB, finite numbers,
    at most 64 levels of nesting); a problem raises ImportFileError with the line and column or the
    path of each bad value."""
    try:
        return read_file(path, max_bytes=IMPORT_LIMIT)
    except InputError as exc:
        raise ImportFileError(exc.summary, exc.problems) from None


def _header_problems(data: Mapping[str, Any]) -> list[Problem]:
    found: list[Problem] = []
    if data.get("format") != FORMAT:
        found.append(
            Problem(
                "format", f"{data.get('format')!r} is not a spasmcare diary export", repr(FORMAT)
            )
        )
    version = data.get("format_version")
    if (
        not isinstance(version, int)
        or isinstance(version, bool)
        or not 1 <= version <= FORMAT_VERSION
    ):
        found.append(
            Problem(
                "format_version",
                f"{version!r} is not a version this spasmcare can read",
                ", ".join(str(v) for v in range(1, FORMAT_VERSION + 1)),
            )
        )
    known = {"format", "format_version", "exported_at", "spasmcare_version", "profile", *SECTIONS}
    for key in data:
        if key not in known:
            found.append(Problem(str(key), f"unknown section {key!r}", ", ".join(sorted(known))))
    return found


def parse_bundle(data: object, progress: Progress | None = None) -> DiaryBundle:
    """Check a whole export file and return it as a bundle, or raise :class:`ImportFileError` listing
    every bad record and field (at most :data:`MAX_PROBLEMS`)."""
    if not isinstance(data, Mapping):
        raise ImportFileError(
            "the file is not a diary export",
            [
                Problem(
                    "",
                    f"got {type(data).__name__}",
                    "a JSON object with format, profile, episodes...",
                )
            ],
        )
    found = _header_problems(data)
    if found:
        raise ImportFileError("the file is not a diary export this spasmcare can read", found)
    total = 1 + sum(len(v) for k, v in data.items() if k in SECTIONS and isinstance(v, list))
    done = 0
    parsed: dict[str, Any] = {}
    try:
        parsed["profile"] = ProfileRow.model_validate(data.get("profile"))
    except ValidationError as exc:
        found += problems_from_validation(exc, ProfileRow, "profile", hints=HINTS)
    for name, model in SECTIONS.items():
        rows = data.get(name, [])
        if not isinstance(rows, list):
            found.append(Problem(name, f"is a {type(rows).__name__}", "a list of records"))
            continue
        good: list[BaseModel] = []
        for i, row in enumerate(rows):
            try:
                good.append(model.model_validate(row))
            except ValidationError as exc:
                found += problems_from_validation(exc, model, f"{name}[{i}]", hints=HINTS)
            done += 1
            if progress is not None and done % 1000 == 0:
                progress(done, total)
        parsed[name] = good
        if len(found) > MAX_PROBLEMS:
            break
    if not found:
        bundle = DiaryBundle.model_construct(**parsed)
        found = bundle_problems(bundle)
        if not found:
            if progress is not None:
                progress(total, total)
            return bundle
    shown = found[:MAX_PROBLEMS]
    if len(found) > MAX_PROBLEMS:
        shown.append(Problem("", f"... and more problems; fix these {MAX_PROBLEMS} first"))
    raise ImportFileError("the diary file has errors; nothing was imported", shown)


def import_data(
    repo: DiaryRepository,
    data: object,
    *,
    into_profile: int | None = None,
    owner: str | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> ImportSummary:
    """Check then import export data in one transaction (all or nothing).

    ``progress(stage, done, total)`` is called with stage ``"checking"`` and then ``"writing"``.
    """

    def stage(name: str) -> Progress | None:
        if progress is None:
            return None
        return lambda done, total: progress(name, done, total)

    bundle = parse_bundle(data, stage("checking"))
    return repo.import_bundle(
        bundle, into_profile=into_profile, owner=owner, progress=stage("writing")
    )


def import_file(
    repo: DiaryRepository,
    path: Path,
    *,
    into_profile: int | None = None,
    owner: str | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> ImportSummary:
    """Import a JSON export file (see :func:`import_data`)."""
    return import_data(
        repo, read_json_file(path), into_profile=into_profile, owner=owner, progress=progress
    )
