"""``evaluate(intake, kb)``: the pure, deterministic triage decision with its reasons and sources."""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field

from pydantic import Field

from spasmcare.knowledge.base import ResultModel
from spasmcare.knowledge.conditions import UnsureRaises
from spasmcare.knowledge.schema import Disposition, KnowledgeBase, Rule
from spasmcare.triage.evaluator import (
    UNSURE,
    Facts,
    Predicate,
    compile_condition,
    required_findings,
)
from spasmcare.triage.intake import Intake
from spasmcare.wording import DEFAULT_EMERGENCY_CALL

NOTICE = (
    "spasmcare gives information, not a diagnosis. It cannot examine you. If you feel very unwell "
    "or are worried, contact a doctor or emergency service whatever this says."
)


class SourceRef(ResultModel):
    id: str
    citation: str
    url: str | None


class Reason(ResultModel):
    """One rule that fired: why this disposition, what to do, and where it comes from."""

    rule: str = Field(description="Rule id, e.g. E2.")
    title: str
    disposition: Disposition
    advice: str
    rationale: str
    sources: tuple[SourceRef, ...]


class TriageResult(ResultModel):
    """The triage decision: the same object ``spasmcare triage --json`` prints."""

    disposition: Disposition
    label: str
    instruction: str
    reasons: tuple[Reason, ...]
    rules_fired: tuple[str, ...] = Field(
        default_factory=lambda data: tuple(r.rule for r in data["reasons"]),
        description="The ids of the rules in `reasons` (computed from them).",
    )
    unanswered: tuple[str, ...] = Field(
        description="Applicable warning-sign (and, from knowledge base 1.1.0, soon-sign) findings, "
        "then the required fields (pain, onset, duration_days, sex, pregnant) that apply and are "
        'not answered yet. "Not sure" is an answer: it is listed in `unsure`, not here.'
    )
    unsure: tuple[str, ...] = Field(
        default=(),
        description='Applicable findings, then "pregnant" and "onset", answered "unsure". When '
        "one of them, if it were yes, would raise the level, a not-sure rule (N1-N3) fires and "
        "its advice names them.",
    )
    complete: bool = Field(
        default_factory=lambda data: not data["unanswered"],
        description="True when `unanswered` is empty (computed from it).",
    )
    knowledge_version: str
    notice: str = NOTICE

    @property
    def rules(self) -> tuple[str, ...]:
        return self.rules_fired


FIELD_UNSURE_LABELS = {
    "pregnant": "whether you could be pregnant",
    "onset": "whether the pain came on all at once",
}


@dataclass(slots=True)
class _Compiled:
    kb: KnowledgeBase
    checks: tuple[tuple[Rule, frozenset[str] | None, Predicate], ...]
    unsure_rules: tuple[tuple[Rule, Disposition], ...]
    asked_findings: tuple[str, ...]
    """Findings listed in ``unanswered`` while missing (those of rules at the knowledge base's
    ``unanswered_levels``), in file order."""
    finding_applies: dict[str, Predicate]
    field_applies: dict[str, Predicate | None]
    reasons: dict[str, dict[str, Reason]] = field(default_factory=dict)

    def reason(self, rule: Rule, call: str, unsure: str = "") -> Reason:
        if rule.is_unsure_rule:
            return self._build(rule, call, unsure)
        per_call = self.reasons.setdefault(call, {})
        found = per_call.get(rule.id)
        if found is None:
            found = self._build(rule, call, unsure)
            per_call[rule.id] = found
        return found

    def _build(self, rule: Rule, call: str, unsure: str) -> Reason:
        return Reason(
            rule=rule.id,
            title=rule.title,
            disposition=rule.disposition,
            advice=rule.advice.replace("{emergency}", call).replace("{unsure}", unsure),
            rationale=rule.rationale,
            sources=tuple(
                SourceRef(
                    id=s.id,
                    citation=s.citation,
                    url=s.url or (f"https://doi.org/{s.doi}" if s.doi else None),
                )
                for s in (self.kb.sources[ref] for ref in rule.references)
            ),
        )


_CACHE: weakref.WeakKeyDictionary[KnowledgeBase, _Compiled] = weakref.WeakKeyDictionary()


