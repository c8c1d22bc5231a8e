"""Scoring stories read by spasmcare.understand against the intakes they describe (used by the
tests and by benchmarks/bench_understand.py).

- Findings read as present: a true positive when the intake says true; a false positive otherwise
  (false, "unsure", or not in the intake: counted, and also reported apart, since a case's intake
  lists only what its author wrote down).
- Findings read as absent (negation): correct when the intake says false, wrong when it says true
  or "unsure"; findings not in the intake cannot be judged.
- Fields: exact, wrong or missing, over the cases whose intake has the field.
- Questions: the interview answered by an oracle from the case, from nothing and from the story.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from spasmcare.knowledge.medicine_match import findings_set_by
from spasmcare.knowledge.schema import KnowledgeBase
from spasmcare.triage import Interview
from spasmcare.understand import Understanding, emergency_findings, understand
from tests.triage.oracle import case_answers, run_oracle_interview


def truth_findings(kb: KnowledgeBase, intake: dict[str, Any]) -> dict[str, Any]:
    """The case's findings with those its medicines set (as parse_intake reads them)."""
    out = dict(intake.get("findings", {}))
    for fid in findings_set_by(kb, intake.get("medicines", [])):
        out[fid] = True
    return out


def read_findings(kb: KnowledgeBase, u: Understanding) -> dict[str, Any]:
    out = dict(u.intake.get("findings", {}))
    for fid in findings_set_by(kb, u.intake.get("medicines", [])):
        out[fid] = True
    return out


@dataclass
class FindingScore:
    tp: int = 0
    fp: int = 0
    fp_not_in_intake: int = 0
    fn: int = 0
    neg_right: int = 0
    neg_wrong: int = 0
    neg_missed: int = 0
    """The intake says false and the story was not read as false."""

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


@dataclass
class Scores:
    per_finding: dict[str, FindingScore] = field(default_factory=lambda: defaultdict(FindingScore))
    fields: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    errors: list[str] = field(default_factory=list)
    """Readings that contradict the case, for the report."""

    def total(self, ids: set[str] | None = None) -> FindingScore:
        out = FindingScore()
        for fid, s in self.per_finding.items():
            if ids is None or fid in ids:
                for name in vars(out):
                    setattr(out, name, getattr(out, name) + getattr(s, name))
        return out

    @property
    def negation_accuracy(self) -> float | None:
        t = self.total()
        judged = t.neg_right + t.neg_wrong
        return t.neg_right / judged if judged else None


FIELDS = ("age", "regions", "duration_days", "pain", "sex", "onset", "pregnant")


def score_case(kb: KnowledgeBase, case: dict[str, Any], scores: Scores, u: Understanding) -> None:
    truth = truth_findings(kb, case["intake"])
    read = read_findings(kb, u)
    cid = case.get("id", "?")
    for fid in set(truth) | set(read):
        s = scores.per_finding[fid]
        t, r = truth.get(fid), read.get(fid)
        if r is True:
            if t is True:
                s.tp += 1
            else:
                s.fp += 1
                s.fp_not_in_intake += t is None
                if t is not None:
                    scores.errors.append(f"{cid}: {fid} read yes, intake {t!r}")
        elif t is True:
            s.fn += 1
        if r is False:
            if t is False:
                s.neg_right += 1
            elif t is not None:
                s.neg_wrong += 1
                scores.errors.append(f"{cid}: {fid} read no, intake {t!r}")
        elif t is False:
            s.neg_missed += 1
    for name in FIELDS:
        if name not in case["intake"]:
            continue
        want, got = case["intake"][name], u.intake.get(name)
        if name == "regions" and got is not None:
            got = sorted(got)
            want = sorted(want)
        if got is None:
            scores.fields[name]["missing"] += 1
        elif got == want:
            scores.fields[name]["exact"] += 1
        else:
            scores.fields[name]["wrong"] += 1
            scores.errors.append(f"{cid}: {name} read {got!r}, intake {want!r}")


def oracle(intake: dict[str, Any], kb: KnowledgeBase) -> dict[str, Any]:
    """Every answer the interview could ask, from the case (the one oracle of tests/triage)."""
    return case_answers(intake, kb)


def questions(kb: KnowledgeBase, full: dict[str, Any], start: dict[str, Any] | None) -> Interview:
    """The interview from ``start`` (the story's answers), answered by the oracle."""
    return run_oracle_interview(full, kb, start or None)


@dataclass
class Report:
    scores: Scores
    without: list[int]
    after: list[int]
    same_level: int
    cases: int
    emergency_ids: set[str]
    level_changes: list[str]

    @property
    def median_ratio(self) -> float:
        return statistics.median(self.after) / statistics.median(self.without)


def evaluate_cases(kb: KnowledgeBase, cases: list[dict[str, Any]]) -> Report:
    scores = Scores()
    without: list[int] = []
    after: list[int] = []
    same = 0
    changes: list[str] = []
    for case in cases:
        u = understand(case["story"], kb)
        score_case(kb, case, scores, u)
        full = oracle(case["intake"], kb)
        plain = questions(kb, full, None)
        story = questions(kb, full, u.intake)
        without.append(len(plain.asked))
        after.append(len(story.asked))
        a, b = plain.result().disposition, story.result().disposition
        same += a == b
        if a != b:
            changes.append(f"{case['id']}: {a.value} without the story, {b.value} with it")
    return Report(scores, without, after, same, len(cases), set(emergency_findings(kb)), changes)


__all__ = [
    "FIELDS",
    "FindingScore",
    "Report",
    "Scores",
    "evaluate_cases",
    "oracle",
    "questions",
    "read_findings",
    "score_case",
    "truth_findings",
]
