"""The clinician summary: the answers to the questions asked at every back-pain visit, from the diary,
the last triage and the scales, for one period.

The questions (docs/report.md): where is it; what does it feel like; any change in bladder or bowel
control; how long and how often; stiffness; tingling or numbness; weakness; which medicines. A finding
is ``reported`` when the last triage answered yes, ``denied`` when it answered no, ``not sure`` when
it was asked and the person did not know, and ``not asked`` when it holds no answer (neither a "not
sure" nor an unknown is ever shown as a no). Red flags are the warning signs ever answered yes in any
triage, whatever the period, and apart from them the warning signs answered "not sure".

Pure: the snapshot, the knowledge base and ``now`` come in; nothing reads a clock or a database.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any, Literal

from spasmcare.diary import DiarySnapshot, ScaleRecordPublic, TriageRecordPublic
from spasmcare.diary.analytics import (
    PAIN_SCALE,
    Resolution,
    ScaleChange,
    TreatmentRelief,
    pain_series,
    pain_trend,
    scale_changes,
    time_to_resolution,
    treatments_ranked,
)
from spasmcare.errors import IntakeError
from spasmcare.knowledge import Disposition, KnowledgeBase
from spasmcare.scales import catalogue
from spasmcare.triage import REGION_LABELS, evaluate, parse_intake
from spasmcare.triage.engine import unsure_label

Status = Literal["reported", "denied", "not sure", "not asked"]
STATUSES: tuple[Status, ...] = ("reported", "not sure", "denied", "not asked")
"""The order the report lists them in: what matters to a clinician first."""
UNSURE = "unsure"
URGENT_RANK = Disposition.URGENT.rank

BLADDER_BOWEL = (
    "bladder_dysfunction",
    "bowel_incontinence",
    "saddle_numbness",
    "sexual_dysfunction",
)
STIFFNESS = ("cannot_stand_upright", "worse_with_position")
NUMBNESS = ("numbness_tingling", "saddle_numbness", "both_legs")
WEAKNESS = ("leg_weakness", "arm_weakness", "weakness_worsening", "clumsy_or_unsteady")
RADIATING = ("pain_below_knee", "pain_down_arm")
FREQUENCY_LABELS = {
    0: "no spasms",
    1: "only when set off (moving, touch)",
    2: "less than once an hour",
    3: "more than once an hour",
    4: "more than 10 times an hour",
}


@dataclass(frozen=True, slots=True)
class FindingStatus:
    id: str
    label: str
    status: Status


@dataclass(frozen=True, slots=True)
class Answer:
    """One clinician question, its short answer, and the lines that back it."""

    key: str
    question: str
    answer: str
    details: tuple[str, ...] = ()
    findings: tuple[FindingStatus, ...] = ()


@dataclass(frozen=True, slots=True)
class EpisodeLine:
    started: datetime
    ended: datetime | None
    days: float | None
    regions: str
    worst_pain: int
    frequency: str
    triggers: str


@dataclass(frozen=True, slots=True)
class ScaleLine:
    """One scale in the period: how many results, the first and the latest, and the range."""

    scale: str
    name: str
    results: int
    first: str
    latest: str
    low_high: str


@dataclass(frozen=True, slots=True)
class RedFlag:
    """A warning sign answered yes (``reported``) or "not sure" in one or more triages."""

    finding: str
    label: str
    first: datetime
    last: datetime
    times: int
    status: Literal["reported", "not sure"] = "reported"


@dataclass(frozen=True, slots=True)
class MedicineLine:
    name: str
    use: str
    doses: int
    total_mg: float | None
    relief: str


@dataclass(frozen=True, slots=True)
class TriageLine:
    taken: datetime
    label: str
    disposition: str
    rules: str
    unanswered: int
    knowledge_version: str
    unsure: tuple[str, ...] = ()
    """What the person answered "not sure" about, in plain words."""


@dataclass
class ReportData:
    """Everything the report template shows."""

    name: str
    age: int | None
    sex: str | None
    start: date
    end: date
    generated: datetime
    knowledge_version: str
    answers: list[Answer]
    episodes: list[EpisodeLine]
    resolution: Resolution
    episodes_per_month: float | None
    pain_trend: str
    treatments: list[TreatmentRelief]
    scale_lines: list[ScaleLine]
    changes: list[ScaleChange]
    medicines: list[MedicineLine]
    warnings: list[str]
    red_flags: list[RedFlag]
    triage: list[TriageLine]
    last_triage: TriageLine | None
    chart_svg: str | None = None
    chart_desc: str = ""
    notes: list[str] = field(default_factory=list)
    unsure_flags: list[RedFlag] = field(default_factory=list)
    """Warning signs answered "not sure" in any triage (not a no, not a yes: to check)."""


def period_bounds(start: date, end: date, zone: tzinfo = UTC) -> tuple[datetime, datetime]:
    """The report period as times: from the start of ``start`` to the end of ``end`` (inclusive)."""
    return (
        datetime.combine(start, time.min, zone),
        datetime.combine(end + timedelta(days=1), time.min, zone),
    )


def in_period(snapshot: DiarySnapshot, since: datetime, until: datetime) -> DiarySnapshot:
    """The snapshot's records whose own time falls in ``[since, until)``."""
    return DiarySnapshot(
        profile=snapshot.profile,
        episodes=[e for e in snapshot.episodes if since <= e.started_at < until],
        treatments=[t for t in snapshot.treatments if since <= t.started_at < until],
        doses=[d for d in snapshot.doses if since <= d.taken_at < until],
        triage_records=[r for r in snapshot.triage_records if since <= r.taken_at < until],
        scale_records=[r for r in snapshot.scale_records if since <= r.taken_at < until],
    )


