"""The one medicine-name matcher, shared by triage and the care plan (care-evidence.md v2).

How names match is data: the ``matching:`` section of a knowledge base's ``medicines.yaml`` lists the
units a dose may carry, the words for forms and routes and for how often, the "neutral" words that
carry no medicine of their own (salts, "and", "with") and the words that make a product topical.
A name is matched after :func:`normalise_medicine` has removed, in this order:

- trademark signs, case, brackets and punctuation (``Xarelto (rivaroxaban)`` -> ``xarelto
  rivaroxaban``; ``St. John's wort`` -> ``st johns wort``);
- doses: a number, and the units right after it (``5mg``, ``5 mg``, ``0.4 ml``, ``40,000 IU``,
  ``10 mg/5 ml``);
- forms and routes (tablet, film-coated, pre-filled syringe, oral...) and frequency words (twice
  daily, at night, as needed...).

A class matches when one of its members (generic or brand) appears as a whole word, or words, in what
remains; every class of a combination product matches (``Advil Dual Action`` -> NSAID and
acetaminophen). A member written with a number (``Tylenol #3``) is matched before the numbers are
removed. A topical product (a cream, gel, ointment, spray, or a catheter lock or flush solution)
matches nothing, unless a word such as "nasal" or "tablets" shows it is taken into the body.

A knowledge base without a ``matching:`` section (1.0.0) keeps its own rule: a name matches a class
when it equals a member, ignoring case and surrounding spaces. Old results keep their meaning.

Pure: no I/O beyond reading a packaged knowledge base when none is given.
"""

from __future__ import annotations

import re
import unicodedata
import weakref
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from pydantic import Field, ValidationError

from spasmcare.errors import Problem, problems_from_validation
from spasmcare.knowledge.base import ID_PATTERN, StrictModel

# Trademark signs (R), TM, (C), SM, also written in brackets.
_TRADEMARKS = re.compile(r"[\u00ae\u2122\u00a9\u2120]|\((?:r|tm)\)", re.IGNORECASE)
_APOSTROPHES = re.compile(r"['`\u2019\u02bc\u00b4]")  # apostrophes and look-alikes
_TOKEN = re.compile(r"[^\W\d_][^\W_]*|\d+(?:[.,]\d+)*")
_HYPHENATED = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")

Phrase = tuple[str, ...]


# -- the data --------------------------------------------------------------------------------------
class MedicineClass(StrictModel):
    id: str = Field(pattern=ID_PATTERN)
    title: str
    members: list[str] = Field(min_length=1)
    sets_finding: str | None = None
    sets_findings: list[str] = Field(default_factory=list)
    """Findings a listed member sets true (1.1.0: a statin sets ``statin`` and ``cardiac_risk``)."""
    prompts_finding: str | None = None
    """A finding whose question names a listed member; the class never sets it (policy v2, C47)."""


class MedicineKnowledge(Protocol):
    """What the matcher reads of a knowledge base (:class:`spasmcare.knowledge.schema.KnowledgeBase`)."""

    @property
    def medicine_classes(self) -> Mapping[str, MedicineClass]: ...

    @property
    def medicine_matching(self) -> MedicineMatching | None: ...


class MatchingFile(StrictModel):
    """The ``matching:`` section of medicines.yaml."""

    units: list[str] = Field(
        min_length=1, description="Units a dose number may carry (mg, ml, IU)."
    )
    forms: list[str] = Field(min_length=1, description="Forms and routes, removed (tablet, oral).")
    frequency: list[str] = Field(min_length=1, description="How often, removed (twice daily).")
    neutral: list[str] = Field(
        default_factory=list,
        description="Words that carry no medicine (sodium, and, with): a name made of medicine "
        "names and these words is matched in full.",
    )
    topical: list[str] = Field(
        min_length=1, description="Words that make a product topical, so it counts for nothing."
    )
    not_topical: list[str] = Field(
        default_factory=list,
        description="Words that show a product is taken into the body despite a topical word "
        "(nasal spray, gel caps).",
    )


