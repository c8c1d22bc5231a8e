"""The documents search indexes: one per topic, rule, glossary term and care item, in plain words.

Each document has a title (weighted most), keywords (words people search with that the text may not
use) and a body. A rule's body includes the questions of the findings it depends on, so a search in a
person's words ("numb around the groin") finds the rule that the matching question feeds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from spasmcare.knowledge.schema import KnowledgeBase
from spasmcare.knowledge.topics import plain

#: What search results can be, in the order results of equal rank are listed.
KINDS: tuple[str, ...] = ("topic", "rule", "care", "stretch", "remedy", "medicine", "term")
KIND_WORDS: dict[str, str] = {
    "topic": "page",
    "rule": "warning sign",
    "care": "care advice",
    "stretch": "stretch",
    "remedy": "remedy",
    "medicine": "medicine",
    "term": "medical word",
}
"""How each kind of result is named to a person (never an internal word like "rule")."""

_REGION_WORDS = {
    "neck": "neck",
    "upper_back": "upper back",
    "mid_back": "mid back",
    "lower_back": "lower back",
    "flank": "side flank",
    "buttock": "buttock",
    "thigh": "thigh",
    "calf": "calf",
}
_EMERGENCY = "the emergency number"


@dataclass(frozen=True, slots=True)
class Doc:
    """One searchable item, flattened to plain text."""

    id: str
    kind: str
    title: str
    keywords: tuple[str, ...]
    body: str


def _text(*parts: str | None) -> str:
    return " ".join(plain(p).replace("{emergency}", _EMERGENCY) for p in parts if p)


def _topics(kb: KnowledgeBase) -> Iterator[Doc]:
    for t in kb.topics.values():
        if t.status != "active":
            continue
        words = (*t.keywords, *(_REGION_WORDS.get(r, r) for r in t.regions))
        yield Doc(t.id, "topic", plain(t.title), words, _text(t.summary, t.body_text()))


def _rules(kb: KnowledgeBase) -> Iterator[Doc]:
    for r in kb.active_rules:
        findings = [kb.findings[f] for f in sorted(r.findings) if f in kb.findings]
        level = kb.dispositions[r.disposition].label if r.disposition in kb.dispositions else ""
        # The signs people describe are the findings' labels: searchable as strongly as keywords.
        words = (level, r.id.lower(), *(_text(f.label) for f in findings))
        body = _text(r.advice, r.rationale, *(_text(f.question, f.help) for f in findings))
        yield Doc(r.id, "rule", _text(r.title), words, body)


def _terms(kb: KnowledgeBase) -> Iterator[Doc]:
    for term in kb.glossary.values():
        yield Doc(term.id, "term", term.term, tuple(term.forms), _text(term.means))


# Plan scaffolding (what to do while waiting, the headline instruction) is not an answer on its own.
_CARE_SECTIONS_SKIPPED = frozenset({"instruction", "waiting"})
_GRADE_WORDS = {
    "strong": "strong evidence",
    "moderate": "good evidence",
    "low": "some evidence",
    "insufficient": "not proven",
    "against": "advised against does not work",
}


def _care(kb: KnowledgeBase) -> Iterator[Doc]:
    for item in kb.care.items:
        if item.section in _CARE_SECTIONS_SKIPPED:
            continue
        body = _text(item.how, *(note.text for note in item.notes))
        words = (_GRADE_WORDS.get(item.grade, item.grade), *item.causes)
        yield Doc(item.id, "care", _text(item.title), words, body)


def _remedies(kb: KnowledgeBase) -> Iterator[Doc]:
    for r in kb.care.remedies.values():
        words = (*r.also_called, _GRADE_WORDS.get(r.grade, r.grade), *r.medicines)
        body = _text(r.summary, *(note.text for note in r.notes))
        yield Doc(r.id, "remedy", _text(r.title), words, body)


def _stretches(kb: KnowledgeBase) -> Iterator[Doc]:
    for s in kb.care.stretches:
        where = f"A stretch for the {s.group.replace('_', ' ')}."
        yield Doc(s.id, "stretch", _text(s.title), ("stretch",), _text(where, *s.steps, s.stop_if))


def _medicines(kb: KnowledgeBase) -> Iterator[Doc]:
    for m in kb.care.medicines.values():
        words = (*m.brands, m.kind.replace("_", " "), "medicine")
        yield Doc(m.id, "medicine", _text(m.name), words, _text(m.dose, *m.notes))


Collector = Callable[[KnowledgeBase], Iterable[Doc]]

#: Functions that turn knowledge-base content into documents; content areas add theirs here.
COLLECTORS: list[Collector] = [_topics, _rules, _care, _remedies, _stretches, _medicines, _terms]


def documents(kb: KnowledgeBase) -> list[Doc]:
    """Every searchable document of a knowledge base."""
    return [doc for collect in COLLECTORS for doc in collect(kb)]
