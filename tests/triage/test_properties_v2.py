"""Policy v2 (knowledge base 1.1.0): the engine agrees with an independent if-chain on random intakes
with "not sure" answers, is monotone in "not sure", never rests at self-care on open doubts, and is
deterministic."""

from __future__ import annotations

import copy
import functools
import random
from collections.abc import Iterator
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from spasmcare import evaluate, load_knowledge, parse_intake
from spasmcare.knowledge import KnowledgeBase
from spasmcare.knowledge.body import REGIONS
from tests.triage.generators import intake_data_v2, random_intake_v2
from tests.triage.reference_policy_v2 import (
    ALL_FINDINGS,
    FIELDS_ORDER,
    RANK,
    UNSURE,
    reference_disposition,
    reference_rules,
    reference_unanswered,
    reference_unsure,
)

VERSION = "1.1.0"
# random_intake_v2 settings: (positives, answered, all_fields, unsure)
MODES = (
    (1, 0.2, False, 0.1),
    (3, 0.5, False, 0.1),
    (5, 0.9, False, 0.1),
    (8, 0.7, False, 0.1),
    (2, 1.0, True, 0.1),
    (2, 1.0, True, 0.005),
)


@functools.cache
def kb11() -> KnowledgeBase:
    return load_knowledge(VERSION)


def _result(data: dict[str, Any]) -> Any:
    kb = kb11()
    return evaluate(parse_intake(data, kb), kb)


def _level(data: dict[str, Any]) -> int:
    return RANK[_result(data).disposition.value]


def _unanswered_problems(got: tuple[str, ...], expected: list[str]) -> list[str]:
    """`unanswered`: the same ids, the findings first and then the fields in the policy's order
    (pain, onset, duration_days, sex, pregnant). The policy fixes no order among the findings."""
    problems = []
    if len(set(got)) != len(got):
        problems.append("duplicates")
    if set(got) != set(expected):
        problems.append(
            f"missing {sorted(set(expected) - set(got))}, extra {sorted(set(got) - set(expected))}"
        )
    group = {name: 1 + i for i, name in enumerate(FIELDS_ORDER)}
    ranks = [group.get(x, 0) for x in got]
    if ranks != sorted(ranks):
        problems.append(f"order {got}")
    return problems


def compare(data: dict[str, Any]) -> dict[str, Any] | None:
    """None when the engine and the reference agree on everything, else what differs."""
    kb = kb11()
    intake = parse_intake(data, kb)
    result = evaluate(intake, kb)
    diff: dict[str, Any] = {}
    rules = reference_rules(intake)
    if list(result.rules) != rules:
        diff["rules"] = (result.rules, rules)
    disposition = reference_disposition(intake)
    if result.disposition.value != disposition:
        diff["disposition"] = (result.disposition.value, disposition)
    unanswered = reference_unanswered(intake)
    if problems := _unanswered_problems(result.unanswered, unanswered):
        diff["unanswered"] = problems
    unsure = reference_unsure(intake)
    if sorted(result.unsure) != sorted(unsure) or len(set(result.unsure)) != len(result.unsure):
        diff["unsure"] = (result.unsure, unsure)
    if result.complete is not (not unanswered):
        diff["complete"] = (result.complete, not unanswered)
    if result.knowledge_version != VERSION:
        diff["knowledge_version"] = result.knowledge_version
    if diff:
        diff["intake"] = data
    return diff or None


def random_intakes(seed: int = 20261203, per_mode: int = 1000) -> Iterator[dict[str, Any]]:
    """The fixed-seed random intakes: per_mode of each of MODES (6000 by default)."""
    rng = random.Random(seed)
    for positives, answered, all_fields, unsure in MODES:
        for _ in range(per_mode):
            yield random_intake_v2(
                rng,
                ALL_FINDINGS,
                positives=positives,
                answered=answered,
                all_fields=all_fields,
                unsure=unsure,
            )


def test_engine_agrees_with_reference_on_many_random_intakes() -> None:
    disagreements = []
    count = 0
    for data in random_intakes():
        count += 1
        if diff := compare(data):
            disagreements.append(diff)
    assert not disagreements, (len(disagreements), count, disagreements[:3])


def test_random_intakes_cover_every_rule_and_disposition() -> None:
    """A guard on the generator: the random intakes above reach nearly every rule, every level,
    and complete results at every level."""
    rules: set[str] = set()
    complete: set[str] = set()
    for data in random_intakes():
        rules |= set(reference_rules(data))
        if not reference_unanswered(data):
            complete.add(reference_disposition(data))
    assert complete == set(RANK)
    assert len(rules) >= 60, sorted(rules)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(intake_data_v2(ALL_FINDINGS))
def test_engine_agrees_with_reference(data: dict[str, Any]) -> None:
    assert compare(data) is None


# ---- "not sure" is monotone: no -> unsure -> yes never lowers the disposition

