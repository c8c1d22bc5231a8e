"""The care plan: what to do now and in the coming days, and which medicines are safe for this person.

``build_plan(intake, kb)`` turns a triage result into a :class:`CarePlan`; every step carries its
evidence grade and sources, and each medicine option a safety verdict (``ok``, ``caution``,
``avoid``) with reasons, separate from its evidence grade.
"""

from spasmcare.plan.builder import build_plan, medicine_by_name
from spasmcare.plan.calendar import CalendarEvent, plan_events, to_ics
from spasmcare.plan.doses import DoseTaken
from spasmcare.plan.model import (
    CarePlan,
    CheckReason,
    HelpSign,
    MedicineAdvice,
    OtherOption,
    PlanStep,
    PlanWarning,
    StretchCard,
)
from spasmcare.plan.timer import Phase, timer_phases

__all__ = [
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
