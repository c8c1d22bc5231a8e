"""Make a report from stored data: read the diary, check medicine safety with the care plan, draw the
chart, and build the :class:`~spasmcare.report.summary.ReportData`."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from spasmcare.errors import IntakeError
from spasmcare.knowledge import KnowledgeBase
from spasmcare.report.summary import ReportData, build_report, in_period, period_bounds, person
from spasmcare.report.terms import check_term, disposition_term, warning_term

if TYPE_CHECKING:
    from spasmcare.diary import DiaryRepository, DiarySnapshot
    from spasmcare.plan import CarePlan

SHOWN_ELSEWHERE = {"incomplete"}
DOSE_WINDOW = timedelta(days=4)  # the plan's dose checks look back 24 h (acetaminophen) and 72 h
BASIC_FIELDS = ("age", "sex", "regions", "medicines", "conditions")
"""What the medicine checks fall back on when the stored triage answers are no longer valid."""


def _last_triage(snapshot: DiarySnapshot, at: datetime) -> Any:
    return max(
        (r for r in snapshot.triage_records if r.taken_at <= at),
        key=lambda r: (r.taken_at, r.id),
        default=None,
    )


def plan_intake(snapshot: DiarySnapshot, kb: KnowledgeBase, at: datetime) -> dict[str, Any] | None:
    """The intake the care plan is built from: the last triage before ``at``, updated with the
    profile's current medicines and conditions, the age and sex (profile, else the latest triage
    that recorded them) and, without a triage, the sore area of the latest episode up to ``at``.
    None when there is no age or sore area to use."""
    last = _last_triage(snapshot, at)
    data: dict[str, Any] = dict(last.intake) if last else {}
    age, _, sex, _ = person(snapshot, at)
    if age is not None:
        data["age"] = age
    if sex and "sex" not in data:
        data["sex"] = sex
    data["medicines"] = list(
        dict.fromkeys([*data.get("medicines", []), *snapshot.profile.medicines])
    )
    data["conditions"] = list(
        dict.fromkeys([*data.get("conditions", []), *snapshot.profile.conditions])
    )
    if not data.get("regions"):
        episodes = [e for e in snapshot.episodes if e.started_at <= at and e.regions]
        latest = max(episodes, key=lambda e: (e.started_at, e.id), default=None)
        if latest is not None:
            data["regions"] = list(latest.regions)
    if "age" not in data or not data.get("regions"):
        return None
    return data


def _missing(snapshot: DiarySnapshot, at: datetime) -> str:
    """What keeps the medicine checks from running: no age, no site, or both."""
    age, _, _, _ = person(snapshot, at)
    site = _last_triage(snapshot, at) is not None or any(
        e.regions for e in snapshot.episodes if e.started_at <= at
    )
    missing = [what for what, absent in (("age", age is None), ("site", not site)) if absent]
    return " and ".join(missing) or "valid age and site"


def current_plan(snapshot: DiarySnapshot, kb: KnowledgeBase, at: datetime) -> CarePlan | None:
    """The care plan for this person at ``at`` (last triage, profile, recent doses), or None when the
    diary has no age or sore area to build it from. Stored triage answers that are no longer valid
    (an older knowledge base) are left out: the plan is then built from age, sex, sore area,
    medicines and conditions alone."""
    return _plan(snapshot, kb, at)[0]


def _plan(snapshot: DiarySnapshot, kb: KnowledgeBase, at: datetime) -> tuple[CarePlan | None, str]:
    """The care plan and a note on what it was built from ("" for the full intake)."""
    from spasmcare.plan import DoseTaken, build_plan
    from spasmcare.triage import parse_intake

    data = plan_intake(snapshot, kb, at)
    if data is None:
        return None, f"not run: no {_missing(snapshot, at)} recorded"
    note = ""
    try:
        intake = parse_intake(data, kb)
    except IntakeError as exc:
        basic = {k: data[k] for k in BASIC_FIELDS if k in data}
        try:
            intake = parse_intake(basic, kb)
        except IntakeError:
            return None, f"not run: the stored answers are not valid ({exc.summary})"
        note = (
            "run without the triage findings (stored answers not valid under this knowledge base)"
        )
    doses = [
        DoseTaken(d.medicine, d.amount_mg, d.taken_at)
        for d in snapshot.doses
        if at - DOSE_WINDOW <= d.taken_at <= at
    ]
    return build_plan(intake, kb, doses=doses, now=at), note


def medicine_safety(snapshot: DiarySnapshot, kb: KnowledgeBase, at: datetime) -> list[str]:
    """The care plan's medicine safety flags for this person at ``at``, in a clinician's words."""
    plan, note = _plan(snapshot, kb, at)
    if plan is None:
        return [f"Medicine safety check {note}."]
    lines = [f"Medicine safety check {note}."] if note else []
    # The unanswered questions are counted in the report's triage line; not repeated here.
    lines += [
        f"Plan warning: {warning_term(w.id)}" for w in plan.warnings if w.id not in SHOWN_ELSEWHERE
    ]
    if not plan.home_plan:
        lines.append(
            f"Care plan at triage level {disposition_term(plan.disposition.value)}: no medicine "
            "verdicts (referred to a doctor); dose warnings only."
        )
    # Medicines with the same verdict for the same checks share one line (e.g. the NSAIDs).
    grouped: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for advice in plan.medicines:
        if advice.verdict in ("avoid", "caution"):
            why = tuple(check_term(r.id) for r in advice.reasons)
            grouped.setdefault((advice.verdict, why), []).append(advice.name)
    order = {"avoid": 0, "caution": 1}
    for (verdict, why), names in sorted(grouped.items(), key=lambda kv: order[kv[0][0]]):
        reasons = "; ".join(why) or "see the care plan"
        lines.append(f"{verdict.capitalize()}: {', '.join(names)}: {reasons}.")
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
    if chart and data.pain is not None and data.pain.points:
        from spasmcare.report.chart import pain_chart_svg

        period = in_period(snapshot, since, until)
        data.chart_svg, data.chart_desc = pain_chart_svg(
            data.pain, period.episodes, since=since, until=until, now=now, zone=zone
        )
    return data


__all__ = ["current_plan", "make_report", "medicine_safety", "plan_intake"]
