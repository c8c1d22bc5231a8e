"""The adaptive triage interview: emergency questions first, only what applies and can still matter.

``Interview`` is a small state machine over answers. It is stateless in the sense the web API needs:
``Interview(kb, answers=...)`` rebuilds it from the answers so far, and ``next_question()`` is a pure
function of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import Field

from spasmcare.errors import IntakeError, Problem
from spasmcare.knowledge.base import ResultModel
from spasmcare.knowledge.body import REGION_LABELS
from spasmcare.knowledge.conditions import fields_in
from spasmcare.knowledge.medicine_match import names_prompting
from spasmcare.knowledge.schema import Disposition, InterviewStep, KnowledgeBase
from spasmcare.triage.engine import (
    TriageResult,
    applies,
    compiled,
    evaluate,
    facts_of,
    field_applies,
)
from spasmcare.triage.evaluator import UNSURE, evaluate3
from spasmcare.triage.intake import Intake, parse_intake
from spasmcare.wording import DEFAULT_EMERGENCY_CALL

QuestionKind = Literal["number", "choice", "multi", "yesno", "checklist", "names"]
PREGNANCY_AGES = (12, 55)
"""Knowledge base 1.0.0 only: ages between which the pregnancy question is asked (policy v1 was
silent; from 1.1.0 the knowledge base's ``required_fields`` say when sex and pregnancy are asked)."""
NONE_OF_THESE = "none"
"""The checklist answer that says "none of these" in so many words."""
NOT_SURE_LABEL = "Not sure"


class Option(ResultModel):
    value: str
    label: str


class Question(ResultModel):
    """One thing to ask. ``id`` is what :meth:`Interview.answer` expects back."""

    id: str = Field(description="Send it back as answer.question_id.")
    kind: QuestionKind = Field(description="How to answer: see `AnswerIn.value`.")
    text: str
    help: str | None = None
    field: str | None = Field(
        default=None,
        description="The intake field this question fills, or null for a finding or checklist.",
    )
    options: tuple[Option, ...] = ()
    minimum: int | float | None = None
    maximum: int | float | None = None
    integer: bool = True
    unsure: bool = Field(
        default=False,
        description='Whether "Not sure" is an answer: "unsure" for a yesno, an option marked '
        '"unsure" in a checklist, the option "unsure" of a choice.',
    )
    self_check: str | None = Field(
        default=None,
        description='Set when this question is asked again after "not sure": a check to try '
        "before answering. Show it prominently above the question. The second answer is kept.",
    )


_CHOICES: dict[str, tuple[Option, ...]] = {
    "regions": tuple(Option(value=k, label=v) for k, v in REGION_LABELS.items()),
    "sex": (
        Option(value="female", label="Female"),
        Option(value="male", label="Male"),
        Option(value="other", label="Other"),
    ),
    "onset": (
        Option(value="sudden", label="Suddenly (at full strength within 10 minutes)"),
        Option(value="gradual", label="Gradually (it took longer to build up)"),
        Option(value="unsure", label=NOT_SURE_LABEL),
    ),
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
    "medicines": "names",
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
        self._findings: dict[str, bool | str] = {}
        self._self_checked: list[str] = []
        self.asked: list[str] = []
        if answers:
            data = dict(answers)
            self._findings = dict(data.pop("findings", {}) or {})
            checked = data.pop("self_checked", []) or []
            if not isinstance(checked, list) or any(c not in kb.findings for c in checked):
                raise IntakeError(
                    "the answers so far are not valid",
                    [Problem("self_checked", f"got {checked!r}", "a list of finding ids")],
                )
            self._self_checked = list(checked)
            self._answers = {k: v for k, v in data.items() if v is not None}
            if "age" in self._answers and "regions" in self._answers:
                self.intake()  # validates; raises IntakeError with every problem

    # -- state -------------------------------------------------------------------------------
    def answers(self) -> dict[str, Any]:
        """The answers so far, shaped like an intake (plus ``self_checked`` once a self-check was
        shown, so that a rebuilt interview does not show it twice)."""
        out = dict(self._answers)
        out["findings"] = dict(self._findings)
        if self._self_checked:
            out["self_checked"] = list(self._self_checked)
        return out

    def intake(self) -> Intake:
        data = self.answers()
        data.pop("self_checked", None)
        return parse_intake(data, self.kb)

    def result(self) -> TriageResult:
        """The result the answers so far support (needs age and regions)."""
        return evaluate(self.intake(), self.kb, emergency_call=self.emergency_call)

    @property
    def done(self) -> bool:
        return self.next_question() is None

    @property
    def _v2(self) -> bool:
        """Whether the knowledge base says when sex and pregnancy apply (1.1.0 and later)."""
        return "pregnant" in self.kb.field_applicability

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
        recheck = self._self_check_due()
        if recheck is not None:
            return recheck
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
                items = [f for f in step.findings if self._finding_relevant(f, level, facts)]
            if not items:
                continue
            safety_left = True
            if len(items) == 1:
                return self._yesno(items[0])
            return Question(
                id=step.id,
                kind="checklist",
                text=step.prompt,
                help=step.help,
                options=tuple(
                    Option(value=f, label=self._named(f, self.kb.findings[f].label)) for f in items
                ),
                unsure=True,
            )
        return None

    def _named(self, fid: str, text: str) -> str:
        """A question about medicines names the ones the person listed (policy v2, C47)."""
        names = names_prompting(self.kb, self._answers.get("medicines", ()), fid)
        return f"{text} (You listed: {', '.join(names)}.)" if names else text

    def _yesno(self, fid: str, *, self_check: str | None = None) -> Question:
        finding = self.kb.findings[fid]
        return Question(
            id=finding.id,
            kind="yesno",
            text=self._named(fid, finding.question),
            help=finding.help,
            unsure=True,
            self_check=self_check,
        )

    def _self_check_due(self) -> Question | None:
        """After "not sure" on a finding with a self-check, show the check and ask once more."""
        for fid, value in self._findings.items():
            finding = self.kb.findings.get(fid)
            if (
                value == UNSURE
                and finding is not None
                and finding.self_check
                and fid not in self._self_checked
            ):
                return self._yesno(fid, self_check=finding.self_check)
        return None

    def _rules_open(
        self,
        level: Disposition,
        facts: Any,
        *,
        finding: str | None = None,
        field: str | None = None,
    ) -> bool:
        """Whether an answer to this finding or field could change the level: a rule above the
        current level that reads it is undecided, or a rule that fires now fires only because the
        answer is missing (``not_no``, ``sex_not``: policy v2's missing answers), so an answer could
        lower the level."""
        comp = compiled(self.kb)
        for rule, _, check in comp.checks:
            reads = (finding and finding in rule.findings) or (field and field in rule.fields)
            if not reads or evaluate3(rule.when, facts) is not None:
                continue
            if rule.disposition.rank > level.rank or check(facts):
                return True
        if comp.unsure_rules and facts.unsure | self._unsure_fields():
            # A not-sure rule (N1-N3) may hold the level up through a rule that fires with the
            # unsure answers taken as yes: an answer that could stop that rule matters too.
            w = facts.taken_as_yes()
            for rule, _, check in comp.checks:
                reads = (finding and finding in rule.findings) or (field and field in rule.fields)
                if reads and check(w) and evaluate3(rule.when, w) is None:
                    return True
        return False

    def _unsure_fields(self) -> frozenset[str]:
        return frozenset(k for k in ("pregnant", "onset") if self._answers.get(k) == UNSURE)

    def _finding_relevant(self, fid: str, level: Disposition, facts: Any) -> bool:
        if fid in self._findings:
            return False
        if not applies(self.kb, fid, facts):
            return False
        if level is Disposition.SELF_CARE and fid in compiled(self.kb).asked_findings:
            return True  # needed before self-care can be concluded
        return self._rules_open(level, facts, finding=fid)

    def _pregnancy_possible(self, intake: Intake) -> bool:
        return PREGNANCY_AGES[0] <= intake.age <= PREGNANCY_AGES[1] and intake.sex != "male"

    def _field_relevant(self, name: str, intake: Intake, level: Disposition, facts: Any) -> bool:
        if name in self._answers:
            return False
        if name == "medicines":
            return True  # asked once, at intake (policy v2 C59); an empty list answers it
        if not self._v2 and name == "sex":
            return (
                "pregnant" not in self._answers
                and self._pregnancy_possible(intake)
                and self._rules_open(level, facts, field="pregnant")
            )
        if not self._v2 and name == "pregnant":
            return (
                "sex" in self._answers
                and self._pregnancy_possible(intake)
                and self._rules_open(level, facts, field="pregnant")
            )
        if self._v2 and name == "sex" and self._sex_decides_a_question(level, facts):
            return True
        if self._v2 and name in ("sex", "pregnant") and not field_applies(self.kb, name, facts):
            return False
        if self._v2 and name == "pregnant" and "sex" not in self._answers:
            # Pregnancy depends on sex: ask sex first, so a man is never asked if he is pregnant.
            return False
        if self._v2 and name == "sex" and self._needed(level, facts, "pregnant"):
            return True
        return self._needed(level, facts, name)

    def _sex_decides_a_question(self, level: Disposition, facts: Any) -> bool:
        """Whether a question that would be asked depends on sex (``testicle_pain``: not asked of
        women): then sex is asked first, at any age, so a woman is not asked it."""
        for fid, cond in self.kb.applicability.items():
            if "sex" in fields_in(cond) and self._finding_relevant(fid, level, facts):
                return True
        return False

    def _needed(self, level: Disposition, facts: Any, name: str) -> bool:
        if level is Disposition.SELF_CARE and field_applies(self.kb, name, facts):
            return True  # needed before self-care can be concluded
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
            unsure=name in ("pregnant", "onset"),
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
        elif q.kind == "names":
            if not isinstance(value, list | tuple) or any(
                not isinstance(v, str) or len(v) > 200 for v in value
            ):
                problem = Problem(
                    q.id, f"{value!r} is not valid", "a list of names (empty if you take none)"
                )
            else:
                value = [v.strip() for v in value if v.strip()]
        elif q.kind == "yesno":
            if value is not True and value is not False and value != UNSURE:
                problem = Problem(q.id, f"{value!r} is not valid", 'true, false or "unsure"')
        else:
            value, problem = _checklist_answer(q, value)
        if problem is not None:
            raise IntakeError("the answer is not valid", [problem])
        if q.field is not None:
            self._answers[q.field] = value
        elif q.kind == "yesno":
            self._findings[q.id] = value
            if q.self_check is not None:
                self._self_checked.append(q.id)
        else:
            self._findings.update(value)


def _checklist_answer(q: Question, value: Any) -> tuple[dict[str, bool | str], Problem | None]:
    """A checklist answer as finding -> true/false/"unsure".

    Accepted: a non-empty list of ticked options (the rest are no); ``"none"`` (none of these); or
    an object mapping options to true, false or "unsure" (an option left out is unsure). An empty
    list or a blank is not an answer: a blank is never "no".
    """
    allowed = [o.value for o in q.options]
    expected = (
        f'a list of the options that apply ({", ".join(allowed)}), "{NONE_OF_THESE}" for none of '
        'these, or an object mapping options to true, false or "unsure"'
    )
    if value == NONE_OF_THESE:
        return dict.fromkeys(allowed, False), None
    if isinstance(value, list | tuple | set) and not isinstance(value, str):
        if not value:
            return {}, Problem(
                q.id, "nothing was ticked", f'tick what you have, or answer "{NONE_OF_THESE}"'
            )
        if any(v not in allowed for v in value):
            return {}, Problem(q.id, f"{value!r} is not valid", expected)
        ticked = set(value)
        return {o: o in ticked for o in allowed}, None
    if isinstance(value, Mapping):
        bad = [
            k
            for k, v in value.items()
            if k not in allowed or (v is not True and v is not False and v != UNSURE)
        ]
        if bad:
            return {}, Problem(f"{q.id}.{bad[0]}", f"{value[bad[0]]!r} is not valid", expected)
        return {o: value.get(o, UNSURE) for o in allowed}, None
    return {}, Problem(q.id, f"{value!r} is not valid", expected)
