"""compare(): improved / no meaningful change / worse, at the published MCIDs and their edges."""

from __future__ import annotations

from typing import Any

import pytest

from spasmcare.errors import ScaleInputError
from spasmcare.scales import compare, score


def _change(scale_id: str, before: Any, after: Any) -> str:
    return compare(scale_id, score(scale_id, before), score(scale_id, after)).verdict


# Pain rating: improved needs a drop of >= 2 points OR >= 30 % of the first score
# (care-evidence.md: "2 points or 30%"); worse needs a rise of >= 2 points.
@pytest.mark.parametrize(
    ("before", "after", "verdict"),
    [
        (6, 4, "improved"),  # 2 points, 33 %
        (3, 1, "improved"),  # 2 points, 67 %
        (10, 7, "improved"),  # 3 points, exactly 30 %
        (7, 5, "improved"),  # 2 points (28.6 %)
        (9, 7, "improved"),  # 2 points (22 %)
        (2, 1, "improved"),  # 1 point but 50 %
        (3, 2, "improved"),  # 1 point, 33 %
        (4, 3, "no_meaningful_change"),  # 1 point, 25 %
        (9, 8, "no_meaningful_change"),  # 1 point, 11 %
        (1, 1, "no_meaningful_change"),
        (5, 5, "no_meaningful_change"),
        (5, 6, "no_meaningful_change"),
        (5, 7, "worse"),  # rise of 2 points
        (8, 10, "worse"),  # rise of 2 points (25 %): the percent rule is for improvement only
        (0, 2, "worse"),
    ],
)
def test_pain_rule(before: int, after: int, verdict: str) -> None:
    assert _change("nrs", {"score": before}, {"score": after}) == verdict


def test_pain_change_reports_rule_and_source() -> None:
    change = compare("nrs", score("nrs", {"score": 7}), score("nrs", {"score": 5}))
    assert change.delta == -2.0
    assert change.threshold == 2.0 and change.percent_threshold == 30
    assert change.percent_change == -28.6
    assert "Ostelo" in change.citation and "OR" in change.rule
    assert change.model_dump(mode="json")["verdict"] == "improved"


def rmdq(n: int) -> dict[str, bool]:
    return {f"q{i}": i <= n for i in range(1, 25)}


@pytest.mark.parametrize(
    ("before", "after", "verdict"),
    [
        (12, 7, "improved"),
        (12, 8, "no_meaningful_change"),
        (8, 12, "no_meaningful_change"),
        (8, 13, "worse"),
        (24, 0, "improved"),
    ],
)
def test_rmdq_five_points(before: int, after: int, verdict: str) -> None:
    assert _change("rmdq", rmdq(before), rmdq(after)) == verdict


def odi_sum(total: int, answered: int = 10) -> dict[str, int | None]:
    """ODI answers summing to ``total`` over ``answered`` sections (the rest blank)."""
    values: list[int | None] = []
    left = total
    for _ in range(answered):
        values.append(min(5, left))
        left -= values[-1] or 0
    assert left == 0
    values += [None] * (10 - answered)
    return {f"s{i}": v for i, v in enumerate(values, 1)}


@pytest.mark.parametrize(
    ("before", "after", "verdict"),
    [
        (odi_sum(25), odi_sum(20), "improved"),  # 50 % -> 40 %: exactly 10 points
        (odi_sum(25), odi_sum(21), "no_meaningful_change"),  # 50 -> 42
        (odi_sum(20), odi_sum(25), "worse"),  # 40 -> 50
        (odi_sum(20), odi_sum(24), "no_meaningful_change"),
        # 9 sections vs 10: 30/45 = 66.67 % -> 28/50 = 56 %: a drop of 10.67
        (odi_sum(30, 9), odi_sum(28), "improved"),
        # 27/45 = 60 % -> 25/50 = 50 %: exactly 10
        (odi_sum(27, 9), odi_sum(25), "improved"),
    ],
)
def test_odi_ten_points(before: Any, after: Any, verdict: str) -> None:
    assert _change("odi", before, after) == verdict


def ndi_sum(total: int) -> dict[str, int]:
    return {f"s{i}": min(5, max(0, total - 5 * (i - 1))) for i in range(1, 11)}


@pytest.mark.parametrize(
    ("before", "after", "verdict"),
    [
        (20, 12, "improved"),
        (20, 13, "no_meaningful_change"),
        (10, 17, "no_meaningful_change"),
        (10, 18, "worse"),
    ],
)
def test_ndi_seven_and_a_half_points(before: int, after: int, verdict: str) -> None:
    change = compare("ndi", score("ndi", ndi_sum(before)), score("ndi", ndi_sum(after)))
    assert change.verdict == verdict
    assert change.threshold == 7.5 and "Young" in change.citation


@pytest.mark.parametrize(
    ("scale_id", "answers"),
    [
        ("psfs", {"frequency": 2, "severity": 1}),
        ("mas", {"grade": "2", "muscle": "calf"}),
        (
            "startback",
            {**{f"q{i}": "agree" for i in range(1, 9)}, "q9": "extremely"},
        ),
    ],
)
def test_scales_without_mcid_cannot_be_compared(scale_id: str, answers: Any) -> None:
    result = score(scale_id, answers)
    with pytest.raises(ScaleInputError) as info:
        compare(scale_id, result, result)
    assert info.value.problems[0].allowed == "nrs, peg, specific_function, odi, rmdq, ndi"


def test_invalid_or_foreign_results_cannot_be_compared() -> None:
    valid = score("odi", odi_sum(20))
    partial = score("odi", odi_sum(16, 8))
    with pytest.raises(ScaleInputError) as info:
        compare("odi", partial, valid)
    assert info.value.problems[0].path == "before"
    assert "at least 9" in info.value.problems[0].message
    with pytest.raises(ScaleInputError) as info:
        compare("odi", valid, score("nrs", {"score": 3}))
    assert info.value.problems[0].path == "after"
