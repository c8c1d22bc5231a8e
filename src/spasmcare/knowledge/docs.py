"""Render the triage rules and findings of a knowledge base as Markdown (for docs/triage.md)."""

from __future__ import annotations

from spasmcare.knowledge.conditions import (
    AllOf,
    AnyOf,
    Compare,
    Condition,
    FindingMaybe,
    FindingNotNo,
    FindingTrue,
    InRegion,
    IsPregnant,
    Not,
    OnsetIs,
    SexIs,
    SexNot,
    UnsureRaises,
)
from spasmcare.knowledge.schema import Disposition, KnowledgeBase

BEGIN = "<!-- BEGIN GENERATED: rules (scripts/gen_docs.py) -->"
END = "<!-- END GENERATED: rules -->"
_OPS = {"lt": "<", "lte": "<=", "gt": ">", "gte": ">=", "eq": "="}


def describe(cond: Condition) -> str:
    """A condition in the compact notation of the policy (e.g. ``fever and (rash or ...)``)."""
    match cond:
        case FindingTrue(finding=fid):
            return f"`{fid}`"
        case AnyOf(parts=parts):
            return " or ".join(_wrap(p) for p in parts)
        case AllOf(parts=parts):
            return " and ".join(_wrap(p) for p in parts)
        case Not(part=part):
            return f"not {_wrap(part)}"
        case Compare(field=field, op=op, value=value):
            return f"{field} {_OPS[op]} {value:g}"
        case InRegion(regions=regions):
            return "region " + " or ".join(regions)
        case FindingMaybe(finding=fid):
            return f"`{fid}` is yes or not sure"
        case FindingNotNo(finding=fid):
            return f"`{fid}` is not no"
        case IsPregnant(mode=mode):
            return {
                "yes": "pregnant",
                "no": "not pregnant",
                "maybe": "pregnant is yes or not sure",
                "not_no": "pregnant is not no",
            }[mode]
        case OnsetIs(onset=onset):
            return f"onset {onset}"
        case SexIs(sex=sex):
            return f"sex {sex}"
        case SexNot(sex=sex):
            return f"sex is not {sex}"
        case UnsureRaises(level=level):
            return f"a {level} rule fires only when the not-sure answers are taken as yes"
    raise TypeError(cond)  # pragma: no cover


def _wrap(cond: Condition) -> str:
    text = describe(cond)
    return f"({text})" if isinstance(cond, AnyOf | AllOf) and len(cond.parts) > 1 else text


def rules_markdown(kb: KnowledgeBase) -> str:
    """Every rule, grouped by level, with its condition, advice and sources; then the findings."""
    lines = [BEGIN, "", f"Knowledge base version **{kb.version}** ({kb.info.policy}).", ""]
    for level in (Disposition.EMERGENCY, Disposition.URGENT, Disposition.SOON):
        lines += [f"### {kb.dispositions[level].label} (`{level.value}`)", ""]
        lines += ["| rule | title | when | sources | status |", "|---|---|---|---|---|"]
        for rule in kb.rules:
            if rule.disposition is level:
                refs = ", ".join(f"`{r}`" for r in rule.references)
                lines.append(
                    f"| {rule.id} | {rule.title} | {describe(rule.when)} | {refs} "
                    f"| {rule.status} since {rule.since} |"
                )
        lines.append("")
    lines += ["### Findings", "", "| id | category | asks | applies to |", "|---|---|---|---|"]
    for f in kb.findings.values():
        scope = []
        if f.applies_to.regions:
            scope.append("regions " + ", ".join(f.applies_to.regions))
        if f.applies_to.pregnant:
            scope.append("pregnant")
        if f.id in kb.applicability:
            scope.append(describe(kb.applicability[f.id]))
        lines.append(
            f"| `{f.id}` | {f.category} | {f.question} | {'; '.join(scope) or 'everyone'} |"
        )
    lines += ["", "### Sources", ""]
    for s in kb.sources.values():
        link = s.url or (f"https://doi.org/{s.doi}" if s.doi else "")
        lines.append(f"- `{s.id}`: {s.citation}" + (f" <{link}>" if link else ""))
    lines += ["", END]
    return "\n".join(lines) + "\n"


def replace_generated(document: str, generated: str) -> str:
    """Put a freshly generated block between the markers of an existing document."""
    head, _, rest = document.partition(BEGIN)
    _, _, tail = rest.partition(END + "\n")
    return head + generated + tail
