"""Render the care content of a knowledge base as Markdown, for docs/care-plan.md.

``python scripts/gen_care_docs.py`` rewrites the generated part of the page; a test fails when the
page and the data disagree, so no care item, remedy, stretch, medicine or check goes undocumented.
"""

from __future__ import annotations

from spasmcare.knowledge.care_conditions import (
    CAll,
    CAny,
    CareCondition,
    CNot,
    HasCondition,
    HasFinding,
    Measure,
    PregnancyWeeksUnknown,
    PregnantIs,
    RegionIn,
    SexIs,
    TakenHours,
    TakenMg24h,
    Takes,
    TakesClasses,
    TakesCount,
    TakesOther,
    TakesSelf,
    TakesUnknown,
)
from spasmcare.knowledge.medicine_match import class_findings
from spasmcare.knowledge.schema import KnowledgeBase

BEGIN = "<!-- BEGIN GENERATED: care (scripts/gen_care_docs.py) -->"
END = "<!-- END GENERATED: care -->"
_OPS = {"lt": "<", "lte": "<=", "gt": ">", "gte": ">=", "eq": "="}


def describe_care(cond: CareCondition) -> str:
    """A care condition in compact words, e.g. ``takes nsaid (not this one)``."""
    match cond:
        case CAll(parts=parts):
            return " and ".join(_wrap(p) for p in parts)
        case CAny(parts=parts):
            return " or ".join(_wrap(p) for p in parts)
        case CNot(part=part):
            return f"not {_wrap(part)}"
        case HasCondition(condition=cid):
            return f"condition `{cid}`"
        case HasFinding(finding=fid):
            return f"finding `{fid}`"
        case Takes(cls=cls):
            return f"takes `{cls}`"
        case TakesOther(cls=cls):
            return f"takes another `{cls}`"
        case TakesCount(cls=cls, op=op, value=value):
            return f"number of `{cls}` names {_OPS[op]} {value:g}"
        case TakesClasses(classes=classes, op=op, value=value):
            listed = ", ".join(f"`{c}`" for c in classes)
            return f"number of classes taken of {listed} {_OPS[op]} {value:g}"
        case TakesSelf():
            return "already takes this medicine"
        case TakesUnknown():
            return "takes a medicine not recognised"
        case Measure(field=field, op=op, value=value):
            return f"{field} {_OPS[op]} {value:g}"
        case PregnantIs(value=value):
            return (
                "pregnancy unknown" if value is None else ("pregnant" if value else "not pregnant")
            )
        case PregnancyWeeksUnknown():
            return "pregnant, week unknown"
        case SexIs(value=value):
            return f"sex {value or 'unknown'}"
        case RegionIn(regions=regions):
            return "region " + " or ".join(regions)
        case TakenMg24h(cls=cls, op=op, value=value):
            return f"mg of `{cls}` in the last 24 h {_OPS[op]} {value:g}"
        case TakenHours(cls=cls, op=op, value=value):
            return f"hours of `{cls}` doses {_OPS[op]} {value:g}"
    raise TypeError(cond)  # pragma: no cover


def _wrap(cond: CareCondition) -> str:
    text = describe_care(cond)
    return f"({text})" if isinstance(cond, CAll | CAny) and len(cond.parts) > 1 else text


def _refs(ids: tuple[str, ...] | list[str]) -> str:
    return ", ".join(f"`{i}`" for i in ids)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "/")


