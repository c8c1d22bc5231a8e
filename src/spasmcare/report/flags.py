"""Red flags for the report: those ever reported, those answered "not sure", and the red flags now
(what the last screen, the last triage up to the end of the period, found).

A red flag is a finding that on its own, with the rest of that day's answers (age, regions, pregnancy,
pain) and no other finding or medicine, makes the triage urgent or an emergency: the triage engine
decides, so the list follows the knowledge base. Without any triage the person was **not screened**,
which is never shown as "none".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from spasmcare.diary import TriageRecordPublic
from spasmcare.errors import IntakeError
from spasmcare.knowledge import Disposition, KnowledgeBase
from spasmcare.report.terms import disposition_term, finding_term
from spasmcare.triage import evaluate, parse_intake

UNSURE = "unsure"
URGENT_RANK = Disposition.URGENT.rank
ScreenStatus = Literal["yes", "not sure", "none", "not screened"]


@dataclass(frozen=True, slots=True)
class RedFlag:
    """A warning sign answered yes (``reported``) or "not sure" in one or more triages."""

    finding: str
    label: str
    """In a clinician's words (:mod:`spasmcare.report.terms`)."""
    first: datetime
    last: datetime
    times: int
    status: Literal["reported", "not sure"] = "reported"


@dataclass(frozen=True, slots=True)
class TriageLine:
    taken: datetime
    label: str
    """The level in a clinician's words, with its time frame."""
    disposition: str
    rules: str
    unanswered: int
    knowledge_version: str
    unsure: tuple[str, ...] = ()
    """What the person answered "not sure" about, in a clinician's words."""
    not_asked: tuple[str, ...] = ()
    """The safety questions left unanswered, in a clinician's words."""


@dataclass(frozen=True, slots=True)
class Screen:
    """Red flags now: what the last screen (the last triage up to the end of the period) found."""

    status: ScreenStatus
    taken: datetime | None
    reported: tuple[RedFlag, ...] = ()
    unsure: tuple[RedFlag, ...] = ()
    not_asked: int = 0
    earlier: tuple[RedFlag, ...] = ()
    """Red flags reported at an earlier screen and not at the last one."""


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
            finding_term(fid),
            times[0],
            times[-1],
            len(times),
            "not sure" if unsure else "reported",
        )
        for fid, times in sorted(seen.items(), key=lambda kv: kv[1][0])
    ]


def unsure_of(r: TriageRecordPublic) -> tuple[str, ...]:
    """What a triage's person was not sure about, in a clinician's words: the result's ``unsure``
    list, or for a result saved without one, the intake's answers "unsure"."""
    stored = r.result.get("unsure")
    if isinstance(stored, list):
        ids = [str(x) for x in stored]
    else:
        findings = dict(r.intake.get("findings", {}))
        ids = [f for f, v in findings.items() if v == UNSURE]
        ids += [k for k in ("pregnant", "onset") if r.intake.get(k) == UNSURE]
    return tuple(finding_term(x) for x in ids)


def triage_line(r: TriageRecordPublic) -> TriageLine:
    unanswered = [str(x) for x in r.result.get("unanswered", [])]
    return TriageLine(
        taken=r.taken_at,
        label=disposition_term(r.disposition),
        disposition=r.disposition,
        rules=", ".join(r.rules_fired) or "none",
        unanswered=len(unanswered),
        knowledge_version=r.knowledge_version,
        unsure=unsure_of(r),
        not_asked=tuple(finding_term(x) for x in unanswered),
    )


def screen(
    kb: KnowledgeBase, records: Sequence[TriageRecordPublic], last: TriageRecordPublic | None
) -> Screen:
    """Red flags now, from ``last`` (the last triage up to the end of the period), and the red flags
    of the earlier ``records`` that the last screen did not report."""
    if last is None:
        return Screen("not screened", None)
    reported = tuple(red_flags(kb, [last]))
    unsure = tuple(red_flags(kb, [last], unsure=True))
    now = {f.finding for f in reported}
    earlier = tuple(
        f
        for f in red_flags(kb, [r for r in records if r.taken_at < last.taken_at])
        if f.finding not in now
    )
    status: ScreenStatus = "yes" if reported else "not sure" if unsure else "none"
    unanswered = len(last.result.get("unanswered", []))
    return Screen(status, last.taken_at, reported, unsure, unanswered, earlier)


__all__ = [
    "RedFlag",
    "Screen",
    "ScreenStatus",
    "TriageLine",
    "red_flags",
    "screen",
    "triage_line",
    "unsure_of",
]
