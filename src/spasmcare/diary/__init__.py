"""The spasm diary: storage (SQL and in memory), analytics, charts, import and export.

Open the diary with :func:`open_repository` (SQLite in the user data directory unless
``SPASMCARE_DATABASE_URL`` says otherwise) or use :class:`MemoryRepository` in tests. Every method of
:class:`DiaryRepository` takes the profile id; see ``docs/diary.md``.
"""

from spasmcare.diary.db import (
    create_engine_for,
    current_revision,
    default_url,
    head_revision,
    open_repository,
    schema_state,
    upgrade,
)
from spasmcare.diary.memory import MemoryRepository
from spasmcare.diary.records import (
    Dashboard,
    DiaryBundle,
    DiarySnapshot,
    ImportSummary,
    Progress,
    bundle_from_snapshot,
    check_bundle,
)
from spasmcare.diary.repository import MAX_LIMIT, DiaryRepository
from spasmcare.diary.schemas import (
    DoseCreate,
    DosePublic,
    DoseUpdate,
    EpisodeCreate,
    EpisodePublic,
    EpisodeUpdate,
    Page,
    ProfileCreate,
    ProfilePublic,
    ProfileUpdate,
    ScaleRecordCreate,
    ScaleRecordPublic,
    ScaleRecordUpdate,
    TreatmentCreate,
    TreatmentPublic,
    TreatmentUpdate,
    TriageRecordCreate,
    TriageRecordPublic,
    TriageRecordUpdate,
    validate,
)
from spasmcare.diary.sql import SqlRepository

__all__ = [
    "MAX_LIMIT",
    "Dashboard",
    "DiaryBundle",
    "DiaryRepository",
    "DiarySnapshot",
    "DoseCreate",
    "DosePublic",
    "DoseUpdate",
    "EpisodeCreate",
    "EpisodePublic",
    "EpisodeUpdate",
    "ImportSummary",
    "MemoryRepository",
    "Page",
    "ProfileCreate",
    "ProfilePublic",
    "ProfileUpdate",
    "Progress",
    "ScaleRecordCreate",
    "ScaleRecordPublic",
    "ScaleRecordUpdate",
    "SqlRepository",
    "TreatmentCreate",
    "TreatmentPublic",
    "TreatmentUpdate",
    "TriageRecordCreate",
    "TriageRecordPublic",
    "TriageRecordUpdate",
    "bundle_from_snapshot",
    "check_bundle",
    "create_engine_for",
    "current_revision",
    "default_url",
    "head_revision",
    "open_repository",
    "schema_state",
    "upgrade",
    "validate",
]
