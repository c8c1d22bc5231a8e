"""``evaluate(intake, kb)``: the pure, deterministic triage decision with its reasons and sources."""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from typing import Any

from spasmcare.knowledge.schema import Disposition, KnowledgeBase, Rule
from spasmcare.triage.evaluator import Facts, Predicate, compile_condition, required_findings
from spasmcare.triage.intake import Intake
from spasmcare.wording import DEFAULT_EMERGENCY_CALL

NOTICE = (
    "spasmcare gives information, not a diagnosis. It cannot examine you. If you feel very unwell "
    "or are worried, contact a doctor or emergency service whatever this says."
)
FIELD_QUESTIONS = ("pain", "onset")


@dataclass(frozen=True, slots=True)
class SourceRef:
    id: str
    citation: str
    url: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "citation": self.citation, "url": self.url}


@dataclass(frozen=True, slots=True)
class Reason:
    """One rule that fired: why this disposition, what to do, and where it comes from."""

    rule: str
    title: str
    disposition: Disposition
    advice: str
    rationale: str
    sources: tuple[SourceRef, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "title": self.title,
            "disposition": self.disposition.value,
            "advice": self.advice,
            "rationale": self.rationale,
            "sources": [s.to_dict() for s in self.sources],
        }


@dataclass(frozen=True, slots=True)
class TriageResult:
    disposition: Disposition
    label: str
    instruction: str
    reasons: tuple[Reason, ...]
    unanswered: tuple[str, ...]
    knowledge_version: str
    notice: str = NOTICE

    @property
    def complete(self) -> bool:
        return not self.unanswered

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(r.rule for r in self.reasons)

    def to_dict(self) -> dict[str, Any]:
        return {
            "disposition": self.disposition.value,
            "label": self.label,
            "instruction": self.instruction,
            "reasons": [r.to_dict() for r in self.reasons],
            "rules_fired": list(self.rules),
            "unanswered": list(self.unanswered),
            "complete": self.complete,
            "knowledge_version": self.knowledge_version,
            "notice": self.notice,
        }


@dataclass(slots=True)
class _Compiled:
    kb: KnowledgeBase
    checks: tuple[tuple[Rule, frozenset[str] | None, Predicate], ...]
    eu_findings: tuple[str, ...]
    reasons: dict[str, dict[str, Reason]] = field(default_factory=dict)
    applicable: dict[tuple[frozenset[str], bool], tuple[str, ...]] = field(default_factory=dict)

    def reason(self, rule: Rule, call: str) -> Reason:
        per_call = self.reasons.setdefault(call, {})
        found = per_call.get(rule.id)
        if found is None:
            found = Reason(
                rule=rule.id,
                title=rule.title,
                disposition=rule.disposition,
                advice=rule.advice.replace("{emergency}", call),
                rationale=rule.rationale,
                sources=tuple(
                    SourceRef(
                        s.id, s.citation, s.url or (f"https://doi.org/{s.doi}" if s.doi else None)
                    )
                    for s in (self.kb.sources[ref] for ref in rule.references)
                ),
            )
            per_call[rule.id] = found
        return found

    def applicable_eu(self, regions: frozenset[str], pregnant: bool) -> tuple[str, ...]:
        key = (regions, pregnant)
        found = self.applicable.get(key)
        if found is None:
            found = tuple(f for f in self.eu_findings if applies(self.kb, f, regions, pregnant))
            self.applicable[key] = found
        return found


_CACHE: weakref.WeakKeyDictionary[KnowledgeBase, _Compiled] = weakref.WeakKeyDictionary()


def compiled(kb: KnowledgeBase) -> _Compiled:
    """The knowledge base's active rules compiled to predicates (memoised per knowledge base)."""
    found = _CACHE.get(kb)
    if found is None:
        checks = tuple(
            (r, required_findings(r.when), compile_condition(r.when)) for r in kb.active_rules
        )
        used = set().union(
            *(r.findings for r in kb.active_rules if r.disposition.rank >= Disposition.URGENT.rank)
        )
        eu = tuple(f for f in kb.findings if f in used)
        found = _Compiled(kb=kb, checks=checks, eu_findings=eu)
        _CACHE[kb] = found
    return found


def applies(kb: KnowledgeBase, finding_id: str, regions: frozenset[str], pregnant: bool) -> bool:
    """Whether a finding's question applies to someone with these regions and pregnancy status."""
    rule = kb.findings[finding_id].applies_to
    if rule.regions is not None and regions.isdisjoint(rule.regions):
        return False
    return not (rule.pregnant is True and not pregnant)


def facts_of(intake: Intake) -> Facts:
    known = intake.findings
    return Facts(
        true=frozenset(k for k, v in known.items() if v),
        known=known,
        regions=frozenset(intake.regions),
        age=intake.age,
        pain=intake.pain,
        duration_days=intake.duration_days,
        pregnant=intake.pregnant,
        onset=intake.onset,
    )


def unanswered_for(intake: Intake, kb: KnowledgeBase) -> tuple[str, ...]:
    """Applicable emergency and urgent findings not yet answered, then ``pain`` and ``onset``."""
    comp = compiled(kb)
    known = intake.findings
    out = [
        f
        for f in comp.applicable_eu(frozenset(intake.regions), intake.pregnant is True)
        if f not in known
    ]
    if intake.pain is None:
        out.append("pain")
    if intake.onset is None:
        out.append("onset")
    return tuple(out)


def evaluate(
    intake: Intake, kb: KnowledgeBase, *, emergency_call: str = DEFAULT_EMERGENCY_CALL
) -> TriageResult:
    """Decide the disposition for an intake: the highest level of any rule that fires.

    Every fired rule is reported, ordered by level and then by number, with its advice and sources;
    unknown findings count as not present, and are listed in ``unanswered`` when they matter.
    """
    comp = compiled(kb)
    facts = facts_of(intake)
    true = facts.true
    fired = [
        rule
        for rule, need, check in comp.checks
        if (need is None or not need.isdisjoint(true)) and check(facts)
    ]
    level = fired[0].disposition if fired else Disposition.SELF_CARE
    text = kb.dispositions[level]
    return TriageResult(
        disposition=level,
        label=text.label,
        instruction=text.instruction.replace("{emergency}", emergency_call),
        reasons=tuple(comp.reason(r, emergency_call) for r in fired),
        unanswered=unanswered_for(intake, kb),
        knowledge_version=kb.version,
    )
