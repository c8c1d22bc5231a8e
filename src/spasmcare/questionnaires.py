"""Imported questionnaires on disk: ``<data_dir>/questionnaires/<scale>.json``, owner-only.

An adapter over :mod:`spasmcare.scales.questionnaire` (which maps a FHIR Questionnaire onto a scale
without touching files). Writing is atomic: the JSON goes to a temporary file in the same folder,
is flushed to disk, and is renamed over the target, so a failed import never leaves a partial or
changed file behind. The data directory is passed in (the CLI reads it from the settings).
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from spasmcare.errors import ConflictError, ImportFileError, Problem, StorageError
from spasmcare.scales.questionnaire import (
    ImportedQuestionnaire,
    check_imported,
    parse_questionnaire,
)

FOLDER = "questionnaires"


def questionnaire_path(data_dir: Path, scale_id: str) -> Path:
    return data_dir / FOLDER / f"{scale_id}.json"


def read_questionnaire_file(path: Path) -> Any:
    """The parsed JSON of a questionnaire file; ImportFileError naming the line and column."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ImportFileError(
            f"file not found: {path}", [Problem("file", "no such file")]
        ) from None
    except OSError as exc:
        raise ImportFileError(
            f"cannot read {path}", [Problem("file", exc.strerror or str(exc))]
        ) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            f"{path} is not UTF-8 text", [Problem("file", str(exc), "UTF-8 JSON")]
        ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            f"{path} is not valid JSON; nothing was stored",
            [
                Problem(
                    f"line {exc.lineno}, column {exc.colno}", exc.msg, "a FHIR JSON Questionnaire"
                )
            ],
        ) from None


def _write_atomic(target: Path, text: str) -> None:
    folder = target.parent
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(folder, 0o700)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".tmp", dir=folder)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_questionnaire(
    data_dir: Path, questionnaire: ImportedQuestionnaire, *, replace: bool = False
) -> Path:
    """Store an imported questionnaire; ConflictError if one exists and ``replace`` is False."""
    target = questionnaire_path(data_dir, questionnaire.scale)
    if target.exists() and not replace:
        raise ConflictError(
            f"a questionnaire for {questionnaire.scale} is already imported",
            [Problem("scale", f"{target} exists", "use --replace to overwrite it")],
        )
    text = json.dumps(questionnaire.model_dump(mode="json"), indent=2, ensure_ascii=False)
    try:
        _write_atomic(target, text + "\n")
    except OSError as exc:
        raise StorageError(
            f"could not store the questionnaire in {target.parent}",
            [Problem("file", exc.strerror or str(exc))],
        ) from exc
    return target


def import_questionnaire(
    data_dir: Path,
    path: Path,
    *,
    now: datetime,
    scale_id: str | None = None,
    link_map: dict[str, str] | None = None,
    replace: bool = False,
) -> tuple[ImportedQuestionnaire, Path]:
    """Read, map, check and store a FHIR Questionnaire file; on any failure nothing is stored."""
    data = read_questionnaire_file(path)
    parsed = parse_questionnaire(data, scale_id=scale_id, link_map=link_map)
    stamped = parsed.model_copy(update={"imported_at": now.isoformat()})
    return stamped, save_questionnaire(data_dir, stamped, replace=replace)


def load_questionnaire(data_dir: Path, scale_id: str) -> ImportedQuestionnaire | None:
    """The stored questionnaire for a scale, None when none was imported; StorageError if damaged."""
    target = questionnaire_path(data_dir, scale_id)
    if not target.exists():
        return None
    try:
        stored = ImportedQuestionnaire.model_validate_json(target.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValidationError) as exc:
        raise StorageError(
            f"the stored questionnaire {target} is damaged; import it again",
            [Problem("file", str(exc).splitlines()[0])],
        ) from exc
    problems = check_imported(stored)
    if stored.scale != scale_id:
        problems.append(Problem("scale", f"holds {stored.scale!r}", scale_id))
    if problems:
        raise StorageError(
            f"the stored questionnaire {target} no longer fits {scale_id}; import it again",
            problems,
        )
    return stored


def stored_scales(data_dir: Path) -> list[str]:
    """The scale ids that have an imported questionnaire."""
    folder = data_dir / FOLDER
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("*.json") if not p.name.startswith("."))