LADDERS: dict[str, tuple[Any, Any, Any]] = {
    "pregnant": (False, UNSURE, True),
    "onset": ("gradual", UNSURE, "sudden"),
}


def _set(data: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
    out = copy.deepcopy(data)
    if key in LADDERS:
        out[key] = value
    else:
        out["findings"][key] = value
    return out


@settings(max_examples=250, suppress_health_check=[HealthCheck.too_slow])
@given(intake_data_v2(ALL_FINDINGS), st.sampled_from([*ALL_FINDINGS, *LADDERS]))
def test_no_to_unsure_to_yes_never_lowers(data: dict[str, Any], key: str) -> None:
    if key == "pregnant":
        assume(data.get("sex") != "male")
    no, unsure, yes = LADDERS.get(key, (False, UNSURE, True))
    levels = [_level(_set(data, key, value)) for value in (no, unsure, yes)]
    assert levels == sorted(levels), (key, levels, data)


def test_no_to_unsure_to_yes_never_lowers_on_random_intakes() -> None:
    rng = random.Random(7)
    failures = []
    for _ in range(400):
        data = random_intake_v2(rng, ALL_FINDINGS, positives=3, answered=0.6)
        for key in rng.sample([*ALL_FINDINGS, *LADDERS], 8):
            if key == "pregnant" and data.get("sex") == "male":
                continue
            no, unsure, yes = LADDERS.get(key, (False, UNSURE, True))
            levels = [_level(_set(data, key, value)) for value in (no, unsure, yes)]
            if levels != sorted(levels):
                failures.append((key, levels, data))
    assert not failures, failures[:3]


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(intake_data_v2(ALL_FINDINGS))
def test_self_care_never_stands_on_an_unsure_answer(data: dict[str, Any]) -> None:
    """If the result is self-care, taking every "unsure" answer as yes is self-care too (N1-N3)."""
    result = _result(data)
    w = copy.deepcopy(data)
    w["findings"] = {k: (True if v == UNSURE else v) for k, v in w["findings"].items()}
    if w.get("pregnant") == UNSURE:
        w["pregnant"] = True
    if w.get("onset") == UNSURE:
        w["onset"] = "sudden"
    if result.disposition.value == "self_care":
        assert _result(w).disposition.value == "self_care", data
    else:  # and the other way round: doubts alone never make the result worse than W
        assert RANK[result.disposition.value] <= RANK[_result(w).disposition.value]


def _all_unsure(base: dict[str, Any]) -> dict[str, Any]:
    """Answer "unsure" to every applicable finding, following the questions it opens."""
    data = copy.deepcopy(base)
    data.setdefault("findings", {})
    kb = kb11()
    for _ in range(20):
        open_findings = [x for x in _result(data).unanswered if x in kb.findings]
        if not open_findings:
            return data
        data["findings"].update(dict.fromkeys(open_findings, UNSURE))
    raise AssertionError("applicability did not settle")


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(0, 120),
    st.lists(st.sampled_from(REGIONS), min_size=1, max_size=3, unique=True),
    st.sampled_from([None, "female", "male", "other"]),
)
def test_unsure_to_everything_is_never_self_care(age: int, regions: list[str], sex: Any) -> None:
    base: dict[str, Any] = {"age": age, "regions": regions, "pain": 3, "onset": "gradual"}
    if sex is not None:
        base["sex"] = sex
    data = _all_unsure(base)
    result = _result(data)
    assert result.disposition.value != "self_care", data
    # E1 applies to everyone, so W always has an emergency: N1 makes it urgent
    assert result.disposition.value == "urgent" and "N1" in result.rules, (result.rules, data)
    assert set(result.unsure) >= {"bladder_dysfunction", "fever", "seriously_unwell"}


def test_unsure_to_everything_on_leg_regions_is_never_self_care() -> None:
    for regions in (["thigh"], ["calf"], ["thigh", "calf"]):
        for age in (3, 15, 40, 80):
            result = _result(_all_unsure({"age": age, "regions": regions}))
            assert result.disposition.value == "urgent", (regions, age, result.rules)


@settings(max_examples=200)
@given(intake_data_v2(ALL_FINDINGS))
def test_same_intake_same_result(data: dict[str, Any]) -> None:
    first = _result(data)
    second = _result(copy.deepcopy(data))
    assert first == second
    assert first.model_dump(mode="json") == second.model_dump(mode="json")
    assert first.rules == second.rules and first.unanswered == second.unanswered
    assert first.unsure == second.unsure


@settings(max_examples=200)
@given(intake_data_v2(ALL_FINDINGS))
def test_unsure_answers_are_not_unanswered(data: dict[str, Any]) -> None:
    result = _result(data)
    unsure = {k for k, v in data["findings"].items() if v == UNSURE}
    assert not unsure & set(result.unanswered)
    assert result.complete is (result.unanswered == ())
    if data.get("onset") == UNSURE:
        assert "onset" not in result.unanswered and "onset" in result.unsure
