"""The spasm diary: storage (SQLite or PostgreSQL), analytics, charts, import and export.

Open the diary with :func:`open_repository` (SQLite in the user data directory unless
``SPASMCARE_DATABASE_URL`` says otherwise; ``open_repository("sqlite://")`` for a throwaway one in
memory). :class:`DiaryRepository` has one store per kind of record, e.g.
``repo.episodes.create(profile_id, EpisodeCreate(...))``; see ``docs/diary.md``.

Every name here loads its module on first use, so that quick commands such as ``spasmcare log``
import only what they need (no charts, analytics or transfer code; no Alembic unless the schema
must change).
"""

from typing import TYPE_CHECKING

from spasmcare.lazy import lazy_exports

if TYPE_CHECKING:
    from spasmcare.diary.analytics import (
        DiaryStats,
        stats,
    )
    from spasmcare.diary.charts import (
        CHART_KINDS,
        render_chart,
    )
    from spasmcare.diary.db import (
        create_engine_for,
        current_revision,
        default_url,
        head_revision,
        schema_state,
        upgrade,
    )
    from spasmcare.diary.records import (
        Dashboard,
        DiaryBundle,
        DiarySnapshot,
        ImportSummary,
        Progress,
        bundle_from_snapshot,
        check_bundle,
    )
    from spasmcare.diary.recurrence import Recurrence, recurrence, recurrence_for
    from spasmcare.diary.repository import (
        MAX_LIMIT,
        DiaryRepository,
        Store,
        open_repository,
    )
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
    from spasmcare.diary.transfer import (
        FORMAT_VERSION,
        export_csv_zip,
        export_json,
        import_data,
        import_file,
        parse_bundle,
    )

_MODULES = {
    "db": (
        "create_engine_for",
        "current_revision",
        "default_url",
        "head_revision",
        "schema_state",
        "upgrade",
    ),
    "records": (
        "Dashboard",
        "DiaryBundle",
        "DiarySnapshot",
        "ImportSummary",
        "Progress",
        "bundle_from_snapshot",
        "check_bundle",
    ),
    "repository": ("MAX_LIMIT", "DiaryRepository", "Store", "open_repository"),
    "schemas": (
        "DoseCreate",
        "DosePublic",
        "DoseUpdate",
        "EpisodeCreate",
        "EpisodePublic",
        "EpisodeUpdate",
        "Page",
        "ProfileCreate",
        "ProfilePublic",
        "ProfileUpdate",
        "ScaleRecordCreate",
        "ScaleRecordPublic",
        "ScaleRecordUpdate",
        "TreatmentCreate",
        "TreatmentPublic",
        "TreatmentUpdate",
        "TriageRecordCreate",
        "TriageRecordPublic",
        "TriageRecordUpdate",
        "validate",
    ),
    "analytics": ("DiaryStats", "stats"),
    "recurrence": ("Recurrence", "recurrence", "recurrence_for"),
    "charts": ("CHART_KINDS", "render_chart"),
    "transfer": (
        "FORMAT_VERSION",
        "export_csv_zip",
        "export_json",
        "import_data",
        "import_file",
        "parse_bundle",
    ),
}
_LAZY = {name: f".{module}" for module, names in _MODULES.items() for name in names}


__getattr__ = lazy_exports(__name__, _LAZY, globals())


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
    "Page",
    "ProfileCreate",
    "ProfilePublic",
    "ProfileUpdate",
    "Progress",
    "Recurrence",
    "ScaleRecordCreate",
    "ScaleRecordPublic",
    "ScaleRecordUpdate",
    "Store",
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
