"""The clinician report's HTML passes axe-core in real Chromium (WCAG 2.1 A and AA rules).

axe-core is vendored at tests/browser/vendor/axe.min.js (npm axe-core 4.14.1, MPL-2.0), never loaded
from a CDN.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from spasmcare.knowledge import KnowledgeBase
from spasmcare.report import make_report, render_html
from tests.interop.diary_data import fixture_repo

pytestmark = pytest.mark.browser

AXE = Path(__file__).with_name("vendor") / "axe.min.js"


@pytest.fixture(scope="module")
def report_page(
    tmp_path_factory: pytest.TempPathFactory, kb: KnowledgeBase, browser: Any
) -> Iterator[Any]:
    """A page of the session's one Chromium (tests/browser/conftest.py) showing the report."""
    os.environ.setdefault("MPLCONFIGDIR", str(tmp_path_factory.mktemp("mpl")))
    repo, profile = fixture_repo(kb)
    data = make_report(
        repo,
        profile,
        kb,
        start=date(2026, 1, 1),
        end=date(2026, 2, 28),
        now=datetime(2026, 3, 1, tzinfo=UTC),
    )
    page = browser.new_page()
    page.set_content(render_html(data))
    yield page
    page.close()


def test_the_report_html_passes_axe(report_page: Any) -> None:
    report_page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = report_page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}
        })"""
    )
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]
    assert problems == []
    assert len(result["passes"]) > 10  # axe really ran over the page


def test_the_report_shows_its_chart_with_a_text_alternative(report_page: Any) -> None:
    chart = report_page.locator("figure.chart svg")
    assert chart.get_attribute("role") == "img"
    assert "pain ratings" in (report_page.locator("#pain-chart-desc").text_content() or "")


def test_axe_finds_a_planted_problem(report_page: Any) -> None:
    """A control: the same axe run reports an image without a text alternative."""
    page = report_page.context.browser.new_page()
    page.set_content(
        '<html lang="en"><head><title>t</title></head><body><main>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main></body></html>'
    )
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document)")
    assert "image-alt" in [v["id"] for v in result["violations"]]
    page.close()
