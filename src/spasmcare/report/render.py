"""Render the clinician report: one Jinja2 template to HTML, and that HTML to PDF with WeasyPrint.

The pain chart is plain SVG drawn at its printed size (:mod:`spasmcare.report.chart`), inline: its
points differ by marker shape as well as colour, so it reads in black and white. WeasyPrint gets
no base URL and a fetcher that refuses every URL: a report never reaches the network.
"""

from __future__ import annotations

import functools
from datetime import datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from spasmcare.errors import InputError, Problem, require_extra
from spasmcare.report.summary import STATUS_WORDS, STATUSES, ReportData

if TYPE_CHECKING:
    from spasmcare.diary import DiarySnapshot

TEMPLATE = "report.html.j2"
TIMELINE_ROWS = 8  # more episodes than this: the latest are listed, the chart shows them all
PAPERS = ("A4", "Letter")
TRIAGE_DATES = 6  # the dates and levels of the latest triages in the period


@functools.cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("spasmcare.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["day"] = lambda value: "-" if value is None else f"{value:%Y-%m-%d}"
    env.filters["num"] = lambda value: "-" if value is None else f"{value:g}"
    return env


def pain_chart(
    snapshot: DiarySnapshot,
    now: datetime,
    zone: tzinfo,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
) -> tuple[str, str]:
    """The report's pain chart for ``snapshot`` as inline SVG markup, and its text description:
    the period ``[since, until)``, by default from the first pain score's day to a day after now."""
    from spasmcare.report.chart import pain_chart_svg
    from spasmcare.report.pain import pain_summary

    pain = pain_summary(snapshot.episodes, snapshot.scale_records, zone)
    first = pain.points[0].at if pain.points else now
    since = since or datetime.combine(first.astimezone(zone).date(), time.min, zone)
    until = until or datetime.combine(
        now.astimezone(zone).date() + timedelta(days=1), time.min, zone
    )
    return pain_chart_svg(pain, snapshot.episodes, since=since, until=until, now=now, zone=zone)


def render_html(data: ReportData, *, paper: str = "A4") -> str:
    """The report as one self-contained HTML page (print CSS inline, chart inline), laid out for
    ``paper`` (A4 or Letter: at most two pages of either)."""
    if paper not in PAPERS:
        raise InputError(
            f"unknown paper size {paper!r}", [Problem("paper", repr(paper), ", ".join(PAPERS))]
        )
    template = _environment().get_template(TEMPLATE)
    context: dict[str, Any] = {
        "r": data,
        "paper": paper,
        "chart": Markup(data.chart_svg) if data.chart_svg else None,
        "max_rows": TIMELINE_ROWS,
        "max_triage": TRIAGE_DATES,
        "statuses": STATUSES,
        "status_words": STATUS_WORDS,
    }
    return template.render(context)


def render_pdf(html: str) -> bytes:
    """The PDF of the report HTML, drawn by WeasyPrint (no network, no files, no base URL); a
    :class:`~spasmcare.errors.MissingExtraError` when the ``[pdf]`` extra is not installed."""
    require_extra("weasyprint", "a PDF report")
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    class NoFetch(URLFetcher):  # type: ignore[misc]
        """Refuses every URL: a report holds everything it shows."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            raise ValueError(f"the report does not load outside resources ({url[:40]})")

    pdf: bytes = HTML(string=html, base_url=None, url_fetcher=NoFetch()).write_pdf()
    return pdf


__all__ = ["PAPERS", "TEMPLATE", "pain_chart", "render_html", "render_pdf"]
