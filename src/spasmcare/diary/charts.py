"""Diary charts with matplotlib (the ``Figure`` API and the Agg renderer, safe in web threads).

Four kinds: ``pain`` (pain over time, with episodes marked), ``episodes`` (episodes per week),
``relief`` (median relief by treatment) and ``function`` (the two free function measures over time:
the PEG scale, lower is better, and the patient-specific functional scale, higher is better). Colours come from the Okabe-Ito palette, which people with
the common kinds of colour blindness can tell apart; shapes and labels carry the meaning too. SVG keeps
its text as text and has a ``<title>`` and ``<desc>`` for screen readers.

Every chart draws at most the last :data:`CHART_YEARS` years up to one day after ``now``, whatever
the diary holds, so its work is bounded. Charts are drawn without a lock: spasmcare's style is put
into matplotlib's settings once per process (:func:`use_style`) and never changed afterwards, and each
chart has its own ``Figure`` and Agg canvas.
"""

from __future__ import annotations

import io
import re
import statistics
import threading
from collections import defaultdict
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from html import escape
from typing import TYPE_CHECKING, Any, Literal, get_args

from spasmcare.diary.analytics import pain_series, treatments_ranked
from spasmcare.diary.records import DiarySnapshot
from spasmcare.errors import InputError, Problem, require_extra

if TYPE_CHECKING:
    from collections.abc import Iterable

    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.patches import PathPatch

    from spasmcare.diary.schemas import ScaleRecordPublic

__all__ = [
    "CHART_KINDS",
    "CHART_YEARS",
    "FORMATS",
    "FUNCTION_SCALES",
    "OKABE_ITO",
    "ChartKind",
    "chart_figure",
    "chart_window",
    "function_series",
    "render_chart",
    "use_style",
]

ChartKind = Literal["pain", "episodes", "relief", "function"]
ImageFormat = Literal["svg", "png"]
CHART_KINDS: tuple[str, ...] = get_args(ChartKind)
FORMATS: tuple[str, ...] = get_args(ImageFormat)

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}

DENSE_POINTS = 400  # above this, the pain chart shows each week's worst pain
CHART_YEARS = 10
"""Charts show at most this many years, ending one day after ``now``."""

_STYLE: dict[str, Any] = {
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 11,
    "axes.titlesize": 13,
    "axes.labelsize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.hashsalt": "spasmcare",
    "date.epoch": "1970-01-01T00:00:00",
}


EPOCH = datetime(1970, 1, 1)  # matplotlib's date epoch, set in _STYLE too
_STYLE_LOCK = threading.Lock()
_styled = False


def use_style() -> None:
    """Put spasmcare's chart style into matplotlib's (process-wide) settings, once.

    ``matplotlib.rc_context`` would change and restore those settings around every chart, which
    is only safe one chart at a time; setting them once lets charts be drawn in parallel.
    """
    global _styled
    if _styled:
        return
    with _STYLE_LOCK:
        if not _styled:
            matplotlib = require_extra("matplotlib", "a chart")
            matplotlib.rcParams.update(_STYLE)
            _styled = True


def chart_window(now: datetime) -> tuple[datetime, datetime]:
    """The first and last moment any chart shows: :data:`CHART_YEARS` years up to a day after now."""
    end = now + timedelta(days=1)
    return end - timedelta(days=round(365.2425 * CHART_YEARS)), end


def _in_window(snapshot: DiarySnapshot, now: datetime) -> tuple[DiarySnapshot, int]:
    """The snapshot with only the records inside the chart window, and how many were left out."""
    first, last = chart_window(now)
    episodes = [e for e in snapshot.episodes if first <= e.started_at <= last]
    episodes = [
        e if e.ended_at is None or e.ended_at <= last else e.model_copy(update={"ended_at": last})
        for e in episodes
    ]
    treatments = [t for t in snapshot.treatments if first <= t.started_at <= last]
    scales = [r for r in snapshot.scale_records if first <= r.taken_at <= last]
    left_out = (
        len(snapshot.episodes)
        - len(episodes)
        + len(snapshot.treatments)
        - len(treatments)
        + len(snapshot.scale_records)
        - len(scales)
    )
    kept = replace(snapshot, episodes=episodes, treatments=treatments, scale_records=scales)
    return kept, left_out


def _local(moment: datetime, zone: tzinfo) -> datetime:
    return moment.astimezone(zone).replace(tzinfo=None)


