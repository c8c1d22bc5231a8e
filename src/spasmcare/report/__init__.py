"""The clinician report: one or two printable pages answering the questions asked at every back-pain
visit, from one Jinja2 template rendered to HTML and, with WeasyPrint, to PDF.

``make_report(repo, profile_id, kb, start=..., end=..., now=...)`` gathers the data;
``render_html(data)`` and ``render_pdf(html)`` draw it. See docs/report.md.
"""

from spasmcare.report.make import current_plan, make_report, medicine_safety, plan_intake
from spasmcare.report.render import pain_chart, render_html, render_pdf
from spasmcare.report.summary import (
    Answer,
    FindingStatus,
    ReportData,
    build_report,
    in_period,
    period_bounds,
    red_flags,
)

__all__ = [
    "Answer",
    "FindingStatus",
    "ReportData",
    "build_report",
    "current_plan",
    "in_period",
    "make_report",
    "medicine_safety",
    "pain_chart",
    "period_bounds",
    "plan_intake",
    "red_flags",
    "render_html",
    "render_pdf",
]
