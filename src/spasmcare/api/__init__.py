"""The REST API under ``/api/v1``: thin routes over the library, documented by the OpenAPI schema.

Errors are RFC 9457 problem details (:mod:`spasmcare.api.problems`), the one place where spasmcare's
errors become HTTP status codes.
"""

from spasmcare.api.problems import (
    PROBLEM_MEDIA_TYPE,
    ProblemDetails,
    install_problem_handlers,
    problem_response,
)
from spasmcare.api.routes import api_router

__all__ = [
    "PROBLEM_MEDIA_TYPE",
    "ProblemDetails",
    "api_router",
    "install_problem_handlers",
    "problem_response",
]