def _num(moment: datetime | date, zone: tzinfo = UTC) -> float:
    """A matplotlib date number (days since 1970) for an aware datetime (in ``zone``) or a date."""
    if isinstance(moment, datetime):
        return (_local(moment, zone) - EPOCH).total_seconds() / 86400
    return float((moment - EPOCH.date()).days)


def _date_axis(ax: Axes, maxticks: int = 10) -> None:
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator(maxticks=maxticks)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _empty(fig: Figure, title: str, message: str) -> None:
    ax = fig.add_subplot()
    ax.set_title(title)
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes)
    ax.set_axis_off()


def _merged_spans(
    snapshot: DiarySnapshot, last: datetime, zone: tzinfo
) -> list[tuple[float, float]]:
    """Episode periods as (start, width) in date numbers, overlapping ones joined."""
    spans: list[list[float]] = []
    for e in sorted(snapshot.episodes, key=lambda x: x.started_at):
        start = _num(e.started_at, zone)
        end = max(_num(e.ended_at or max(last, e.started_at), zone), start + 0.5)
        if spans and start <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end])
    return [(a, b - a) for a, b in spans]


def _band(spans: list[tuple[float, float]], bottom: float, height: float, label: str) -> PathPatch:
    """All episode bars as one compound path: one SVG element however many episodes there are."""
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path

    vertices: list[tuple[float, float]] = []
    codes: list[Any] = []
    top = bottom + height
    for start, width in spans:
        end = start + width
        vertices += [(start, bottom), (end, bottom), (end, top), (start, top), (start, bottom)]
        codes += [Path.MOVETO, Path.LINETO, Path.LINETO, Path.LINETO, Path.CLOSEPOLY]
    return PathPatch(
        Path(vertices, codes), facecolor=OKABE_ITO["orange"], edgecolor="none", label=label
    )


def _zero_to_ten_over_time(
    ax: Axes, title: str, ylabel: str, *, bottom: float, columns: int
) -> None:
    """The axes of a 0-10 measure over time: dates along the bottom, the legend above the 10."""
    ax.set_ylim(bottom, 12.3)  # the space above 10 holds the legend
    ax.set_yticks(range(0, 11, 2))
    ax.set_ylabel(ylabel)
    ax.set_xlabel("Date")
    ax.set_title(title)
    _date_axis(ax)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.legend(loc="upper center", fontsize=9, frameon=False, ncols=columns)


def _pain(fig: Figure, snapshot: DiarySnapshot, zone: tzinfo) -> str:
    title = "Pain over time"
    points = pain_series(snapshot.episodes, snapshot.scale_records)
    if not points:
        _empty(fig, title, "No pain ratings yet.")
        return "No pain ratings have been recorded yet."
    ax = fig.add_subplot()
    if len(points) > DENSE_POINTS:
        weekly: dict[date, float] = {}
        for p in points:
            week = _week_start(_local(p.at, zone).date())
            weekly[week] = max(weekly.get(week, 0.0), p.pain)
        weeks = sorted(weekly)
        ax.scatter(
            [_num(w) for w in weeks],
            [weekly[w] for w in weeks],
            s=14,
            c=OKABE_ITO["vermillion"],
            marker="o",
            alpha=0.75,
            linewidths=0,
            label="Worst pain in the week",
        )
    else:
        for source, colour, marker, label in (
            ("episode", OKABE_ITO["vermillion"], "o", "Worst pain of an episode"),
            ("rating", OKABE_ITO["blue"], "s", "Pain rating (0-10)"),
        ):
            chosen = [p for p in points if p.source == source]
            if chosen:
                ax.scatter(
                    [_num(p.at, zone) for p in chosen],
                    [p.pain for p in chosen],
                    s=20,
                    c=colour,
                    marker=marker,
                    alpha=0.85,
                    linewidths=0,
                    label=label,
                )
    monthly: dict[date, list[float]] = defaultdict(list)
    monthly_at: dict[date, list[float]] = defaultdict(list)
    for p in points:
        month = _local(p.at, zone).date().replace(day=1)
        monthly[month].append(p.pain)
        monthly_at[month].append(_num(p.at, zone))
    if len(monthly) > 1:
        months = sorted(monthly)
        # Each average sits midway between the month's first and last rating: never after the
        # last rating (a mid-month date can lie in the future early in the current month).
        ax.plot(
            [(min(monthly_at[m]) + max(monthly_at[m])) / 2 for m in months],
            [statistics.fmean(monthly[m]) for m in months],
            color=OKABE_ITO["black"],
            linewidth=1.5,
            label="Monthly average",
        )
    spans = _merged_spans(snapshot, max(p.at for p in points), zone)
    if spans:  # pain ratings without any episode draw no band
        band = _band(spans, -1.2, 0.7, label="Episode")
        # add_artist, not add_patch: fitting the limits to thousands of bars is slow; set them here.
        ax.add_artist(band)
        low, high = ax.get_xlim()
        ax.set_xlim(min(low, spans[0][0]) - 1, max(high, spans[-1][0] + spans[-1][1]) + 1)
    _zero_to_ten_over_time(ax, title, "Pain (0 none to 10 worst)", bottom=-1.5, columns=4)
    first, last = points[0].at, points[-1].at
    return (
        f"{len(points)} pain ratings from {first:%Y-%m-%d} to {last:%Y-%m-%d}; "
        f"{len(snapshot.episodes)} episodes are marked as bars along the bottom."
    )


