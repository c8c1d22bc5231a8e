"""The one exception tree of spasmcare.

Every error spasmcare raises on purpose derives from :class:`SpasmcareError`, so adapters (CLI, API)
can turn any of them into a clear message and an exit code or HTTP status without a traceback::

    SpasmcareError                  base; ``problems`` lists every problem found, each with a path
    ├── InputError                  the user's input is invalid (CLI exit 2, HTTP 422)
    │   ├── IntakeError             a triage or plan intake is invalid
    │   ├── ScaleInputError         questionnaire responses are invalid
    │   └── ImportFileError         an import file (diary, FHIR, questionnaire) is broken
    ├── KnowledgeError              the packaged clinical knowledge base is inconsistent
    ├── NotFoundError               a record, topic, scale or version does not exist (HTTP 404)
    ├── ConflictError               the request conflicts with stored data (HTTP 409)
    └── StorageError                the diary database failed or is unreachable (HTTP 503)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input: where (a dotted path), what, and what would be allowed."""

    path: str
    message: str
    allowed: str | None = None

    def __str__(self) -> str:
        text = f"{self.path}: {self.message}" if self.path else self.message
        if self.allowed:
            text += f" (allowed: {self.allowed})"
        return text


class SpasmcareError(Exception):
    """Base of every deliberate spasmcare error; carries a summary and the individual problems."""

    def __init__(self, summary: str, problems: list[Problem] | None = None) -> None:
        self.summary = summary
        self.problems: list[Problem] = list(problems or [])
        super().__init__(self.__str__())

    def __str__(self) -> str:
        if not self.problems:
            return self.summary
        lines = [self.summary, *(f"  - {p}" for p in self.problems)]
        return "\n".join(lines)


class InputError(SpasmcareError):
    """The user's input is invalid; nothing was changed."""


class IntakeError(InputError):
    """A triage or care-plan intake is invalid."""


class ScaleInputError(InputError):
    """Responses to a scale or questionnaire are invalid."""


class ImportFileError(InputError):
    """A file to import is malformed or inconsistent; nothing was imported."""


class KnowledgeError(SpasmcareError):
    """The clinical knowledge base failed validation."""


class NotFoundError(SpasmcareError):
    """A requested record, topic, scale or knowledge-base version does not exist."""


class ConflictError(SpasmcareError):
    """The operation conflicts with data already stored."""


class StorageError(SpasmcareError):
    """The diary storage failed or cannot be reached."""


__all__ = [
    "ConflictError",
    "ImportFileError",
    "InputError",
    "IntakeError",
    "KnowledgeError",
    "NotFoundError",
    "Problem",
    "ScaleInputError",
    "SpasmcareError",
    "StorageError",
]
