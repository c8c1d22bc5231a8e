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
        description="Applicable warning-sign (and, from knowledge base 1.1.0, soon-sign) findings, "
        "then the required fields (pain, onset, duration_days, sex, pregnant) that apply and are "
        'not answered yet. "Not sure" is an answer: it is listed in `unsure`, not here.'
    )
    unsure: list[str] = Field(
        default_factory=list,
        description='Applicable findings, then "pregnant" and "onset", answered "unsure". When '
        "one of them, if it were yes, would raise the level, a not-sure rule (N1-N3) fires and "
        "its advice names them.",
    )
    complete: bool = Field(description="True when `unanswered` is empty.")
    knowledge_version: str
    notice: str


class OptionOut(BaseModel):
    value: str
    label: str


class QuestionOut(BaseModel):
    id: str = Field(description="Send it back as answer.question_id.")
    kind: Literal["number", "choice", "multi", "yesno", "checklist", "names"] = Field(
        description="How to answer: see `AnswerIn.value`."
    )
    text: str
    help: str | None
    field: str | None = Field(
        description="The intake field this question fills, or null for a finding or checklist."
    )
    options: list[OptionOut]
    minimum: float | None
    maximum: float | None
    integer: bool
    unsure: bool = Field(
        description='Whether "Not sure" is an answer: "unsure" for a yesno, an option marked '
        '"unsure" in a checklist, the option "unsure" of a choice.'
    )
    self_check: str | None = Field(
        description='Set when this question is asked again after "not sure": a check to try '
        "before answering. Show it prominently above the question. The second answer is kept."
    )


class AnswerIn(BaseModel):
    """The answer to the current question.

    ``value`` by kind: number - a number; choice - one option value; multi - a non-empty list of
    option values; yesno - true, false or "unsure"; names - a list of names (empty: none);
    checklist - an object mapping option values to true, false or "unsure" (an option left out is
    unsure), or a non-empty list of the options that apply (all others no), or "none" (none of
    these). An empty list is refused: a blank is never "no".
    """

    model_config = ConfigDict(extra="forbid")

    question_id: str = Field(max_length=100)
    value: Any = Field(
        default=None,
        description="number: a number; choice: an option value; multi: a list of option values; "
        'yesno: true, false or "unsure"; names: a list of strings (empty: none); checklist: '
        '{option: true|false|"unsure"} (left out: unsure), a non-empty list of the options '
        'that apply (the others: no), or "none".',
        json_schema_extra={
            "anyOf": [
                {"type": "number"},
                {"type": "boolean"},
                {"type": "string"},
                {"type": "array", "items": {"type": "string"}},
                {
                    "type": "object",
                    "additionalProperties": {
                        "anyOf": [{"type": "boolean"}, {"type": "string", "enum": ["unsure"]}]
                    },
                },
            ]
        },
    )


class InterviewIn(BaseModel):
    """The answers so far (an intake, perhaps incomplete) and, optionally, the next answer."""

    model_config = ConfigDict(extra="forbid")

    answers: dict[str, Any] = Field(
        default_factory=dict,
        description="The answers so far, shaped like an intake (findings: true, false or "
        '"unsure"), plus "self_checked" once a self-check was shown; send back what the last '
        "response returned. Start with {}.",
    )
    answer: AnswerIn | None = None
    context: bool = Field(
        default=False,
        description="Also ask the care-plan context questions after the safety questions.",
    )


class InterviewOut(BaseModel):
    answers: dict[str, Any] = Field(
        description='The answers so far (with "self_checked" once a self-check was shown); send '
        "them back unchanged next time."
    )
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
