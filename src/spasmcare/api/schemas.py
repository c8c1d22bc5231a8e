"""Request and response models of the triage, interview and health routes (for validation and the
OpenAPI schema). The core returns plain dicts (``to_dict()``); these models describe them exactly.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from spasmcare.triage import Intake

DispositionId = Literal["emergency", "urgent", "soon", "self_care"]


class SourceOut(BaseModel):
    id: str
    citation: str
    url: str | None


class ReasonOut(BaseModel):
    rule: str = Field(description="Rule id, e.g. E2.")
    title: str
    disposition: DispositionId
    advice: str
    rationale: str
    sources: list[SourceOut]


class TriageResultOut(BaseModel):
    """The same object ``spasmcare triage --json`` prints."""

    disposition: DispositionId
    label: str
    instruction: str
    reasons: list[ReasonOut]
    rules_fired: list[str]
    unanswered: list[str] = Field(
        description="Applicable warning-sign findings, then pain and onset, not answered yet."
    )
    complete: bool
    knowledge_version: str
    notice: str


class OptionOut(BaseModel):
    value: str
    label: str


class QuestionOut(BaseModel):
    id: str = Field(description="Send it back as answer.question_id.")
    kind: Literal["number", "choice", "multi", "yesno", "checklist"]
    text: str
    help: str | None
    field: str | None
    options: list[OptionOut]
    minimum: float | None
    maximum: float | None
    integer: bool


class AnswerIn(BaseModel):
    """The answer to the current question.

    ``value`` by kind: number - a number; choice - one option value; multi - a list of option values;
    yesno - true or false; checklist - the list of ticked option values (the others become false).
    """

    model_config = ConfigDict(extra="forbid")

    question_id: str = Field(max_length=100)
    value: Any = None


class InterviewIn(BaseModel):
    """The answers so far (an intake, perhaps incomplete) and, optionally, the next answer."""

    model_config = ConfigDict(extra="forbid")

    answers: dict[str, Any] = Field(
        default_factory=dict,
        description="The answers so far, shaped like an intake; start with {}.",
    )
    answer: AnswerIn | None = None
    context: bool = Field(
        default=False,
        description="Also ask the care-plan context questions after the safety questions.",
    )


class InterviewOut(BaseModel):
    answers: dict[str, Any] = Field(description="The answers so far; send them back next time.")
    done: bool
    question: QuestionOut | None = Field(description="The next question, or null when done.")
    result: TriageResultOut | None = Field(description="The triage result, once done.")


class HealthOut(BaseModel):
    status: Literal["ok"]
    database: Literal["ok"]


class PingOut(BaseModel):
    ok: Literal[True]


INTAKE_SCHEMA: dict[str, Any] = Intake.model_json_schema()
"""JSON schema of the triage intake (the body of POST /api/v1/triage)."""


__all__ = [
    "INTAKE_SCHEMA",
    "AnswerIn",
    "HealthOut",
    "InterviewIn",
    "InterviewOut",
    "OptionOut",
    "PingOut",
    "QuestionOut",
    "ReasonOut",
    "SourceOut",
    "TriageResultOut",
]
