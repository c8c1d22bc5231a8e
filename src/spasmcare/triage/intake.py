"""The triage intake: what the person tells us, validated with messages that say what is allowed."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from spasmcare.errors import IntakeError, Problem, problems_from_validation
from spasmcare.knowledge.body import Region, Sex
from spasmcare.knowledge.medicine_match import findings_set_by, match_classes
from spasmcare.knowledge.schema import KnowledgeBase

Onset = Literal["sudden", "gradual", "unsure"]
Unsure = Literal["unsure"]
FindingAnswer = bool | Unsure
"""A finding's answer: yes, no, or "unsure" (asked, and the person does not know)."""


class Intake(BaseModel):
    """One person's answers. A finding missing from ``findings`` means 'not asked / unknown'."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    age: int = Field(ge=0, le=120, description="Age in years.")
    regions: list[Region] = Field(min_length=1, description="Where the spasm or pain is.")
    sex: Sex | None = None
    pregnant: bool | Unsure | None = Field(
        default=None, description='true, false or "unsure"; missing means not asked.'
    )
    onset: Onset | None = Field(
        default=None,
        description='"sudden" (full strength within 10 minutes), "gradual" or "unsure".',
    )
    duration_days: float | None = Field(
        default=None, ge=0, le=36500, description="How long this episode has lasted, in days."
    )
    pain: int | None = Field(default=None, ge=0, le=10, description="Worst pain now, 0-10.")
    findings: dict[str, FindingAnswer] = Field(
        default_factory=dict,
        description='Finding id -> true, false or "unsure". A missing id means not asked yet.',
    )
    medicines: list[str] = Field(default_factory=list)
    conditions: list[str] = Field(default_factory=list)
    pregnancy_weeks: int | None = Field(default=None, ge=1, le=45)
    alcohol_drinks_per_day: float | None = Field(default=None, ge=0, le=100)
    weight_kg: float | None = Field(default=None, gt=0, le=500)


def closest(word: str, choices: list[str], n: int = 3) -> list[str]:
    """The closest valid ids to a mistyped one."""
    return difflib.get_close_matches(word, choices, n=n, cutoff=0.5)


def medicine_class_members(kb: KnowledgeBase, medicine: str) -> list[str]:
    """Ids of the medicine classes a named medicine belongs to (the one medicine matcher)."""
    return list(match_classes(kb, medicine))


def parse_intake(data: object, kb: KnowledgeBase) -> Intake:
    """Validate raw intake data against the model and the knowledge base.

    Raises :class:`IntakeError` listing every problem, each with its field path, the bad value and what
    is allowed. A listed medicine that belongs to a class with ``sets_finding`` sets that finding true.
    """
    if isinstance(data, Mapping) and isinstance(data.get("intake"), Mapping) and "age" not in data:
        raise IntakeError(
            "this looks like a case file, not an intake",
            [Problem("intake", "pass the object under 'intake' on its own", "an intake object")],
        )
    if not isinstance(data, Mapping):
        raise IntakeError(
            "the intake must be a JSON object",
            [
                Problem(
                    "", f"got {type(data).__name__}", "an object with age, regions, findings, ..."
                )
            ],
        )
    problems: list[Problem] = []
    intake: Intake | None = None
    try:
        intake = Intake.model_validate(dict(data))
    except ValidationError as exc:
        problems.extend(problems_from_validation(exc, Intake))

    raw_findings = data.get("findings")
    finding_ids = list(kb.findings)
    if isinstance(raw_findings, Mapping):
        for key in raw_findings:
            if key not in kb.findings:
                near = closest(str(key), finding_ids)
                hint = (
                    f"did you mean {', '.join(near)}?"
                    if near
                    else "see `spasmcare rules --findings`"
                )
                problems.append(Problem(f"findings.{key}", f"unknown finding id {key!r}", hint))
    raw_conditions = data.get("conditions")
    if isinstance(raw_conditions, list | tuple):
        for i, cid in enumerate(raw_conditions):
            if cid not in kb.conditions:
                problems.append(
                    Problem(
                        f"conditions[{i}]", f"unknown condition {cid!r}", ", ".join(kb.conditions)
                    )
                )
    if data.get("pregnancy_weeks") is not None and data.get("pregnant") is not True:
        problems.append(
            Problem(
                "pregnancy_weeks",
                "is only allowed when pregnant is true",
                "omit it, or set pregnant",
            )
        )
    if data.get("pregnant") is True and data.get("sex") == "male":
        problems.append(Problem("pregnant", "cannot be true when sex is 'male'", "female or other"))
    if problems or intake is None:
        raise IntakeError("the intake is not valid", problems)

    # A listed medicine sets its findings true, even over an answer "no" or "unsure"; an unlisted
    # medicine never sets a finding to no (policy v2, Medicines).
    extra_true = findings_set_by(kb, intake.medicines)
    if extra_true:
        findings = dict(intake.findings)
        for fid in sorted(extra_true):
            findings[fid] = True
        intake = intake.model_copy(update={"findings": findings})
    return intake