def _status(findings: dict[str, Any], fid: str) -> Status:
    value = findings.get(fid)
    if value is True:
        return "reported"
    if value is False:
        return "denied"
    if value == UNSURE:
        return "not sure"
    return "not asked"


def _statuses(
    kb: KnowledgeBase, findings: dict[str, Any], ids: Sequence[str]
) -> tuple[FindingStatus, ...]:
    return tuple(FindingStatus(f, kb.findings[f].label, _status(findings, f)) for f in ids)


def _summarise(statuses: Sequence[FindingStatus], none_asked: str) -> str:
    reported = [s.label for s in statuses if s.status == "reported"]
    unsure = [s.label for s in statuses if s.status == "not sure"]
    # A "not sure" is never summed up as denied: it is counted here and listed below the answer.
    not_sure = f"not sure about {len(unsure)} (to check)." if unsure else ""
    if reported:
        return "Reported: " + "; ".join(reported) + "." + (f" Also {not_sure}" if unsure else "")
    if unsure:
        return f"None reported, but {not_sure}"
    if all(s.status == "not asked" for s in statuses):
        return none_asked
    if any(s.status == "not asked" for s in statuses):
        return "Denied where asked; some questions were not asked."
    return "All denied."


def _regions(regions: Sequence[str]) -> str:
    return ", ".join(REGION_LABELS.get(r, r) for r in regions)


