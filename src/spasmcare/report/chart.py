"""The report's pain chart: plain SVG drawn at its printed size, so 8 pt text prints at 8 pt.

It draws exactly what the report's words say (:mod:`spasmcare.report.pain`): every pain score of the
period (daily ratings as squares, episode worst pain as circles: shapes, not only colours), the
monthly means the trend compares (a line, with the first and last mean written beside it), and the
episodes as bars along the bottom. No plotting library: the chart is a few hundred bytes of markup per
series, and the report command starts without matplotlib.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from html import escape

from spasmcare.diary import EpisodePublic
from spasmcare.report.pain import PainSummary

WIDTH_MM = 186.0
HEIGHT_MM = 52.0
PT_PER_MM = 72 / 25.4
FONT_PT = 8.0
"""Every label's size: the chart is drawn 1:1, so this is the printed size."""
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
BLUE, VERMILLION, ORANGE, GREY = "#0072B2", "#D55E00", "#E69F00", "#bbbbbb"


@dataclass(frozen=True, slots=True)
class Frame:
    """Maps days (since ``start``) and pain (0-10) to SVG points."""

    start: datetime
    days: float
    left: float
    right: float
    top: float
    bottom: float

    def x(self, moment: datetime) -> float:
        share = (moment - self.start).total_seconds() / 86400 / self.days
        return round(self.left + (self.right - self.left) * min(max(share, 0.0), 1.0), 2)

    def y(self, pain: float) -> float:
        # -1.6 to 10.4: the band below 0 holds the episode bars
        return round(self.bottom - (self.bottom - self.top) * (pain + 1.6) / 12.0, 2)


def _text(x: float, y: float, text: str, anchor: str = "middle", extra: str = "") -> str:
    return (
        f'<text x="{x:g}" y="{y:g}" font-size="{FONT_PT:g}" text-anchor="{anchor}"{extra}>'
        f"{escape(text)}</text>"
    )


def _ticks(start: date, end: date) -> list[tuple[date, str, str]]:
    """Date ticks for the axis: (day, label, second line), at most about 14 of them."""
    days = (end - start).days
    if days <= 75:
        first = start + timedelta(days=(7 - start.weekday()) % 7)  # Mondays
        step = 7 if days > 21 else 2
        out = []
        day = first if step == 7 else start
        while day <= end:
            out.append((day, f"{day.day} {MONTHS[day.month - 1]}", ""))
            day += timedelta(days=step)
        if out:
            out[0] = (out[0][0], out[0][1], str(out[0][0].year))
        return out
    months = days / 30.44
    step = next(s for s in (1, 2, 3, 6, 12, 24, 60, 120) if months / s <= 14)
    index = start.year * 12 + start.month - (1 if start.day == 1 else 0)
    index += -index % step
    out = []
    seen_year = False
    while True:
        day = date(index // 12, index % 12 + 1, 1)
        if day > end:
            break
        year = str(day.year) if day.month == 1 or not seen_year else ""
        seen_year = True
        label = MONTHS[day.month - 1] if step < 12 else str(day.year)
        out.append((day, label, year if step < 12 else ""))
        index += step
    return out


def _month_middle(
    frame: Frame, month: date, since: datetime, until: datetime, zone: tzinfo
) -> float:
    """The x of the middle of the part of ``month`` inside the period."""
    nxt = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    a = max(datetime.combine(month, datetime.min.time(), zone), since)
    b = min(datetime.combine(nxt, datetime.min.time(), zone), until)
    return frame.x(a + (b - a) / 2)


def _squares(points: Sequence[tuple[float, float]], size: float) -> str:
    half = size / 2
    return "".join(
        f"M{x - half:.1f} {y - half:.1f}h{size:g}v{size:g}h{-size:g}z" for x, y in points
    )


def _circles(points: Sequence[tuple[float, float]], r: float) -> str:
    return "".join(
        f"M{x - r:.1f} {y:.1f}a{r:g} {r:g} 0 1 0 {2 * r:g} 0a{r:g} {r:g} 0 1 0 {-2 * r:g} 0z"
        for x, y in points
    )


def _spans(
    episodes: Sequence[EpisodePublic], frame: Frame, last: datetime
) -> list[tuple[float, float]]:
    """Episode bars as (x, width) in points, overlapping ones joined, at least 1.2 pt wide."""
    spans: list[list[float]] = []
    for e in sorted(episodes, key=lambda x: x.started_at):
        a = frame.x(e.started_at)
        b = max(frame.x(e.ended_at or max(last, e.started_at)), a + 1.2)
        if spans and a <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], b)
        else:
            spans.append([a, b])
    return [(a, b - a) for a, b in spans]


