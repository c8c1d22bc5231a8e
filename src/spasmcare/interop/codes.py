"""The codes spasmcare uses in FHIR and CDS Hooks, loaded once from ``data/codes.yaml``.

Every coded concept is ``{system, code, display}``; systems are named in the file and resolved to
their URLs here. Codes marked ``verified: false`` are kept for reference but never exported.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any, Final

from pydantic import Field, ValidationError

from spasmcare.errors import KnowledgeError, problems_from_validation
from spasmcare.knowledge.base import StrictModel
from spasmcare.knowledge.reader import parse_yaml

BASE_URL = "https://spasmcare.org/fhir"
INTAKE_QUESTIONNAIRE = f"{BASE_URL}/Questionnaire/spasmcare-intake"
UNSURE: Final = "unsure"
"""A finding (or ``pregnant``, ``onset``) answered "not sure": asked, and the person does not know."""
ASKED_UNKNOWN = "asked-unknown"
"""The data-absent-reason code spasmcare writes for a "not sure" answer."""
UNKNOWN_REASONS = frozenset({ASKED_UNKNOWN, "unknown", "temp-unknown"})
"""data-absent-reason codes read as "not sure" (``asked-unknown`` and its parent and sibling that say
the value is not known); the others (``not-asked``, ``asked-declined``, ...) answer nothing."""


class CodeRef(StrictModel):
    """A code as written in the data file: ``system`` is a short name from ``systems``."""

    system: str
    code: str
    display: str | None = None
    verified: bool = True
    note: str | None = None


class Coding(StrictModel):
    """A resolved FHIR Coding."""

    system: str
    code: str
    display: str | None = None

    def fhir(self) -> dict[str, str]:
        """The Coding as FHIR JSON."""
        out = {"system": self.system, "code": self.code}
        if self.display:
            out["display"] = self.display
        return out

    def matches(self, coding: object) -> bool:
        """Whether a FHIR Coding (a dict) has this system and code."""
        return (
            isinstance(coding, dict)
            and coding.get("system") == self.system
            and coding.get("code") == self.code
        )


class PrefixMap(StrictModel):
    code: str = Field(min_length=1)
    region: str | None = None
    finding: str | None = None
    note: str | None = None


class CdsTables(StrictModel):
    condition_regions: list[PrefixMap]
    condition_findings: list[PrefixMap]
    default_region: str


class CodesFile(StrictModel):
    systems: dict[str, str]
    condition: list[CodeRef]
    observations: dict[str, CodeRef]
    cds: CdsTables


class Codes:
    """The resolved codes: ``codes.system("loinc")``, ``codes.observation("pain")`` ..."""

    def __init__(self, data: CodesFile) -> None:
        self.data = data
        self.systems = dict(data.systems)
        self.condition = tuple(self._resolve(c) for c in data.condition if c.verified)
        self.pending = tuple(self._resolve(c) for c in data.condition if not c.verified)
        self.observations = {k: self._resolve(v) for k, v in data.observations.items()}
        self.cds = data.cds

    def _resolve(self, ref: CodeRef) -> Coding:
        return Coding(system=self.systems[ref.system], code=ref.code, display=ref.display)

    def system(self, name: str) -> str:
        return self.systems[name]

    def observation(self, name: str) -> Coding:
        return self.observations[name]

    @property
    def asked_unknown(self) -> Coding:
        """The data-absent-reason Coding of a "not sure" answer."""
        return Coding(
            system=self.systems["data_absent"], code=ASKED_UNKNOWN, display="Asked But Unknown"
        )

    def is_unknown(self, coding: object) -> bool:
        """Whether a FHIR Coding (a dict) is a data-absent-reason that means "not sure"."""
        return (
            isinstance(coding, dict)
            and coding.get("system") == self.systems["data_absent"]
            and coding.get("code") in UNKNOWN_REASONS
        )

    def local(self, system: str, code: str, display: str | None = None) -> Coding:
        """A code in one of spasmcare's own code systems."""
        return Coding(system=self.systems[system], code=code, display=display)


def _check(raw: Any) -> CodesFile:
    try:
        data = CodesFile.model_validate(raw)
    except ValidationError as exc:
        raise KnowledgeError(
            "interop/data/codes.yaml is not valid", problems_from_validation(exc, CodesFile)
        ) from exc
    names = set(data.systems)
    refs = [*data.condition, *data.observations.values()]
    unknown = sorted({r.system for r in refs} - names)
    if unknown:
        raise KnowledgeError(f"interop/data/codes.yaml: unknown code systems {unknown}")
    return data


@functools.cache
def load_codes() -> Codes:
    """The packaged codes (read and checked once per process)."""
    data = resources.files("spasmcare.interop").joinpath("data", "codes.yaml").read_bytes()
    return Codes(_check(parse_yaml(data)))


__all__ = [
    "ASKED_UNKNOWN",
    "BASE_URL",
    "INTAKE_QUESTIONNAIRE",
    "UNKNOWN_REASONS",
    "UNSURE",
    "CodeRef",
    "Codes",
    "Coding",
    "load_codes",
]
