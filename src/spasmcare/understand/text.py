"""Preparing a story for reading: characters that change nothing for a reader are replaced one for
one (so every span still points into the text the person wrote), and text that cannot be read gets
a plain-words reason instead of an error."""

from __future__ import annotations

import re
import unicodedata

MAX_CHARACTERS = 2000
"""The longest story read. A story is a few sentences; a longer paste gets a message, not an error."""

_SAME_LENGTH = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2011": "-",
        "\u2010": "-",
        "\u00a0": " ",
        "\t": " ",
        "\r": " ",
        "\ufeff": " ",
    }
)
_INVISIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028\u2029\ud800-\udfff]")

EMPTY = "Please tell us in a few words what happened, or answer the questions instead."
TOO_LONG = (
    f"That is longer than we can read here (at most {MAX_CHARACTERS:,} characters). Please tell us "
    "the main points in a few sentences, or answer the questions instead."
)
NO_WORDS = (
    "We could not find any words in that. Please write what happened in words, or answer the "
    "questions instead."
)
NOT_ENGLISH = (
    "We could not understand that. spasmcare reads stories in English only. Please answer the "
    "questions instead: they work in the same way."
)
NOTHING_FOUND = (
    "We could not find anything we know how to place in that. The questions will cover "
    "everything, one at a time."
)

# Common English words: a story with several words and none of these is not read as English.
_ENGLISH_WORDS = """a an the i i'm im my me he she his her him it it's its they them we you your is are
was were be been am have has had do does did not no and or but so with without in on at of to for from
since after before up down over when then this that there very really just got get can can't cant
cannot back neck leg legs arm pain ache hurts hurt sore spasm days day week weeks ago now today
yesterday feel feels feeling felt bad left right side lower low upper"""
_ENGLISH = frozenset(_ENGLISH_WORDS.split())
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


_SURROGATES = re.compile(r"[\ud800-\udfff]")


def safe(text: str) -> str:
    """The text with broken characters (lone surrogates, which no encoding can write) replaced by
    U+FFFD, one for one: what the spans quote can always be sent back."""
    return _SURROGATES.sub("\ufffd", text)


def clean(text: str) -> str:
    """The text with look-alike characters replaced one for one: curly quotes, dashes, no-break
    spaces, tabs and invisible or broken characters (so spans stay valid in the original)."""
    cleaned = _INVISIBLE.sub(" ", text.translate(_SAME_LENGTH))
    assert len(cleaned) == len(text)
    return cleaned


def unreadable(text: str) -> str | None:
    """Why the text cannot be read at all (empty, too long, no words), or None."""
    if not text.strip():
        return EMPTY
    if len(text) > MAX_CHARACTERS:
        return TOO_LONG
    letters = sum(1 for ch in text if ch.isalpha())
    odd = sum(1 for ch in text if unicodedata.category(ch) in ("Co", "Cn", "So", "Cs"))
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t")
    if letters == 0 or odd > letters or controls * 10 > len(text):  # emoji only, or binary
        return NO_WORDS
    return None


def looks_english(text: str) -> bool:
    """Whether a text that nothing was found in is English: short texts get the benefit of the
    doubt; in three or more words, at least one in five is a common English word."""
    letters = [ch for ch in text if ch.isalpha()]
    if sum(not ch.isascii() for ch in letters) * 2 > len(letters):
        return False  # mostly another script
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < 3:
        return True
    return sum(w in _ENGLISH for w in words) * 5 >= len(words)


__all__ = [
    "EMPTY",
    "MAX_CHARACTERS",
    "NOTHING_FOUND",
    "NOT_ENGLISH",
    "NO_WORDS",
    "TOO_LONG",
    "clean",
    "looks_english",
    "safe",
    "unreadable",
]
