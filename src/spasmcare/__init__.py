"""spasmcare: triage, evidence-graded self-care, a diary and clinician reports for sudden back and
neck muscle spasms. spasmcare gives information, not a diagnosis.

The public library API is re-exported here and imported lazily, so that ``import spasmcare`` and the
command line start fast.
"""

from __future__ import annotations

from spasmcare.lazy import lazy_exports

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    "load_knowledge": "spasmcare.knowledge",
    "KnowledgeBase": "spasmcare.knowledge",
    "Disposition": "spasmcare.knowledge",
    "Intake": "spasmcare.triage",
    "parse_intake": "spasmcare.triage",
    "evaluate": "spasmcare.triage",
    "TriageResult": "spasmcare.triage",
    "Interview": "spasmcare.triage",
    "SpasmcareError": "spasmcare.errors",
}

__all__ = ["__version__", *sorted(_EXPORTS)]


__getattr__ = lazy_exports(__name__, _EXPORTS, globals())


def __dir__() -> list[str]:
    return sorted(__all__)
