"""Charts: SVG and PNG for each kind, labelled, in the Okabe-Ito palette, with a text description."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image

from spasmcare.diary import CHART_KINDS, DiarySnapshot, ScaleRecordCreate, render_chart
from spasmcare.diary.charts import OKABE_ITO
from spasmcare.errors import InputError
from tests.diary.factories import episode, memory_repository, profile, scale_record, treatment

NOW = datetime(2026, 6, 10, 12, tzinfo=UTC)
SVG = "{http://www.w3.org/2000/svg}"
LABELS = {
    "pain": ("Pain over time", "Pain (0 none to 10 worst)", "Date"),
    "episodes": ("Episodes per week", "Episodes", "Date"),
    "relief": ("Relief by treatment", "Median relief (0 none to 10 complete)", "cold (n=3)"),
    "function": ("Function over time", "Score (0 to 10)", "PEG: pain and how it gets in the way"),
}


@pytest.fixture(scope="module")
def snapshot() -> DiarySnapshot:
    repo = memory_repository()
    me = repo.profiles.create(profile()).id
    for i in range(12):
        start = NOW - timedelta(days=90 - 7 * i)
        repo.episodes.create(
            me,
            episode(started_at=start, ended_at=start + timedelta(days=2), worst_pain=8 - i // 2),
            [
                treatment(kind="heat" if i % 4 else "cold", relief=6, started_at=start),
                treatment(
                    kind="medicine", medicine="ibuprofen", dose_mg=400, relief=4, started_at=start
                ),
            ],
        )
        repo.scale_records.create(
            me, scale_record(taken_at=start + timedelta(days=1), score=float(7 - i // 3))
        )
    for record in function_records(NOW - timedelta(days=80)):
        repo.scale_records.create(me, record)
    return repo.snapshot(me)


def function_records(first: datetime) -> list[ScaleRecordCreate]:
    """Three PEG scores (falling) and two activities scores (rising), a fortnight apart."""
    peg = [
        scale_record(
            scale="peg",
            taken_at=first + timedelta(days=14 * i),
            responses={"pain": 7 - i, "enjoyment": 6 - i, "activity": 8 - 2 * i},
            score=round((21 - 4 * i) / 3, 2),
        )
        for i in range(3)
    ]
    activities = [
        scale_record(
            scale="specific_function",
            taken_at=first + timedelta(days=1 + 21 * i),
            responses={"activity_1": "lifting my son", "ability_1": 3 + 4 * i},
            score=float(3 + 4 * i),
        )
        for i in range(2)
    ]
    return peg + activities


@pytest.mark.parametrize("kind", CHART_KINDS)
def test_svg_is_labelled_and_has_a_title_and_description(
    kind: str, snapshot: DiarySnapshot
) -> None:
    data = render_chart(kind, snapshot, NOW, fmt="svg")
    root = ET.fromstring(data)
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and title.text == LABELS[kind][0]
    assert desc is not None and desc.text and len(desc.text) > 20
    text = data.decode()
    for label in LABELS[kind]:
        assert label in text, f"{label!r} missing from the {kind} chart"
    colours = {c.lower() for c in OKABE_ITO.values()}
    used = {c for c in colours if c in text.lower()}
    assert used, "the chart uses the colour-blind-safe palette"


@pytest.mark.parametrize("kind", CHART_KINDS)
def test_png_is_a_readable_image(kind: str, snapshot: DiarySnapshot) -> None:
    data = render_chart(kind, snapshot, NOW, fmt="png")
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.width >= 900 and image.height >= 550
    assert image.info.get("Title") == LABELS[kind][0]


def test_the_pain_chart_marks_the_episodes_and_both_kinds_of_rating(
    snapshot: DiarySnapshot,
) -> None:
    text = render_chart("pain", snapshot, NOW).decode()
    for label in ("Worst pain of an episode", "Pain rating (0-10)", "Monthly average", "Episode"):
        assert label in text
    assert OKABE_ITO["orange"].lower() in text.lower()


def test_the_function_chart_draws_peg_and_the_activities_scale(snapshot: DiarySnapshot) -> None:
    data = render_chart("function", snapshot, NOW)
    root = ET.fromstring(data)
    desc = root.find(f"{SVG}desc")
    assert desc is not None and desc.text is not None
    assert "PEG: 3 scores, from 7 on 2026-03-22 to 4.33 on 2026-04-19" in desc.text
    assert "Your activities: 2 scores, from 3 on 2026-03-23 to 7 on 2026-04-13" in desc.text
    text = data.decode()
    assert "lower is better" in text and "higher is better" in text
    # one line per scale, in its own colour; the pain ratings (nrs) are not on this chart
    assert OKABE_ITO["vermillion"].lower() in text.lower()
    assert OKABE_ITO["blue"].lower() in text.lower()


def test_the_function_chart_leaves_out_invalid_and_other_scales() -> None:
    repo = memory_repository()
    me = repo.profiles.create(profile()).id
    repo.scale_records.create(me, scale_record(taken_at=NOW - timedelta(days=3)))
    repo.scale_records.create(
        me,
        scale_record(
            scale="peg",
            taken_at=NOW - timedelta(days=2),
            responses={"pain": 5},
            score=None,
            valid=False,
        ),
    )
    text = render_chart("function", repo.snapshot(me), NOW).decode()
    assert "No PEG or activities" in text


def test_a_long_diary_shows_weekly_worst_pain() -> None:
    repo = memory_repository()
    me = repo.profiles.create(profile()).id
    for i in range(450):
        start = NOW - timedelta(days=i * 1.5 + 1)
        repo.episodes.create(me, episode(started_at=start, ended_at=start + timedelta(hours=20)))
    text = render_chart("pain", repo.snapshot(me), NOW).decode()
    assert "Worst pain in the week" in text and "450 episodes" in text


@pytest.mark.parametrize("kind", CHART_KINDS)
def test_an_empty_diary_says_so(kind: str) -> None:
    repo = memory_repository()
    me = repo.profiles.create(profile()).id
    text = render_chart(kind, repo.snapshot(me), NOW).decode()
    assert "yet" in text


def test_unknown_kind_and_format_are_input_errors(snapshot: DiarySnapshot) -> None:
    with pytest.raises(InputError) as info:
        render_chart("pie", snapshot, NOW)
    assert "pain" in str(info.value.problems[0].allowed)
    with pytest.raises(InputError):
        render_chart("pain", snapshot, NOW, fmt="gif")


def test_charts_do_not_need_pyplot_or_a_display(tmp_path: object) -> None:
    code = (
        "import sys\n"
        "from datetime import datetime, UTC\n"
        "from spasmcare.diary import ProfileCreate, open_repository, render_chart\n"
        "r = open_repository('sqlite://'); p = r.profiles.create(ProfileCreate()).id\n"
        "render_chart('pain', r.snapshot(p), datetime.now(UTC), fmt='png')\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot was imported'\n"
    )
    env = {**os.environ, "DISPLAY": ""}
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    assert proc.returncode == 0, proc.stderr


def test_the_monthly_average_is_never_drawn_after_the_last_rating() -> None:
    """Issue 12: early in a month, the average sat on the 15th, a date in the future."""
    from spasmcare.diary.charts import chart_figure

    now = datetime(2026, 6, 3, 12, tzinfo=UTC)
    repo = memory_repository()
    me = repo.profiles.create(profile()).id
    for days in (40, 33, 20, 2, 1):
        start = now - timedelta(days=days)
        repo.episodes.create(me, episode(started_at=start, ended_at=start + timedelta(hours=3)))
    fig, _, _ = chart_figure("pain", repo.snapshot(me), now)
    (line,) = [ln for ln in fig.axes[0].get_lines() if ln.get_label() == "Monthly average"]
    today = (now - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds() / 86400
    assert len(line.get_xdata()) == 3
    assert max(line.get_xdata()) <= today, "no average in the future"
    assert max(line.get_xdata()) >= today - 2, "the June average sits among the June ratings"
