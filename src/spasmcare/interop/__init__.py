"""Speaking the standards clinicians' systems use: FHIR R4 bundles out and in, and CDS Hooks 2.0.

``fhir.resources`` is imported only by the FHIR functions, when they are called.
"""

from spasmcare.interop.cds_hooks import (
    HOOK,
    SERVICE_ID,
    CdsRequestError,
    PrefetchMissingError,
    discovery,
    patient_view,
)
from spasmcare.interop.codes import INTAKE_QUESTIONNAIRE, Codes, Coding, load_codes
from spasmcare.interop.intake_qr import intake_items, is_intake_response, read_intake

__all__ = [
    "HOOK",
    "INTAKE_QUESTIONNAIRE",
    "SERVICE_ID",
    "CdsRequestError",
    "Codes",
    "Coding",
    "PrefetchMissingError",
    "discovery",
    "intake_items",
    "is_intake_response",
    "load_codes",
    "patient_view",
    "read_intake",
]
