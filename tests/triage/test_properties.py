"""Properties of the engine: monotone, deterministic, agrees with an independent if-chain, and the
interview reaches the same disposition as evaluate() on the full answers.

Policy v1, pinned to knowledge base 1.0.0 (reference_policy.py is the v1 if-chain); policy v2 (1.1.0)
is tested in test_properties_v2.py against reference_policy_v2.py."""

from __future__ import annotations

import random
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spasmcare.knowledge import Disposition, load_knowledge
from spasmcare.triage import Interview, evaluate, parse_intake
from spasmcare.triage.engine import applies, facts_of
from tests.triage.generators import intake_data, random_intake_data
from tests.triage.oracle import run_oracle_interview as oracle_interview
from tests.triage.reference_policy import reference_disposition, reference_rules

KB = load_knowledge("1.0.0")  # policy v1: reference_policy.py is its if-chain
RANK = {d.value: d.rank for d in Disposition}


def _level(data: dict[str, Any]) -> int:
    return evaluate(parse_intake(data, KB), KB).disposition.rank


def test_engine_agrees_with_if_chain_on_many_random_intakes() -> None:
    kb = KB
    rng = random.Random(20261125)
    ids = sorted(kb.findings)
    disagreements = []
    for density in (0.03, 0.08, 0.2):
        for _ in range(8000):
            intake = parse_intake(random_intake_data(rng, ids, density=density), kb)
            result = evaluate(intake, kb)
            expected = reference_rules(intake)
            if list(result.rules) != expected or result.disposition.value != reference_disposition(
                intake
            ):
                disagreements.append(
                    (intake.model_dump(mode="json", exclude_none=True), result.rules, expected)
                )
    assert not disagreements, disagreements[:3]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(intake_data(KB))
def test_engine_agrees_with_if_chain(data: dict[str, Any]) -> None:
    intake = parse_intake(data, KB)
    assert list(evaluate(intake, KB).rules) == reference_rules(intake)


@settings(max_examples=300)
@given(intake_data(KB), st.sampled_from(sorted(KB.findings)))
def test_adding_a_true_finding_never_lowers(data: dict[str, Any], finding: str) -> None:
    before = _level(data)
    data["findings"] = {**data["findings"], finding: True}
    assert _level(data) >= before


@settings(max_examples=300)
@given(intake_data(KB), st.integers(0, 10))
def test_raising_pain_never_lowers(data: dict[str, Any], extra: int) -> None:
    before = _level(data)
    data["pain"] = min(10, (data.get("pain") or 0) + extra) if "pain" in data else extra
    assert _level(data) >= before


@settings(max_examples=300)
@given(intake_data(KB), st.floats(0, 400, allow_nan=False))
def test_raising_duration_never_lowers(data: dict[str, Any], extra: float) -> None:
    before = _level(data)
    data["duration_days"] = data.get("duration_days", 0) + extra
    assert _level(data) >= before


@settings(max_examples=200)
@given(intake_data(KB))
def test_same_intake_same_result(data: dict[str, Any]) -> None:
    first = evaluate(parse_intake(data, KB), KB)
    second = evaluate(parse_intake(dict(data), KB), KB)
    assert first == second
    assert first.model_dump(mode="json") == second.model_dump(mode="json")


def _full_answers(data: dict[str, Any]) -> dict[str, Any]:
    """Complete the intake: every finding that applies gets an answer (unknown ones become false).

    `pregnant` is kept only at 12-55, the only ages the interview asks it (a random intake may say
    a newborn is pregnant, which no interview can collect)."""
    if not 12 <= data["age"] <= 55:
        data = {k: v for k, v in data.items() if k != "pregnant"}
    facts = facts_of(parse_intake(data, KB))
    findings = {
        fid: data["findings"].get(fid, False) for fid in KB.findings if applies(KB, fid, facts)
    }
    full = {**data, "findings": findings}
    full.setdefault("pain", 4)
    full.setdefault("onset", "gradual")
    full.setdefault("duration_days", 2)
    full.setdefault("sex", "male")
    if full["sex"] != "male":
        full.setdefault("pregnant", False)
    return full


def run_oracle_interview(full: dict[str, Any]) -> Interview:
    """Answer every question the 1.0.0 interview asks from the full answers."""
    return oracle_interview(full, KB)


@settings(max_examples=250, suppress_health_check=[HealthCheck.too_slow])
@given(intake_data(KB))
def test_interview_reaches_same_disposition(data: dict[str, Any]) -> None:
    full = _full_answers(data)
    expected = evaluate(parse_intake(full, KB), KB).disposition
    interview = run_oracle_interview(full)
    result = interview.result()
    assert result.disposition == expected, (full, interview.asked, result.rules)
    if result.disposition is Disposition.SELF_CARE:
        assert result.complete, result.unanswered
