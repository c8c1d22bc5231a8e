"""Which passwords an account may have, following NIST SP 800-63B (section 3.1.1.2).

- At least :data:`MIN_PASSWORD` characters and at most :data:`MAX_PASSWORD` (any characters,
  spaces included; no rules about mixing kinds of characters, which NIST advises against).
- Not a commonly used, expected or breached-style password: the check is zxcvbn's (Dropbox's
  estimator, a well-kept package shipped with its lists: 30,000 passwords from breaches, English
  words, names), which also finds keyboard runs (``qwertyuiop``), repeats (``aaaaaaaaaa``) and
  sequences (``1234567890``). A password zxcvbn rates below :data:`MIN_SCORE` (of 4) is refused,
  with zxcvbn's hint.
- Not the username, nor built from it or from the service's name.

The password itself never appears in a message.
"""

from __future__ import annotations

import re

from spasmcare.errors import InputError, Problem

MIN_PASSWORD = 10
MAX_PASSWORD = 1024
MIN_SCORE = 3
"""zxcvbn's 0-4 scale: 3 is "safely unguessable: moderate protection from an offline attack"."""
CONTEXT_WORDS = ("spasmcare", "spasm", "care")
_WORD_GAPS = re.compile(r"[\W_]+")
_OWN_CHARACTERS = 6
"""Letters and digits a password must have besides its copies of the username."""
_ESTIMATED = 72
"""zxcvbn looks at the first 72 characters; a longer password is judged by those."""


def password_problems(password: str, username: str = "", path: str = "password") -> list[Problem]:
    """Every reason ``password`` may not be used by ``username`` (an empty list: it may)."""
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        return [
            Problem(
                path,
                f"has {len(password)} characters",
                f"{MIN_PASSWORD} to {MAX_PASSWORD} characters",
            )
        ]
    allowed = "a long phrase of a few unrelated words is easy to remember and hard to guess"
    folded = " ".join(password.split()).casefold()
    name = username.strip().casefold()
    if not folded:
        return [Problem(path, "is only spaces", allowed)]
    if name and (folded == name or folded.replace(" ", "") == name):
        return [Problem(path, "is your username", allowed)]
    if name and len(_WORD_GAPS.sub("", folded.replace(name, ""))) < _OWN_CHARACTERS:
        return [Problem(path, "is mostly your username", allowed)]
    from zxcvbn import zxcvbn
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    if folded in _common(FREQUENCY_LISTS["passwords"]):
        return [Problem(path, "is one of the most common passwords", allowed)]
    result = zxcvbn(password[:_ESTIMATED], user_inputs=[*CONTEXT_WORDS, *([name] if name else [])])
    if result["score"] < MIN_SCORE:
        feedback = result.get("feedback") or {}
        hint = str(feedback.get("warning") or "").strip()
        suggestions = [str(s) for s in feedback.get("suggestions") or []]
        reason = hint.rstrip(".").lower() if hint else "is too easy to guess"
        if hint:
            reason = f"is too easy to guess: {reason}"
        return [Problem(path, reason, " ".join(suggestions) or allowed)]
    return []


_COMMON: frozenset[str] | None = None


def _common(words: list[str]) -> frozenset[str]:
    global _COMMON
    if _COMMON is None:
        _COMMON = frozenset(w.casefold() for w in words)
    return _COMMON


def check_password(password: str, username: str = "", path: str = "password") -> None:
    """Raise :class:`InputError` (naming ``path``) unless ``password`` may be used."""
    found = password_problems(password, username, path)
    if found:
        raise InputError("choose another password", found)


__all__ = [
    "MAX_PASSWORD",
    "MIN_PASSWORD",
    "MIN_SCORE",
    "check_password",
    "password_problems",
]
