"""Each instrument reproduces hand-computed examples, covering every band and risk boundary."""

from __future__ import annotations

from typing import Any

import pytest

from spasmcare.errors import ScaleInputError
from spasmcare.scales import mas, ndi, nrs, odi, psfs, rmdq, score, startback


def sections(*values: int | None) -> dict[str, int | None]:
    """ODI/NDI answers s1.. from a list (None = section left blank)."""
    return {f"s{i}": v for i, v in enumerate(values, 1)}


# --- pain rating --------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [0, 4, 10])
def test_nrs_scores_the_rating(value: int) -> None:
    result = nrs.score({"score": value})
    assert result.valid and result.score == float(value)
    assert result.band is None and result.answered == 1
    assert [c.code for c in result.codes] == ["72514-3"]


def test_nrs_unanswered_is_not_valid() -> None:
    result = nrs.score({})
    assert not result.valid and result.score is None
    assert result.problems == ["score is not answered"]


@pytest.mark.parametrize("bad", [11, -1, 5.5, True, "7"])
def test_nrs_out_of_range_raises_with_allowed_values(bad: Any) -> None:
    with pytest.raises(ScaleInputError) as info:
        nrs.score({"score": bad})
    problem = info.value.problems[0]
    assert problem.path == "score"
    assert problem.allowed == "0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10"


def test_whole_float_counts_as_the_integer() -> None:
    assert nrs.score({"score": 6.0}).score == 6.0


# --- Penn spasm frequency -----------------------------------------------------------------------


def test_psfs_no_spasms_without_severity_is_valid() -> None:
    result = psfs.score({"frequency": 0})
    assert result.valid and result.score == 0.0
    assert result.subscores == {}
    assert result.details["recall_period"] == "the last 24 hours"


def test_psfs_frequency_and_severity() -> None:
    result = psfs.score({"frequency": 3, "severity": 2})
    assert result.valid and result.score == 3.0
    assert result.subscores == {"severity": 2.0}
    codes = [c.code for c in result.codes]
    assert codes[:3] == ["psfs", "psfs.frequency", "psfs.severity"]
    assert "psfs.frequency.3" in codes and "psfs.severity.2" in codes
    assert any("spasticity" in note for note in result.notes)


def test_psfs_severity_with_frequency_zero_is_invalid() -> None:
    result = psfs.score({"frequency": 0, "severity": 2})
    assert not result.valid and result.score is None
    assert "severity is given, but frequency is 0" in result.problems[0]


def test_psfs_spasms_without_severity_is_invalid() -> None:
    result = psfs.score({"frequency": 2})
    assert not result.valid
    assert result.problems == ["severity is needed when frequency is above 0"]


@pytest.mark.parametrize(
    ("answers", "path", "allowed"),
    [
        ({"frequency": 5}, "frequency", "0, 1, 2, 3, 4"),
        ({"frequency": 1, "severity": 0}, "severity", "1, 2, 3"),
        ({"frequency": 1, "severity": 4}, "severity", "1, 2, 3"),
    ],
)
def test_psfs_out_of_range(answers: dict[str, int], path: str, allowed: str) -> None:
    with pytest.raises(ScaleInputError) as info:
        psfs.score(answers)
    assert (info.value.problems[0].path, info.value.problems[0].allowed) == (path, allowed)


# --- Modified Ashworth --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("grade", "code"),
    [("0", "mas.grade.0"), ("1", "mas.grade.1"), ("1+", "mas.grade.1plus"), ("4", "mas.grade.4")],
)
def test_mas_grade_is_a_code_not_a_number(grade: str, code: str) -> None:
    result = mas.score({"grade": grade, "muscle": "  left   upper trapezius "})
    assert result.valid
    assert result.score is None  # never a number, never averaged
    assert result.band == grade
    assert result.codes[-1].code == code
    assert result.details["muscle"] == "left upper trapezius"
    assert result.details["rater"] == "clinician"
    assert any("spasticity" in n for n in result.notes)


@pytest.mark.parametrize("bad", [1, 1.5, "1-", "5", "+1"])
def test_mas_rejects_grades_outside_the_codes(bad: Any) -> None:
    with pytest.raises(ScaleInputError) as info:
        mas.score({"grade": bad, "muscle": "biceps"})
    assert info.value.problems[0].allowed == '"0", "1", "1+", "2", "3", "4"'


