"""What scoring and comparing return: :class:`ScaleResult` and :class:`Change` (frozen pydantic models,
returned as is by the API and printed by ``--json``)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from spasmcare.knowledge.base import ResultModel
from spasmcare.scales.definitions import AnswerValue, Coding

Verdict = Literal["improved", "no_meaningful_change", "worse"]
Number = int | float
"""A score: a whole number stays one in JSON (``7``, not ``7.0``)."""


class ScaleResult(ResultModel):
    """The score of one completed (or partly completed) instrument: the shape
    ``spasmcare scales score --json`` prints.

    ``score`` is None when the responses are not enough to score (``valid`` False, ``problems``
    says why) and for the Modified Ashworth Scale, whose grade is a code (in ``band``), not a number.
    ``codes`` lists, in this order, the panel code, the score code, subscore codes, the risk code and
    the code of the risk group or grade found, each as ``{system, code, display}``.
    """

    scale: str
    name: str
    score: Number | None
    unit: str | None = None
    valid: bool
    problems: list[str] = Field(default_factory=list)
    band: str | None = None
    band_label: str | None = None
    risk: str | None = None
    subscores: dict[str, Number] = Field(default_factory=dict)
    answered: int = 0
    items: int = 0
    codes: list[Coding] = Field(default_factory=list)
    responses: dict[str, AnswerValue | None] = Field(default_factory=dict)
    details: dict[str, str] = Field(default_factory=dict)
    notes: list[str] = Field(default_factory=list)
    citation: str = ""
    scales_version: str = ""


class Change(ResultModel):
    """Whether the change between two results of one instrument is clinically meaningful.

    ``delta`` is after minus before, in score units (for every scale compared here a higher score
    is worse, so a negative delta is a drop). ``threshold`` is the minimal clinically important
    difference used; ``percent_threshold`` is set when a relative rule applies too (pain rating).
    """

    scale: str
    verdict: Verdict
    before: float
    after: float
    delta: float
    threshold: float
    percent_change: float | None
    percent_threshold: Number | None
    rule: str
    citation: str
    scales_version: str
