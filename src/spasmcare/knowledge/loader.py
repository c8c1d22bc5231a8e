"""Load and validate a packaged knowledge-base version, reporting every problem at once."""

from __future__ import annotations

import functools
from importlib import resources
from importlib.resources.abc import Traversable

from spasmcare.errors import KnowledgeError, NotFoundError, Problem
from spasmcare.knowledge.body import REGIONS
from spasmcare.knowledge.care import load_care
from spasmcare.knowledge.conditions import (
    Condition,
    UnsureRaises,
    Vocabulary,
    fields_in,
    findings_in,
    parse_condition,
    triage_vocabulary,
)
from spasmcare.knowledge.lexicon import parse_lexicon
from spasmcare.knowledge.medicine_match import MedicineClass, class_problems, parse_matching
from spasmcare.knowledge.reader import Reader
from spasmcare.knowledge.schema import (
    ConditionInfo,
    Disposition,
    DispositionText,
    Finding,
    InterviewStep,
    KbInfo,
    KnowledgeBase,
    Rule,
    RuleFile,
    Source,
)
from spasmcare.knowledge.topics import read_glossary, read_topics


def _data_root() -> Traversable:
    return resources.files("spasmcare.knowledge").joinpath("data")


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


def available_versions() -> list[str]:
    """Every knowledge-base version shipped with this package, oldest first."""
    names = [
        entry.name
        for entry in _data_root().iterdir()
        if entry.is_dir() and entry.name[:1].isdigit() and entry.name.count(".") == 2
    ]
    return sorted(names, key=_version_key)


def latest_version() -> str:
    return available_versions()[-1]


@functools.lru_cache(maxsize=8)
def load_knowledge(version: str | None = None) -> KnowledgeBase:
    """Load (once per process) and validate the knowledge base; the newest version by default."""
    versions = available_versions()
    chosen = version or versions[-1]
    if chosen not in versions:
        raise NotFoundError(
            f"unknown knowledge-base version {chosen!r}",
            [Problem("version", f"{chosen!r} is not shipped", ", ".join(versions))],
        )
    # A shipped version's lexicon patterns are compiled by the test suite, not at every start.
    return load_directory(_data_root().joinpath(chosen), shipped=True)


def load_directory(root: Traversable, *, shipped: bool = False) -> KnowledgeBase:
    """Load and validate one knowledge-base directory; raise KnowledgeError listing every problem.

    ``shipped``: a version packaged with spasmcare, whose free-text patterns the test suite has
    compiled (tests/knowledge/test_lexicon.py); everything else is checked as for any directory."""
    r = Reader(root)
    info = r.model(KbInfo, r.raw("kb.yaml"), "kb.yaml")
    sources = r.unique(r.models(Source, "sources.yaml", "sources"), "sources.yaml", lambda s: s.id)
    findings = r.unique(
        r.models(Finding, "findings.yaml", "findings"), "findings.yaml", lambda f: f.id
    )
    dispositions_list = r.models(DispositionText, "dispositions.yaml", "dispositions")
    steps = r.models(InterviewStep, "interview.yaml", "steps")
    classes = r.unique(
        r.models(MedicineClass, "medicines.yaml", "classes"), "medicines.yaml", lambda c: c.id
    )
    conditions = r.unique(
        r.models(ConditionInfo, "conditions.yaml", "conditions"), "conditions.yaml", lambda c: c.id
    )
    finding_ids = frozenset(findings)
    vocabulary = triage_vocabulary(finding_ids)

    for f in findings.values():
        for region in f.applies_to.regions or []:
            if region not in REGIONS:
                r.problems.append(
                    Problem(
                        f"findings.yaml: {f.id}.applies_to.regions", f"unknown region {region!r}"
                    )
                )
    for c in classes.values():
        if c.sets_finding and c.sets_finding not in finding_ids:
            r.problems.append(
                Problem(
                    f"medicines.yaml: {c.id}.sets_finding", f"unknown finding {c.sets_finding!r}"
                )
            )
    medicines_raw = r.raw("medicines.yaml")
    matching, matching_problems = parse_matching(
        medicines_raw.get("matching") if isinstance(medicines_raw, dict) else None
    )
    r.problems.extend(matching_problems)
    r.problems.extend(class_problems(classes, finding_ids, matching))
    lexicon_raw = r.raw("lexicon.yaml", required=False)  # from 1.1.0: free-text symptoms
    lexicon, lexicon_problems = (
        parse_lexicon(lexicon_raw, finding_ids, compile_patterns=not shipped)
        if lexicon_raw
        else (None, [])
    )
    r.problems.extend(lexicon_problems)

    applicability: dict[str, Condition] = {}
    for f in findings.values():
        if f.applies_when is not None:
            cond, problems = parse_condition(
                f.applies_when, f"findings.yaml: {f.id}.applies_when", vocabulary
            )
            r.problems.extend(problems)
            if cond is not None:
                applicability[f.id] = cond
    field_applicability: dict[str, Condition | None] = {}
    for name, req in info.required_fields.items() if info else ():
        field_applicability[name] = None
        if req.applies_when is not None:
            cond, problems = parse_condition(
                req.applies_when, f"kb.yaml: required_fields.{name}.applies_when", vocabulary
            )
            r.problems.extend(problems)
            field_applicability[name] = cond

    rules = _load_rules(r, vocabulary, set(sources))
    dispositions = {d.id: d for d in dispositions_list}
    for level in Disposition:
        if level not in dispositions:
            r.problems.append(Problem("dispositions.yaml", f"no text for {level.value!r}"))
    _check_interview(r, steps, findings, rules)
    glossary = read_glossary(r, set(sources))
    care = load_care(
        r,
        source_ids=set(sources),
        finding_ids=finding_ids,
        condition_ids=list(conditions),
        class_ids=list(classes),
        rule_ids={x.id for x in rules},
    )
    topics = read_topics(
        r,
        source_ids=set(sources),
        targets={
            "rule": {x.id for x in rules if x.active},
            "finding": finding_ids,
            "term": set(glossary),
            "care": {i.id for i in care.items} | set(care.remedies),
            "medicine": set(care.medicines),
            "stretch": {s.id for s in care.stretches},
        },
    )

    if r.problems or info is None:
        raise KnowledgeError(
            f"knowledge base {root.name} is invalid ({len(r.problems)} problems)", r.problems
        )
    return KnowledgeBase(
        info=info,
        sources=sources,
        findings=findings,
        rules=tuple(sorted(rules, key=lambda x: x.order)),
        dispositions=dispositions,
        interview=tuple(steps),
        medicine_classes=classes,
        conditions=conditions,
        topics=topics,
        glossary=glossary,
        care=care,
        applicability=applicability,
        field_applicability=field_applicability,
        medicine_matching=matching,
        lexicon=lexicon,
    )


