"""Regenerate the generated parts of docs/ from the knowledge base: `python scripts/gen_docs.py`.

docs/triage.md lists every rule and finding, docs/care-plan.md every care item, remedy, stretch,
medicine and check; tests/test_docs.py fails when a page and the data disagree. Conditions are written
with the one describer of the condition language (``spasmcare.knowledge.conditions.describe``).
"""

from __future__ import annotations

from pathlib import Path

from spasmcare.knowledge import KnowledgeBase, load_knowledge
from spasmcare.knowledge.conditions import describe
from spasmcare.knowledge.medicine_match import class_findings
from spasmcare.knowledge.schema import Disposition

ROOT = Path(__file__).resolve().parents[1]
RULES_BEGIN = "<!-- BEGIN GENERATED: rules (scripts/gen_docs.py) -->"
RULES_END = "<!-- END GENERATED: rules -->"
CARE_BEGIN = "<!-- BEGIN GENERATED: care (scripts/gen_docs.py) -->"
CARE_END = "<!-- END GENERATED: care -->"


def rules_markdown(kb: KnowledgeBase) -> str:
    """Every rule, grouped by level, with its condition, advice and sources; then the findings."""
    lines = [RULES_BEGIN, "", f"Knowledge base version **{kb.version}** ({kb.info.policy}).", ""]
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
    lines += ["", RULES_END]
    return "\n".join(lines) + "\n"


def _refs(ids: tuple[str, ...] | list[str]) -> str:
    return ", ".join(f"`{i}`" for i in ids)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "/")


def care_markdown(kb: KnowledgeBase) -> str:
    """The generated part of docs/care-plan.md: every care item, remedy, stretch, medicine and check."""
    care = kb.care
    lines = [CARE_BEGIN, "", f"Knowledge base version **{kb.version}**.", ""]
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
            extra.append("not if " + describe(i.exclude_if))
        if i.notes:
            extra.append("notes when " + "; ".join(describe(n.when) for n in i.notes))
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
    for name, advice in causes.items():
        lines.append(f"| {name} | {', '.join(advice)} |")
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
            f"| `{c.id}` | {', '.join(c.applies_to)} | {describe(c.when)} | {c.verdict}{flags} "
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
    lines += ["", CARE_END]
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
    """The document with its generated part replaced (appended when the markers are missing).

    The markers are the first and the last line of ``generated``."""
    lines = generated.rstrip("\n").split("\n")
    begin, end = lines[0], lines[-1]
    if begin in document and end in document:
        head = document.split(begin, 1)[0]
        tail = document.split(end, 1)[1]
        return head + generated.rstrip("\n") + tail
    return document.rstrip("\n") + "\n\n" + generated


PAGES = {"triage.md": rules_markdown, "care-plan.md": care_markdown}


def main() -> None:
    kb = load_knowledge()
    for name, render in PAGES.items():
        path = ROOT / "docs" / name
        path.write_text(replace_generated(path.read_text(), render(kb)))
        print(f"updated {path}")


if __name__ == "__main__":
    main()
