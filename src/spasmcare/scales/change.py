"""Is a change meaningful? ``compare(scale_id, before, after)`` using published MCIDs.

For every scale compared here a higher score is worse, except where the data file says
``higher_is_better`` (the activities scale): there the directions below are turned round. With
``delta = after - before``:

- improved: the drop (``-delta``) is at least the MCID in points; for the pain rating a drop of at
  least 30 % of the first score also counts (``improve_rule: either`` in the data file: the evidence
  file gives Ostelo 2008's MCID as "2 points or 30%"; ``both`` would require the two together);
- worse: the rise (``delta``) is at least the MCID in points (the 30 % rule is defined for
  improvement only, so worsening uses the points rule alone);
- otherwise no meaningful change.

Thresholds are inclusive. Scales without a published MCID in the evidence file (PSFS, STarT Back)
and the Modified Ashworth Scale (grades are codes, never subtracted) cannot be compared.
"""

from __future__ import annotations

from fractions import Fraction

from spasmcare.errors import Problem, ScaleInputError
from spasmcare.scales.definitions import catalogue
from spasmcare.scales.result import Change, ScaleResult, Verdict


def _exact(value: float) -> Fraction:
    """Scores are reported to 2 decimals; compare them exactly at that precision."""
    return Fraction(str(round(value, 2)))


def compare(scale_id: str, before: ScaleResult, after: ScaleResult) -> Change:
    """The verdict on the change from ``before`` to ``after``; raise when it cannot be judged."""
    cat = catalogue()
    scale = cat.scale(scale_id)
    problems: list[Problem] = []
    for name, res in (("before", before), ("after", after)):
        if res.scale != scale_id:
            problems.append(Problem(name, f"is a {res.scale} result", f"a {scale_id} result"))
        elif not res.valid or res.score is None:
            why = "; ".join(res.problems) or "it has no score"
            problems.append(Problem(name, f"is not a valid score: {why}", "a valid result"))
    if scale.mcid is None:
        reason = (
            "grades are codes and are never subtracted"
            if scale.score is None
            else "the evidence file gives no minimal clinically important difference for it"
        )
        raise ScaleInputError(
            f"{scale.short_name} results cannot be compared",
            [Problem("scale", reason, ", ".join(s.id for s in cat.scales.values() if s.mcid))],
        )
    if problems:
        raise ScaleInputError(f"cannot compare these {scale_id} results", problems)
    assert before.score is not None and after.score is not None
    mcid = scale.mcid
    first, second = _exact(before.score), _exact(after.score)
    delta = second - first
    gain = delta if scale.higher_is_better else -delta  # above 0: better
    points = Fraction(str(mcid.points))
    percent_change: Fraction | None = (delta * 100 / first) if first else None
    drop_ok = gain >= points
    if mcid.improve_rule in ("both", "either"):
        assert mcid.percent is not None
        # A drop from 0 cannot be an improvement; compare without dividing: drop*100 >= pct*first.
        relative_ok = gain > 0 and gain * 100 >= Fraction(str(mcid.percent)) * first
        drop_ok = (
            (drop_ok and relative_ok) if mcid.improve_rule == "both" else (drop_ok or relative_ok)
        )
    verdict: Verdict
    if gain > 0 and drop_ok:
        verdict = "improved"
    elif -gain >= points:
        verdict = "worse"
    else:
        verdict = "no_meaningful_change"
    return Change(
        scale=scale_id,
        verdict=verdict,
        before=float(first),
        after=float(second),
        delta=float(delta),
        threshold=float(points),
        percent_change=round(float(percent_change), 1) if percent_change is not None else None,
        percent_threshold=mcid.percent if mcid.improve_rule in ("both", "either") else None,
        rule=mcid.note,
        citation=cat.citations(mcid.sources),
        scales_version=cat.version,
    )