def test_mas_needs_the_muscle() -> None:
    result = mas.score({"grade": "2"})
    assert not result.valid and result.problems == ["muscle is not answered"]
    with pytest.raises(ScaleInputError):
        mas.score({"grade": "2", "muscle": "x" * 81})


# --- Oswestry -----------------------------------------------------------------------------------

# (answers, hand-computed percent, band): every band boundary on both sides.
ODI_CASES = [
    (sections(0, 0, 0, 0, 0, 0, 0, 0, 0, 0), 0.0, "minimal"),
    (sections(5, 5, 0, 0, 0, 0, 0, 0, 0, 0), 20.0, "minimal"),  # 10/50
    (sections(5, 5, 1, 0, 0, 0, 0, 0, 0, 0), 22.0, "moderate"),  # 11/50
    (sections(5, 5, 5, 5, 0, 0, 0, 0, 0, 0), 40.0, "moderate"),  # 20/50
    (sections(5, 5, 5, 5, 1, 0, 0, 0, 0, 0), 42.0, "severe"),  # 21/50
    (sections(3, 3, 3, 3, 3, 3, 3, 3, 3, 3), 60.0, "severe"),  # 30/50
    (sections(4, 3, 3, 3, 3, 3, 3, 3, 3, 3), 62.0, "crippled"),  # 31/50
    (sections(4, 4, 4, 4, 4, 4, 4, 4, 4, 4), 80.0, "crippled"),  # 40/50
    (sections(5, 4, 4, 4, 4, 4, 4, 4, 4, 4), 82.0, "bed-bound"),  # 41/50
    (sections(5, 5, 5, 5, 5, 5, 5, 5, 5, 5), 100.0, "bed-bound"),
    # 9 sections: the divisor is 45. 9/45 = 20 % exactly (0.2 * 100 is 20.000000000000004 in
    # floating point; the band must still be minimal).
    (sections(1, 1, 1, 1, 1, 1, 1, 1, 1, None), 20.0, "minimal"),
    (sections(2, 1, 1, 1, 1, 1, 1, 1, 1, None), 22.22, "moderate"),  # 10/45
    (sections(2, 2, 2, 2, 2, 2, 2, 2, 2, None), 40.0, "moderate"),  # 18/45
    (sections(3, 2, 2, 2, 2, 2, 2, 2, 2, None), 42.22, "severe"),  # 19/45
    (sections(None, 3, 3, 3, 3, 3, 3, 3, 3, 3), 60.0, "severe"),  # 27/45
    (sections(None, 4, 3, 3, 3, 3, 3, 3, 3, 3), 62.22, "crippled"),  # 28/45
    (sections(4, 4, 4, 4, None, 4, 4, 4, 4, 4), 80.0, "crippled"),  # 36/45
    (sections(5, 4, 4, 4, None, 4, 4, 4, 4, 4), 82.22, "bed-bound"),  # 37/45
]


@pytest.mark.parametrize(("answers", "percent", "band"), ODI_CASES)
def test_odi_hand_computed(answers: dict[str, int | None], percent: float, band: str) -> None:
    result = odi.score(answers)
    assert result.valid, result.problems
    assert result.score == percent
    assert result.band == band
    assert result.unit == "percent"
    assert [c.code for c in result.codes] == ["97908-8", "97909-6"]


def test_odi_nine_sections_is_valid_and_uses_45() -> None:
    result = odi.score(
        {k: v for k, v in sections(1, 2, 3, 4, 5, 0, 1, 2, 3, 4).items() if k != "s8"}
    )
    # 1+2+3+4+5+0+1+3+4 = 23; 23/45 = 51.11 %
    assert result.valid and result.answered == 9
    assert result.score == 51.11
    assert result.subscores == {"raw": 23.0, "max_raw": 45.0}


def test_odi_eight_sections_is_not_valid() -> None:
    result = odi.score(sections(1, 2, 3, 4, 5, 0, None, None, 3, 4))
    assert not result.valid and result.score is None and result.band is None
    assert result.answered == 8
    assert "at least 9 of 10 sections" in result.problems[0]
    assert "8 answered" in result.problems[0] and "s7, s8" in result.problems[0]
    assert result.codes == []


def test_odi_unknown_section_and_bad_values_report_every_problem() -> None:
    with pytest.raises(ScaleInputError) as info:
        odi.score({"s1": 6, "s2": "3", "s11": 1, "s3": -1})
    by_path = {p.path: p for p in info.value.problems}
    assert set(by_path) == {"s1", "s2", "s3", "s11"}
    assert by_path["s1"].allowed == "0, 1, 2, 3, 4, 5"
    assert "s10" in (by_path["s11"].allowed or "")