def pain_chart_svg(
    pain: PainSummary,
    episodes: Sequence[EpisodePublic],
    *,
    since: datetime,
    until: datetime,
    now: datetime,
    zone: tzinfo,
) -> tuple[str, str]:
    """The chart of the period ``[since, until)`` as inline SVG, and its text description."""
    width, height = WIDTH_MM * PT_PER_MM, HEIGHT_MM * PT_PER_MM
    frame = Frame(
        since, max((until - since).total_seconds() / 86400, 1.0), 34.0, width - 8, 16.0, height - 24
    )
    parts: list[str] = []
    for level in range(0, 11, 2):
        y = frame.y(level)
        parts.append(
            f'<path d="M{frame.left:g} {y:g}H{frame.right:g}" stroke="{GREY}" stroke-width="0.5"/>'
        )
        parts.append(_text(frame.left - 4, y + FONT_PT * 0.35, str(level), "end"))
    mid = (frame.top + frame.y(0)) / 2
    parts.append(_text(9, mid, "Pain (0-10)", "middle", f' transform="rotate(-90 9 {mid:g})"'))
    axis = frame.y(-1.6)
    parts.append(
        f'<path d="M{frame.left:g} {axis:g}H{frame.right:g}" stroke="#000" stroke-width="0.6"/>'
    )
    first_day = since.astimezone(zone).date()
    last_day = (until - timedelta(seconds=1)).astimezone(zone).date()
    for day, label, year in _ticks(first_day, last_day):
        x = frame.x(datetime.combine(day, datetime.min.time(), zone))
        parts.append(f'<path d="M{x:g} {axis:g}v3" stroke="#000" stroke-width="0.6"/>')
        parts.append(_text(x, axis + 4 + FONT_PT, label))
        if year:
            parts.append(_text(x, axis + 5 + 2 * FONT_PT, year))
    last = min(now, until)
    spans = _spans(episodes, frame, last)
    if spans:
        top, bar = frame.y(-0.6), frame.y(-0.6) - frame.y(-1.4)
        d = "".join(f"M{x:g} {top:g}h{w:g}v{bar:g}h{-w:g}z" for x, w in spans)
        parts.append(f'<path d="{d}" fill="{ORANGE}"/>')
    ratings = [(frame.x(p.at), frame.y(p.pain)) for p in pain.points if p.source == "rating"]
    worst = [(frame.x(p.at), frame.y(p.pain)) for p in pain.points if p.source == "episode"]
    if ratings:
        size = 2.2 if len(ratings) > 120 else 3.0
        parts.append(f'<path d="{_squares(ratings, size)}" fill="{BLUE}" fill-opacity="0.75"/>')
    if worst:  # open rings on top: a rating at the same time and value stays visible
        parts.append(
            f'<path d="{_circles(worst, 2.4)}" fill="none" stroke="{VERMILLION}" '
            'stroke-width="1.2"/>'
        )
    if len(pain.months) > 1:
        xy = [
            (_month_middle(frame, m.month, since, until, zone), frame.y(m.mean))
            for m in pain.months
        ]
        line = "M" + "L".join(f"{x:g} {y:g}" for x, y in xy)
        parts.append(f'<path d="{line}" fill="none" stroke="#000" stroke-width="1.3"/>')
        parts.append(f'<path d="{_circles(xy, 1.6)}" fill="#000"/>')
        for (x, y), m in ((xy[0], pain.months[0]), (xy[-1], pain.months[-1])):
            label = f"{m.mean:g}"
            # the two means the trend compares, on a white patch so the points do not hide them
            half, top = len(label) * FONT_PT * 0.33 + 1, max(y - 4 - FONT_PT, frame.top - FONT_PT)
            parts.append(
                f'<rect x="{x - half:.1f}" y="{top:.1f}" width="{2 * half:.1f}" '
                f'height="{FONT_PT + 2:g}" fill="#fff" fill-opacity="0.9"/>'
            )
            parts.append(_text(x, top + FONT_PT, label, "middle", ' font-weight="bold"'))
    legend = [
        ("square", BLUE, "Pain rating (NRS)"),
        ("circle", VERMILLION, "Episode worst pain"),
        ("line", "#000", "Monthly mean"),
        ("bar", ORANGE, "Episode"),
    ]
    x = frame.left
    for shape, colour, label in legend:
        y = 7.0
        if shape == "square":
            parts.append(f'<path d="{_squares([(x + 3, y)], 4)}" fill="{colour}"/>')
        elif shape == "circle":
            parts.append(
                f'<path d="{_circles([(x + 3, y)], 2.2)}" fill="{colour}" stroke="#000" stroke-width="0.4"/>'
            )
        elif shape == "line":
            parts.append(f'<path d="M{x:g} {y:g}h8" stroke="{colour}" stroke-width="1.3"/>')
        else:
            parts.append(f'<path d="M{x:g} {y - 2:g}h8v4h-8z" fill="{colour}"/>')
        parts.append(_text(x + 11, y + FONT_PT * 0.35, label, "start"))
        x += 11 + len(label) * FONT_PT * 0.55 + 14
    desc = describe(pain, len(episodes))
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-labelledby="pain-chart-title pain-chart-desc" width="{WIDTH_MM:g}mm" '
        f'height="{HEIGHT_MM:g}mm" viewBox="0 0 {width:.1f} {height:.1f}" '
        'font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif">'
        '<title id="pain-chart-title">Pain over the period</title>'
        f'<desc id="pain-chart-desc">{escape(desc)}</desc>' + "".join(parts) + "</svg>"
    )
    return svg, desc


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def describe(pain: PainSummary, episodes: int) -> str:
    """The chart in words (its text alternative and its caption)."""
    if not pain.points:
        return "No pain scores in this period."
    ratings = sum(1 for p in pain.points if p.source == "rating")
    text = (
        f"{_count(ratings, 'pain rating')} and {_count(episodes, 'episode')} from "
        f"{pain.points[0].at:%Y-%m-%d} to {pain.points[-1].at:%Y-%m-%d}; "
        f"monthly means of {_count(len(pain.months), 'month')}"
    )
    if pain.first_month and pain.last_month:
        text += (
            f", {pain.first_month.month:%Y-%m} {pain.first_month.mean:g} and "
            f"{pain.last_month.month:%Y-%m} {pain.last_month.mean:g}"
        )
    return text + ". Episodes are the bars along the bottom."


__all__ = ["FONT_PT", "HEIGHT_MM", "WIDTH_MM", "describe", "pain_chart_svg"]
