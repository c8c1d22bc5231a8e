"""The lexicon of free-text symptoms (``lexicon.yaml``, from knowledge base 1.1.0): lay words for each
finding, region and intake field, and the ConText rules that read negation, uncertainty, family,
hypothetical and past mentions. ``spasmcare.understand`` reads it; the loader validates it.

The file is clinical content like the rules: a phrase belongs to the finding whose question it
answers yes (``phrases``, ``patterns``), or no (``absent``, ``absent_patterns``). Phrases are matched
as whole words, ignoring case; patterns are regular expressions (Python syntax, case-insensitive) for
wordings a list cannot hold ("can't/cannot/unable to pee"). Every problem is reported with its path:
an unknown finding or region, a pattern that does not compile or matches empty text, a phrase given to
two findings.

Pure: no I/O, no medspaCy (the understand package builds its pipeline from this data).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from typing import Any, Literal

from pydantic import Field, ValidationError

from spasmcare.errors import Problem, problems_from_validation
from spasmcare.knowledge.base import StrictModel
from spasmcare.knowledge.body import REGIONS

BACK = "back"
"""The region key for "back" on its own: the lower back, unless another part of the back is named."""
ContextCategory = Literal[
    "NEGATED_EXISTENCE", "POSSIBLE_EXISTENCE", "FAMILY", "HYPOTHETICAL", "HISTORICAL"
]
CONTEXT_CATEGORIES: tuple[str, ...] = (
    "NEGATED_EXISTENCE",
    "POSSIBLE_EXISTENCE",
    "FAMILY",
    "HYPOTHETICAL",
    "HISTORICAL",
)


class Words(StrictModel):
    """Ways of saying one thing: literal phrases (whole words, any case) and regular expressions."""

    phrases: list[str] = Field(default_factory=list)
    patterns: list[str] = Field(default_factory=list)


class FindingWords(Words):
    """How people say a finding is present (``phrases``, ``patterns``) or absent (``absent``...)."""

    masks_regions: bool = Field(
        default=False,
        description="Body parts inside its words are not where the pain is ('numb around my "
        "bum', 'pain down my leg'): they do not set a region.",
    )
    absent: list[str] = Field(default_factory=list, description="Phrases that answer it no.")
    absent_patterns: list[str] = Field(default_factory=list)
    negated_only: list[str] = Field(
        default_factory=list,
        description="Words that say nothing when present but answer no when negated: 'headache' "
        "is not a severe headache, but 'no headache' rules one out.",
    )
    yields_to: list[str] = Field(
        default_factory=list,
        description="Findings whose words, when they contain this finding's words, take them "
        "('numb' inside 'numb around my bum' is saddle numbness, not numbness of a limb).",
    )
    past_counts: bool = Field(
        default=False,
        description="A mention in the past ('years ago', 'used to') still answers it yes: the "
        "finding asks about the past (cancer, a past clot, an operation).",
    )


class Combined(Words):
    """Phrases that say several findings at once ("both legs weak": leg weakness and both legs)."""

    findings: list[str] = Field(min_length=2)
    negated_only: list[str] = Field(default_factory=list)
    absent: list[str] = Field(default_factory=list, description="Phrases that answer them all no.")
    absent_patterns: list[str] = Field(default_factory=list)


class ContextRuleData(StrictModel):
    """One ConText trigger (medspaCy ``ConTextRule``): a literal, or a regular expression."""

    literal: str = Field(min_length=1)
    category: ContextCategory
    direction: Literal["FORWARD", "BACKWARD", "BIDIRECTIONAL", "PSEUDO"]
    pattern: str | None = None
    max_scope: int | None = Field(
        default=None,
        ge=1,
        le=30,
        description="At most this many tokens away (default: the clause).",
    )


class Onset(StrictModel):
    sudden: Words = Words()
    gradual: Words = Words()


class Sex(StrictModel):
    female: Words = Words()
    male: Words = Words()


class LexiconFile(StrictModel):
    """``lexicon.yaml``."""

    macros: dict[str, str] = Field(
        default_factory=dict,
        description="Named pieces of patterns, written @name in a pattern (@pee: pee, wee, "
        "urinate...). A macro does not use other macros.",
    )
    findings: dict[str, FindingWords]
    combined: list[Combined] = Field(default_factory=list)
    regions: dict[str, Words]
    sex: Sex = Sex()
    pregnancy: FindingWords = Field(
        default_factory=lambda: FindingWords(),
        description="Being pregnant, read like a finding ('not pregnant', 'might be pregnant'); "
        "absent: having given birth.",
    )
    onset: Onset = Onset()
    no_medicines: Words = Field(
        default_factory=Words, description="'I take no medicines': the medicines question answered."
    )
    medicine_names_ignored: list[str] = Field(
        default_factory=list,
        description="Medicine names too like everyday words to be read from a story (asa, night "
        "nurse); they are still matched when typed in the medicines question.",
    )
    context: list[ContextRuleData] = Field(min_length=1)
    clause_breaks: Words = Field(
        default_factory=Words,
        description="Where a clause ends: every ConText trigger stops here ('but', ', and now', "
        "a full stop).",
    )
    negation_breaks: Words = Field(
        default_factory=Words,
        description="Where a negation stops ('no fever, legs weak': the comma): a list goes on "
        "past them only when it ends in 'or' or 'nor' ('no fever, chills or sweats').",
    )
    filler: list[str] = Field(
        default_factory=list,
        description="Words that carry nothing to place ('hi', 'please', 'thanks'): a clause made only "
        "of these is not listed as unplaced.",
    )


Lexicon = LexiconFile
"""The validated lexicon of a knowledge base (``KnowledgeBase.lexicon``)."""


_MACRO = re.compile(r"@([a-z_]+)")


def expand(pattern: str, macros: dict[str, str]) -> str:
    """A pattern with its ``@name`` macros replaced (as non-capturing groups); KeyError when one is
    unknown."""
    return _MACRO.sub(lambda m: f"(?:{macros[m.group(1)]})", pattern)


def whole_words(pattern: str) -> str:
    """A pattern that matches only whole words (not "pee" in "speech"); a match that starts or ends
    with a sign (", and now") may touch a word there."""
    return rf"(?:(?<!\w)|(?=\W))(?:{pattern})(?:(?!\w)|(?<=\W))"


def _compile(
    pattern: str, macros: dict[str, str] | None = None, *, compile_patterns: bool = True
) -> str | None:
    """None when the pattern is good, else what is wrong with it (without ``compile_patterns``,
    only its macros are checked: see :func:`lexicon_problems`)."""
    try:
        pattern = expand(pattern, macros or {})
    except KeyError as exc:
        return f"unknown macro @{exc.args[0]}"
    if not compile_patterns:
        return None
    try:
        compiled = re.compile(whole_words(pattern), re.IGNORECASE)
    except re.error as exc:
        return f"not a valid regular expression: {exc}"
    if compiled.fullmatch(""):
        return "matches empty text"
    return None


def _words(
    where: str,
    words: Words,
    problems: list[Problem],
    macros: dict[str, str] | None = None,
    compile_patterns: bool = True,
) -> None:
    for i, phrase in enumerate(words.phrases):
        if not phrase.strip() or phrase != phrase.strip() or not re.search(r"\w", phrase):
            problems.append(Problem(f"{where}.phrases[{i}]", f"{phrase!r} is not a phrase"))
        elif phrase != phrase.lower():
            problems.append(
                Problem(f"{where}.phrases[{i}]", f"{phrase!r}: write phrases in lower case")
            )
    for i, pattern in enumerate(words.patterns):
        wrong = _compile(pattern, macros, compile_patterns=compile_patterns)
        if wrong:
            problems.append(Problem(f"{where}.patterns[{i}]", wrong))


def _phrase_owners(lexicon: LexiconFile) -> Iterator[tuple[str, str, str]]:
    """(phrase, owner, where) for every literal phrase that says something present or absent."""
    for fid, words in lexicon.findings.items():
        for phrase in words.phrases:
            yield phrase, f"{fid} (present)", f"findings.{fid}.phrases"
        for phrase in words.absent:
            yield phrase, f"{fid} (absent)", f"findings.{fid}.absent"
        for phrase in words.negated_only:
            yield phrase, f"{fid} (when negated)", f"findings.{fid}.negated_only"
    for i, combo in enumerate(lexicon.combined):
        for phrase in combo.phrases:
            yield phrase, "+".join(combo.findings), f"combined[{i}].phrases"
        for phrase in combo.absent:
            yield phrase, "+".join(combo.findings) + " (absent)", f"combined[{i}].absent"
        for phrase in combo.negated_only:
            yield (
                phrase,
                "+".join(combo.findings) + " (when negated)",
                f"combined[{i}].negated_only",
            )
    for region, region_words in lexicon.regions.items():
        for phrase in region_words.phrases:
            yield phrase, f"region {region}", f"regions.{region}.phrases"


def lexicon_problems(
    lexicon: LexiconFile, finding_ids: Collection[str], *, compile_patterns: bool = True
) -> list[Problem]:
    """Every problem of a parsed lexicon, with its path (``lexicon.yaml: findings.feverr``).

    Compiling every regular expression (about 480) is most of the cost of loading a knowledge base.
    The versions spasmcare ships are checked with ``compile_patterns`` by the test suite
    (tests/knowledge/test_lexicon.py) and loaded without it; a directory from anywhere else gets
    the whole check."""
    problems: list[Problem] = []
    macros = lexicon.macros
    c = compile_patterns
    for name, body in macros.items():
        if _MACRO.search(body):
            problems.append(Problem(f"macros.{name}", "a macro cannot use another macro"))
        else:
            wrong = _compile(body, compile_patterns=c)
            if wrong:
                problems.append(Problem(f"macros.{name}", wrong))
    for fid, fw in lexicon.findings.items():
        where = f"findings.{fid}"
        if fid not in finding_ids:
            problems.append(Problem(where, f"unknown finding {fid!r}"))
        _words(where, fw, problems, macros, c)
        absent = Words(phrases=fw.absent, patterns=fw.absent_patterns)
        _words(f"{where}.absent", absent, problems, macros, c)
        _words(f"{where}.negated_only", Words(phrases=fw.negated_only), problems, macros, c)
        for i, other in enumerate(fw.yields_to):
            if other not in finding_ids or other == fid:
                problems.append(
                    Problem(f"{where}.yields_to[{i}]", f"not another finding: {other!r}")
                )
        if not (fw.phrases or fw.patterns):
            problems.append(Problem(where, "no phrase or pattern says it is present"))
    for i, combo in enumerate(lexicon.combined):
        for fid in combo.findings:
            if fid not in finding_ids:
                problems.append(Problem(f"combined[{i}].findings", f"unknown finding {fid!r}"))
        _words(f"combined[{i}]", combo, problems, macros, c)
        absent = Words(phrases=combo.absent, patterns=combo.absent_patterns)
        _words(f"combined[{i}].absent", absent, problems, macros, c)
        negated = Words(phrases=combo.negated_only)
        _words(f"combined[{i}].negated_only", negated, problems, macros, c)
    for region, region_words in lexicon.regions.items():
        if region not in REGIONS and region != BACK:
            problems.append(Problem(f"regions.{region}", f"unknown region {region!r}"))
        _words(f"regions.{region}", region_words, problems, macros, c)
    pregnancy_absent = Words(
        phrases=lexicon.pregnancy.absent, patterns=lexicon.pregnancy.absent_patterns
    )
    others: tuple[tuple[str, Words], ...] = (
        ("sex.female", lexicon.sex.female),
        ("sex.male", lexicon.sex.male),
        ("pregnancy", lexicon.pregnancy),
        ("pregnancy.absent", pregnancy_absent),
        ("onset.sudden", lexicon.onset.sudden),
        ("onset.gradual", lexicon.onset.gradual),
        ("no_medicines", lexicon.no_medicines),
        ("clause_breaks", lexicon.clause_breaks),
        ("negation_breaks", lexicon.negation_breaks),
    )
    for name, words in others:
        _words(name, words, problems, macros, c)
    for i, rule in enumerate(lexicon.context):
        if rule.pattern is not None:
            wrong = _compile(rule.pattern, macros, compile_patterns=c)
            if wrong:
                problems.append(Problem(f"context[{i}].pattern", wrong))
    owners: dict[str, tuple[str, str]] = {}
    for phrase, owner, where in _phrase_owners(lexicon):
        seen = owners.get(phrase)
        if seen is not None and seen[0] != owner:
            problems.append(Problem(where, f"{phrase!r} is also a phrase of {seen[0]} ({seen[1]})"))
        owners.setdefault(phrase, (owner, where))
    return problems


def parse_lexicon(
    raw: Any,
    finding_ids: Collection[str],
    where: str = "lexicon.yaml",
    *,
    compile_patterns: bool = True,
) -> tuple[LexiconFile | None, list[Problem]]:
    """The lexicon parsed and checked against the knowledge base's findings (None when invalid)."""
    try:
        parsed = LexiconFile.model_validate(raw)
    except ValidationError as exc:
        return None, [
            Problem(f"{where}: {p.path}" if p.path else where, p.message, p.allowed)
            for p in problems_from_validation(exc, LexiconFile)
        ]
    problems = [
        Problem(f"{where}: {p.path}", p.message, p.allowed)
        for p in lexicon_problems(parsed, finding_ids, compile_patterns=compile_patterns)
    ]
    return (None if problems else parsed), problems


__all__ = [
    "BACK",
    "CONTEXT_CATEGORIES",
    "Combined",
    "ContextRuleData",
    "FindingWords",
    "Lexicon",
    "LexiconFile",
    "Words",
    "expand",
    "lexicon_problems",
    "parse_lexicon",
    "whole_words",
]
