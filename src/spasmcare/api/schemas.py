"""Request models of the triage and interview routes, and the response models that exist only in the
API (the interview's step, health). The core's results (:class:`~spasmcare.triage.TriageResult`,
:class:`~spasmcare.triage.Question`, ...) are pydantic models and are the response models themselves.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Body
from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from spasmcare.triage import Intake, Question, TriageResult


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
    """One step of the stateless interview: the answers to send back, and the next question or the
    result."""

    answers: dict[str, Any] = Field(
        description='The answers so far (with "self_checked" once a self-check was shown); send '
        "them back unchanged next time."
    )
    done: bool
    question: Question | None = Field(description="The next question, or null when done.")
    result: TriageResult | None = Field(description="The triage result, once done.")


class HealthOut(BaseModel):
    status: Literal["ok"]
    database: Literal["ok"]


class PingOut(BaseModel):
    ok: Literal[True]


INTAKE_SCHEMA: dict[str, Any] = Intake.model_json_schema()
"""JSON schema of the triage intake (the body of POST /api/v1/triage)."""

IntakeBody = Annotated[Any, Body(description="The intake."), WithJsonSchema(INTAKE_SCHEMA)]
"""A route parameter: the intake, as FastAPI parses the JSON body (400 with the position when it is
not JSON), documented with the intake's schema. The route checks it with
:func:`~spasmcare.triage.parse_intake`, so the API reports exactly the problems the CLI reports:
every schema problem and every unknown finding or condition, in one list."""


__all__ = [
    "INTAKE_SCHEMA",
    "AnswerIn",
    "HealthOut",
    "IntakeBody",
    "InterviewIn",
    "InterviewOut",
    "PingOut",
]
