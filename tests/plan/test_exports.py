"""The care plan's public API is pinned: adding or removing an export is a deliberate change."""

from __future__ import annotations

import spasmcare.plan


def test_plan_exports() -> None:
    assert sorted(spasmcare.plan.__all__) == sorted(
        [
            "CalendarEvent",
            "CarePlan",
            "CheckReason",
            "DoseTaken",
            "HelpSign",
            "MedicineAdvice",
            "OtherOption",
            "Phase",
            "PlanStep",
            "PlanWarning",
            "StretchCard",
            "build_plan",
            "medicine_by_name",
            "plan_events",
            "timer_phases",
            "to_ics",
        ]
    )
    for name in spasmcare.plan.__all__:
        assert getattr(spasmcare.plan, name) is not None


def test_medicine_by_name_finds_generics_and_brands_only(kb: object) -> None:
    from spasmcare.knowledge import KnowledgeBase

    assert isinstance(kb, KnowledgeBase)
    found = spasmcare.plan.medicine_by_name(kb, "MOTRIN")
    assert found is not None and found.id == "ibuprofen"
    assert spasmcare.plan.medicine_by_name(kb, "Vicodin") is None, (
        "a combination is not one medicine"
    )
    assert spasmcare.plan.medicine_by_name(kb, "zzz") is None
