"""The development cases' stories (tests/triage/cases/*.json) read against their intakes: the issue's
accuracy goals kept as a regression floor (benchmarks/bench_understand.py reports the figures), and
a confirmed story never changes where the interview ends."""

from __future__ import annotations

from typing import Any

import pytest

from spasmcare.knowledge import KnowledgeBase
from tests.understand.metrics import Report, evaluate_cases


@pytest.fixture(scope="module")
def report(kb: KnowledgeBase, cases: list[dict[str, Any]]) -> Report:
    return evaluate_cases(kb, cases)


def test_emergency_signs_stated_in_the_stories_are_found(report: Report) -> None:
    emergency = report.scores.total(report.emergency_ids)
    assert emergency.recall is not None and emergency.recall >= 0.95, emergency
    assert emergency.precision is not None and emergency.precision >= 0.90, emergency


def test_negations_read_from_the_stories_are_right(report: Report) -> None:
    accuracy = report.scores.negation_accuracy
    assert accuracy is not None and accuracy >= 0.95, report.scores.errors


def test_no_field_is_read_wrong_except_regions_said_vaguely(report: Report) -> None:
    wrong = {name: c["wrong"] for name, c in report.scores.fields.items() if c["wrong"]}
    assert set(wrong) <= {"regions"}, report.scores.errors
    assert wrong.get("regions", 0) <= 8, report.scores.errors  # "back ache" for an upper back


def test_starting_from_the_story_ends_where_the_interview_alone_ends(report: Report) -> None:
    assert report.same_level == report.cases, report.level_changes


def test_a_story_never_adds_questions(report: Report) -> None:
    assert all(a <= w for a, w in zip(report.after, report.without, strict=True))
    assert sum(report.after) < sum(report.without)
