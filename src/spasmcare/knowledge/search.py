"""Full-text search over the knowledge base: SQLite FTS5 in memory, BM25 ranking, synonyms, spelling.

``search(kb, "calf cramp at night")`` returns the best-matching topics, rules, care items, stretches,
remedies and medicines. The index is an in-memory SQLite FTS5 table built on the first search of a
knowledge base and kept for as long as that knowledge base lives; nothing is written to disk.

The user's query never reaches SQLite as syntax: it is cut into words (letters and digits only), each
word is quoted, and the quoted words are joined with ``OR``. Quotes, ``*``, ``NEAR``, ``AND``, column
filters and brackets are therefore plain text. Common words people use are widened with synonyms
(Tylenol, acetaminophen and paracetamol; cramp and spasm; ER and emergency; neck and cervical...), and a
word that is not in the index is matched to the closest indexed word, which is offered as a suggestion.
"""

from __future__ import annotations

import functools
import heapq
import re
import sqlite3
import threading
import weakref
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cached_property
from importlib import resources
from typing import Annotated, Any

from pydantic import Field, PlainSerializer, StringConstraints, model_validator

from spasmcare.errors import InputError, KnowledgeError, Problem
from spasmcare.knowledge.base import VERSION_PATTERN, StrictModel
from spasmcare.knowledge.reader import Reader
from spasmcare.knowledge.schema import KnowledgeBase
from spasmcare.knowledge.search_docs import KINDS, Doc, documents

__all__ = [
    "KINDS",
    "MAX_LIMIT",
    "MAX_QUERY_CHARS",
    "SearchHit",
    "SearchIndex",
    "SearchLexicon",
    "SearchResults",
    "search",
    "search_index",
    "search_lexicon",
    "words_of",
]

MAX_QUERY_CHARS = 500
MAX_WORDS = 24
MAX_LIMIT = 50
_COLUMN_WEIGHTS = (10.0, 4.0, 1.0)  # title, keywords, body
#: Glossary entries are short, so BM25 favors them; they should lead only when the query is the word.
KIND_WEIGHTS: dict[str, float] = {"term": 0.5}
_SNIPPET_TOKENS = 24
_OPEN, _CLOSE = "\x02", "\x03"
LEXICON_FILE = "search.yaml"
_WORD = r"^[a-z0-9]+$"
_PHRASE = r"^[a-z0-9]+( [a-z0-9]+)*$"


def _group_token(index: int) -> str:
    """A made-up word standing for one synonym group in the index.

    It must come through the porter stemmer unchanged (no vowel or "y" at the end, which the stemmer
    would rewrite and so merge two groups): ``qq007qq``.
    """
    return f"qq{index:03d}qq"


class SearchLexicon(StrictModel):
    """The search lexicon (``data/search.yaml``): stopwords and synonym groups, as versioned data.

    A query word found in a synonym group is widened to the whole group (not to other groups: no
    chains). Stopwords are dropped from a query unless it has nothing else.
    """

    version: str = Field(pattern=VERSION_PATTERN)
    stopwords: frozenset[Annotated[str, StringConstraints(pattern=_WORD)]] = Field(min_length=1)
    synonyms: tuple[
        Annotated[
            frozenset[Annotated[str, StringConstraints(pattern=_PHRASE)]], Field(min_length=2)
        ],
        ...,
    ] = Field(min_length=1)

    @cached_property
    def phrase_groups(self) -> dict[tuple[str, ...], tuple[str, ...]]:
        """Each phrase (as words) to the made-up words of the groups it is in."""
        out: dict[tuple[str, ...], tuple[str, ...]] = {}
        for i, group in enumerate(self.synonyms):
            for phrase in group:
                key = tuple(phrase.split())
                out[key] = (*out.get(key, ()), _group_token(i))
        return out

    @cached_property
    def phrase_starts(self) -> dict[str, tuple[int, ...]]:
        """For each word that starts a phrase of several words, the lengths of those phrases,
        longest first."""
        out: dict[str, tuple[int, ...]] = {}
        for key in self.phrase_groups:
            if len(key) > 1:
                out[key[0]] = tuple(sorted({*out.get(key[0], ()), len(key)}, reverse=True))
        return out

    @cached_property
    def word_groups(self) -> dict[str, tuple[str, ...]]:
        return {k[0]: v for k, v in self.phrase_groups.items() if len(k) == 1}

    def units(self, words: Sequence[str]) -> list[tuple[str, ...]]:
        """Split words into synonym phrases (longest first) and single words."""
        units: list[tuple[str, ...]] = []
        i = 0
        while i < len(words):
            for size in self.phrase_starts.get(words[i], ()):
                key = tuple(words[i : i + size])
                if len(key) == size and key in self.phrase_groups:
                    units.append(key)
                    i += size
                    break
            else:
                units.append((words[i],))
                i += 1
        return units

    def tokens_for(self, words: Sequence[str]) -> str:
        """The synonym-group words for every synonym phrase in the words, one per occurrence."""
        groups = self.phrase_groups
        return " ".join(t for unit in self.units(words) for t in groups.get(unit, ()))