def _load_rules(r: Reader, vocabulary: Vocabulary, source_ids: set[str]) -> list[Rule]:
    rules_dir = r.root.joinpath("rules")
    if not rules_dir.is_dir():
        r.problems.append(Problem("rules/", "directory is missing"))
        return []
    rules: list[Rule] = []
    seen: set[str] = set()
    for entry in sorted(rules_dir.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        name = f"rules/{entry.name}"
        parsed = r.model(RuleFile, r.raw(name), name)
        if parsed is None:
            continue
        if entry.name != f"{parsed.id}.yaml":
            r.problems.append(Problem(f"{name}: id", f"{parsed.id!r} does not match the file name"))
        if parsed.id in seen:
            r.problems.append(Problem(f"{name}: id", f"duplicate rule id {parsed.id!r}"))
        seen.add(parsed.id)
        unsure_rule = parsed.id.startswith("N")
        if unsure_rule and parsed.disposition not in (Disposition.URGENT, Disposition.SOON):
            r.problems.append(
                Problem(f"{name}: disposition", "a not-sure rule is 'urgent' or 'soon'")
            )
        if not unsure_rule and parsed.id[0] != parsed.disposition.letter:
            r.problems.append(
                Problem(
                    f"{name}: disposition",
                    f"{parsed.disposition.value!r} does not match the id prefix {parsed.id[0]!r}",
                )
            )
        if not parsed.references:
            r.problems.append(Problem(f"{name}: references", "a rule needs at least one source"))
        for i, ref in enumerate(parsed.references):
            if ref not in source_ids:
                r.problems.append(Problem(f"{name}: references[{i}]", f"unknown source {ref!r}"))
        cond, problems = parse_condition(parsed.when, f"{name}: when", vocabulary)
        r.problems.extend(problems)
        if cond is None:
            continue
        if unsure_rule != isinstance(cond, UnsureRaises):
            r.problems.append(
                Problem(
                    f"{name}: when",
                    "unsure_raises is the whole condition of a not-sure rule (N1-N3), and only there",
                )
            )
            continue
        rules.append(
            Rule(
                id=parsed.id,
                title=parsed.title,
                disposition=parsed.disposition,
                when=cond,
                advice=parsed.advice.strip(),
                rationale=parsed.rationale.strip(),
                references=tuple(parsed.references),
                status=parsed.status,
                since=parsed.since,
                findings=findings_in(cond),
                fields=fields_in(cond),
            )
        )
    return rules


def _check_interview(
    r: Reader,
    steps: list[InterviewStep],
    findings: dict[str, Finding],
    rules: list[Rule],
) -> None:
    seen_ids: set[str] = set()
    asked: set[str] = set()
    for step in steps:
        where = f"interview.yaml: {step.id}"
        if step.id in seen_ids:
            r.problems.append(Problem(where, "duplicate step id"))
        seen_ids.add(step.id)
        if step.kind == "field" and step.field is None:
            r.problems.append(Problem(where, "a field step needs 'field'"))
        if step.kind == "checklist" and not step.findings:
            r.problems.append(Problem(where, "a checklist needs findings"))
        for fid in step.findings:
            if fid not in findings:
                r.problems.append(Problem(f"{where}.findings", f"unknown finding {fid!r}"))
            if fid in asked:
                r.problems.append(Problem(f"{where}.findings", f"{fid!r} is asked twice"))
            asked.add(fid)
        for region in step.priority_regions:
            if region not in REGIONS:
                r.problems.append(
                    Problem(f"{where}.priority_regions", f"unknown region {region!r}")
                )
    used = set().union(*(rule.findings for rule in rules)) if rules else set()
    for fid in sorted(used - asked):
        r.problems.append(
            Problem("interview.yaml", f"finding {fid!r} is used by a rule but never asked")
        )