@dataclass(frozen=True, slots=True)
class _Phrases:
    """Word sequences, looked up by their first word (longest first)."""

    by_first: Mapping[str, tuple[Phrase, ...]]

    @classmethod
    def of(cls, phrases: Iterable[Phrase]) -> _Phrases:
        by_first: dict[str, set[Phrase]] = {}
        for p in phrases:
            if p:
                by_first.setdefault(p[0], set()).add(p)
        return cls({k: tuple(sorted(v, key=len, reverse=True)) for k, v in by_first.items()})

    def longest_at(self, tokens: Sequence[str], i: int) -> int:
        """The length of the longest phrase starting at ``tokens[i]`` (0 when none does)."""
        for p in self.by_first.get(tokens[i], ()):
            if tuple(tokens[i : i + len(p)]) == p:
                return len(p)
        return 0

    def found_in(self, tokens: Sequence[str]) -> bool:
        return any(self.longest_at(tokens, i) for i in range(len(tokens)))


@dataclass(frozen=True, slots=True)
class MedicineMatching:
    """The matching rules of one knowledge base (the parsed ``matching:`` section)."""

    source: MatchingFile
    units: frozenset[str]
    removable: _Phrases
    neutral: frozenset[str]
    topical: _Phrases
    not_topical: _Phrases

    @classmethod
    def of(cls, f: MatchingFile) -> MedicineMatching:
        def phrases(words: Iterable[str]) -> list[Phrase]:
            return [tuple(tokens(w)) for w in words]

        return cls(
            source=f,
            units=frozenset(t for u in f.units for t in tokens(u)),
            removable=_Phrases.of(phrases([*f.forms, *f.frequency])),
            neutral=frozenset(t for w in f.neutral for t in tokens(w)),
            topical=_Phrases.of(tuple(_HYPHENATED.findall(_clean(w))) for w in f.topical),
            not_topical=_Phrases.of(phrases(f.not_topical)),
        )


# -- normalising -----------------------------------------------------------------------------------
def _clean(text: str) -> str:
    """Unicode-normalised, lower case, no trademark signs, apostrophes joined ("john's" -> "johns")."""
    text = unicodedata.normalize("NFKC", _TRADEMARKS.sub(" ", text)).lower()  # first: NFKC makes TM
    return _APOSTROPHES.sub("", text)


def tokens(text: str) -> list[str]:
    """The words and numbers of a name: lower case, without brackets, punctuation or signs."""
    return _TOKEN.findall(_clean(text))


def _strip(words: Sequence[str], matching: MedicineMatching) -> list[str]:
    """Words without doses (a number and the units after it), forms, routes and frequency words."""
    out: list[str] = []
    after_number = False
    i = 0
    while i < len(words):
        word = words[i]
        if _NUMBER.fullmatch(word):
            after_number = True
            i += 1
            continue
        if after_number and word in matching.units:
            i += 1
            continue
        after_number = False
        skip = matching.removable.longest_at(words, i)
        if skip:
            i += skip
            continue
        out.append(word)
        i += 1
    return out


def _is_topical(text: str, words: Sequence[str], matching: MedicineMatching) -> bool:
    hyphenated = _HYPHENATED.findall(_clean(text))  # "liqui-gels" is one word here, not "gels"
    return matching.topical.found_in(hyphenated) and not matching.not_topical.found_in(words)


def normalise_medicine(text: str, kb: MedicineKnowledge) -> str:
    """A medicine name as the matcher reads it: ``"Eliquis 5 mg tablets"`` -> ``"eliquis"``.

    Lower case; no trademark signs, brackets, punctuation, doses (``5mg``, ``5 mg``, ``0.4 ml``,
    ``40000 IU``), forms and routes, or frequency words. The word lists are those of ``kb``. With a knowledge base that has no ``matching:`` section the
    name is only lower-cased and its spaces collapsed, as 1.0.0 compared names.
    """
    found = matcher(kb)
    if found is None:
        return " ".join(text.lower().split())
    return " ".join(_strip(tokens(text), found.matching))


# -- matching --------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Words:
    """A name read for matching: its words before (``plain``) and after (``bare``) stripping."""

    name: str
    plain: tuple[str, ...]
    bare: tuple[str, ...]
    topical: bool

    @property
    def text(self) -> str:
        """The normalised name (:func:`normalise_medicine`)."""
        return " ".join(self.bare)


@dataclass(frozen=True, slots=True)
class Hits:
    """What an index found in a name: the ids, and which bare words the found names cover."""

    ids: frozenset[str]
    covered: frozenset[int]