def compiled(kb: KnowledgeBase) -> _Compiled:
    """The knowledge base's active rules compiled to predicates (memoised per knowledge base)."""
    found = _CACHE.get(kb)
    if found is None:
        active = kb.active_rules
        checks = tuple(
            (r, required_findings(r.when), compile_condition(r.when))
            for r in active
            if not r.is_unsure_rule
        )
        unsure_rules = tuple(
            (r, Disposition(r.when.level))
            for r in active
            if r.is_unsure_rule and isinstance(r.when, UnsureRaises)
        )
        levels = set(kb.info.unanswered_levels)
        regular = [r for r in active if not r.is_unsure_rule]
        safety = set().union(*(r.findings for r in regular if r.disposition.rank >= 2))
        used = set().union(*(r.findings for r in regular if r.disposition.value in levels))
        # Safety findings first, then the soon-only ones (policy v2, "What unanswered lists").
        asked = [f for f in kb.findings if f in safety and f in used]
        asked += [f for f in kb.findings if f in used and f not in safety]
        found = _Compiled(
            kb=kb,
            checks=checks,
            unsure_rules=unsure_rules,
            asked_findings=tuple(asked),
            finding_applies={k: compile_condition(c) for k, c in kb.applicability.items()},
            field_applies={
                k: (compile_condition(c) if c is not None else None)
                for k, c in kb.field_applicability.items()
            },
        )
        _CACHE[kb] = found
    return found


def applies(kb: KnowledgeBase, finding_id: str, facts: Facts) -> bool:
    """Whether a finding's question applies to this person, given the answers so far."""
    return _applies(compiled(kb), finding_id, facts)


def _applies(comp: _Compiled, finding_id: str, facts: Facts) -> bool:
    check = comp.finding_applies.get(finding_id)
    if check is not None:
        return check(facts)
    rule = comp.kb.findings[finding_id].applies_to
    if rule.regions is not None and facts.regions.isdisjoint(rule.regions):
        return False
    return not (rule.pregnant is True and facts.pregnant is not True)


def field_applies(kb: KnowledgeBase, name: str, facts: Facts) -> bool:
    """Whether a required intake field (pain, onset, sex, ...) must be answered for this person."""
    return _field_applies(compiled(kb), name, facts)


def _field_applies(comp: _Compiled, name: str, facts: Facts) -> bool:
    if name not in comp.field_applies:
        return False
    check = comp.field_applies[name]
    return check is None or check(facts)


def facts_of(intake: Intake) -> Facts:
    known = intake.findings
    return Facts(
        true=frozenset(k for k, v in known.items() if v is True),
        known=known,
        regions=frozenset(intake.regions),
        age=intake.age,
        pain=intake.pain,
        duration_days=intake.duration_days,
        pregnant=intake.pregnant,
        onset=intake.onset,
        sex=intake.sex,
    )


def unanswered_for(
    intake: Intake, kb: KnowledgeBase, facts: Facts | None = None
) -> tuple[str, ...]:
    """Applicable safety (and, from 1.1.0, soon) findings not yet answered, then the required
    fields (``pain``, ``onset``, ...) that are missing and apply."""
    comp = compiled(kb)
    facts = facts or facts_of(intake)
    known = intake.findings
    out = [f for f in comp.asked_findings if f not in known and _applies(comp, f, facts)]
    out += [
        name
        for name in comp.field_applies
        if getattr(intake, name) is None and _field_applies(comp, name, facts)
    ]
    return tuple(out)


def unsure_for(intake: Intake, kb: KnowledgeBase, facts: Facts | None = None) -> tuple[str, ...]:
    """Applicable findings, then ``pregnant`` and ``onset``, that were answered "unsure"."""
    comp = compiled(kb)
    facts = facts or facts_of(intake)
    known = intake.findings
    out = [f for f in comp.asked_findings if known.get(f) == UNSURE and _applies(comp, f, facts)]
    out += [
        name
        for name in ("pregnant", "onset")
        if getattr(intake, name) == UNSURE
        and (name not in comp.field_applies or _field_applies(comp, name, facts))
    ]
    return tuple(out)


def _fire(comp: _Compiled, facts: Facts) -> list[Rule]:
    true = facts.true
    return [
        rule
        for rule, need, check in comp.checks
        if (need is None or not need.isdisjoint(true)) and check(facts)
    ]