def test_odi_responses_must_be_an_object() -> None:
    with pytest.raises(ScaleInputError) as info:
        odi.score([1, 2, 3])
    assert info.value.problems[0].allowed == "an object of item answers"


# --- Roland-Morris ------------------------------------------------------------------------------


def rmdq_answers(true_count: int) -> dict[str, bool]:
    return {f"q{i}": i <= true_count for i in range(1, 25)}


@pytest.mark.parametrize("count", [0, 1, 12, 24])
def test_rmdq_counts_statements_that_apply(count: int) -> None:
    result = rmdq.score(rmdq_answers(count))
    assert result.valid and result.score == float(count)
    assert result.band is None and result.answered == 24


def test_rmdq_needs_every_statement() -> None:
    answers: dict[str, bool | None] = dict(rmdq_answers(5))
    answers["q24"] = None
    result = rmdq.score(answers)
    assert not result.valid and result.answered == 23
    assert "missing: q24" in result.problems[0]


@pytest.mark.parametrize("bad", ["yes", 1, 0, "true"])
def test_rmdq_values_are_true_or_false(bad: Any) -> None:
    with pytest.raises(ScaleInputError) as info:
        rmdq.score({**rmdq_answers(0), "q3": bad})
    assert info.value.problems[0].allowed == "true, false"


# --- STarT Back ---------------------------------------------------------------------------------


def sb(agree: set[int], q9: str) -> dict[str, str]:
    answers = {f"q{i}": "agree" if i in agree else "disagree" for i in range(1, 9)}
    answers["q9"] = q9
    return answers


# (answers, total, distress, risk): the rules at their edges.
STARTBACK_CASES = [
    (sb(set(), "not_at_all"), 0, 0, "low"),
    (sb({1, 2, 3}, "moderately"), 3, 0, "low"),  # total 3: low; 'moderately' scores 0
    (sb({5, 6}, "very_much"), 3, 3, "low"),  # total 3 with distress 3 is still low
    (sb({1, 2, 3, 4}, "slightly"), 4, 0, "medium"),  # total 4, distress 0
    (sb({1, 2, 5, 6}, "extremely"), 5, 3, "medium"),  # distress 3: medium
    (sb({1, 5, 6, 7}, "not_at_all"), 4, 3, "medium"),  # total 4, distress 3
    (sb({5, 6, 7, 8}, "not_at_all"), 4, 4, "high"),  # distress 4 from items 5-8
    (sb({5, 6, 7}, "very_much"), 4, 4, "high"),  # item 9 'very much' counts
    (sb({1, 2, 3, 4, 5, 6, 7, 8}, "extremely"), 9, 5, "high"),
]


@pytest.mark.parametrize(("answers", "total", "distress", "risk"), STARTBACK_CASES)
def test_startback_risk_rules(
    answers: dict[str, str], total: int, distress: int, risk: str
) -> None:
    result = startback.score(answers)
    assert result.valid
    assert result.score == float(total)
    assert result.subscores == {"distress": float(distress)}
    assert result.risk == risk
    codes = [c.code for c in result.codes]
    assert codes[:4] == ["91349-1", "91351-7", "91350-9", "91352-5"]
    assert codes[4] == {"low": "LA9194-7", "medium": "LA8982-6", "high": "LA9193-9"}[risk]


def test_startback_needs_all_nine() -> None:
    answers = sb({1}, "slightly")
    del answers["q9"]
    result = startback.score(answers)
    assert not result.valid and result.risk is None and result.score is None


def test_startback_bad_answer_lists_allowed() -> None:
    with pytest.raises(ScaleInputError) as info:
        startback.score({**sb(set(), "slightly"), "q9": "a_lot", "q1": True})
    allowed = {p.path: p.allowed for p in info.value.problems}
    assert allowed["q1"] == '"agree", "disagree"'
    assert allowed["q9"] == '"not_at_all", "slightly", "moderately", "very_much", "extremely"'


# --- Neck Disability Index ----------------------------------------------------------------------

