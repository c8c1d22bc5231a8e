"""FHIR R4 export and import of a whole diary, through the diary repository.

``export_bundle`` writes every record of a profile as a FHIR R4 collection Bundle (checked with
fhir.resources' R4B models before it is returned); ``import_bundle`` checks a bundle completely and
then writes it in one transaction, so a broken file changes nothing. The mapping is in
:mod:`spasmcare.interop.fhir_out` and :mod:`spasmcare.interop.fhir_in`; docs/interop.md shows it.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from spasmcare.errors import Problem
from spasmcare.interop.fhir_in import check_envelope, fhir_to_diary, parse_entries
from spasmcare.interop.fhir_out import diary_to_fhir
from spasmcare.knowledge import KnowledgeBase

if TYPE_CHECKING:
    from spasmcare.diary import DiaryRepository, ImportSummary, Progress


def validation_problems(bundle: object) -> list[Problem]:
    """Every problem fhir.resources' R4B models (and spasmcare's bundle rules) find in ``bundle``."""
    problems = check_envelope(bundle)
    if problems:
        return problems
    assert isinstance(bundle, dict)
    return parse_entries(bundle)[1]


def export_bundle(
    repo: DiaryRepository,
    profile_id: int,
    *,
    kb: KnowledgeBase,
    now: datetime,
    plan: dict[str, Any] | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """The FHIR R4 Bundle of one profile's diary (JSON data), stamped with ``now``.

    ``plan`` is the care plan to include as a CarePlan (``{title, description, activities, notes}``).
    """
    bundle = diary_to_fhir(repo.export_bundle(profile_id, progress), kb, now=now, plan=plan)
    problems = validation_problems(bundle)
    if problems:  # a bug in the exporter, never the user's data: fail loudly
        raise AssertionError(f"spasmcare wrote an invalid FHIR bundle: {problems[:3]}")
    return bundle


def import_bundle(
    repo: DiaryRepository,
    data: object,
    *,
    now: datetime,
    into_profile: int | None = None,
    owner: str | None = None,
    progress: Progress | None = None,
) -> ImportSummary:
    """Check a spasmcare FHIR bundle completely, then write it in one transaction.

    Raises :class:`~spasmcare.errors.ImportFileError` naming every resource and path at fault;
    nothing is written then.
    """
    diary = fhir_to_diary(data, now=now)
    return repo.import_bundle(diary, into_profile=into_profile, owner=owner, progress=progress)


__all__ = ["export_bundle", "import_bundle", "validation_problems"]