class NameIndex:
    """Names (each a generic or brand) of ids, found as whole words in a name read by a matcher.

    A name with a number in it (``Tylenol #3``) is looked up in the words before doses are removed;
    every other name, normalised like the text, in the words after.
    """

    def __init__(self, matching: MedicineMatching, names: Mapping[str, Iterable[str]]) -> None:
        bare: dict[Phrase, set[str]] = {}
        plain: dict[Phrase, set[str]] = {}
        self.empty: list[tuple[str, str]] = []
        """(id, name) of names that normalise to nothing (a data problem the loader reports)."""
        for ident, members in names.items():
            for member in members:
                words = tokens(member)
                if any(_NUMBER.fullmatch(w) for w in words):
                    plain.setdefault(tuple(words), set()).add(ident)
                    continue
                key = tuple(_strip(words, matching))
                if not key:
                    self.empty.append((ident, member))
                    continue
                bare.setdefault(key, set()).add(ident)
        self._bare = {k: frozenset(v) for k, v in bare.items()}
        self._plain = {k: frozenset(v) for k, v in plain.items()}
        self._bare_len = max((len(k) for k in bare), default=0)
        self._plain_len = max((len(k) for k in plain), default=0)

    def find(self, words: Words) -> Hits:
        ids: set[str] = set()
        covered: set[int] = set()
        for i in range(len(words.bare)):
            for n in range(1, min(self._bare_len, len(words.bare) - i) + 1):
                found = self._bare.get(words.bare[i : i + n])
                if found:
                    ids |= found
                    covered.update(range(i, i + n))
        if self._plain:
            for i in range(len(words.plain)):
                for n in range(1, min(self._plain_len, len(words.plain) - i) + 1):
                    ids |= self._plain.get(words.plain[i : i + n], frozenset())
        return Hits(frozenset(ids), frozenset(covered))


@dataclass(frozen=True, slots=True)
class MedicineMatch:
    """The result of matching one name against the medicine classes."""

    name: str
    normalised: str
    classes: tuple[str, ...]
    """Class ids in knowledge-base order."""
    topical: bool
    """A topical product (cream, gel, spray, lock or flush solution): it matches nothing."""
    complete: bool
    """Every word left after normalising belongs to a matched name or is neutral."""

    @property
    def matched(self) -> bool:
        return bool(self.classes)


class Matcher:
    """The matcher of one knowledge base (see :func:`matcher`)."""

    def __init__(self, kb: MedicineKnowledge, matching: MedicineMatching) -> None:
        self.matching = matching
        self.order = {cid: i for i, cid in enumerate(kb.medicine_classes)}
        self.classes = NameIndex(matching, {c.id: c.members for c in kb.medicine_classes.values()})

    def index(self, names: Mapping[str, Iterable[str]]) -> NameIndex:
        """An index of other names (e.g. the plan's medicines), normalised like the classes."""
        return NameIndex(self.matching, names)

    def read(self, name: str) -> Words:
        plain = tokens(name)
        bare = _strip(plain, self.matching)
        return Words(name, tuple(plain), tuple(bare), _is_topical(name, plain, self.matching))

    def complete(self, words: Words, covered: Collection[int]) -> bool:
        """Whether every bare word is covered by a found name or is neutral."""
        return all(i in covered or w in self.matching.neutral for i, w in enumerate(words.bare))

    def match(self, name: str) -> MedicineMatch:
        words = self.read(name)
        if words.topical:
            return MedicineMatch(name, words.text, (), words.topical, False)
        hits = self.classes.find(words)
        ordered = tuple(sorted(hits.ids, key=self.order.__getitem__))
        return MedicineMatch(
            name, words.text, ordered, False, bool(ordered) and self.complete(words, hits.covered)
        )


_MATCHERS: weakref.WeakKeyDictionary[MedicineKnowledge, Matcher] = weakref.WeakKeyDictionary()


def matcher(kb: MedicineKnowledge) -> Matcher | None:
    """The knowledge base's matcher (built once), or None when it has no ``matching:`` section."""
    matching = kb.medicine_matching
    if matching is None:
        return None
    found = _MATCHERS.get(kb)
    if found is None:
        found = _MATCHERS[kb] = Matcher(kb, matching)
    return found


def match_medicine(kb: MedicineKnowledge, name: str) -> MedicineMatch:
    """Match one medicine name against the knowledge base's classes (see the module docstring)."""
    found = matcher(kb)
    if found is not None:
        return found.match(name)
    key = name.strip().lower()
    classes = tuple(
        c.id for c in kb.medicine_classes.values() if key in {m.lower() for m in c.members}
    )
    return MedicineMatch(name, key, classes, False, bool(classes))


