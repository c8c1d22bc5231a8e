"""The medspaCy pipeline, built once per process (per knowledge base) from the lexicon, on first use.

A blank English spaCy pipeline (no model to download) with PyRuSH sentences, one medspaCy
TargetMatcher per layer (findings, regions, intake fields, medicines), all writing to one span group,
and ConText over that group with the lexicon's rules. Within a layer the longest match wins; the
layers do not compete (a region inside a finding's words is kept unless the finding masks regions).

This is the only module that imports spaCy or medspaCy, and it does so inside :func:`pipeline`:
importing ``spasmcare.understand`` costs nothing. The libraries' debug logging is silenced (PyRuSH
logs every sentence at DEBUG level), and medspaCy's import-time change to the warning filters is
undone.
"""

from __future__ import annotations

import logging
import threading
import warnings
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from spasmcare.errors import KnowledgeError
from spasmcare.knowledge.lexicon import Lexicon, Words, expand, whole_words

if TYPE_CHECKING:
    from spasmcare.knowledge.schema import KnowledgeBase

GROUP = "spasmcare_targets"
_NEVER = [{"ORTH": "\x00"}]
"""A token pattern no cleaned text can match (NUL is replaced before reading)."""
LIST_BREAK = "LIST_BREAK"
"""The category of a list break (a comma, "and"): it ends a negation, a doubt or a worry, which go on
along a list only when it ends in "or" (the reader extends them)."""
_LISTED = frozenset({"NEGATED_EXISTENCE", "POSSIBLE_EXISTENCE", "HYPOTHETICAL"})
_CONTEXT_FLAGS = {
    "NEGATED_EXISTENCE": "negated",
    "POSSIBLE_EXISTENCE": "uncertain",
    "FAMILY": "family",
    "HYPOTHETICAL": "hypothetical",
    "HISTORICAL": "historical",
}


@dataclass(frozen=True, slots=True)
class Cue:
    category: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Mention:
    """One target found in the text, with what ConText says about it.

    ``kind``: finding, absent, region, pregnant, not_pregnant, onset, sex, no_medicines, medicine;
    ``keys``: the finding ids, the region, the onset or sex value, or the medicine name.
    """

    kind: str
    keys: tuple[str, ...]
    start: int
    end: int
    cues: tuple[Cue, ...] = ()

    def has(self, flag: str) -> bool:
        return any(_CONTEXT_FLAGS.get(c.category) == flag for c in self.cues)

    def cue(self, flag: str) -> Cue | None:
        return next((c for c in self.cues if _CONTEXT_FLAGS.get(c.category) == flag), None)


@dataclass(frozen=True, slots=True)
class Reading:
    mentions: tuple[Mention, ...]
    sentences: tuple[tuple[int, int], ...]


def _silence() -> None:
    """No debug output from the libraries (it would print the person's words)."""
    from loguru import logger

    logger.disable("PyRuSH")
    logger.disable("medspacy")
    for name in ("spacy", "medspacy", "PyRuSH", "weasel", "thinc"):
        logging.getLogger(name).setLevel(logging.WARNING)


def _label(kind: str, keys: tuple[str, ...]) -> str:
    return f"{kind}:{','.join(keys)}"


def _unlabel(label: str) -> tuple[str, tuple[str, ...]]:
    kind, _, keys = label.partition(":")
    return kind, tuple(keys.split(","))


