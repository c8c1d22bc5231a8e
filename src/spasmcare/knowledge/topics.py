"""Learn topics and glossary terms: plain-language explanations kept as data, like the rules.

A topic lives in ``data/<version>/topics/<id>.yaml``. It has a title, a one-line summary, sections of
text, the body regions it concerns, the sources it rests on, and the triage rules and care items it
relates to. Text may link to other knowledge-base items with a Markdown-style link whose target is
``kind:id``::

    Pain that shoots below the knee is [sciatica](term:sciatica); see [when to get help](topic:warning_signs).

Link kinds: ``topic``, ``rule``, ``care``, ``finding``, ``medicine``, ``stretch``, ``term``. The loader
checks that every link resolves and that every rule or care item a topic links to is also listed in its
``rules`` or ``care`` field, so the related-items lists never fall behind the text.

The glossary (``data/<version>/glossary.yaml``) lists medical words with a short plain meaning; the
readability checks use it to make sure each word is explained where it is first used.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass

from pydantic import Field

from spasmcare.errors import Problem
from spasmcare.knowledge.base import ID_PATTERN, VERSION_PATTERN, StrictModel
from spasmcare.knowledge.body import REGIONS
from spasmcare.knowledge.reader import Reader

LINK_KINDS: tuple[str, ...] = ("topic", "rule", "care", "finding", "medicine", "stretch", "term")
LINK_RE = re.compile(r"\[([^\[\]\n]+)\]\(([a-z]+):([A-Za-z0-9_]+)\)")


@dataclass(frozen=True, slots=True)
class Link:
    """A link in topic text: the words shown, and the knowledge-base item it points to."""

    text: str
    kind: str
    target: str

    @property
    def ref(self) -> str:
        return f"{self.kind}:{self.target}"


def links_in(text: str) -> list[Link]:
    """Every ``[words](kind:id)`` link in a text, in order."""
    return [Link(m.group(1), m.group(2), m.group(3)) for m in LINK_RE.finditer(text)]


def plain(text: str) -> str:
    """The text as a reader sees it: links reduced to their words, white space collapsed."""
    return " ".join(LINK_RE.sub(lambda m: m.group(1), text).split())


class TopicSection(StrictModel):
    heading: str = Field(min_length=3)
    body: str = Field(min_length=20)


class Topic(StrictModel):
    """One learn topic, as written in its YAML file."""

    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=3)
    summary: str = Field(min_length=10)
    sections: tuple[TopicSection, ...] = Field(min_length=1)
    regions: tuple[str, ...] = Field(min_length=1)
    sources: tuple[str, ...] = Field(min_length=1)
    rules: tuple[str, ...] = ()
    care: tuple[str, ...] = ()
    see_also: tuple[str, ...] = ()
    keywords: tuple[str, ...] = Field(
        default=(), description="Extra words people search with; used by search, never shown."
    )
    status: str = Field(default="active", pattern=r"^(active|retired)$")
    since: str = Field(pattern=VERSION_PATTERN)
    order: int | None = Field(
        default=None,
        ge=1,
        description="Place in the reading order, most important first (warning signs first); "
        "topics without one follow in file order.",
    )

    def texts(self) -> Iterator[tuple[str, str]]:
        """Every user-facing text of the topic with its path, in reading order (raw, with links)."""
        yield "title", self.title
        yield "summary", self.summary
        for i, section in enumerate(self.sections):
            yield f"sections[{i}].heading", section.heading
            yield f"sections[{i}].body", section.body

    def links(self) -> list[Link]:
        return [link for _, text in self.texts() for link in links_in(text)]

    def body_text(self) -> str:
        """All section text in plain words, for search and display."""
        return " ".join(plain(f"{s.heading}. {s.body}") for s in self.sections)


class Term(StrictModel):
    """A medical word, its other forms, and what it means in plain words."""

    id: str = Field(pattern=ID_PATTERN)
    term: str = Field(min_length=2)
    forms: tuple[str, ...] = ()
    means: str = Field(min_length=10)
    sources: tuple[str, ...] = ()

    @property
    def all_forms(self) -> tuple[str, ...]:
        return (self.term, *self.forms)


def read_glossary(r: Reader, source_ids: Collection[str]) -> dict[str, Term]:
    """Read ``glossary.yaml`` (optional file), reporting problems through the shared reader."""
    name = "glossary.yaml"
    if not r.root.joinpath(name).is_file():
        return {}
    terms = r.unique(r.models(Term, name, "terms"), name, lambda t: t.id)
    seen_forms: dict[str, str] = {}
    for term in terms.values():
        for i, ref in enumerate(term.sources):
            if ref not in source_ids:
                r.problems.append(
                    Problem(f"{name}: {term.id}.sources[{i}]", f"unknown source {ref!r}")
                )
        for form in term.all_forms:
            key = form.lower()
            if key in seen_forms and seen_forms[key] != term.id:
                r.problems.append(
                    Problem(
                        f"{name}: {term.id}", f"form {form!r} is also used by {seen_forms[key]!r}"
                    )
                )
            seen_forms[key] = term.id
    return terms


def read_topics(
    r: Reader,
    *,
    source_ids: Collection[str],
    targets: Mapping[str, Collection[str]],
) -> dict[str, Topic]:
    """Read and check every ``topics/*.yaml`` file; the folder is optional.

    ``targets`` maps each link kind to the ids that exist in this knowledge base (topic ids are added
    here). A kind missing from ``targets`` has no items, so any link to it is reported.
    """
    folder = r.root.joinpath("topics")
    if not folder.is_dir():
        return {}
    topics: dict[str, Topic] = {}
    files: dict[str, str] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        name = f"topics/{entry.name}"
        topic = r.model(Topic, r.raw(name), name)
        if topic is None:
            continue
        if entry.name != f"{topic.id}.yaml":
            r.problems.append(Problem(f"{name}: id", f"{topic.id!r} does not match the file name"))
        if topic.id in topics:
            r.problems.append(Problem(f"{name}: id", f"duplicate topic id {topic.id!r}"))
        topics[topic.id] = topic
        files[topic.id] = name
    known: dict[str, Collection[str]] = {**targets, "topic": set(topics)}
    for topic in topics.values():
        _check_topic(r, files[topic.id], topic, source_ids, known)
    return topics


def _check_topic(
    r: Reader,
    name: str,
    topic: Topic,
    source_ids: Collection[str],
    known: Mapping[str, Collection[str]],
) -> None:
    def problem(path: str, message: str, allowed: str | None = None) -> None:
        r.problems.append(Problem(f"{name}: {path}", message, allowed))

    for i, ref in enumerate(topic.sources):
        if ref not in source_ids:
            problem(f"sources[{i}]", f"unknown source {ref!r}")
    for i, region in enumerate(topic.regions):
        if region not in REGIONS:
            problem(f"regions[{i}]", f"unknown region {region!r}", ", ".join(REGIONS))
    for field, kind in (("rules", "rule"), ("care", "care"), ("see_also", "topic")):
        for i, ident in enumerate(getattr(topic, field)):
            if ident not in known.get(kind, ()):
                problem(f"{field}[{i}]", f"unknown {kind} {ident!r}")
    if topic.id in topic.see_also:
        problem("see_also", "a topic cannot list itself")
    for path, text in topic.texts():
        for link in links_in(text):
            if link.kind not in LINK_KINDS:
                problem(path, f"link {link.ref!r} has an unknown kind", ", ".join(LINK_KINDS))
            elif link.target not in known.get(link.kind, ()):
                problem(path, f"broken link {link.ref!r}: no such {link.kind}")
            elif link.kind == "rule" and link.target not in topic.rules:
                problem(path, f"links to rule {link.target!r} but 'rules' does not list it")
            elif link.kind == "care" and link.target not in topic.care:
                problem(path, f"links to care item {link.target!r} but 'care' does not list it")
        stray = re.sub(LINK_RE, "", text)
        if re.search(r"\]\([a-z]+:", stray):
            problem(path, "a link is malformed; write [words](kind:id)")
