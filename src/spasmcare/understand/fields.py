"""Numbers and dates in a story: age, pain (0-10), how many days ago it started, and sex from
third-person pronouns. Plain regular expressions over the text; every value keeps its span.

"Since Tuesday" needs today's date, which the caller passes (the core reads no clock); without it a
weekday is left unplaced.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

_UNITS = {
    "zero": 0, "no": 0, "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "a couple of": 2, "couple of": 2, "a couple": 2,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_SMALL = "|".join(sorted((k for k in _UNITS if k not in ("no",)), key=len, reverse=True))
_TEN = "|".join(_TENS)
NUMBER = rf"(?:\d+(?:[.,]\d+)?|(?:{_TEN})(?:[- ]?(?:one|two|three|four|five|six|seven|eight|nine))?|{_SMALL}|a hundred)"
"""A number in digits or words (up to a hundred)."""


def number(text: str) -> float | None:
    """``"7"`` -> 7, ``"seventy-four"`` -> 74, ``"a couple of"`` -> 2; None if it is not a number."""
    t = " ".join(text.lower().replace("-", " ").split())
    if re.fullmatch(r"\d+(?:[.,]\d+)?", t):
        return float(t.replace(",", "."))
    if t in _UNITS:
        return float(_UNITS[t])
    if t == "a hundred":
        return 100.0
    parts = t.split()
    if parts and parts[0] in _TENS:
        rest = " ".join(parts[1:])
        if not rest:
            return float(_TENS[parts[0]])
        if rest in _UNITS and 0 < _UNITS[rest] < 10:
            return float(_TENS[parts[0]] + _UNITS[rest])
    return None


@dataclass(frozen=True, slots=True)
class Found:
    """A value read from the text and where."""

    value: Any
    start: int
    end: int
    rank: int = 1
    """1: said in so many words; 2: weaker (a bare "yesterday" near a pain word)."""


def _one(found: list[Found]) -> Found | None:
    """The value when every reading agrees (the first span), else None (said two ways)."""
    if not found:
        return None
    values = {f.value for f in found}
    return found[0] if len(values) == 1 else None


# -- age --------------------------------------------------------------------------------------------
_NOT_AGE_AFTER = (
    r"(?!\s*(?:%|kg|kgs|kilos?|lbs?|pounds?|stone|cm|ft|foot|feet|mg|mcg|ml|minutes?|mins?|hours?|"
    r"hrs?|days?|weeks?|wks?|months?|times?|am|pm|o'?clock|degrees?|c\b|f\b|/|out of|of 10|"
    r"[.,]\d))"
)
_AGE_PATTERNS = (
    # "27, neck ache" / "45; back pain" at the very start
    re.compile(
        rf"^\s*(?:i'?m |i am |age |aged )?(\d{{1,3}}|(?:{_TEN})[- ]?(?:one|two|three|four|five|six|seven|eight|nine)?)\s*(?:,|;|:|\s-\s|\.\s)",
        re.I,
    ),
    re.compile(rf"\b({NUMBER})[- ]?(?:years?|yrs?|yr)[- ]?olds?\b", re.I),
    re.compile(r"\b(\d{1,3}) ?(?:y/?o|y\.o\.|yrs?|years)\b(?![- ]?(?:ago|of|since))", re.I),
    re.compile(
        rf"\b(?:i'?m|i am|aged?|he'?s|she'?s|he is|she is)\s+(\d{{1,3}}){_NOT_AGE_AFTER}\b", re.I
    ),
    re.compile(r"\bat the age of (\d{1,3})\b", re.I),
)
_SEX_LETTER_AGE = re.compile(r"(?<![\d.,])\b(\d{1,3}) ?([MF])\b(?![-/])")
""""34F", "45 M" (capitals only: "38 f" could be a temperature)."""
_TEMPERATURE_BEFORE = re.compile(r"(?:temp|fever|°|degrees)", re.I)
_AT_AGE = re.compile(rf"\bat (\d{{2,3}}){_NOT_AGE_AFTER}\b", re.I)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """A span without the spaces and signs around it ("27, " -> "27")."""
    while end > start and not text[end - 1].isalnum():
        end -= 1
    while start < end and not text[start].isalnum():
        start += 1
    return start, end


def ages(text: str) -> list[Found]:
    out: list[Found] = []
    for pattern in _AGE_PATTERNS:
        for m in pattern.finditer(text):
            value = number(m.group(1))
            if value is not None and value.is_integer() and 0 <= value <= 120:
                out.append(Found(int(value), *_trimmed(text, m.start(), m.end())))
    for m in _SEX_LETTER_AGE.finditer(text):
        if _TEMPERATURE_BEFORE.search(text[max(0, m.start() - 25) : m.start()]):
            continue
        out.append(Found(int(m.group(1)), m.start(), m.end()))
    for m in _AT_AGE.finditer(text):
        value = number(m.group(1))
        if value is not None and value.is_integer() and 30 <= value <= 110:
            out.append(Found(int(value), m.start(), m.end(), rank=2))
    return sorted(out, key=lambda f: (f.rank, f.start))


def age(text: str) -> Found | None:
    found = ages(text)
    best = [f for f in found if f.rank == min((g.rank for g in found), default=1)]
    return _one(best)


# -- pain --------------------------------------------------------------------------------------------
_PAIN_WORDS = r"zero|one|two|three|four|five|six|seven|eight|nine|ten"
_NOT_PAIN_AFTER = (
    r"(?!\s*(?:days?|weeks?|months?|years?|hours?|minutes?|mins?|mg|ml|%|times|am|pm|o'?clock|"
    r"degrees?|c\b|f\b|kg|pounds?|weeks? pregnant|year|[.,/]\d))"
)
_PAIN_PATTERNS = (
    re.compile(
        rf"\b(\d{{1,2}}(?:[.,]\d)?|{_PAIN_WORDS}) ?(?:/|out of|of|outta) ?(?:10|ten)\b", re.I
    ),
    re.compile(
        rf"\b(?:pain|it)(?: is| was| at| of| score| level|'s| now)*(?: about| around| like| maybe| "
        rf"roughly| easily| at least)? (?:an? )?(\d{{1,2}}|{_PAIN_WORDS})\b{_NOT_PAIN_AFTER}",
        re.I,
    ),
    re.compile(
        rf"\b(?:about|around|like|maybe|roughly|easily|at least|solid|a good) an? "
        rf"(\d{{1,2}}|{_PAIN_WORDS})\b{_NOT_PAIN_AFTER}",
        re.I,
    ),
    re.compile(rf"\b(\d{{1,2}}|{_PAIN_WORDS}) (?:on|in) (?:the|a) (?:pain )?scale\b", re.I),
)
_WORST = re.compile(
    r"\b(?:the )?worst (?:pain|agony|back pain|spasm)?\s*(?:ever|of my life|i'?ve ever (?:had|felt)|"
    r"i have ever (?:had|felt)|imaginable|possible|you can imagine)\b",
    re.I,
)
_HEADACHE_NEAR = re.compile(r"head", re.I)


def pains(text: str) -> list[Found]:
    out: list[Found] = []
    for pattern in _PAIN_PATTERNS:
        for m in pattern.finditer(text):
            value = number(m.group(1))
            if value is None or not 0 <= value <= 10:
                continue
            out.append(Found(min(10, math.floor(value + 0.5)), m.start(), m.end()))
    for m in _WORST.finditer(text):
        before = text[max(0, m.start() - 25) : m.end() + 12]
        if not _HEADACHE_NEAR.search(before):  # "worst headache ever" is a headache, not the pain
            out.append(Found(10, m.start(), m.end()))
    # One reading per place: the longest span wins where two overlap.
    out.sort(key=lambda f: (f.start, -(f.end - f.start)))
    kept: list[Found] = []
    for f in out:
        if kept and f.start < kept[-1].end:
            continue
        kept.append(f)
    return kept


def pain(text: str) -> Found | None:
    return _one(pains(text))


# -- how long ago -------------------------------------------------------------------------------------
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_WORDS = {
    "today": 0, "this morning": 0, "this afternoon": 0, "this evening": 0, "tonight": 0,
    "earlier today": 0, "an hour ago": 0, "just now": 0, "yesterday": 1, "last night": 1,
    "yesterday morning": 1, "yesterday evening": 1, "yesterday afternoon": 1,
    "the day before yesterday": 2, "last week": 7, "the weekend": -1,
}  # fmt: skip
_DAYS = "|".join(sorted(_DAY_WORDS, key=len, reverse=True))
_BARE_DAYS = "|".join(
    sorted((k for k in _DAY_WORDS if k not in ("last week", "the weekend")), key=len, reverse=True)
)
"""On their own ("last week" may be when something else happened): only near a pain word."""
_COUNT = rf"({NUMBER}|a few|a couple of|couple of)"
_UNIT = r"(hours?|hrs?|days?|weeks?|wks?|fortnights?|months?|years?)"
_WEEKDAY = r"((?:last )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))(?: (?:morning|afternoon|evening|night))?"
_DURATION_PATTERNS = (
    (re.compile(rf"\bfor (?:the (?:last|past) )?{_COUNT} {_UNIT}\b", re.I), "count", 1),
    (re.compile(rf"\b(?:the (?:last|past) ){_COUNT} {_UNIT}\b", re.I), "count", 1),
    (re.compile(rf"\b{_COUNT} {_UNIT} (?:of|now|running|in a row)\b", re.I), "count", 1),
    (re.compile(rf"\b(?:since|from) (?:early |late )?({_DAYS})\b", re.I), "word", 1),
    (re.compile(rf"\b(?:since|from) {_WEEKDAY}\b", re.I), "weekday", 1),
    (
        re.compile(rf"\b(?:on|last) ({_WEEKDAYS[0]}|{'|'.join(_WEEKDAYS[1:])})\b", re.I),
        "weekday",
        2,
    ),
    (re.compile(rf"\b{_COUNT} {_UNIT} ago\b", re.I), "count", 2),
    (re.compile(rf"\b({_BARE_DAYS})\b", re.I), "word", 2),
)
_PAIN_CLAUSE = re.compile(
    r"\b(?:pain\w*|ache\w*|aching|achy|hurt\w*|sore\w*|spasm\w*|cramp\w*|stiff\w*|seized|locked|"
    r"went|gave|twinge\w*|pulled|tweaked|agony|throbb\w*|back|neck|calf|thigh|buttock|flank|side|"
    r"shoulder|spine|started|began|begun|burning|stabbing|sharp|twisted|strained)\b",
    re.I,
)
_OTHER_THING = re.compile(
    r"\b(?:pee\w*|wee\w*|urin\w*|temp\w*|fever\w*|numb\w*|tingl\w*|headache|rash|bleed\w*|sick|"
    r"vomit\w*|cough\w*|period|taken|taking|takes|take|on|medicine|tablets|pills|nail|cut|wound|"
    r"injection|surgery|operation|flight|drive|drove|birth|baby|cancer)\b",
    re.I,
)
_CLAUSE_END = re.compile(r"[;!?\n]|\.(?!\d)|,\s+(?:and|but|then|now)\b|\bbut\b|\band now\b")
_CLAUSE_OR_COMMA = re.compile(r"[,;!?\n]|\.(?!\d)|\b(?:but|and)\b")


def _clause(text: str, start: int, end: int, *, commas: bool = False) -> str:
    """The clause around a span (to the nearest sentence end, semicolon or 'but'; with ``commas``,
    also to the nearest comma)."""
    pattern = _CLAUSE_OR_COMMA if commas else _CLAUSE_END
    left = 0
    for m in pattern.finditer(text, 0, start):
        left = m.end()
    right_match = pattern.search(text, end)
    right = right_match.start() if right_match else len(text)
    return text[left:right]


def _days(kind: str, m: re.Match[str], today: date | None) -> float | None:
    if kind == "word":
        days = _DAY_WORDS[" ".join(m.group(1).lower().split())]
        if days < 0:  # "since the weekend": days since Saturday
            if today is None:
                return None
            return float((today.weekday() - 5) % 7 or 7)
        return float(days)
    if kind == "weekday":
        if today is None:
            return None
        name = m.group(1).lower().split()[-1]
        back = (today.weekday() - _WEEKDAYS.index(name)) % 7
        return float(back or 7)
    count_text, unit = m.group(1).lower(), m.group(2).lower()
    if count_text in ("a few",):
        return None  # vague: left for the question
    count = number(count_text)
    if count is None:
        return None
    per_unit = {"h": 1 / 24, "d": 1.0, "w": 7.0, "f": 14.0, "m": 30.0, "y": 365.0}[unit[0]]
    return float(min(36500.0, math.floor(count * per_unit)))


def durations(text: str, today: date | None = None) -> list[Found]:
    out: list[Found] = []
    taken: list[tuple[int, int]] = []
    for pattern, kind, rank in _DURATION_PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            value = _days(kind, m, today)
            if value is None:
                continue
            # The time must be said of the pain: a pain word in its own part of the sentence, or,
            # for "since ..."/"for ...", in its clause when its own part names nothing else ("a
            # nail 8 days ago", "risperidone for three years", "can't pee since this morning").
            part = _clause(text, m.start(), m.end(), commas=True).replace(m.group(0), " ")
            clause = _clause(text, m.start(), m.end()).replace(m.group(0), " ")
            if not _PAIN_CLAUSE.search(part) and not (
                rank == 1 and _PAIN_CLAUSE.search(clause) and not _OTHER_THING.search(part)
            ):
                continue
            taken.append((m.start(), m.end()))
            out.append(Found(value, m.start(), m.end(), rank=rank))
    return sorted(out, key=lambda f: (f.rank, f.start))


def duration(text: str, today: date | None = None) -> Found | None:
    """How many days ago this started: the best-ranked readings (said in so many words, in a
    clause about the pain); when several disagree, the longest (the episode began at the first)."""
    found = durations(text, today)
    if not found:
        return None
    best = [f for f in found if f.rank == found[0].rank]
    longest = max(best, key=lambda f: f.value)
    value = longest.value
    return Found(int(value) if float(value).is_integer() else value, longest.start, longest.end)


def letter_sex(text: str) -> Found | None:
    """Sex from "34F" or "45 M" (the age is read by :func:`ages`)."""
    found = []
    for m in _SEX_LETTER_AGE.finditer(text):
        if not _TEMPERATURE_BEFORE.search(text[max(0, m.start() - 25) : m.start()]):
            found.append(Found("female" if m.group(2) == "F" else "male", m.start(), m.end()))
    return _one(found)


# -- sex from pronouns -------------------------------------------------------------------------------
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|im|i've|i'd|i'll|me|my|mine|myself)\b", re.I)
_HE = re.compile(r"\b(?:he|him|his|himself|he's)\b", re.I)
_SHE = re.compile(r"\b(?:she|her|hers|herself|she's)\b", re.I)


def pronoun_sex(text: str) -> Found | None:
    """Sex from third-person pronouns, in a story told about someone else only ("it wakes him"):
    none when the story also speaks as "I", or uses both."""
    if _FIRST_PERSON.search(text):
        return None
    he, she = _HE.search(text), _SHE.search(text)
    if he and not she:
        return Found("male", he.start(), he.end(), rank=2)
    if she and not he:
        return Found("female", she.start(), she.end(), rank=2)
    return None


__all__ = [
    "NUMBER",
    "Found",
    "age",
    "ages",
    "duration",
    "durations",
    "letter_sex",
    "number",
    "pain",
    "pains",
    "pronoun_sex",
]
