"""What counts as a JSON body, and where :class:`~spasmcare.api.middleware.JsonBodyMiddleware` keeps
the body it parsed (for the CDS Hooks route, which answers in its own format)."""

from __future__ import annotations

JSON_TYPES = ("application/json",)
PARSED_JSON = "spasmcare.json"
"""Scope key where :class:`~spasmcare.api.middleware.JsonBodyMiddleware` keeps the parsed body."""


def is_json(content_type: str | None) -> bool:
    if not content_type:
        return False
    main = content_type.split(";", 1)[0].strip().lower()
    return main in JSON_TYPES or main.endswith("+json")


__all__ = ["PARSED_JSON", "is_json"]