class Pipeline:
    """A medspaCy pipeline for one knowledge base's lexicon (see :func:`pipeline`)."""

    def __init__(self, lexicon: Lexicon, medicine_names: list[str]) -> None:
        with warnings.catch_warnings():
            # spaCy and weasel import click's deprecated parser; medspaCy calls
            # warnings.filterwarnings("ignore") when imported. Neither may leak out of here.
            warnings.simplefilter("ignore")
            import medspacy  # noqa: F401  (registers the medspaCy pipeline components)
            import spacy
            from medspacy.context import ConTextRule
            from medspacy.target_matcher import TargetRule
        _silence()
        self._lock = threading.Lock()
        macros = lexicon.macros
        nlp = spacy.blank("en")
        nlp.add_pipe("medspacy_pyrush")

        def rules(kind: str, keys: tuple[str, ...], words: Words) -> list[Any]:
            label = _label(kind, keys)
            out = [TargetRule(phrase, label) for phrase in words.phrases]
            out += [
                TargetRule(pattern, label, pattern=whole_words(expand(pattern, macros)))
                for pattern in words.patterns
            ]
            return out

        findings: list[Any] = []
        for fid, fw in lexicon.findings.items():
            findings += rules("finding", (fid,), fw)
            findings += rules(
                "absent", (fid,), Words(phrases=fw.absent, patterns=fw.absent_patterns)
            )
            findings += rules("negated_only", (fid,), Words(phrases=fw.negated_only))
        for combo in lexicon.combined:
            keys = tuple(combo.findings)
            findings += rules("finding", keys, combo)
            findings += rules(
                "absent", keys, Words(phrases=combo.absent, patterns=combo.absent_patterns)
            )
            findings += rules("negated_only", keys, Words(phrases=combo.negated_only))
        regions: list[Any] = []
        for region, words in lexicon.regions.items():
            regions += rules("region", (region,), words)
        fields: list[Any] = []
        fields += rules("pregnant", ("yes",), lexicon.pregnancy)
        fields += rules(
            "not_pregnant",
            ("no",),
            Words(phrases=lexicon.pregnancy.absent, patterns=lexicon.pregnancy.absent_patterns),
        )
        fields += rules("onset", ("sudden",), lexicon.onset.sudden)
        fields += rules("onset", ("gradual",), lexicon.onset.gradual)
        fields += rules("sex", ("female",), lexicon.sex.female)
        fields += rules("sex", ("male",), lexicon.sex.male)
        fields += rules("no_medicines", ("none",), lexicon.no_medicines)
        ignored = {n.lower() for n in lexicon.medicine_names_ignored}
        medicines = [
            TargetRule(name, _label("medicine", (name,)))
            for name in sorted({n.lower() for n in medicine_names} - ignored)
            if "," not in name
        ]
        for layer, layer_rules in (
            ("findings", findings),
            ("regions", regions),
            ("fields", fields),
            ("medicines", medicines),
        ):
            matcher: Any = nlp.add_pipe(
                "medspacy_target_matcher",
                name=f"targets_{layer}",
                # Findings overlap freely (numbness that is spreading is both); the reader keeps
                # the longest reading of each finding. Other layers: the longest match wins.
                config={
                    "result_type": "group",
                    "span_group_name": GROUP,
                    "prune": layer != "findings",
                },
            )
            # A token pattern that never matches: spaCy warns (W036) about a matcher without one.
            matcher.add([*layer_rules, TargetRule("never", "never:", pattern=_NEVER)])
        context: Any = nlp.add_pipe(
            "medspacy_context",
            config={
                "rules": None,
                "input_span_type": "group",
                "span_group_name": GROUP,
                "prune_on_target_overlap": True,
            },
        )
        context_rules = [
            ConTextRule(
                rule.literal,
                rule.category,
                direction=rule.direction,
                pattern=whole_words(expand(rule.pattern, macros)) if rule.pattern else None,
                max_scope=rule.max_scope,
                terminated_by={LIST_BREAK} if rule.category in _LISTED else None,
            )
            for rule in lexicon.context
        ]

        def breaks(words: Words, category: str, direction: str) -> list[Any]:
            # max_scope=1: medspaCy only sees a break inside a trigger's scope when the break's own
            # scope does not contain the trigger's (its tuple_overlaps misses containment).
            out = [
                ConTextRule(p, category, direction=direction, max_scope=1) for p in words.phrases
            ]
            out += [
                ConTextRule(
                    p,
                    category,
                    direction=direction,
                    pattern=whole_words(expand(p, macros)),
                    max_scope=1,
                )
                for p in words.patterns
            ]
            return out

        context_rules += breaks(lexicon.clause_breaks, "TERMINATE", "TERMINATE")
        context_rules += breaks(lexicon.negation_breaks, LIST_BREAK, "PSEUDO")
        context_rules.append(ConTextRule("never", "NEVER", direction="PSEUDO", pattern=_NEVER))
        context.add(context_rules)
        self.nlp = nlp

    def read(self, text: str) -> Reading:
        """Every target in ``text`` with its ConText cues, and the sentences."""
        with self._lock:  # one document at a time: spaCy pipelines are not thread-safe
            doc = self.nlp(text)
        mentions = []
        for span in doc.spans[GROUP]:
            kind, keys = _unlabel(span.label_)
            cues = tuple(
                Cue(
                    m.category,
                    doc[m.modifier_span[0]].idx,
                    doc[m.modifier_span[1] - 1].idx + len(doc[m.modifier_span[1] - 1]),
                )
                for m in span._.modifiers
                if m.category in _CONTEXT_FLAGS
            )
            mentions.append(Mention(kind, keys, span.start_char, span.end_char, cues))
        mentions.sort(key=lambda m: (m.start, -m.end))
        sentences = tuple((s.start_char, s.end_char) for s in doc.sents)
        return Reading(tuple(mentions), sentences)


_PIPELINES: weakref.WeakKeyDictionary[KnowledgeBase, Pipeline] = weakref.WeakKeyDictionary()
_BUILD = threading.Lock()


def pipeline(kb: KnowledgeBase) -> Pipeline:
    """The knowledge base's pipeline: built on first use (about a second), then kept."""
    found = _PIPELINES.get(kb)
    if found is not None:
        return found
    if kb.lexicon is None:
        raise KnowledgeError(
            f"knowledge base {kb.version} has no lexicon: free text is read from 1.1.0 on"
        )
    with _BUILD:
        found = _PIPELINES.get(kb)
        if found is None:
            names = [m for c in kb.medicine_classes.values() for m in c.members]
            found = _PIPELINES[kb] = Pipeline(kb.lexicon, names)
    return found


def loaded(kb: KnowledgeBase) -> bool:
    """Whether the knowledge base's pipeline is built already (for tests and benchmarks)."""
    return kb in _PIPELINES


__all__ = ["GROUP", "Cue", "Mention", "Pipeline", "Reading", "loaded", "pipeline"]
