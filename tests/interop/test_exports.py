"""The public API of spasmcare.interop and spasmcare.report is pinned: changing it is deliberate."""

from __future__ import annotations

import spasmcare.interop
import spasmcare.report


def test_interop_exports() -> None:
    assert sorted(spasmcare.interop.__all__) == [
        "CdsRequestError",
        "Codes",
        "Coding",
        "HOOK",
        "INTAKE_QUESTIONNAIRE",
        "PrefetchMissingError",
        "SERVICE_ID",
        "diary_to_fhir",
        "discovery",
        "export_bundle",
        "fhir_to_diary",
        "import_bundle",
        "intake_items",
        "is_intake_response",
        "load_codes",
        "patient_view",
        "plan_summary",
        "read_intake",
        "validation_problems",
    ]
    for name in spasmcare.interop.__all__:
        assert getattr(spasmcare.interop, name) is not None


def test_report_exports() -> None:
    assert sorted(spasmcare.report.__all__) == [
        "Answer",
        "FindingStatus",
        "ReportData",
        "build_report",
        "current_plan",
        "in_period",
        "make_report",
        "medicine_safety",
        "pain_chart",
        "period_bounds",
        "plan_intake",
        "red_flags",
        "render_html",
        "render_pdf",
    ]
    for name in spasmcare.report.__all__:
        assert getattr(spasmcare.report, name) is not None