@functools.cache
def search_lexicon() -> SearchLexicon:
    """The packaged search lexicon, read and validated once; KnowledgeError lists every problem."""
    reader = Reader(resources.files("spasmcare.knowledge").joinpath("data"))
    lexicon = reader.model(SearchLexicon, reader.raw(LEXICON_FILE), LEXICON_FILE)
    if lexicon is None or reader.problems:
        raise KnowledgeError(f"{LEXICON_FILE} is invalid", reader.problems)
    return lexicon


_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)


def words_of(text: str) -> list[str]:
    """Lower-case words (letters and digits) of a text; everything else separates words."""
    return _WORD_RE.findall(text.lower().replace("&", " "))


_CANNOT = re.compile(r"\bcan\s*['\u2019]?\s*t\b|\bcannot\b")
_WONT = re.compile(r"\bwon['\u2019]?t\b")
_NOT = re.compile(
    r"\b(do|does|did|is|are|was|were|could|would|should|have|has|had|need|must)n['\u2019]?t\b"
)
NEGATIONS: frozenset[str] = frozenset({"not", "no", "never", "cannot", "without", "nothing"})
"""Words that turn a meaning round: never "corrected" into another word (issue 12: "cant pee"
became "can pee")."""


def expand_negations(text: str) -> str:
    """Spell out contractions, with or without the apostrophe ("cant", "can't", "dont"), so the
    negation survives splitting into words and spelling correction."""
    text = _CANNOT.sub("cannot", text.lower())
    text = _WONT.sub("will not", text)
    return _NOT.sub(r"\1 not", text)


class SearchHit(StrictModel):
    """One result: what it is, its title, and a short piece of its text around the matched words.

    ``ref`` (``kind:id``) is derived; ``score`` is rounded to four places in JSON.
    """

    id: str
    kind: str
    ref: str = ""
    title: str
    snippet: str
    marks: tuple[tuple[int, int], ...]
    score: Annotated[float, PlainSerializer(lambda v: round(v, 4), return_type=float)]

    @model_validator(mode="before")
    @classmethod
    def _derive_ref(cls, data: Any) -> Any:
        if isinstance(data, dict) and "ref" not in data:
            return {**data, "ref": f"{data.get('kind')}:{data.get('id')}"}
        return data


class SearchResults(StrictModel):
    """The results of one query, best first, with any spelling suggestion."""

    query: str
    suggestion: str | None
    corrections: dict[str, str]
    knowledge_version: str
    results: tuple[SearchHit, ...]


@dataclass(frozen=True, slots=True)
class _Plan:
    """A query turned into safe FTS5 syntax, with the spelling corrections made on the way."""

    match: str
    corrections: dict[str, str]
    suggestion: str | None