def _has_unsure(intake: Intake) -> bool:
    return (
        intake.pregnant == UNSURE
        or intake.onset == UNSURE
        or any(v == UNSURE for v in intake.findings.values())
    )


FIELD_LABELS = {
    "age": "Your age",
    "regions": "Where the spasm or pain is",
    "medicines": "Which medicines you take",
    "pain": "How bad the pain is, from 0 to 10",
    "onset": "Whether the pain came on all at once or built up",
    "duration_days": "How many days ago this episode started",
    "sex": "Your sex",
    "pregnant": "Whether you could be pregnant",
}
"""Plain words for the intake fields that ``unanswered`` can name (patient-facing)."""


class RuleSummary(ResultModel):
    id: str
    title: str
    disposition: Disposition
    status: str
    since: str
    sources: tuple[str, ...] = Field(description="The citations of the rule's sources.")


class RuleList(ResultModel):
    """The triage rules and their sources (``spasmcare rules --json``, ``GET /api/v1/rules``)."""

    knowledge_version: str
    rules: tuple[RuleSummary, ...]


def rule_list(kb: KnowledgeBase) -> RuleList:
    """Every rule of the knowledge base, in file order, with the citations of its sources."""
    return RuleList(
        knowledge_version=kb.version,
        rules=tuple(
            RuleSummary(
                id=r.id,
                title=r.title,
                disposition=r.disposition,
                status=r.status,
                since=r.since,
                sources=tuple(kb.sources[s].citation for s in r.references),
            )
            for r in kb.rules
        ),
    )


def unanswered_label(kb: KnowledgeBase, name: str) -> str:
    """Plain words for a question that remains: a finding's label, or what a field asks."""
    if name in kb.findings:
        return kb.findings[name].label
    return FIELD_LABELS.get(name, name.replace("_", " "))


def unsure_label(kb: KnowledgeBase, name: str) -> str:
    """Plain words for something the person was not sure about."""
    if name in kb.findings:
        return kb.findings[name].label
    return FIELD_UNSURE_LABELS.get(name, name)


def _unsure_used(rules: list[Rule], intake: Intake) -> list[str]:
    """The unsure answers that these rules read, findings first (in rule order), then fields."""
    out: list[str] = []
    for rule in rules:
        for fid in sorted(rule.findings):
            if intake.findings.get(fid) == UNSURE and fid not in out:
                out.append(fid)
    for name in ("pregnant", "onset"):
        if getattr(intake, name) == UNSURE and any(name in r.fields for r in rules):
            out.append(name)
    return out


def evaluate(
    intake: Intake, kb: KnowledgeBase, *, emergency_call: str = DEFAULT_EMERGENCY_CALL
) -> TriageResult:
    """Decide the disposition for an intake: the highest level of any rule that fires.

    Every fired rule is reported, ordered by level and then by number, with its advice and sources;
    missing and "unsure" findings count as not present (except where a rule says otherwise), and
    are listed in ``unanswered`` and ``unsure`` when they matter. The not-sure rules (N1-N3, from
    1.1.0) look at the result with every "unsure" answer taken as yes.
    """
    comp = compiled(kb)
    facts = facts_of(intake)
    fired = _fire(comp, facts)
    reasons = [comp.reason(r, emergency_call) for r in fired]
    level = fired[0].disposition if fired else Disposition.SELF_CARE
    if comp.unsure_rules and _has_unsure(intake):
        fired_w = _fire(comp, facts.taken_as_yes())
        top_w = fired_w[0].disposition if fired_w else Disposition.SELF_CARE
        for rule, raises in comp.unsure_rules:
            if top_w is raises and level.rank < raises.rank:
                used = _unsure_used([r for r in fired_w if r.disposition is raises], intake)
                words = " and ".join(f'"{unsure_label(kb, u)}"' for u in used)
                reasons.append(comp.reason(rule, emergency_call, words))
                if rule.disposition.rank > level.rank:
                    level = rule.disposition
        order = {r.id: r.order for r in kb.rules}
        reasons.sort(key=lambda x: order[x.rule])
    text = kb.dispositions[level]
    return TriageResult(
        disposition=level,
        label=text.label,
        instruction=text.instruction.replace("{emergency}", emergency_call),
        reasons=tuple(reasons),
        unanswered=unanswered_for(intake, kb, facts),
        knowledge_version=kb.version,
        unsure=unsure_for(intake, kb, facts),
    )
