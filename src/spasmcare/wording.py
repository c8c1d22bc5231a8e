"""Fixed wording shared by the clinical core and the settings, with no dependencies of its own."""

from __future__ import annotations

DEFAULT_EMERGENCY_CALL = (
    "the local emergency number (for example 911 in North America, 999 in the UK, 112 in the EU)"
)
"""How 'call ...' is phrased when no emergency number is configured."""

__all__ = ["DEFAULT_EMERGENCY_CALL"]