def match_classes(kb: MedicineKnowledge, name: str) -> tuple[str, ...]:
    """Ids of the classes a medicine name belongs to, in knowledge-base order (none: not recognised).

    ``"Eliquis 5 mg"``, ``"apixaban 5mg"`` and ``"Xarelto (rivaroxaban) 20mg"`` give
    ``("blood_thinner",)``; a combination product gives every member's class; a topical product
    (``"diclofenac gel"``, ``"heparin lock flush"``) gives nothing. With a knowledge base without a
    ``matching:`` section, a name must equal a member (ignoring case), as in 1.0.0.
    """
    return match_medicine(kb, name).classes


def class_findings(cls: MedicineClass) -> tuple[str, ...]:
    """The triage findings a class sets (``sets_finding`` and ``sets_findings``), without repeats."""
    return tuple(
        dict.fromkeys([*([cls.sets_finding] if cls.sets_finding else []), *cls.sets_findings])
    )


def findings_set_by(kb: MedicineKnowledge, names: Iterable[str]) -> tuple[str, ...]:
    """The findings that listed medicine names set true (a blood thinner, a statin), sorted."""
    out: set[str] = set()
    for name in names:
        for cid in match_classes(kb, name):
            out.update(class_findings(kb.medicine_classes[cid]))
    return tuple(sorted(out))


def names_prompting(kb: MedicineKnowledge, names: Iterable[str], finding: str) -> tuple[str, ...]:
    """The listed names that a finding's question should name (classes with ``prompts_finding``).

    Such a medicine never sets the finding: the question is still asked (policy v2, C47).
    """
    out: list[str] = []
    for name in names:
        classes = match_classes(kb, name)
        if any(kb.medicine_classes[c].prompts_finding == finding for c in classes):
            out.append(name.strip())
    return tuple(dict.fromkeys(out))


# -- loading ---------------------------------------------------------------------------------------
def parse_matching(
    raw: Any, where: str = "medicines.yaml: matching"
) -> tuple[MedicineMatching | None, list[Problem]]:
    """The ``matching:`` section parsed (None when absent), and its problems."""
    if raw is None:
        return None, []
    try:
        parsed = MatchingFile.model_validate(raw)
    except ValidationError as exc:
        return None, problems_from_validation(exc, MatchingFile, where)
    problems = [
        Problem(f"{where}.{key}", f"{word!r} has no letters or digits")
        for key in ("units", "forms", "frequency", "neutral", "topical", "not_topical")
        for word in getattr(parsed, key)
        if not tokens(word)
    ]
    return (None if problems else MedicineMatching.of(parsed)), problems


def class_problems(
    classes: Mapping[str, MedicineClass],
    finding_ids: Collection[str],
    matching: MedicineMatching | None,
) -> list[Problem]:
    """Problems of the classes' finding keys and, with matching rules, of their member names."""
    problems: list[Problem] = []
    for c in classes.values():
        where = f"medicines.yaml: {c.id}"
        for i, fid in enumerate(c.sets_findings):
            if fid not in finding_ids:
                problems.append(Problem(f"{where}.sets_findings[{i}]", f"unknown finding {fid!r}"))
        if c.prompts_finding is not None:
            if c.prompts_finding not in finding_ids:
                problems.append(
                    Problem(f"{where}.prompts_finding", f"unknown finding {c.prompts_finding!r}")
                )
            if c.prompts_finding in class_findings(c):
                problems.append(
                    Problem(
                        f"{where}.prompts_finding",
                        f"{c.prompts_finding!r} is also set by the class: a prompted finding is "
                        "asked, never set",
                    )
                )
    if matching is not None:
        index = NameIndex(matching, {c.id: c.members for c in classes.values()})
        for cid, member in index.empty:
            problems.append(
                Problem(f"medicines.yaml: {cid}.members", f"{member!r} is nothing once normalised")
            )
        for c in classes.values():
            for member in c.members:
                plain = tokens(member)
                if _is_topical(member, plain, matching):
                    problems.append(
                        Problem(
                            f"medicines.yaml: {c.id}.members",
                            f"{member!r} reads as a topical product, so it could never match",
                        )
                    )
    return problems