NDI_CASES = [
    (sections(0, 0, 0, 0, 0, 0, 0, 0, 0, 0), 0, "no-disability"),
    (sections(1, 1, 1, 1, 0, 0, 0, 0, 0, 0), 4, "no-disability"),
    (sections(1, 1, 1, 1, 1, 0, 0, 0, 0, 0), 5, "mild"),
    (sections(2, 2, 2, 2, 2, 1, 1, 1, 1, 0), 14, "mild"),
    (sections(2, 2, 2, 2, 2, 1, 1, 1, 1, 1), 15, "moderate"),
    (sections(3, 3, 3, 3, 2, 2, 2, 2, 2, 2), 24, "moderate"),
    (sections(3, 3, 3, 3, 3, 2, 2, 2, 2, 2), 25, "severe"),
    (sections(4, 4, 4, 4, 3, 3, 3, 3, 3, 3), 34, "severe"),
    (sections(4, 4, 4, 4, 4, 3, 3, 3, 3, 3), 35, "complete"),
    (sections(5, 5, 5, 5, 5, 5, 5, 5, 5, 5), 50, "complete"),
]


@pytest.mark.parametrize(("answers", "raw", "band"), NDI_CASES)
def test_ndi_bands_on_the_raw_score(answers: dict[str, int], raw: int, band: str) -> None:
    result = ndi.score(answers)
    assert result.valid
    assert result.score == float(raw)
    assert result.subscores == {"percent": float(raw * 2)}
    assert result.band == band
    assert [c.code for c in result.codes] == ["82226-2", "82237-9"]


def test_ndi_needs_all_ten_items() -> None:
    result = ndi.score(sections(1, 1, 1, 1, 1, 1, 1, 1, 1, None))
    assert not result.valid and result.score is None and result.answered == 9


# --- registry entry point -----------------------------------------------------------------------


def test_registry_score_matches_module_score() -> None:
    answers = sb({1, 5}, "very_much")
    assert score("startback", answers) == startback.score(answers)


def test_every_result_cites_and_versions() -> None:
    for scale_id, answers in [
        ("nrs", {"score": 3}),
        ("psfs", {"frequency": 1, "severity": 1}),
        ("mas", {"grade": "3", "muscle": "calf"}),
        ("odi", sections(*[1] * 10)),
        ("rmdq", rmdq_answers(2)),
        ("startback", sb(set(), "slightly")),
        ("ndi", sections(*[1] * 10)),
    ]:
        result = score(scale_id, answers)
        assert result.valid, (scale_id, result.problems)
        assert result.citation and result.scales_version == "1.1.0"
        assert all(c.system and c.code and c.display for c in result.codes)


# -- issue 12: function measures that ship with their wording ---------------------------------------
def test_peg_is_the_mean_of_its_three_items_and_needs_all_three() -> None:
    """PEG (Krebs 2009): pain, enjoyment of life, general activity, each 0-10; score = mean."""
    from spasmcare.scales import compare

    result = score("peg", {"pain": 7, "enjoyment": 5, "activity": 6})
    assert result.valid and result.score == 6.0
    assert result.subscores == {"pain": 7.0, "enjoyment": 5.0, "activity": 6.0}
    assert score("peg", {"pain": 1, "enjoyment": 2, "activity": 2}).score == 1.67
    partial = score("peg", {"pain": 7, "enjoyment": 5})
    assert not partial.valid and partial.score is None
    assert [c.code for c in result.codes][:2] == ["peg", "peg.score"]
    better = score("peg", {"pain": 6, "enjoyment": 4, "activity": 5})
    assert compare("peg", result, better).verdict == "improved", "1 point is meaningful"
    slightly = score("peg", {"pain": 7, "enjoyment": 5, "activity": 4})
    assert compare("peg", result, slightly).verdict == "no_meaningful_change"


def test_the_activities_scale_is_the_mean_of_named_activities_and_higher_is_better() -> None:
    """Patient-Specific Functional Scale (Stratford 1995): up to 3 activities, 0-10 each."""
    from spasmcare.scales import compare

    first = score(
        "specific_function",
        {"activity_1": "lifting my son", "ability_1": 3, "activity_2": "driving", "ability_2": 5},
    )
    assert first.valid and first.score == 4.0
    assert first.details["activity_1"] == "lifting my son, 3 out of 10"
    later = score(
        "specific_function",
        {"activity_1": "lifting my son", "ability_1": 6, "activity_2": "driving", "ability_2": 6},
    )
    assert compare("specific_function", first, later).verdict == "improved", "a rise of 2"
    assert compare("specific_function", later, first).verdict == "worse"
    alone = score("specific_function", {"ability_1": 4})
    assert not alone.valid and "no name" in alone.problems[0]
    unrated = score("specific_function", {"activity_1": "sitting"})
    assert not unrated.valid and "no rating" in unrated.problems[0]
    assert not score("specific_function", {}).valid
