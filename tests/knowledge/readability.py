"""Every user-facing text of a knowledge base, gathered for the reading-level and glossary checks
(test code: it is not installed with spasmcare).

spasmcare's texts must read at US grade 8 or below (Flesch-Kincaid) and explain each medical word where
it is first used. This module only collects the texts, in the form a reader meets them; the grading
itself lives in the test suite (``tests/knowledge/test_readability.py``, using textstat), so the
product does not depend on a grading library at run time.

A *passage* is one unit of text shown together: a rule's title, advice and rationale; a finding's
label, question and help; one section of a learn topic. Flesch-Kincaid needs whole sentences to mean
anything (a lone label such as "Emergency" scores grade 32), so short labels are graded together with
the texts shown beside them, each part read as one sentence. Passages with the same ``group`` form one
page or card, and a medical word must be explained at its first use within the group.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

from spasmcare.knowledge.schema import KnowledgeBase
from spasmcare.knowledge.topics import Term, plain

#: What each placeholder becomes when a text is graded: a short, real value.
SAMPLE_VALUES: dict[str, str] = {
    "emergency": "911",
    "names": "ibuprofen",
    "mg": "400",
    "max_mg": "1200",
    "hours": "6",
}
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


@dataclass(frozen=True, slots=True)
class Passage:
    """Texts shown together, with the path of each part for error messages."""

    group: str
    ref: str
    parts: tuple[tuple[str, str], ...]

    @property
    def text(self) -> str:
        """The parts as the reader sees them, each ending as a sentence."""
        return " ".join(as_sentence(text) for _, text in self.parts if text.strip())


def as_sentence(text: str) -> str:
    """Plain words with the emergency placeholder filled in, ending with a full stop if it has none."""
    words = _PLACEHOLDER.sub(
        lambda m: SAMPLE_VALUES.get(m.group(1), m.group(1)), plain(text)
    ).strip()
    if words and words[-1] not in ".!?":
        words += "."
    return words


# Collectors for each kind of content. A content area adds its own by appending to this list, so the
# checks cover it without changes to the tests.
Collector = Callable[[KnowledgeBase], Iterable[Passage]]


def _findings(kb: KnowledgeBase) -> Iterator[Passage]:
    for f in kb.findings.values():
        ref = f"findings.yaml: {f.id}"
        parts = (("label", f.label), ("question", f.question), ("help", f.help))
        yield Passage(ref, ref, parts)


def _rules(kb: KnowledgeBase) -> Iterator[Passage]:
    for r in kb.active_rules:
        ref = f"rules/{r.id}.yaml"
        parts = (("title", r.title), ("advice", r.advice), ("rationale", r.rationale))
        yield Passage(ref, ref, parts)


def _dispositions(kb: KnowledgeBase) -> Iterator[Passage]:
    for d in kb.dispositions.values():
        ref = f"dispositions.yaml: {d.id.value}"
        yield Passage(ref, ref, (("label", d.label), ("instruction", d.instruction)))


def _interview(kb: KnowledgeBase) -> Iterator[Passage]:
    for step in kb.interview:
        ref = f"interview.yaml: {step.id}"
        yield Passage(ref, ref, (("prompt", step.prompt), ("help", step.help or "")))


def _checklists(kb: KnowledgeBase) -> Iterator[Passage]:
    # Shown as one list to tick from, so graded as one passage of short items.
    if kb.conditions:
        parts = tuple((f"{c.id}.label", c.label) for c in kb.conditions.values())
        yield Passage("conditions.yaml", "conditions.yaml", parts)
    if kb.medicine_classes:
        parts = tuple((f"{m.id}.title", m.title) for m in kb.medicine_classes.values())
        yield Passage("medicines.yaml", "medicines.yaml: classes", parts)


def _topics(kb: KnowledgeBase) -> Iterator[Passage]:
    for t in kb.topics.values():
        group = f"topics/{t.id}.yaml"
        yield Passage(group, group, (("title", t.title), ("summary", t.summary)))
        for i, s in enumerate(t.sections):
            parts = ((f"sections[{i}].heading", s.heading), (f"sections[{i}].body", s.body))
            yield Passage(group, f"{group}: sections[{i}]", parts)


def _care(kb: KnowledgeBase) -> Iterator[Passage]:
    care = kb.care
    for item in care.items:
        ref = f"care.yaml: items[{item.id}]"
        parts = [("title", item.title), ("how", item.how)]
        parts += [(f"notes[{n}]", note.text) for n, note in enumerate(item.notes)]
        yield Passage(ref, ref, tuple(parts))
    for timer in care.timers.values():
        ref = f"care.yaml: timers[{timer.id}]"
        names = ("title", "on_text", "off_text", "done_text")
        yield Passage(ref, ref, tuple((n, str(getattr(timer, n))) for n in names))
    for message in care.messages.values():
        ref = f"care.yaml: messages[{message.id}]"
        yield Passage(ref, ref, (("text", message.text),))
    for remedy in care.remedies.values():
        ref = f"remedies.yaml: {remedy.id}"
        parts = [("title", remedy.title), ("summary", remedy.summary)]
        parts += [(f"notes[{n}]", note.text) for n, note in enumerate(remedy.notes)]
        yield Passage(ref, ref, tuple(parts))
    for stretch in care.stretches:
        ref = f"stretches.yaml: {stretch.id}"
        parts = [("title", stretch.title)]
        parts += [(f"steps[{n}]", step) for n, step in enumerate(stretch.steps)]
        parts.append(("stop_if", stretch.stop_if))
        yield Passage(ref, ref, tuple(parts))
    for med in care.medicines.values():
        ref = f"medicines.yaml: medicines[{med.id}]"
        parts = [("dose", med.dose)] + [(f"notes[{n}]", t) for n, t in enumerate(med.notes)]
        yield Passage(ref, ref, tuple(parts))
    for check in care.checks:
        ref = f"medicines.yaml: checks[{check.id}]"
        yield Passage(ref, ref, (("reason", check.reason),))


def _glossary(kb: KnowledgeBase) -> Iterator[Passage]:
    for term in kb.glossary.values():
        ref = f"glossary.yaml: {term.id}"
        yield Passage(ref, ref, (("means", term.means),))


COLLECTORS: list[Collector] = [
    _findings,
    _rules,
    _dispositions,
    _interview,
    _checklists,
    _topics,
    _care,
    _glossary,
]


def passages(kb: KnowledgeBase) -> list[Passage]:
    """Every user-facing passage of the knowledge base."""
    return [p for collect in COLLECTORS for p in collect(kb)]


@dataclass(frozen=True, slots=True)
class Unexplained:
    """A medical word used without an explanation where it first appears."""

    group: str
    term: str
    form: str
    context: str


def unexplained_terms(kb: KnowledgeBase) -> list[Unexplained]:
    """Medical words (from the glossary) not explained at their first use in each group."""
    groups: dict[str, list[str]] = {}
    for p in passages(kb):
        if p.group.startswith("glossary.yaml"):
            continue  # a glossary entry is itself the explanation
        groups.setdefault(p.group, []).append(p.text)
    return find_unexplained(
        {g: " ".join(texts) for g, texts in groups.items()}, kb.glossary.values()
    )


def find_unexplained(groups: Mapping[str, str], terms: Iterable[Term]) -> list[Unexplained]:
    """For each group's text, the glossary words whose first use is not explained.

    Explained means written next to plain words in brackets, either way round: "sciatica (pain from an
    irritated nerve ...)" or "thin bones (osteoporosis)".
    """
    patterns = [(term, _form_pattern(term)) for term in terms]
    found: list[Unexplained] = []
    for group, text in groups.items():
        for term, pattern in patterns:
            match = pattern.search(text)
            if match and not _explained(text, match.start(), match.end()):
                context = text[max(0, match.start() - 40) : match.end() + 40]
                found.append(Unexplained(group, term.id, match.group(0), context))
    return found


def _form_pattern(term: Term) -> re.Pattern[str]:
    forms = sorted(term.all_forms, key=len, reverse=True)
    alternatives = "|".join(re.escape(f) for f in forms)
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


def _explained(text: str, start: int, end: int) -> bool:
    if text[end:].lstrip().startswith("("):
        return True
    before = text[:start]
    return before.rfind("(") > before.rfind(")")
