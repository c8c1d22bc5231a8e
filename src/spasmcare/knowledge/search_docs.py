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
        questions = [
            _text(kb.findings[f].label, kb.findings[f].question)
            for f in sorted(r.findings)
            if f in kb.findings
        ]
        level = kb.dispositions[r.disposition].label if r.disposition in kb.dispositions else ""
        body = _text(r.advice, r.rationale, *questions)
        yield Doc(r.id, "rule", _text(r.title), (level, r.id.lower()), body)


def _terms(kb: KnowledgeBase) -> Iterator[Doc]:
    for term in kb.glossary.values():
        yield Doc(term.id, "term", term.term, tuple(term.forms), _text(term.means))


Collector = Callable[[KnowledgeBase], Iterable[Doc]]

#: Functions that turn knowledge-base content into documents; content areas add theirs here.
COLLECTORS: list[Collector] = [_topics, _rules, _terms]


def documents(kb: KnowledgeBase) -> list[Doc]:
    """Every searchable document of a knowledge base."""
    return [doc for collect in COLLECTORS for doc in collect(kb)]
