"""What :func:`spasmcare.understand.understand` returns: one pydantic model, returned as is by the API
and printed as JSON by the command line."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from spasmcare.knowledge.base import StrictModel

Value = bool | Literal["unsure"]
Cue = Literal["negated", "uncertain", "family", "hypothetical", "past", "conflict"]


class TextSpan(StrictModel):
    """A piece of the text: ``text == original[start:end]``."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


class FindingRead(StrictModel):
    """A finding read from the text, with the words it came from."""

    finding: str = Field(description="The finding id (see `spasmcare rules --findings`).")
    label: str = Field(description="The finding's checklist text.")
    value: Value = Field(description='true, false or "unsure".')
    span: TextSpan = Field(description="The words that name the finding.")
    cue: TextSpan | None = Field(
        default=None, description='The words that made it false or "unsure" ("no", "not sure").'
    )
    emergency: bool = Field(
        description="The finding is used by an emergency rule: read as present, it is shown first "
        "and, once confirmed, can lead straight to the emergency result."
    )


class FieldRead(StrictModel):
    """An intake field read from the text (age, sex, pregnant, regions, onset, duration, pain)."""

    field: Literal[
        "age", "sex", "pregnant", "pregnancy_weeks", "regions", "onset", "duration_days", "pain"
    ]
    value: Any = Field(description="The value, as the intake field takes it.")
    span: TextSpan


class MedicineRead(StrictModel):
    """A medicine named in the text, matched by the one medicine matcher."""

    name: str = Field(description="The name as written, with its dose when one follows.")
    classes: list[str] = Field(description="Medicine classes it belongs to (may be empty).")
    sets_findings: list[str] = Field(
        description="Findings the medicine answers yes when the intake is read (a blood thinner)."
    )
    span: TextSpan


class SetAside(StrictModel):
    """Something named in the text that does not answer a question about the person."""

    about: str = Field(description="A finding id, a region, 'pregnant', or a medicine name.")
    label: str
    reason: Cue = Field(
        description="family: about someone else; hypothetical: a worry or an 'if'; past: long "
        "ago; uncertain: a medicine the person was not sure of; conflict: said both ways."
    )
    span: TextSpan
    cue: TextSpan | None = None


class Understanding(StrictModel):
    """A partial intake read from free text, with the evidence for every item.

    Nothing here decides anything: the person confirms or changes each item, then the interview
    asks every applicable question still open (``intake`` is its starting answers).
    """

    intake: dict[str, Any] = Field(
        description="The partial intake, shaped like the interview's answers (age, sex, pregnant, "
        'pregnancy_weeks, regions, onset, duration_days, pain, medicines, findings: true/false/"unsure"). '
        "Send it, once the person has confirmed it, as `answers` to POST /api/v1/interview."
    )
    findings: list[FindingRead] = Field(description="Emergency signs first, then text order.")
    fields: list[FieldRead]
    medicines: list[MedicineRead]
    set_aside: list[SetAside] = Field(
        description="Mentions that set nothing: family history, worries and 'ifs', the past, "
        "things said both ways."
    )
    unplaced: list[TextSpan] = Field(
        description="Phrases that could not be placed; the interview's questions cover them."
    )
    message: str | None = Field(
        default=None,
        description="Set when the text could not be read (empty, too long, not English, no "
        "words): a plain-words reason. The rest is then empty.",
    )
    knowledge_version: str

    @property
    def empty(self) -> bool:
        return not (self.findings or self.fields or self.medicines)


__all__ = [
    "Cue",
    "FieldRead",
    "FindingRead",
    "MedicineRead",
    "SetAside",
    "TextSpan",
    "Understanding",
    "Value",
]
