"""Property tests: scores stay in range; more disability never lowers a disability score;
values outside the allowed set always raise with the allowed values; the verdict is symmetric."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from spasmcare.errors import ScaleInputError
from spasmcare.scales import catalogue, compare, get_scale, score

SCORED = ["nrs", "psfs", "odi", "rmdq", "startback", "ndi"]
RISK_RANK = {"low": 0, "medium": 1, "high": 2}
ALLOWED_TEXT = {
    a.value for s in catalogue().answer_sets.values() for a in s.answers if isinstance(a.value, str)
}


def allowed(scale_id: str, item_id: str) -> list[Any]:
    cat = catalogue()
    return [a.value for a in cat.answers(cat.scale(scale_id).item(item_id)).answers]


def ordered(scale_id: str, item_id: str) -> list[Any]:
    """Allowed answers from least to most disability (by points, then ordinal)."""
    cat = catalogue()
    answers = cat.answers(cat.scale(scale_id).item(item_id)).answers
    return [a.value for a in sorted(answers, key=lambda a: (a.points or 0, a.ordinal))]


@st.composite
def complete(draw: st.DrawFn, scale_id: str) -> dict[str, Any]:
    definition = get_scale(scale_id).definition
    out: dict[str, Any] = {}
    for item in definition.items:
        if item.enable_when and not out.get(item.enable_when.item, 0) > item.enable_when.above:
            continue
        out[item.id] = draw(st.sampled_from(allowed(scale_id, item.id)))
    return out


@settings(max_examples=60, deadline=None)
@given(data=st.data(), scale_id=st.sampled_from(SCORED))
def test_scores_stay_in_range(data: st.DataObject, scale_id: str) -> None:
    answers = data.draw(complete(scale_id))
    result = score(scale_id, answers)
    rng = get_scale(scale_id).definition.score
    assert rng is not None
    assert result.valid, result.problems
    assert result.score is not None and rng.min <= result.score <= rng.max
    assert result.answered == len(answers)
    for value in result.subscores.values():
        assert value >= 0


@settings(max_examples=60, deadline=None)
@given(
    data=st.data(),
    dropped=st.sets(st.sampled_from([f"s{i}" for i in range(1, 11)]), max_size=3),
)
def test_odi_in_range_and_valid_iff_nine_answered(data: st.DataObject, dropped: set[str]) -> None:
    answers = data.draw(complete("odi"))
    for key in dropped:
        answers[key] = None
    result = score("odi", answers)
    assert result.valid == (len(dropped) <= 1)
    if result.valid:
        assert result.score is not None and 0 <= result.score <= 100
        assert result.band is not None
    else:
        assert result.score is None and result.band is None


DISABILITY = ["odi", "rmdq", "startback", "ndi", "nrs", "psfs"]


@settings(max_examples=120, deadline=None)
@given(data=st.data(), scale_id=st.sampled_from(DISABILITY))
def test_more_disability_never_lowers_the_score(data: st.DataObject, scale_id: str) -> None:
    answers = data.draw(complete(scale_id))
    item_id = data.draw(st.sampled_from(sorted(answers)))
    scale_order = ordered(scale_id, item_id)
    current = scale_order.index(answers[item_id])
    worse = data.draw(st.integers(min_value=current, max_value=len(scale_order) - 1))
    before = score(scale_id, answers)
    after = score(scale_id, {**answers, item_id: scale_order[worse]})
    if scale_id == "psfs" and item_id == "frequency" and answers["frequency"] == 0 < worse:
        # more spasms now need a severity: the form asks it; the score is then higher
        after = score(scale_id, {**answers, "frequency": scale_order[worse], "severity": 1})
    assert before.score is not None and after.score is not None
    assert after.score >= before.score
    for name, value in before.subscores.items():
        if name in after.subscores:
            assert after.subscores[name] >= value
    if before.risk is not None and after.risk is not None:
        assert RISK_RANK[after.risk] >= RISK_RANK[before.risk]
    if before.band is not None and after.band is not None:
        bands = [b.id for b in get_scale(scale_id).definition.bands]
        assert bands.index(after.band) >= bands.index(before.band)


@settings(max_examples=80, deadline=None)
@given(
    scale_id=st.sampled_from(["nrs", "psfs", "mas", "odi", "rmdq", "startback", "ndi"]),
    bad=st.one_of(
        st.integers(min_value=11, max_value=10**6),
        st.integers(max_value=-1),
        st.floats(allow_nan=True).filter(lambda f: not f.is_integer() if f == f else True),
        st.text(max_size=12).filter(lambda t: t not in ALLOWED_TEXT),
        st.lists(st.integers(), max_size=2),
    ),
    data=st.data(),
)
def test_values_outside_the_allowed_set_always_raise(
    scale_id: str, bad: Any, data: st.DataObject
) -> None:
    definition = get_scale(scale_id).definition
    item = data.draw(st.sampled_from([i for i in definition.items if i.kind == "choice"]))
    try:
        score(scale_id, {item.id: bad})
    except ScaleInputError as exc:
        problem = next(p for p in exc.problems if p.path == item.id)
        assert problem.allowed == catalogue().answers(item).allowed_text()
    else:
        raise AssertionError(f"{bad!r} was accepted for {scale_id}.{item.id}")


@settings(max_examples=80, deadline=None)
@given(data=st.data(), scale_id=st.sampled_from(["odi", "rmdq", "ndi"]))
def test_points_rule_is_symmetric(data: st.DataObject, scale_id: str) -> None:
    first = score(scale_id, data.draw(complete(scale_id)))
    second = score(scale_id, data.draw(complete(scale_id)))
    forward = compare(scale_id, first, second).verdict
    backward = compare(scale_id, second, first).verdict
    mirror = {"improved": "worse", "worse": "improved"}
    assert backward == mirror.get(forward, forward)