def _days(a: datetime, b: datetime | None) -> float | None:
    return None if b is None else round((b - a).total_seconds() / 86400, 1)


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def _answers(
    kb: KnowledgeBase,
    period: DiarySnapshot,
    last: TriageRecordPublic | None,
    res: Resolution,
    per_month: float | None,
    trend: str,
    medicines: list[MedicineLine],
) -> list[Answer]:
    findings: dict[str, Any] = dict(last.intake.get("findings", {})) if last else {}
    episodes = period.episodes
    where_counts = Counter(r for e in episodes for r in e.regions)
    where = [
        f"{REGION_LABELS.get(r, r)} ({n} episode{'s' if n != 1 else ''})"
        for r, n in where_counts.most_common()
    ]
    if last and last.intake.get("regions"):
        where.append(f"At the last triage: {_regions(last.intake['regions'])}.")

    pains = [e.worst_pain for e in episodes]
    ratings = [
        r for r in period.scale_records if r.scale == PAIN_SCALE and r.valid and r.score is not None
    ]
    feel: list[str] = []
    if pains:
        feel.append(
            f"Worst pain per episode: median {statistics.median(pains):g}/10, "
            f"range {min(pains)} to {max(pains)}."
        )
    if ratings:
        latest = max(ratings, key=lambda r: r.taken_at)
        feel.append(f"Latest pain rating {latest.score:g}/10 on {latest.taken_at:%Y-%m-%d}.")
    feel.append(f"Pain trend: {trend}.")
    freqs = [e.spasm_frequency for e in episodes if e.spasm_frequency is not None]
    if freqs:
        typical = Counter(freqs).most_common(1)[0][0]
        feel.append(f"Spasms most often {FREQUENCY_LABELS[typical]} (Penn scale {typical}/4).")
    radiating = _statuses(kb, findings, RADIATING)

    bladder = _statuses(kb, findings, BLADDER_BOWEL)
    stiffness = _statuses(kb, findings, STIFFNESS)
    numb = _statuses(kb, findings, NUMBNESS)
    weak = _statuses(kb, findings, WEAKNESS)
    ashworth = [r for r in period.scale_records if r.scale == "mas" and r.band]

    how_long = [f"{len(episodes)} episode(s) started in this period."]
    if per_month is not None:
        how_long.append(f"About {per_month:g} episode(s) a month.")
    if res.resolved:
        how_long.append(
            f"Ended episodes lasted a median of {_fmt(res.median_days)} days "
            f"(shortest {_fmt(res.shortest_days)}, longest {_fmt(res.longest_days)})."
        )
    if res.ongoing:
        how_long.append(f"{res.ongoing} episode(s) still going.")
    if last and last.intake.get("duration_days") is not None:
        how_long.append(
            f"At the last triage this episode had lasted {last.intake['duration_days']:g} days."
        )

    not_asked = "Not asked in the last triage." if last else "No triage in the diary."
    stiff_details = tuple(
        f"Modified Ashworth grade {r.band} on {r.taken_at:%Y-%m-%d}"
        f" ({r.result.get('details', {}).get('muscle', 'muscle not named')})"
        for r in ashworth
    )
    return [
        Answer(
            "where",
            "Where is it?",
            "; ".join(where[:3]) if where else "No episodes in this period.",
            tuple(where[3:]),
        ),
        Answer(
            "feel",
            "What does it feel like?",
            feel[0] if feel else "No pain recorded.",
            tuple(feel[1:]),
            radiating,
        ),
        Answer(
            "bladder_bowel",
            "Any change in bladder or bowel control?",
            _summarise(bladder, not_asked),
            (),
            bladder,
        ),
        Answer("how_long", "How long, and how often?", how_long[0], tuple(how_long[1:])),
        Answer(
            "stiffness", "Stiffness?", _summarise(stiffness, not_asked), stiff_details, stiffness
        ),
        Answer("numbness", "Tingling or numbness?", _summarise(numb, not_asked), (), numb),
        Answer("weakness", "Weakness?", _summarise(weak, not_asked), (), weak),
        Answer(
            "medicines",
            "Which medicines?",
            "; ".join(f"{m.name} ({m.use})" for m in medicines) if medicines else "None recorded.",
        ),
    ]