@dataclass
class SearchIndex:
    """An in-memory FTS5 index of one knowledge base's documents.

    Columns ``title``, ``keywords`` and ``body`` hold the text; ``title_syn``, ``keywords_syn`` and
    ``body_syn`` hold one made-up word per synonym group found in the matching column. A query word
    in a group is searched as that group word, so "Tylenol" finds "acetaminophen" and a text using
    three names of one medicine does not score three times.
    """

    kb_version: str
    docs: dict[int, Doc]
    conn: sqlite3.Connection
    vocabulary: frozenset[str]
    frequency: Counter[str]
    lock: threading.Lock = field(default_factory=threading.Lock)
    _grams: dict[str, tuple[str, ...]] | None = None
    _gram_sizes: dict[str, int] = field(default_factory=dict)

    @classmethod
    def build(cls, kb: KnowledgeBase) -> SearchIndex:
        lexicon = search_lexicon()
        conn = sqlite3.connect(":memory:", check_same_thread=False)
        conn.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(title, keywords, body, title_syn, keywords_syn, "
            "body_syn, tokenize = 'porter unicode61 remove_diacritics 2')"
        )
        conn.execute("CREATE VIRTUAL TABLE stem USING fts5(w, tokenize = 'porter unicode61')")
        conn.execute("CREATE VIRTUAL TABLE stem_terms USING fts5vocab(stem, 'row')")
        docs: dict[int, Doc] = {}
        frequency: Counter[str] = Counter()
        rows = []
        for rowid, doc in enumerate(documents(kb), start=1):
            docs[rowid] = doc
            keywords = " ; ".join(doc.keywords)
            title_words = words_of(doc.title)
            keyword_words = words_of(keywords)
            body_words = words_of(doc.body)
            frequency.update(title_words)
            frequency.update(keyword_words)
            frequency.update(body_words)
            rows.append(
                (
                    rowid,
                    doc.title,
                    keywords,
                    doc.body,
                    lexicon.tokens_for(title_words),
                    lexicon.tokens_for(keyword_words),
                    lexicon.tokens_for(body_words),
                )
            )
        conn.executemany(
            "INSERT INTO docs(rowid, title, keywords, body, title_syn, keywords_syn, body_syn) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        for key in lexicon.phrase_groups:
            frequency.update(w for w in key if w not in frequency)
        vocabulary = frozenset(w for w in frequency if len(w) >= 3 and not w.isdigit())
        return cls(
            kb_version=kb.version,
            docs=docs,
            conn=conn,
            vocabulary=vocabulary,
            frequency=frequency,
        )

    @property
    def grams(self) -> dict[str, tuple[str, ...]]:
        """Letter pairs to the words that contain them (built on the first spelling correction)."""
        if self._grams is None:
            grams: dict[str, list[str]] = {}
            sizes: dict[str, int] = {}
            for word in self.vocabulary:
                pairs = _bigrams(word)
                sizes[word] = len(pairs)
                for gram in pairs:
                    grams.setdefault(gram, []).append(word)
            # Sizes first: a thread that sees the pairs must also see their sizes.
            self._gram_sizes = sizes
            self._grams = {g: tuple(ws) for g, ws in grams.items()}
        return self._grams

    # -- query planning ----------------------------------------------------------------------------
    def plan(self, words: Sequence[str]) -> _Plan:
        """Map words to synonym groups, fix spelling, and build the FTS5 expression."""
        lexicon = search_lexicon()
        units = lexicon.units(words)
        content = [u for u in units if len(u) > 1 or _meaningful(u[0], lexicon)] or units
        corrections: dict[str, str] = {}
        terms: dict[str, None] = {}
        for unit in content:
            if (
                len(unit) == 1
                and unit not in lexicon.phrase_groups
                and not self._verbatim(unit[0])
                and unit[0] not in NEGATIONS
            ):
                word = unit[0]
                better = self.correct(word)
                stems = self._matches(word)
                if better is None and not stems:
                    continue  # unknown and nothing close: it would match nothing
                if better is not None:
                    if not (stems and self.stem(word) == self.stem(better)):
                        corrections[word] = better  # a real misspelling: say what was searched
                    else:
                        terms[word] = None  # the same word in another form: search both quietly
                    unit = lexicon.units([better])[0]
            for token in lexicon.phrase_groups.get(unit, ()):
                terms[token] = None
            terms[" ".join(unit)] = None
        match = " OR ".join(_quote(t) for t in terms)
        suggestion = None
        if corrections:
            suggestion = " ".join(corrections.get(w, w) for w in words)
        return _Plan(match=match, corrections=corrections, suggestion=suggestion)

    def _verbatim(self, word: str) -> bool:
        return word in self.vocabulary or len(word) < 3 or word.isdigit()

    def _matches(self, word: str) -> bool:
        """Whether the word matches anything once stemmed (the index stems words)."""
        with self.lock:
            row = self.conn.execute(
                "SELECT 1 FROM docs WHERE docs MATCH ? LIMIT 1", (_quote(word),)
            ).fetchone()
        return row is not None

    def stem(self, word: str) -> str:
        """The word as the index's porter stemmer stores it."""
        with self.lock:
            self.conn.execute("INSERT INTO stem(rowid, w) VALUES (1, ?)", (word,))
            row = self.conn.execute("SELECT term FROM stem_terms LIMIT 1").fetchone()
            self.conn.execute("DELETE FROM stem WHERE rowid = 1")
        return str(row[0]) if row else word

    def correct(self, word: str) -> str | None:
        """The indexed word closest in spelling, if one is close enough."""
        mine = _bigrams(word)
        grams = self.grams
        sizes = self._gram_sizes
        shared: Counter[str] = Counter()
        for gram in mine:
            shared.update(grams.get(gram, ()))
        if not shared:
            return None
        mine_n = len(mine)
        least = max(1, (mine_n + 4) // 5)  # a Dice score of 0.4 needs at least this many pairs
        scored = heapq.nlargest(
            12,
            ((2 * n / (mine_n + sizes[cand]), cand) for cand, n in shared.items() if n >= least),
        )
        best: tuple[float, int, str] | None = None
        for dice, cand in scored:
            if dice < 0.4:
                break
            ratio = SequenceMatcher(None, word, cand).ratio()
            key = (ratio, self.frequency[cand], cand)
            if ratio >= 0.75 and (best is None or key > best):
                best = key
        return best[2] if best else None

    # -- running a query ---------------------------------------------------------------------------
    def run(self, plan: _Plan, limit: int, kinds: Collection[str] | None) -> list[SearchHit]:
        if not plan.match:
            return []
        fetch = len(self.docs) if kinds is not None else min(len(self.docs), limit * 3 + 10)
        with self.lock:
            rows = self.conn.execute(
                "SELECT rowid, bm25(docs, ?, ?, ?, ?, ?, ?) AS rank FROM docs WHERE docs MATCH ? "
                "ORDER BY rank LIMIT ?",
                (*_COLUMN_WEIGHTS, *_COLUMN_WEIGHTS, plan.match, fetch),
            ).fetchall()
        scored: list[tuple[float, int, str, int]] = []
        for rowid, rank in rows:
            doc = self.docs[rowid]
            if kinds is not None and doc.kind not in kinds:
                continue
            score = -float(rank) * KIND_WEIGHTS.get(doc.kind, 1.0)
            scored.append((-score, KINDS.index(doc.kind), doc.id, rowid))
        top = sorted(scored)[:limit]
        if not top:
            return []
        marks = ",".join(str(rowid) for *_, rowid in top)
        with self.lock:
            snippets = dict(
                self.conn.execute(
                    f"SELECT rowid, snippet(docs, 2, '{_OPEN}', '{_CLOSE}', '…', "
                    f"{_SNIPPET_TOKENS}) FROM docs WHERE docs MATCH ? AND rowid IN ({marks})",
                    (plan.match,),
                ).fetchall()
            )
        hits: list[SearchHit] = []
        for neg_score, _, _, rowid in top:
            doc = self.docs[rowid]
            snippet, spans = _unmark(snippets.get(rowid, doc.body[:160]))
            hits.append(_hit(doc.id, doc.kind, doc.title, snippet, spans, -neg_score))
        return hits


def warning_signs_first(
    kb: KnowledgeBase, hits: list[SearchHit], limit: int, kinds: Collection[str] | None
) -> list[SearchHit]:
    """When the best result is a warning sign (a rule, or a "get help" care item, which names its
    rules), that rule comes first and the topic that explains it second; the rest keep their
    order. A frightened person searching "cant pee" reads the emergency first (issue 12).

    The rule is the best-scoring result among the sign's rules (the most serious when none is
    among the results); the topic is the most important topic that lists the rule (the lowest
    ``order``: the warning signs page)."""
    if not hits or (kinds is not None and "rule" not in kinds):
        return hits
    rules = {r.id: r for r in kb.rules}
    top = hits[0]
    if top.kind == "rule" and top.id in rules:
        candidates = [top.id]
    else:
        item = (
            next((i for i in kb.care.items if i.id == top.id), None) if top.kind == "care" else None
        )
        candidates = [r for r in (item.rules if item else ()) if r in rules]
    if not candidates:
        return hits
    scored = {h.id: h for h in hits if h.kind == "rule"}
    found = [scored[r] for r in candidates if r in scored]
    if found:
        sign = max(found, key=lambda h: h.score)
    else:
        rule = min(
            (rules[r] for r in candidates),
            key=lambda r: (_SEVERITY.get(r.disposition.value, 9), r.id),
        )
        sign = _hit(rule.id, "rule", rule.title, rule.advice, (), top.score)
    lead = [sign]
    if kinds is None or "topic" in kinds:
        covering = [t for t in kb.topics.values() if t.status == "active" and sign.id in t.rules]
        if covering:
            topic = min(covering, key=lambda t: (t.order or 10_000, len(t.rules), t.id))
            listed = next((h for h in hits if h.kind == "topic" and h.id == topic.id), None)
            lead.append(
                listed or _hit(topic.id, "topic", topic.title, topic.summary, (), sign.score)
            )
    chosen = {(h.kind, h.id) for h in lead}
    return (lead + [h for h in hits if (h.kind, h.id) not in chosen])[:limit]


_SEVERITY = {"emergency": 0, "urgent": 1, "soon": 2}


def _hit(
    ident: str,
    kind: str,
    title: str,
    snippet: str,
    marks: tuple[tuple[int, int], ...],
    score: float,
) -> SearchHit:
    return SearchHit(id=ident, kind=kind, title=title, snippet=snippet, marks=marks, score=score)


def _meaningful(word: str, lexicon: SearchLexicon) -> bool:
    return word not in lexicon.stopwords and (len(word) > 1 or word.isdigit())


def _bigrams(word: str) -> frozenset[str]:
    padded = f"^{word}$"
    return frozenset(padded[i : i + 2] for i in range(len(padded) - 1))


def _quote(phrase: str) -> str:
    # Only letters, digits and single spaces reach here (see words_of); quoting makes each an
    # FTS5 string (a phrase when it has several words), never an operator.
    return '"' + phrase.replace('"', "") + '"'


_MARKED = re.compile(f"{_OPEN}([^{_OPEN}{_CLOSE}]*){_CLOSE}")


def _unmark(raw: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Snippet text without the match markers, and where the marked words are."""
    out: list[str] = []
    marks: list[tuple[int, int]] = []
    length = 0
    last = 0
    for m in _MARKED.finditer(raw):
        before = raw[last : m.start()].replace(_OPEN, "").replace(_CLOSE, "")
        out.append(before)
        length += len(before)
        out.append(m.group(1))
        marks.append((length, length + len(m.group(1))))
        length += len(m.group(1))
        last = m.end()
    out.append(raw[last:].replace(_OPEN, "").replace(_CLOSE, ""))
    return "".join(out), tuple(marks)


_CACHE: weakref.WeakKeyDictionary[KnowledgeBase, SearchIndex] = weakref.WeakKeyDictionary()
_CACHE_LOCK = threading.Lock()


def search_index(kb: KnowledgeBase) -> SearchIndex:
    """The search index of a knowledge base, built on first use and kept while the base lives."""
    found = _CACHE.get(kb)
    if found is None:
        with _CACHE_LOCK:
            found = _CACHE.get(kb)
            if found is None:
                found = SearchIndex.build(kb)
                _CACHE[kb] = found
    return found


def search(
    kb: KnowledgeBase,
    query: str,
    *,
    limit: int = 10,
    kinds: Iterable[str] | None = None,
) -> SearchResults:
    """Search topics, rules and care content; best first.

    Raises :class:`InputError` (naming ``query``, ``limit`` or ``kinds``) for an empty query, one
    longer than 500 characters, one with no letters or digits, a limit outside 1 to 50, or an
    unknown kind. Nothing from the query is ever passed to SQLite as syntax.
    """
    problems: list[Problem] = []
    text = query.strip() if isinstance(query, str) else ""
    if not isinstance(query, str):
        problems.append(Problem("query", f"must be text, not {type(query).__name__}"))
    elif not text:
        problems.append(Problem("query", "is empty", f"1 to {MAX_QUERY_CHARS} characters"))
    elif len(query) > MAX_QUERY_CHARS:
        problems.append(
            Problem("query", f"is {len(query)} characters long", f"at most {MAX_QUERY_CHARS}")
        )
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        problems.append(Problem("limit", f"{limit!r} is out of range", f"1 to {MAX_LIMIT}"))
    wanted: frozenset[str] | None = None
    if kinds is not None:
        wanted = frozenset(kinds)
        for kind in sorted(wanted - set(KINDS)):
            problems.append(Problem("kinds", f"unknown kind {kind!r}", ", ".join(KINDS)))
    words: list[str] = []
    if not problems:
        words = list(dict.fromkeys(words_of(expand_negations(text))))[:MAX_WORDS]
        if not words:
            problems.append(Problem("query", "has no words to search for", "letters or digits"))
    if problems:
        raise InputError("invalid search", problems)
    index = search_index(kb)
    plan = index.plan(words)
    hits = warning_signs_first(kb, index.run(plan, limit, wanted), limit, wanted)
    return SearchResults(
        query=text,
        results=tuple(hits),
        suggestion=plan.suggestion,
        corrections=plan.corrections,
        knowledge_version=kb.version,
    )
