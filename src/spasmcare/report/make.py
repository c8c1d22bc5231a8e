"""Make a report from stored data: read the diary, check medicine safety with the care plan, draw the
chart, and build the :class:`~spasmcare.report.summary.ReportData`."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from spasmcare.errors import IntakeError
from spasmcare.knowledge import KnowledgeBase
from spasmcare.report.summary import ReportData, build_report, in_period, period_bounds

if TYPE_CHECKING:
    from spasmcare.diary import DiaryRepository, DiarySnapshot
    from spasmcare.plan import CarePlan

SHOWN_ELSEWHERE = {"incomplete"}
DOSE_WINDOW = timedelta(days=4)  # the plan's dose checks look back 24 h (acetaminophen) and 72 h


def plan_intake(snapshot: DiarySnapshot, kb: KnowledgeBase, at: datetime) -> dict[str, Any] | None:
    """The intake the care plan is built from: the last triage before ``at``, updated with the
    profile's current medicines, conditions and age; None when there is no age or region to use."""
    last = max(
        (r for r in snapshot.triage_records if r.taken_at <= at),
        key=lambda r: (r.taken_at, r.id),
        default=None,
    )
    data: dict[str, Any] = dict(last.intake) if last else {}
    profile = snapshot.profile
    age = profile.age_at(at)
    if age is not None:
        data["age"] = age
    if profile.sex and "sex" not in data:
        data["sex"] = profile.sex
    data["medicines"] = list(dict.fromkeys([*data.get("medicines", []), *profile.medicines]))
    data["conditions"] = list(dict.fromkeys([*data.get("conditions", []), *profile.conditions]))
    if "regions" not in data:
        latest = max(snapshot.episodes, key=lambda e: e.started_at, default=None)
        if latest is not None:
            data["regions"] = list(latest.regions)
    if "age" not in data or "regions" not in data:
        return None
    return data


def current_plan(snapshot: DiarySnapshot, kb: KnowledgeBase, at: datetime) -> CarePlan | None:
    """The care plan for this person at ``at`` (last triage, profile, recent doses), or None when the
    diary has no age or sore area to build it from, or its stored answers are no longer valid."""
    from spasmcare.plan import DoseTaken, build_plan
    from spasmcare.triage import parse_intake

    data = plan_intake(snapshot, kb, at)
    if data is None:
        return None
    try:
        intake = parse_intake(data, kb)
    except IntakeError:
        return None
    doses = [
        DoseTaken(d.medicine, d.amount_mg, d.taken_at)
        for d in snapshot.doses
        if at - DOSE_WINDOW <= d.taken_at <= at
    ]
    return build_plan(intake, kb, doses=doses, now=at)


def medicine_safety(snapshot: DiarySnapshot, kb: KnowledgeBase, at: datetime) -> list[str]:
    """The care plan's medicine warnings for this person at ``at``, as lines for the report."""
    plan = current_plan(snapshot, kb, at)
    if plan is None:
        return ["No medicine check: the diary has no valid age and sore area to check against."]
    # The unanswered questions are counted in the report's triage line; not repeated here.
    lines = [w.text for w in plan.warnings if w.id not in SHOWN_ELSEWHERE]
    # Medicines with the same verdict for the same reasons share one line (e.g. the NSAIDs).
    grouped: dict[tuple[str, str], list[str]] = {}
    for advice in plan.medicines:
        if advice.verdict in ("avoid", "caution"):
            why = " ".join(r.text for r in advice.reasons) or "See the care plan."
            grouped.setdefault((advice.verdict, why), []).append(advice.name)
    for (verdict, why), names in grouped.items():
        lines.append(f"{', '.join(names)}: {verdict}. {why}")
    return list(dict.fromkeys(lines))


def make_report(
    repo: DiaryRepository,
    profile_id: int,
    kb: KnowledgeBase,
    *,
    start: date,
    end: date,
    now: datetime,
    zone: tzinfo = UTC,
    chart: bool = True,
) -> ReportData:
    """Everything the report shows for ``start`` to ``end`` (inclusive), read from ``repo``."""
    snapshot = repo.snapshot(profile_id)
    since, until = period_bounds(start, end, zone)
    at = min(now, until)
    data = build_report(
        snapshot,
        kb,
        start=start,
        end=end,
        now=now,
        zone=zone,
        warnings=medicine_safety(snapshot, kb, at),
    )
    if chart:
        from spasmcare.report.render import pain_chart

        period = in_period(snapshot, since, until)
        if period.episodes or period.scale_records:
            data.chart_svg, data.chart_desc = pain_chart(period, at, zone)
    return data


__all__ = ["current_plan", "make_report", "medicine_safety", "plan_intake"]