def _episodes(fig: Figure, snapshot: DiarySnapshot, now: datetime, zone: tzinfo) -> str:
    from matplotlib.ticker import MaxNLocator

    title = "Episodes per week"
    if not snapshot.episodes:
        _empty(fig, title, "No episodes yet.")
        return "No episodes have been recorded yet."
    first = _week_start(_local(snapshot.episodes[0].started_at, zone).date())
    last = _week_start(_local(now, zone).date())
    last = max(last, _week_start(_local(snapshot.episodes[-1].started_at, zone).date()))
    weeks = (last - first).days // 7 + 1
    counts = [0] * weeks
    for e in snapshot.episodes:
        counts[(_week_start(_local(e.started_at, zone).date()) - first).days // 7] += 1
    ax = fig.add_subplot()
    ax.set_axisbelow(True)
    mondays = [_num(first) + 7 * i for i in range(weeks)]
    label = "Episodes started that week"
    if weeks <= 80:
        ax.bar([m + 3.5 for m in mondays], counts, width=5.5, color=OKABE_ITO["blue"], label=label)
    else:
        edges = [*mondays, mondays[-1] + 7]
        ax.stairs(counts, edges, fill=True, color=OKABE_ITO["blue"], label=label)
    _date_axis(ax)
    ax.set_ylabel("Episodes")
    ax.set_xlabel("Date")
    ax.set_title(title)
    ax.set_ylim(0, max(counts) + 1)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    return (
        f"{len(snapshot.episodes)} episodes over {weeks} weeks; the busiest week had {max(counts)}."
    )


def _short(text: str, limit: int = 26) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _relief(fig: Figure, snapshot: DiarySnapshot) -> str:
    title = "Relief by treatment"
    ranked = [r for r in treatments_ranked(snapshot.treatments) if r.median_relief is not None]
    if not ranked:
        _empty(fig, title, "No treatment has a relief rating yet.")
        return "No treatment has a relief rating yet."
    ranked = ranked[:15]
    ax = fig.add_subplot()
    labels = [f"{_short(r.treatment)} (n={r.rated})" for r in ranked]
    values = [r.median_relief or 0.0 for r in ranked]
    positions = list(range(len(ranked)))[::-1]
    ax.barh(positions, values, color=OKABE_ITO["green"], height=0.6)
    for y, value in zip(positions, values, strict=True):
        ax.text(value + 0.1, y, f"{value:g}", va="center", fontsize=9)
    ax.set_yticks(positions, labels)
    ax.set_xlim(0, 10.8)
    ax.set_xticks(range(0, 11, 2))
    ax.set_xlabel("Median relief (0 none to 10 complete)")
    ax.set_title(title)
    ax.set_axisbelow(True)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    best = ranked[0]
    return (
        f"Median relief of {len(ranked)} treatments; the highest was {best.treatment} "
        f"with {best.median_relief:g} out of 10."
    )


FUNCTION_SCALES: tuple[tuple[str, str, str, str, str], ...] = (
    # scale id, short name, legend label, colour, marker: both score 0-10, so they share one axis.
    ("peg", "PEG", "PEG: pain and how it gets in the way (lower is better)", "vermillion", "o"),
    ("specific_function", "Your activities", "Your activities (higher is better)", "blue", "s"),
)


def function_series(records: Iterable[ScaleRecordPublic]) -> dict[str, list[ScaleRecordPublic]]:
    """The scored PEG and activities results, oldest first, by scale (what the function chart
    draws; the charts page shows the chart when any list is not empty)."""
    return {
        scale: sorted(
            (r for r in records if r.scale == scale and r.valid and r.score is not None),
            key=lambda r: (r.taken_at, r.id),
        )
        for scale, *_ in FUNCTION_SCALES
    }


def _function(fig: Figure, snapshot: DiarySnapshot, zone: tzinfo) -> str:
    title = "Function over time"
    series = function_series(snapshot.scale_records)
    if not any(series.values()):
        _empty(fig, title, "No PEG or activities scores yet.")
        return "No PEG or activities (patient-specific functional scale) scores have been recorded yet."
    ax = fig.add_subplot()
    parts = []
    for scale, short, label, colour, marker in FUNCTION_SCALES:
        found = series[scale]
        if not found:
            continue
        ax.plot(
            [_num(r.taken_at, zone) for r in found],
            [float(r.score or 0.0) for r in found],
            color=OKABE_ITO[colour],
            marker=marker,
            markersize=5,
            linewidth=1.5,
            label=label,
        )
        first, last = found[0], found[-1]
        parts.append(
            f"{short}: {len(found)} score{'s' if len(found) != 1 else ''}, "
            f"from {first.score:g} on {_local(first.taken_at, zone):%Y-%m-%d} "
            f"to {last.score:g} on {_local(last.taken_at, zone):%Y-%m-%d}"
        )
    _zero_to_ten_over_time(ax, title, "Score (0 to 10)", bottom=-0.5, columns=2)
    return "; ".join(parts) + "."


def chart_figure(
    kind: str, snapshot: DiarySnapshot, now: datetime, *, zone: tzinfo = UTC
) -> tuple[Figure, str, str]:
    """The figure for ``kind``, its title and a one-line text description (for screen readers)."""
    use_style()  # also says which extra to install when matplotlib is missing
    from matplotlib.figure import Figure

    if kind not in CHART_KINDS:
        raise InputError(
            f"unknown chart {kind!r}", [Problem("kind", f"{kind!r}", ", ".join(CHART_KINDS))]
        )
    # Fixed margins rather than a layout engine: constrained layout costs more than drawing here.
    snapshot, left_out = _in_window(snapshot, now)
    fig = Figure(figsize=(9, 4.8) if kind != "relief" else (8, 5), dpi=100)
    left = 0.34 if kind == "relief" else 0.08
    fig.subplots_adjust(left=left, right=0.97, bottom=0.13, top=0.9)
    if kind == "pain":
        title, desc = "Pain over time", _pain(fig, snapshot, zone)
    elif kind == "episodes":
        title, desc = "Episodes per week", _episodes(fig, snapshot, now, zone)
    elif kind == "function":
        title, desc = "Function over time", _function(fig, snapshot, zone)
    else:
        title, desc = "Relief by treatment", _relief(fig, snapshot)
    if left_out:
        desc += (
            f" It shows the last {CHART_YEARS} years: {left_out} older or later "
            f"record{'s' if left_out != 1 else ''} are not shown."
        )
    return fig, title, desc


def _accessible_svg(svg: bytes, title: str, desc: str) -> bytes:
    text = svg.decode("utf-8")
    tag = re.search(r"<svg\b[^>]*>", text)
    assert tag is not None
    opening = tag.group(0).replace(
        "<svg", '<svg role="img" aria-labelledby="chart-title chart-desc"', 1
    )
    inserted = (
        f'{opening}\n <title id="chart-title">{escape(title)}</title>\n'
        f' <desc id="chart-desc">{escape(desc)}</desc>'
    )
    return (text[: tag.start()] + inserted + text[tag.end() :]).encode("utf-8")


def render_chart(
    kind: str,
    snapshot: DiarySnapshot,
    now: datetime,
    *,
    fmt: str = "svg",
    zone: tzinfo = UTC,
) -> bytes:
    """Draw one chart and return the SVG or PNG bytes."""
    if fmt not in FORMATS:
        raise InputError(
            f"unknown image format {fmt!r}", [Problem("format", f"{fmt!r}", ", ".join(FORMATS))]
        )
    use_style()
    fig, title, desc = chart_figure(kind, snapshot, now, zone=zone)
    buffer = io.BytesIO()
    metadata = {"Title": title, "Description": desc} if fmt == "png" else {"Date": None}
    fig.savefig(buffer, format=fmt, metadata=metadata, dpi=100 if fmt == "svg" else 120)
    data = buffer.getvalue()
    return _accessible_svg(data, title, desc) if fmt == "svg" else data