def _medicines(snapshot: DiarySnapshot, period: DiarySnapshot) -> list[MedicineLine]:
    lines: dict[str, MedicineLine] = {
        name: MedicineLine(name, "taken regularly", 0, None, "-")
        for name in snapshot.profile.medicines
    }
    reliefs: dict[str, list[int]] = {}
    for t in period.treatments:
        if t.kind == "medicine" and t.medicine:
            reliefs.setdefault(t.medicine, [])
            if t.relief is not None:
                reliefs[t.medicine].append(t.relief)
    doses: dict[str, list[float]] = {}
    for d in period.doses:
        doses.setdefault(d.medicine, []).append(d.amount_mg)
    for name in sorted(set(reliefs) | set(doses)):
        amounts = doses.get(name, [])
        relief = reliefs.get(name, [])
        use = "taken regularly; also for the spasm" if name in lines else "for the spasm"
        lines[name] = MedicineLine(
            name,
            use,
            len(amounts),
            round(sum(amounts), 1) if amounts else None,
            f"median {statistics.median(relief):g}/10 ({len(relief)} rated)" if relief else "-",
        )
    return list(lines.values())


def _unsure_of(kb: KnowledgeBase, r: TriageRecordPublic) -> tuple[str, ...]:
    """What a triage's person was not sure about, in plain words: the result's ``unsure`` list, or
    for a result saved without one, the intake's findings answered "unsure"."""
    stored = r.result.get("unsure")
    if isinstance(stored, list):
        ids = [str(x) for x in stored]
    else:
        findings = dict(r.intake.get("findings", {}))
        ids = [f for f, v in findings.items() if v == UNSURE]
        ids += [k for k in ("pregnant", "onset") if r.intake.get(k) == UNSURE]
    return tuple(unsure_label(kb, x) for x in ids)


def _triage_line(kb: KnowledgeBase, r: TriageRecordPublic) -> TriageLine:
    return TriageLine(
        taken=r.taken_at,
        label=str(r.result.get("label") or r.disposition),
        disposition=r.disposition,
        rules=", ".join(r.rules_fired) or "none",
        unanswered=len(r.result.get("unanswered", [])),
        knowledge_version=r.knowledge_version,
        unsure=_unsure_of(kb, r),
    )


def _is_red_flag(kb: KnowledgeBase, intake: dict[str, Any], fid: str) -> bool:
    """Whether ``fid`` alone, with the rest of that intake (age, regions, pregnancy, pain) and no
    other finding or medicine, makes the triage urgent or an emergency under ``kb`` (by its own
    rules: the not-sure rules N1-N3, which fire on the other answers, do not count)."""
    alone = {**intake, "findings": {fid: True}, "medicines": []}
    try:
        result = evaluate(parse_intake(alone, kb), kb)
    except IntakeError:  # an intake stored under an older knowledge base: judge by the rules
        return any(
            fid in rule.findings for rule in kb.rules if rule.disposition.rank >= URGENT_RANK
        )
    unsure_rules = {r.id for r in kb.rules if r.is_unsure_rule}
    return any(
        reason.disposition.rank >= URGENT_RANK
        for reason in result.reasons
        if reason.rule not in unsure_rules
    )


def red_flags(
    kb: KnowledgeBase, records: Sequence[TriageRecordPublic], *, unsure: bool = False
) -> list[RedFlag]:
    """Warning signs ever answered yes in any triage, oldest first: each finding that on its own, for
    that person at that time, makes the triage urgent or an emergency (the triage engine decides).

    With ``unsure``, the warning signs answered "not sure" instead (status ``not sure``).
    """
    seen: dict[str, list[datetime]] = {}
    for r in sorted(records, key=lambda x: x.taken_at):
        for fid, value in dict(r.intake.get("findings", {})).items():
            answered = value == UNSURE if unsure else value is True
            if answered and fid in kb.findings and _is_red_flag(kb, r.intake, fid):
                seen.setdefault(fid, []).append(r.taken_at)
    return [
        RedFlag(
            fid,
            kb.findings[fid].label if fid in kb.findings else fid,
            times[0],
            times[-1],
            len(times),
            "not sure" if unsure else "reported",
        )
        for fid, times in sorted(seen.items(), key=lambda kv: kv[1][0])
    ]


