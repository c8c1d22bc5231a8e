"""Speaking the standards clinicians' systems use: FHIR R4 bundles out and in, and CDS Hooks 2.0.

``fhir.resources`` is imported only by the FHIR functions, when they are called.
"""

from spasmcare.errors import CdsRequestError, PrefetchMissingError
from spasmcare.interop.cds_hooks import HOOK, SERVICE_ID, discovery, patient_view
from spasmcare.interop.codes import INTAKE_QUESTIONNAIRE, Codes, Coding, load_codes
from spasmcare.interop.fhir import export_bundle, import_bundle, validation_problems
from spasmcare.interop.fhir_in import fhir_to_diary
from spasmcare.interop.fhir_out import diary_to_fhir, plan_summary
from spasmcare.interop.intake_qr import intake_items, is_intake_response, read_intake

__all__ = [
    "HOOK",
    "INTAKE_QUESTIONNAIRE",
    "SERVICE_ID",
    "CdsRequestError",
    "Codes",
    "Coding",
    "PrefetchMissingError",
    "diary_to_fhir",
    "discovery",
    "export_bundle",
    "fhir_to_diary",
    "import_bundle",
    "intake_items",
    "is_intake_response",
    "load_codes",
    "patient_view",
    "plan_summary",
    "read_intake",
    "validation_problems",
]
