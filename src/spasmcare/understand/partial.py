"""Checking a partial intake (confirmed answers from a story) before the interview starts from it.

The interview checks its answers once age and regions are known; answers that start without them
(a story that did not say the age) are checked here, in full, with every problem and its path.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from spasmcare.errors import IntakeError, Problem
from spasmcare.knowledge.schema import KnowledgeBase
from spasmcare.triage.intake import parse_intake

_STAND_INS: dict[str, Any] = {"age": 30, "regions": ["neck"]}
"""Valid values put in for a missing age or regions, only to check the rest."""


def check_partial(data: object, kb: KnowledgeBase) -> dict[str, Any]:
    """The answers, checked like an intake whose age and regions may be missing; raises
    :class:`IntakeError` listing every problem (``findings.feverr: unknown finding id``)."""
    if not isinstance(data, Mapping):
        raise IntakeError(
            "the answers so far are not valid",
            [Problem("answers", f"got {type(data).__name__}", "an object shaped like an intake")],
        )
    probe = {k: v for k, v in data.items() if k != "self_checked" and v is not None}
    for name, value in _STAND_INS.items():
        probe.setdefault(name, value)
    parse_intake(probe, kb)
    return dict(data)


__all__ = ["check_partial"]