def care_markdown(kb: KnowledgeBase) -> str:
    """The generated part of docs/care-plan.md: every care item, remedy, stretch, medicine and check."""
    care = kb.care
    lines = [BEGIN, "", f"Knowledge base version **{kb.version}**.", ""]
    lines += ["### Plan steps", "", "| id | section | title | grade | shown for | sources |"]
    lines += ["|---|---|---|---|---|---|"]
    for i in care.items:
        if i.section in ("get_help", "course"):
            continue
        shown = ", ".join(
            d for d in ("emergency", "urgent", "soon", "self_care") if d in i.dispositions
        )
        extra = []
        if i.regions is not None:
            extra.append("regions " + ", ".join(sorted(i.regions)))
        if i.exclude_if is not None:
            extra.append("not if " + describe_care(i.exclude_if))
        if i.notes:
            extra.append("notes when " + "; ".join(describe_care(n.when) for n in i.notes))
        if extra:
            shown += " (" + "; ".join(extra) + ")"
        lines.append(
            f"| `{i.id}` | {i.section} | {_cell(i.title)} | {i.grade} | {shown} | {_refs(i.sources)} |"
        )
    lines += [
        "",
        "### Warning signs and the usual course",
        "",
        "| id | leads to | rules | title | sources |",
    ]
    lines += ["|---|---|---|---|---|"]
    for i in care.items:
        if i.section in ("get_help", "course"):
            lead = i.level or "what to expect"
            lines.append(
                f"| `{i.id}` | {lead} | {', '.join(i.rules)} | {_cell(i.title)} | {_refs(i.sources)} |"
            )
    lines += ["", "### Remedies", "", "| id | title | grade | plan | named by the seed | sources |"]
    lines += ["|---|---|---|---|---|---|"]
    for r in care.remedies.values():
        lines.append(
            f"| `{r.id}` | {_cell(r.title)} | {r.grade} | {r.advice} | {'yes' if r.seed else 'no'} "
            f"| {_refs(r.sources)} |"
        )
    lines += ["", "### Prevention by cause", "", "| cause | advice |", "|---|---|"]
    causes: dict[str, list[str]] = {}
    for i in care.items:
        for cause in i.causes:
            causes.setdefault(cause, []).append(f"`{i.id}` ({i.grade})")
    for r in care.remedies.values():
        for cause in r.causes:
            causes.setdefault(cause, []).append(f"`{r.id}` ({r.grade})")
    for cause, advice in causes.items():
        lines.append(f"| {cause} | {', '.join(advice)} |")
    lines += [
        "",
        "### Stretch library",
        "",
        "| id | group | title | regions | hold x reps | in a spasm | sources |",
    ]
    lines += ["|---|---|---|---|---|---|---|"]
    for s in care.stretches:
        lines.append(
            f"| `{s.id}` | {s.group} | {_cell(s.title)} | {', '.join(sorted(s.regions))} "
            f"| {s.hold_seconds} s x {s.repetitions} | {'yes' if s.during_spasm else 'no'} | {_refs(s.sources)} |"
        )
    lines += [
        "",
        "### Medicines",
        "",
        "| id | name | brands | kind | evidence grade | limits | sources |",
    ]
    lines += ["|---|---|---|---|---|---|---|"]
    for m in care.medicines.values():
        limits = ", ".join(
            f"{k} {v:g}"
            for k, v in (
                ("dose_mg", m.limits.dose_mg),
                ("daily_mg", m.limits.daily_mg),
                ("interval_hours", m.limits.interval_hours),
                ("course_hours", m.limits.course_hours),
            )
            if v is not None
        )
        grade = care.remedies[m.remedy].grade
        lines.append(
            f"| `{m.id}` | {m.name} | {', '.join(m.brands)} | {m.kind} | {grade} (`{m.remedy}`) "
            f"| {limits or '-'} | {_refs(m.sources)} |"
        )
    lines += [
        "",
        "### Medicine safety checks",
        "",
        "| id | applies to | when | verdict | sources |",
    ]
    lines += ["|---|---|---|---|---|"]
    for c in care.checks:
        flags = "".join(
            (" (also a warning)" if c.warn else "", " (no dose shown)" if c.hide_dose else "")
        )
        lines.append(
            f"| `{c.id}` | {', '.join(c.applies_to)} | {describe_care(c.when)} | {c.verdict}{flags} "
            f"| {_refs(c.sources)} |"
        )
    lines += _matching(kb)
    lines += [
        "",
        "### Medicine classes",
        "",
        "| id | title | triage | names |",
        "|---|---|---|---|",
    ]
    for cls in kb.medicine_classes.values():
        triage = [f"sets `{f}`" for f in class_findings(cls)]
        if cls.prompts_finding:
            triage.append(f"named in the `{cls.prompts_finding}` question")
        lines.append(
            f"| `{cls.id}` | {cls.title} | {'; '.join(triage) or '-'} | {', '.join(cls.members)} |"
        )
    lines += ["", "### Timers", "", "| id | on | off | cycles | limits | calendar sessions |"]
    lines += ["|---|---|---|---|---|---|"]
    for t in care.timers.values():
        lines.append(
            f"| `{t.id}` | {t.on_minutes:g} min | {t.off_minutes:g} min | {t.cycles} "
            f"| on <= {t.max_on_minutes:g} min, off >= {t.min_off_minutes:g} min, <= {t.max_cycles} cycles "
            f"| {', '.join(t.sessions)} for {t.days} days |"
        )
    lines += ["", "### Plan messages", "", "| id | text |", "|---|---|"]
    for msg in care.messages.values():
        lines.append(f"| `{msg.id}` | {_cell(msg.text)} |")
    lines += ["", END]
    return "\n".join(lines) + "\n"


def _matching(kb: KnowledgeBase) -> list[str]:
    """The word lists of the medicine-name matcher (knowledge base 1.1.0 on)."""
    matching = kb.medicine_matching
    if matching is None:
        return [
            "",
            "### Medicine name matching",
            "",
            "A name matches a class when it equals one of the class's names, ignoring case.",
        ]
    f = matching.source
    rows = [
        ("units (removed with the number before them)", f.units),
        ("forms and routes (removed)", f.forms),
        ("frequency words (removed)", f.frequency),
        ("neutral words (carry no medicine)", f.neutral),
        ("topical words (the product counts for nothing)", f.topical),
        ("words that keep a product counting", f.not_topical),
    ]
    lines = [
        "",
        "### Medicine name matching",
        "",
        "Triage and the plan read a medicine name with one matcher "
        "(`spasmcare.knowledge.medicine_match`): trademark signs, case, brackets and punctuation go, "
        "then doses (a number and its units), forms, routes and frequency words. A class matches "
        "when one of its names appears as a whole word in what remains; a combination product "
        "matches every member's class; a topical product matches nothing. A name that matches "
        'nothing is "not checked" in the plan, never `ok`.',
        "",
        "| list | words |",
        "|---|---|",
    ]
    lines += [f"| {label} | {', '.join(words) or '-'} |" for label, words in rows]
    return lines


def replace_generated(document: str, generated: str) -> str:
    """The document with its generated part replaced (appended when the markers are missing)."""
    if BEGIN in document and END in document:
        head = document.split(BEGIN, 1)[0]
        tail = document.split(END, 1)[1]
        return head + generated.rstrip("\n") + tail
    return document.rstrip("\n") + "\n\n" + generated