def _scale_text(r: ScaleRecordPublic) -> str:
    value = "not scored" if not r.valid else ("" if r.score is None else f"{r.score:g}")
    extra = ", ".join(x for x in (r.band, f"risk {r.risk}" if r.risk else None) if x)
    return f"{' '.join(x for x in (value, extra) if x) or '-'} ({r.taken_at:%Y-%m-%d})"


def _scale_lines(period: DiarySnapshot) -> list[ScaleLine]:
    """One line per scale (a year of daily pain ratings stays one line)."""
    cat = catalogue()
    by_scale: dict[str, list[ScaleRecordPublic]] = {}
    for r in sorted(period.scale_records, key=lambda x: (x.taken_at, x.id)):
        by_scale.setdefault(r.scale, []).append(r)
    lines = []
    for scale_id in sorted(by_scale):
        rows = by_scale[scale_id]
        name = cat.scales[scale_id].short_name if scale_id in cat.scales else scale_id
        scores = [r.score for r in rows if r.valid and r.score is not None]
        low_high = f"{min(scores):g} to {max(scores):g}" if scores else "-"
        lines.append(
            ScaleLine(
                scale_id, name, len(rows), _scale_text(rows[0]), _scale_text(rows[-1]), low_high
            )
        )
    return lines


def build_report(
    snapshot: DiarySnapshot,
    kb: KnowledgeBase,
    *,
    start: date,
    end: date,
    now: datetime,
    zone: tzinfo = UTC,
    warnings: Sequence[str] = (),
) -> ReportData:
    """The report for the days ``start`` to ``end`` (inclusive) of one person's diary.

    ``warnings`` are medicine safety warnings (from the care plan) to show as they are.
    """
    since, until = period_bounds(start, end, zone)
    period = in_period(snapshot, since, until)
    triage_upto = sorted(
        (r for r in snapshot.triage_records if r.taken_at < until), key=lambda r: (r.taken_at, r.id)
    )
    last = triage_upto[-1] if triage_upto else None
    res = time_to_resolution(period.episodes)
    months = max((until - since).days / 30.44, 1e-9)
    per_month = round(len(period.episodes) / months, 1) if period.episodes else None
    trend = pain_trend(
        pain_series(period.episodes, period.scale_records),
        now=min(now, until),
        days=max((until - since).days, 1),
    )
    trend_text = trend.direction.replace("_", " ")
    if trend.change is not None:
        trend_text += f" (fitted change {trend.change:+.1f} points over the period)"
    medicines = _medicines(snapshot, period)
    return ReportData(
        name=snapshot.profile.name,
        age=snapshot.profile.age_at(now),
        sex=snapshot.profile.sex,
        start=start,
        end=end,
        generated=now,
        knowledge_version=kb.version,
        answers=_answers(kb, period, last, res, per_month, trend_text, medicines),
        episodes=[
            EpisodeLine(
                e.started_at,
                e.ended_at,
                _days(e.started_at, e.ended_at),
                _regions(e.regions),
                e.worst_pain,
                "-" if e.spasm_frequency is None else f"{e.spasm_frequency}/4",
                ", ".join(e.triggers) or "-",
            )
            for e in period.episodes
        ],
        resolution=res,
        episodes_per_month=per_month,
        pain_trend=trend_text,
        treatments=treatments_ranked(period.treatments),
        scale_lines=_scale_lines(period),
        changes=scale_changes(period.scale_records),
        medicines=medicines,
        warnings=list(warnings),
        red_flags=red_flags(kb, snapshot.triage_records),
        triage=[_triage_line(kb, r) for r in period.triage_records],
        last_triage=_triage_line(kb, last) if last else None,
        unsure_flags=red_flags(kb, snapshot.triage_records, unsure=True),
    )


__all__ = [
    "Answer",
    "EpisodeLine",
    "FindingStatus",
    "MedicineLine",
    "RedFlag",
    "ReportData",
    "ScaleLine",
    "TriageLine",
    "build_report",
    "in_period",
    "period_bounds",
    "red_flags",
]
