"""Render the clinician report: one Jinja2 template to HTML, and that HTML to PDF with WeasyPrint.

The pain chart is the diary's own chart (matplotlib, Agg, ``Figure`` API) embedded as inline SVG:
its points differ by marker shape as well as colour, so it reads in black and white. WeasyPrint gets
no base URL and a fetcher that refuses every URL: a report never reaches the network.
"""

from __future__ import annotations

import functools
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from spasmcare.report.summary import STATUSES, ReportData

if TYPE_CHECKING:
    from spasmcare.diary import DiarySnapshot

TEMPLATE = "report.html.j2"
TIMELINE_ROWS = 8  # more episodes than this: the latest are listed, the chart shows them all


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


def pain_chart(snapshot: DiarySnapshot, now: datetime, zone: tzinfo) -> tuple[str, str]:
    """The diary's pain chart for ``snapshot`` as inline SVG markup, and its text description."""
    import re

    from spasmcare.diary.charts import render_chart

    svg = render_chart("pain", snapshot, now, fmt="svg", zone=zone).decode("utf-8")
    svg = svg[svg.index("<svg") :]  # drop the XML prolog and doctype: this goes inside HTML
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg, re.S)
    # Ids must be unique in the page: the chart's own title/desc ids are renamed.
    svg = (
        svg.replace('id="chart-title"', 'id="pain-chart-title"')
        .replace('id="chart-desc"', 'id="pain-chart-desc"')
        .replace("chart-title chart-desc", "pain-chart-title pain-chart-desc")
    )
    return svg, desc.group(1) if desc else ""


def render_html(data: ReportData) -> str:
    """The report as one self-contained HTML page (print CSS inline, chart inline)."""
    template = _environment().get_template(TEMPLATE)
    context: dict[str, Any] = {
        "r": data,
        "chart": Markup(data.chart_svg) if data.chart_svg else None,
        "max_rows": TIMELINE_ROWS,
        "statuses": STATUSES,
    }
    return template.render(context)


def render_pdf(html: str) -> bytes:
    """The PDF of the report HTML, drawn by WeasyPrint (no network, no files, no base URL)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    class NoFetch(URLFetcher):  # type: ignore[misc]
        """Refuses every URL: a report holds everything it shows."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            raise ValueError(f"the report does not load outside resources ({url[:40]})")

    pdf: bytes = HTML(string=html, base_url=None, url_fetcher=NoFetch()).write_pdf()
    return pdf


__all__ = ["TEMPLATE", "pain_chart", "render_html", "render_pdf"]
