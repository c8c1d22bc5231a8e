"""The spasm diary: storage (SQL and in memory), analytics, charts, import and export.

Open the diary with :func:`open_repository` (SQLite in the user data directory unless
``SPASMCARE_DATABASE_URL`` says otherwise) or use :class:`MemoryRepository` in tests. Every method of
:class:`DiaryRepository` takes the profile id; see ``docs/diary.md``.
"""

from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from spasmcare.diary.analytics import (
        DiaryStats,
        Recurrence,
        recurrence,
        recurrence_for,
        stats,
    )
    from spasmcare.diary.charts import CHART_KINDS, render_chart
    from spasmcare.diary.transfer import (
        FORMAT_VERSION,
        export_csv_zip,
        export_json,
        import_data,
        import_file,
        parse_bundle,
    )

# Analytics (which loads the scales), charts and transfer load on first use, so that quick commands
# such as `spasmcare log` start faster.
_LAZY = {
    "DiaryStats": "analytics",
    "Recurrence": "analytics",
    "recurrence": "analytics",
    "recurrence_for": "analytics",
    "stats": "analytics",
    "CHART_KINDS": "charts",
    "render_chart": "charts",
    "FORMAT_VERSION": "transfer",
    "export_csv_zip": "transfer",
    "export_json": "transfer",
    "import_data": "transfer",
    "import_file": "transfer",
    "parse_bundle": "transfer",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'spasmcare.diary' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"spasmcare.diary.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "CHART_KINDS",
    "FORMAT_VERSION",
    "MAX_LIMIT",
    "Dashboard",
    "DiaryBundle",
    "DiaryRepository",
    "DiarySnapshot",
    "DiaryStats",
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
    "Recurrence",
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
    "export_csv_zip",
    "export_json",
    "head_revision",
    "import_data",
    "import_file",
    "open_repository",
    "parse_bundle",
    "recurrence",
    "recurrence_for",
    "render_chart",
    "schema_state",
    "stats",
    "upgrade",
    "validate",
]
