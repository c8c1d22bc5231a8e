"""Every finding, medicine check and care-plan warning of every packaged knowledge base has the
report's clinician term, and no term speaks to the patient."""

from __future__ import annotations

import re

import pytest

from spasmcare.knowledge import KnowledgeBase, load_knowledge
from spasmcare.report.terms import (
    CHECK_TERMS,
    DISPOSITION_TERMS,
    FIELD_TERMS,
    FINDING_TERMS,
    WARNING_TERMS,
    check_term,
    finding_term,
    warning_term,
)

VERSIONS = ("1.0.0", "1.1.0")
NOT_WARNINGS = {"no_problem_found", "unanswered_pain", "unanswered_onset"}
"""Care messages that are never a plan warning (a check reason, and labels of missing answers)."""


@pytest.fixture(scope="module", params=VERSIONS)
def any_kb(request: pytest.FixtureRequest) -> KnowledgeBase:
    return load_knowledge(request.param)


def test_every_finding_has_a_clinician_term(any_kb: KnowledgeBase) -> None:
    assert sorted(set(any_kb.findings) - set(FINDING_TERMS)) == []


def test_every_medicine_check_has_a_clinician_term(any_kb: KnowledgeBase) -> None:
    assert sorted({c.id for c in any_kb.care.checks} - set(CHECK_TERMS)) == []


def test_every_plan_warning_has_a_clinician_term(any_kb: KnowledgeBase) -> None:
    warnings = set(any_kb.care.messages) - NOT_WARNINGS
    warnings |= {c.id for c in any_kb.care.checks if c.warn}
    assert sorted(warnings - set(WARNING_TERMS)) == []


def test_every_level_has_a_clinician_term(any_kb: KnowledgeBase) -> None:
    assert {str(d.value) for d in any_kb.dispositions} <= set(DISPOSITION_TERMS)


def test_no_term_speaks_to_the_patient() -> None:
    every = [
        *FINDING_TERMS.values(),
        *FIELD_TERMS.values(),
        *CHECK_TERMS.values(),
        *WARNING_TERMS.values(),
        *DISPOSITION_TERMS.values(),
    ]
    second_person = re.compile(r"\b(you|your|yours|please|we|our)\b", re.IGNORECASE)
    assert [t for t in every if second_person.search(t)] == []


def test_an_unknown_id_is_shown_as_itself_never_in_the_patients_words() -> None:
    assert finding_term("new_finding") == "finding 'new_finding'"
    assert check_term("new_check") == "check 'new_check'"
    assert warning_term("new_warning") == "Care-plan warning 'new_warning' (see the care plan)."
    assert finding_term("pregnant") == "Possible pregnancy"
