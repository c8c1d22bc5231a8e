"""The adaptive triage interview: emergency questions first, only what applies and can still matter.

``Interview`` is a small state machine over answers. It is stateless in the sense the web API needs:
``Interview(kb, answers=...)`` rebuilds it from the answers so far, and ``next_question()`` is a pure
function of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from spasmcare.errors import IntakeError, Problem
from spasmcare.knowledge.schema import Disposition, InterviewStep, KnowledgeBase
from spasmcare.triage.engine import (
    TriageResult,
    applies,
    compiled,
    evaluate,
    facts_of,
)
from spasmcare.triage.evaluator import evaluate3
from spasmcare.triage.intake import REGION_LABELS, Intake, parse_intake
from spasmcare.wording import DEFAULT_EMERGENCY_CALL

QuestionKind = Literal["number", "choice", "multi", "yesno", "checklist"]
PREGNANCY_AGES = (12, 55)
"""Ages between which the pregnancy question is asked (a product choice; the policy is silent)."""


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True, slots=True)
class Question:
    """One thing to ask. ``id`` is what :meth:`Interview.answer` expects back."""

    id: str
    kind: QuestionKind
    text: str
    help: str | None = None
    field: str | None = None
    options: tuple[Option, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    integer: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "text": self.text,
            "help": self.help,
            "field": self.field,
            "options": [{"value": o.value, "label": o.label} for o in self.options],
            "minimum": self.minimum,
            "maximum": self.maximum,
            "integer": self.integer,
        }


_CHOICES: dict[str, tuple[Option, ...]] = {
    "regions": tuple(Option(k, v) for k, v in REGION_LABELS.items()),
    "sex": (Option("female", "Female"), Option("male", "Male"), Option("other", "Other")),
    "onset": (Option("sudden", "Suddenly"), Option("gradual", "Gradually")),
}
_NUMBERS: dict[str, tuple[float, float]] = {
    "age": (0, 120),
    "pain": (0, 10),
    "duration_days": (0, 36500),
}
_FIELD_KIND: dict[str, QuestionKind] = {
    "age": "number",
    "pain": "number",
    "duration_days": "number",
    "regions": "multi",
    "sex": "choice",
    "onset": "choice",
    "pregnant": "yesno",
}


class Interview:
    """Ask the questions that matter, in a safe order, and stop at the first emergency."""

    def __init__(
        self,
        kb: KnowledgeBase,
        *,
        answers: Mapping[str, Any] | None = None,
        emergency_call: str = DEFAULT_EMERGENCY_CALL,
        context: bool = False,
    ) -> None:
        self.kb = kb
        self.emergency_call = emergency_call
        self.context = context
        self._answers: dict[str, Any] = {}
        self._findings: dict[str, bool] = {}
        self.asked: list[str] = []
        if answers:
            data = dict(answers)
            self._findings = dict(data.pop("findings", {}) or {})
            self._answers = {k: v for k, v in data.items() if v is not None}
            if "age" in self._answers and "regions" in self._answers:
                self.intake()  # validates; raises IntakeError with every problem

    # -- state -------------------------------------------------------------------------------
    def answers(self) -> dict[str, Any]:
        """The answers so far, shaped like an intake."""
        out = dict(self._answers)
        out["findings"] = dict(self._findings)
        return out

    def intake(self) -> Intake:
        return parse_intake(self.answers(), self.kb)

    def result(self) -> TriageResult:
        """The result the answers so far support (needs age and regions)."""
        return evaluate(self.intake(), self.kb, emergency_call=self.emergency_call)

    @property
    def done(self) -> bool:
        return self.next_question() is None

    # -- choosing the next question ----------------------------------------------------------
    def _steps(self) -> list[InterviewStep]:
        regions = set(self._answers.get("regions", ()))
        steps = self.kb.interview
        lead = [s for s in steps if s.lead]
        prio = [s for s in steps if not s.lead and regions.intersection(s.priority_regions)]
        rest = [s for s in steps if not s.lead and s not in prio]
        return lead + prio + rest

    def next_question(self) -> Question | None:
        for required in ("age", "regions"):
            if required not in self._answers:
                step = next(s for s in self.kb.interview if s.field == required)
                return self._field_question(step)
        intake = self.intake()
        level = evaluate(intake, self.kb).disposition
        if level is Disposition.EMERGENCY:
            return None
        facts = facts_of(intake)
        safety_left = False
        for step in self._steps():
            if step.context:
                if safety_left or not self.context:
                    continue
                items = [f for f in step.findings if f not in self._findings]
            elif step.kind == "field":
                assert step.field is not None
                if self._field_relevant(step.field, intake, level, facts):
                    return self._field_question(step)
                continue
            else:
                items = [
                    f for f in step.findings if self._finding_relevant(f, intake, level, facts)
                ]
            if not items:
                continue
            safety_left = True
            if len(items) == 1:
                finding = self.kb.findings[items[0]]
                return Question(
                    id=finding.id, kind="yesno", text=finding.question, help=finding.help
                )
            return Question(
                id=step.id,
                kind="checklist",
                text=step.prompt,
                help=step.help,
                options=tuple(Option(f, self.kb.findings[f].label) for f in items),
            )
        return None

    def _rules_open(
        self,
        level: Disposition,
        facts: Any,
        *,
        finding: str | None = None,
        field: str | None = None,
    ) -> bool:
        """Whether a rule above the current level that reads this finding or field is undecided."""
        for rule, _, _ in compiled(self.kb).checks:
            if rule.disposition.rank <= level.rank:
                break
            reads = (finding and finding in rule.findings) or (field and field in rule.fields)
            if reads and evaluate3(rule.when, facts) is None:
                return True
        return False

    def _finding_relevant(self, fid: str, intake: Intake, level: Disposition, facts: Any) -> bool:
        if fid in self._findings:
            return False
        if not applies(self.kb, fid, frozenset(intake.regions), intake.pregnant is True):
            return False
        if level is Disposition.SELF_CARE and fid in compiled(self.kb).eu_findings:
            return True  # needed before self-care can be concluded
        return self._rules_open(level, facts, finding=fid)

    def _pregnancy_possible(self, intake: Intake) -> bool:
        return PREGNANCY_AGES[0] <= intake.age <= PREGNANCY_AGES[1] and intake.sex != "male"

    def _field_relevant(self, name: str, intake: Intake, level: Disposition, facts: Any) -> bool:
        if name in self._answers:
            return False
        if name == "sex":
            return (
                "pregnant" not in self._answers
                and self._pregnancy_possible(intake)
                and self._rules_open(level, facts, field="pregnant")
            )
        if name == "pregnant":
            return (
                "sex" in self._answers
                and self._pregnancy_possible(intake)
                and self._rules_open(level, facts, field="pregnant")
            )
        if level is Disposition.SELF_CARE and name in ("pain", "onset"):
            return True
        return self._rules_open(level, facts, field=name)

    def _field_question(self, step: InterviewStep) -> Question:
        assert step.field is not None
        name = step.field
        low, high = _NUMBERS.get(name, (None, None))
        return Question(
            id=name,
            kind=_FIELD_KIND[name],
            text=step.prompt,
            help=step.help,
            field=name,
            options=_CHOICES.get(name, ()),
            minimum=low,
            maximum=high,
            integer=name != "duration_days",
        )

    # -- answering -----------------------------------------------------------------------------
    def answer(self, question_id: str, value: Any) -> None:
        """Record the answer to the current question; raise IntakeError if it is not valid."""
        question = self.next_question()
        if question is None or question.id != question_id:
            expected = question.id if question else "nothing (the interview is finished)"
            raise IntakeError(
                "that is not the current question",
                [Problem(question_id, "not asked now", f"the current question is {expected}")],
            )
        self._apply(question, value)
        self.asked.append(question_id)

    def _apply(self, q: Question, value: Any) -> None:
        problem: Problem | None = None
        if q.kind == "number":
            ok_type = isinstance(value, int) and not isinstance(value, bool)
            if not q.integer:
                ok_type = ok_type or isinstance(value, float)
            assert q.minimum is not None and q.maximum is not None
            if not ok_type or not q.minimum <= value <= q.maximum:
                kind = "a whole number" if q.integer else "a number"
                problem = Problem(
                    q.id, f"{value!r} is not valid", f"{kind} from {q.minimum:g} to {q.maximum:g}"
                )
        elif q.kind in ("choice", "multi"):
            allowed = [o.value for o in q.options]
            values = value if q.kind == "multi" else [value]
            if (
                not isinstance(values, list | tuple)
                or not values
                or any(v not in allowed for v in values)
            ):
                problem = Problem(q.id, f"{value!r} is not valid", ", ".join(allowed))
            elif q.kind == "multi":
                value = list(dict.fromkeys(values))
        elif q.kind == "yesno":
            if not isinstance(value, bool):
                problem = Problem(q.id, f"{value!r} is not valid", "true or false")
        else:
            allowed = [o.value for o in q.options]
            if not isinstance(value, list | tuple | set) or any(v not in allowed for v in value):
                problem = Problem(
                    q.id, f"{value!r} is not valid", f"a list drawn from {', '.join(allowed)}"
                )
        if problem is not None:
            raise IntakeError("the answer is not valid", [problem])
        if q.field is not None:
            self._answers[q.field] = value
        elif q.kind == "yesno":
            self._findings[q.id] = bool(value)
        else:
            ticked = set(value)
            for option in q.options:
                self._findings[option.value] = option.value in ticked
