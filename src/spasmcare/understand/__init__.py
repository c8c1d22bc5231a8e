"""Tell it in your own words: free-text symptoms read into a partial intake, with the evidence.

``understand(text, kb)`` reads a story with medspaCy (ConText for negation, uncertainty, family,
worries and the past; PyRuSH sentences) on a blank English spaCy pipeline, using the knowledge base's
lexicon (``lexicon.yaml``). It never decides anything: the person confirms or changes every item, and
the interview then asks every applicable question still open, starting from the confirmed answers.

Importing this package is cheap: medspaCy is imported, and the pipeline built, on the first call
(once per process and knowledge base).
"""

from spasmcare.understand.model import (
    FieldRead,
    FindingRead,
    MedicineRead,
    SetAside,
    TextSpan,
    Understanding,
)
from spasmcare.understand.partial import check_partial
from spasmcare.understand.reader import emergency_findings, understand
from spasmcare.understand.text import MAX_CHARACTERS

__all__ = [
    "MAX_CHARACTERS",
    "FieldRead",
    "FindingRead",
    "MedicineRead",
    "SetAside",
    "TextSpan",
    "Understanding",
    "check_partial",
    "emergency_findings",
    "understand",
]
