"""The clinician summary: what a clinician reads in 30 seconds (red flags now, the latest triage, pain
now against the start of the period, function scores, what helped, medicines and safety flags), then
the answers to the questions asked at every back-pain visit, for one period.

A finding is ``reported`` when the last triage answered yes, ``denied`` when it answered no, ``not
sure`` when it was asked and the person did not know, and ``not asked`` when it holds no answer
(neither a "not sure" nor an unknown is ever shown as a no). Words are a clinician's (third person,
standard terms, units: :mod:`spasmcare.report.terms`); the person's own words appear only as what they
typed (triggers).

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
    Resolution,
    ScaleChange,
    TreatmentRelief,
    scale_changes,
    time_to_resolution,
    treatments_ranked,
)
from spasmcare.knowledge import KnowledgeBase
from spasmcare.knowledge.body import REGION_LABELS
from spasmcare.report.flags import (
    UNSURE,
    RedFlag,
    Screen,
    TriageLine,
    red_flags,
    screen,
    triage_line,
)
from spasmcare.report.pain import METHOD, PAIN_SCALE, PainSummary, pain_summary
from spasmcare.report.terms import finding_term
from spasmcare.scales import catalogue

Status = Literal["reported", "denied", "not sure", "not asked"]
STATUSES: tuple[Status, ...] = ("reported", "not sure", "denied", "not asked")
"""The order the report lists them in: what matters to a clinician first."""
STATUS_WORDS: dict[str, str] = {
    "reported": "Reported",
    "not sure": "Not sure",
    "denied": "Denied",
    "not asked": "Not asked",
}

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
    1: "spasms only on stimulation",
    2: "spasms less than once an hour",
    3: "spasms more than once an hour",
    4: "spasms more than 10 times an hour",
}
HELPED_SHOWN = 3


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
class GlanceRow:
    """One line of the first block: a heading, an optional status word, and short lines."""

    key: str
    heading: str
    lines: tuple[str, ...]
    status: str = ""


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
    """One scale in the period: complete results (and forms left incomplete), the first and the
    latest complete result, and the range. An incomplete form is never shown as a result."""

    scale: str
    name: str
    results: int
    first: str
    latest: str
    low_high: str
    incomplete: int = 0


@dataclass(frozen=True, slots=True)
class MedicineLine:
    name: str
    use: str
    doses: int
    total_mg: float | None
    relief: str
    max_24h_mg: float | None = None


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
    age_source: str = ""
    """Where the age comes from when not from the profile (e.g. "triage 2026-01-05")."""
    sex_source: str = ""
    screen: Screen = field(default_factory=lambda: Screen("not screened", None))
    pain: PainSummary | None = None
    glance: list[GlanceRow] = field(default_factory=list)
    triage_count: int = 0
    """Triages in the diary up to the end of the period."""


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


def person(snapshot: DiarySnapshot, at: datetime) -> tuple[int | None, str, str | None, str]:
    """Age and sex at ``at``, and where each comes from: the profile, else the latest triage up to
    ``at`` that recorded it (an age brought up to date by the whole years since)."""
    profile = snapshot.profile
    age, age_from = profile.age_at(at), ""
    sex: str | None = profile.sex
    sex_from = ""
    triage = sorted(
        (r for r in snapshot.triage_records if r.taken_at <= at),
        key=lambda r: (r.taken_at, r.id),
        reverse=True,
    )
    if age is None:
        for r in triage:
            if isinstance(r.intake.get("age"), int):
                years = int((at - r.taken_at).days // 365.2425)
                age, age_from = (
                    int(r.intake["age"]) + max(years, 0),
                    f"triage {r.taken_at:%Y-%m-%d}",
                )
                break
    if sex is None:
        for r in triage:
            if isinstance(r.intake.get("sex"), str):
                sex, sex_from = str(r.intake["sex"]), f"triage {r.taken_at:%Y-%m-%d}"
                break
    return age, age_from, sex, sex_from


def _status(findings: dict[str, Any], fid: str) -> Status:
    value = findings.get(fid)
    if value is True:
        return "reported"
    if value is False:
        return "denied"
    if value == UNSURE:
        return "not sure"
    return "not asked"


def _statuses(findings: dict[str, Any], ids: Sequence[str]) -> tuple[FindingStatus, ...]:
    return tuple(FindingStatus(f, finding_term(f), _status(findings, f)) for f in ids)


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
        return "Denied where asked; some questions not asked."
    return "All denied."


def _regions(regions: Sequence[str]) -> str:
    return ", ".join(REGION_LABELS.get(r, r) for r in regions)


def _days(a: datetime, b: datetime | None) -> float | None:
    return None if b is None else round((b - a).total_seconds() / 86400, 1)


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def trend_text(pain: PainSummary) -> str:
    """The pain trend with its period and method, and the latest rating beside it."""
    first, last = pain.first_month, pain.last_month
    if first is None or last is None or pain.trend_change is None:
        months = f" (scores in {pain.months[0].month:%Y-%m} only)" if pain.months else ""
        text = f"Pain trend: not enough data{months}"
    else:
        text = (
            f"Pain trend {first.month:%Y-%m} to {last.month:%Y-%m}: monthly mean "
            f"{first.mean:g} (n={first.scores}) to {last.mean:g} (n={last.scores}), "
            f"{pain.trend_change:+.1f} points: {pain.trend}"
        )
    latest = pain.latest_rating
    text += (
        f"; latest rating {latest.pain:g}/10 on {latest.at:%Y-%m-%d}."
        if latest
        else "; no 0-10 rating in the period."
    )
    return text


def _answers(
    period: DiarySnapshot,
    last: TriageRecordPublic | None,
    res: Resolution,
    per_month: float | None,
    pain: PainSummary,
    medicines: list[MedicineLine],
) -> list[Answer]:
    findings: dict[str, Any] = dict(last.intake.get("findings", {})) if last else {}
    episodes = period.episodes
    where_counts = Counter(r for e in episodes for r in e.regions)
    where = [
        f"{REGION_LABELS.get(r, r)} ({_plural(n, 'episode')})"
        for r, n in where_counts.most_common()
    ]
    if last and last.intake.get("regions"):
        where.append(f"At the last triage: {_regions(last.intake['regions'])}.")

    feel: list[str] = []
    if pain.worst_median is not None:
        feel.append(
            f"Worst pain per episode: median {pain.worst_median:g}/10, "
            f"range {pain.worst_low} to {pain.worst_high}."
        )
    if pain.latest_rating:
        feel.append(
            f"Latest pain rating {pain.latest_rating.pain:g}/10 (NRS) on "
            f"{pain.latest_rating.at:%Y-%m-%d}."
        )
    feel.append(trend_text(pain) + f" Method: {METHOD}.")
    freqs = [e.spasm_frequency for e in episodes if e.spasm_frequency is not None]
    if freqs:
        typical = Counter(freqs).most_common(1)[0][0]
        feel.append(f"Typical frequency: {FREQUENCY_LABELS[typical]} (Penn {typical}/4).")
    radiating = _statuses(findings, RADIATING)
    bladder = _statuses(findings, BLADDER_BOWEL)
    stiffness = _statuses(findings, STIFFNESS)
    numb = _statuses(findings, NUMBNESS)
    weak = _statuses(findings, WEAKNESS)
    ashworth = [r for r in period.scale_records if r.scale == "mas" and r.band]

    how_long = [f"{_plural(len(episodes), 'episode')} started in this period."]
    if per_month is not None:
        how_long.append(f"{per_month:g} episodes/month.")
    if res.resolved:
        how_long.append(
            f"Ended episodes lasted a median of {_fmt(res.median_days)} days "
            f"(shortest {_fmt(res.shortest_days)}, longest {_fmt(res.longest_days)})."
        )
    if res.ongoing:
        how_long.append(f"{res.ongoing} ongoing.")
    if last and last.intake.get("duration_days") is not None:
        how_long.append(f"Duration at the last triage: {last.intake['duration_days']:g} days.")

    not_asked = "Not asked at the last triage." if last else "Not screened: no triage recorded."
    stiff_details = tuple(
        f"Modified Ashworth grade {r.band} on {r.taken_at:%Y-%m-%d}"
        f" ({r.result.get('details', {}).get('muscle', 'muscle not named')})"
        for r in ashworth
    )
    return [
        Answer(
            "where",
            "Site",
            "; ".join(where[:3]) if where else "No episodes in this period.",
            tuple(where[3:]),
        ),
        Answer(
            "feel",
            "Pain",
            feel[0] if pain.points else "No pain score in this period.",
            tuple(feel[1:] if pain.points else feel[-1:]),
            radiating,
        ),
        Answer(
            "bladder_bowel",
            "Bladder, bowel, saddle sensation",
            _summarise(bladder, not_asked),
            (),
            bladder,
        ),
        Answer("how_long", "Duration and frequency", how_long[0], tuple(how_long[1:])),
        Answer(
            "stiffness", "Stiffness", _summarise(stiffness, not_asked), stiff_details, stiffness
        ),
        Answer("numbness", "Sensory symptoms", _summarise(numb, not_asked), (), numb),
        Answer("weakness", "Weakness", _summarise(weak, not_asked), (), weak),
        Answer(
            "medicines",
            "Medicines",
            "; ".join(f"{m.name} ({m.use})" for m in medicines) if medicines else "None recorded.",
        ),
    ]


def _max_24h(moments: Sequence[tuple[datetime, float]]) -> float:
    """The highest total of any 24 hours (a window starting at each dose)."""
    rows = sorted(moments)
    best, total, j = 0.0, 0.0, 0
    for at, mg in rows:
        total += mg
        while rows[j][0] <= at - timedelta(hours=24):
            total -= rows[j][1]
            j += 1
        best = max(best, total)
    return round(best, 1)


def _medicines(snapshot: DiarySnapshot, period: DiarySnapshot) -> list[MedicineLine]:
    lines: dict[str, MedicineLine] = {
        name: MedicineLine(name, "regular", 0, None, "-") for name in snapshot.profile.medicines
    }
    reliefs: dict[str, list[int]] = {}
    for t in period.treatments:
        if t.kind == "medicine" and t.medicine:
            reliefs.setdefault(t.medicine, [])
            if t.relief is not None:
                reliefs[t.medicine].append(t.relief)
    doses: dict[str, list[tuple[datetime, float]]] = {}
    for d in period.doses:
        doses.setdefault(d.medicine, []).append((d.taken_at, d.amount_mg))
    for name in sorted(set(reliefs) | set(doses)):
        amounts = doses.get(name, [])
        relief = reliefs.get(name, [])
        use = "regular; also for the spasm" if name in lines else "for the spasm"
        lines[name] = MedicineLine(
            name,
            use,
            len(amounts),
            round(sum(mg for _, mg in amounts), 1) if amounts else None,
            f"median {statistics.median(relief):g}/10 (n={len(relief)})" if relief else "-",
            _max_24h(amounts) if amounts else None,
        )
    return list(lines.values())


def _value(scale_id: str, score: float) -> str:
    """A score with its unit: "38%" (ODI), "12/50" (NDI), "6/10" (pain)."""
    scale = catalogue().scales.get(scale_id)
    if scale is None or scale.score is None:
        return f"{score:g}"
    if scale.score.unit == "percent":
        return f"{score:g}%"
    return f"{score:g}/{scale.score.max:g}"


def _scale_text(r: ScaleRecordPublic) -> str:
    assert r.score is not None
    band = r.result.get("band_label") or r.band
    extra = ", ".join(str(x) for x in (band, f"{r.risk} risk" if r.risk else None) if x)
    return f"{_value(r.scale, r.score)}{f' {extra}' if extra else ''} ({r.taken_at:%Y-%m-%d})"


def _scale_name(scale_id: str) -> str:
    cat = catalogue()
    return cat.scales[scale_id].short_name if scale_id in cat.scales else scale_id


def _scale_lines(period: DiarySnapshot) -> list[ScaleLine]:
    """One line per scale (a year of daily pain ratings stays one line)."""
    by_scale: dict[str, list[ScaleRecordPublic]] = {}
    for r in sorted(period.scale_records, key=lambda x: (x.taken_at, x.id)):
        by_scale.setdefault(r.scale, []).append(r)
    lines = []
    for scale_id in sorted(by_scale):
        rows = by_scale[scale_id]
        scored = [r for r in rows if r.valid and r.score is not None]
        incomplete = len(rows) - len(scored)
        scores = [r.score for r in scored if r.score is not None]
        low_high = (
            f"{_value(scale_id, min(scores))} to {_value(scale_id, max(scores))}" if scores else "-"
        )
        none = "no complete result"
        lines.append(
            ScaleLine(
                scale_id,
                _scale_name(scale_id),
                len(scored),
                _scale_text(scored[0]) if scored else none,
                _scale_text(scored[-1]) if scored else none,
                low_high,
                incomplete,
            )
        )
    return lines


# -- the first block ------------------------------------------------------------------------------
def _screen_row(s: Screen, at: datetime) -> GlanceRow:
    if s.taken is None:
        return GlanceRow(
            "flags",
            "Red flags now",
            ("No triage recorded: red flags were not screened.",),
            "NOT SCREENED",
        )
    ago = max((at - s.taken).days, 0)
    lines = [
        f"At the last screen, {s.taken:%Y-%m-%d} ({_plural(ago, 'day')} before the period end)."
    ]
    if s.reported:
        lines.append("Reported: " + "; ".join(f.label for f in s.reported) + ".")
    if s.unsure:
        lines.append(
            "Not sure (neither yes nor no: to check): " + "; ".join(f.label for f in s.unsure) + "."
        )
    if s.not_asked:
        lines.append(f"{_plural(s.not_asked, 'safety question')} not asked at that screen.")
    if s.earlier:
        lines.append(
            "Reported at earlier screens: "
            + "; ".join(f"{f.label} (last {f.last:%Y-%m-%d})" for f in s.earlier)
            + "."
        )
    status = {"yes": "YES", "not sure": "NOT SURE", "none": "NONE"}[s.status]
    return GlanceRow("flags", "Red flags now", tuple(lines), status)


def _triage_row(last: TriageLine | None) -> GlanceRow:
    if last is None:
        return GlanceRow("triage", "Latest triage", ("None recorded.",))
    return GlanceRow(
        "triage",
        "Latest triage",
        (
            f"{last.label} on {last.taken:%Y-%m-%d}; rules fired: {last.rules}; "
            f"decided by knowledge base {last.knowledge_version}.",
        ),
    )


def _pain_row(pain: PainSummary, changes: Sequence[ScaleChange]) -> GlanceRow:
    lines: list[str] = []
    nrs = next((c for c in changes if c.scale == PAIN_SCALE), None)
    latest, first = pain.latest_rating, pain.first_rating
    if latest and first and nrs:
        lines.append(
            f"Now {latest.pain:g}/10 (NRS, {latest.at:%Y-%m-%d}); start of period "
            f"{first.pain:g}/10 ({first.at:%Y-%m-%d}): {nrs.delta:+g} points, "
            f"{_verdict(nrs.verdict)} (MCID 2 points or 30%)."
        )
    elif latest:
        lines.append(
            f"Now {latest.pain:g}/10 (NRS, {latest.at:%Y-%m-%d}); one rating in the period."
        )
    else:
        lines.append("No 0-10 pain rating in the period.")
    lines.append("Trend" + trend_text(pain).removeprefix("Pain trend"))
    if pain.worst_median is not None:
        lines.append(
            f"Episode worst pain median {pain.worst_median:g}/10 "
            f"(range {pain.worst_low} to {pain.worst_high})."
        )
    return GlanceRow("pain", "Pain", tuple(lines))


def _verdict(verdict: str) -> str:
    return {
        "improved": "meaningful improvement",
        "worsened": "meaningful worsening",
        "no_change": "no meaningful change",
    }.get(verdict, verdict.replace("_", " "))


def _function_row(lines: Sequence[ScaleLine], changes: Sequence[ScaleChange]) -> GlanceRow:
    by_scale = {c.scale: c for c in changes}
    out: list[str] = []
    for line in lines:
        if line.scale == PAIN_SCALE:
            continue
        incomplete = (
            f" ({_plural(line.incomplete, 'incomplete form')} not scored)"
            if line.incomplete
            else ""
        )
        change = by_scale.get(line.scale)
        if change:
            out.append(
                f"{line.name} {_value(line.scale, change.first)} to "
                f"{_value(line.scale, change.latest)} ({change.first_at:%Y-%m-%d} to "
                f"{change.latest_at:%Y-%m-%d}): {change.delta:+g}, {_verdict(change.verdict)} "
                f"(MCID {change.threshold:g}){incomplete}."
            )
        elif line.results:
            why = "scored once" if line.results == 1 else "no MCID"
            out.append(f"{line.name} latest {line.latest}; {why}{incomplete}.")
        else:
            out.append(f"{line.name}: {line.first}{incomplete}.")
    return GlanceRow("function", "Function scores", tuple(out) or ("None in the period.",))


def _helped_row(ranked: Sequence[TreatmentRelief]) -> GlanceRow:
    if not ranked:
        return GlanceRow("helped", "Tried, helped most", ("No treatment recorded in the period.",))
    tried = ", ".join(f"{t.treatment} x{t.times}" for t in ranked)
    rated = [t for t in ranked if t.median_relief is not None][:HELPED_SHOWN]
    lines = [f"Tried: {tried}."]
    if rated:
        lines.append(
            "Most relief (median, 0-10): "
            + "; ".join(f"{t.treatment} {t.median_relief:g} (n={t.rated})" for t in rated)
            + "."
        )
    return GlanceRow("helped", "Tried, helped most", tuple(lines))


def _medicine_row(medicines: Sequence[MedicineLine], warnings: Sequence[str]) -> GlanceRow:
    lines = []
    for m in medicines:
        if m.doses:
            relief = f"; relief {m.relief}" if m.relief != "-" else ""
            lines.append(
                f"{m.name} ({m.use}): {_plural(m.doses, 'dose')}, {m.total_mg:,g} mg in the "
                f"period, at most {m.max_24h_mg:,g} mg in 24 h{relief}."
            )
        else:
            lines.append(f"{m.name} ({m.use}); no dose recorded in the period.")
    return GlanceRow(
        "medicines",
        "Medicines, safety flags",
        (*(lines or ["No medicine recorded."]), *warnings),
    )


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

    ``warnings`` are medicine safety flags (from the care plan, in a clinician's words) shown as
    they are.
    """
    since, until = period_bounds(start, end, zone)
    at = min(now, until)
    period = in_period(snapshot, since, until)
    triage_upto = sorted(
        (r for r in snapshot.triage_records if r.taken_at < until), key=lambda r: (r.taken_at, r.id)
    )
    last = triage_upto[-1] if triage_upto else None
    res = time_to_resolution(period.episodes)
    months = max((until - since).days / 30.44, 1e-9)
    per_month = round(len(period.episodes) / months, 1) if period.episodes else None
    pain = pain_summary(period.episodes, period.scale_records, zone)
    medicines = _medicines(snapshot, period)
    changes = scale_changes(period.scale_records)
    scale_lines = _scale_lines(period)
    treatments = treatments_ranked(period.treatments)
    last_line = triage_line(last) if last else None
    now_screen = screen(kb, triage_upto, last)
    age, age_from, sex, sex_from = person(snapshot, at)
    return ReportData(
        name=snapshot.profile.name,
        age=age,
        sex=sex,
        age_source=age_from,
        sex_source=sex_from,
        start=start,
        end=end,
        generated=now,
        knowledge_version=kb.version,
        answers=_answers(period, last, res, per_month, pain, medicines),
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
        pain_trend=trend_text(pain),
        treatments=treatments,
        scale_lines=scale_lines,
        changes=changes,
        medicines=medicines,
        warnings=list(warnings),
        red_flags=red_flags(kb, snapshot.triage_records),
        triage=[triage_line(r) for r in period.triage_records],
        last_triage=last_line,
        unsure_flags=red_flags(kb, snapshot.triage_records, unsure=True),
        screen=now_screen,
        pain=pain,
        triage_count=len(triage_upto),
        glance=[
            _screen_row(now_screen, at),
            _triage_row(last_line),
            _pain_row(pain, changes),
            _function_row(scale_lines, changes),
            _helped_row(treatments),
            _medicine_row(medicines, warnings),
        ],
    )


__all__ = [
    "STATUSES",
    "STATUS_WORDS",
    "Answer",
    "EpisodeLine",
    "FindingStatus",
    "GlanceRow",
    "MedicineLine",
    "RedFlag",
    "ReportData",
    "ScaleLine",
    "TriageLine",
    "build_report",
    "in_period",
    "period_bounds",
    "person",
    "red_flags",
    "trend_text",
]
