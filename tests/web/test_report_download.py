"""The pre-visit report downloads from the web app as a real PDF (WeasyPrint) or as HTML."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from pypdf import PdfReader

from spasmcare.knowledge import KnowledgeBase
from tests.api.diary_data import KINDS, create


def test_export_page_offers_the_report(sqlite_api: TestClient) -> None:
    page = sqlite_api.get("/export", headers={"accept": "text/html"}).text
    assert 'action="/report/download"' in page and "Report for your doctor" in page


def test_report_downloads_as_pdf_with_the_diary_in_it(
    sqlite_api: TestClient, kb: KnowledgeBase
) -> None:
    create(sqlite_api, KINDS[0])
    today = datetime.now(UTC).date()
    r = sqlite_api.get(f"/report/download?from={today - timedelta(days=30)}&to={today}")
    assert r.status_code == 200, r.text[:500]
    assert r.headers["content-type"] == "application/pdf"
    assert r.headers["content-disposition"].startswith('attachment; filename="spasmcare-report-')
    assert r.content[:5] == b"%PDF-"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(r.content)).pages)
    assert "spasmcare" in text.lower() and kb.version in text


def test_report_downloads_as_html(sqlite_api: TestClient, kb: KnowledgeBase) -> None:
    r = sqlite_api.get("/report/download?format=html")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert "<html" in r.text.lower() and kb.version in r.text


def test_a_period_that_ends_before_it_starts_is_refused(sqlite_api: TestClient) -> None:
    r = sqlite_api.get("/report/download?from=2026-05-01&to=2026-04-01")
    assert r.status_code == 422
    assert "2026-05-01 is after the end, 2026-04-01" in r.text
    assert sqlite_api.get("/report/download?format=docx").status_code == 422


def test_dates_left_empty_give_the_default_period(sqlite_api: TestClient) -> None:
    """The export page's form sends empty fields when the dates are left empty."""
    r = sqlite_api.get("/report/download?from=&to=&format=pdf", headers={"accept": "text/html"})
    assert r.status_code == 200, r.text[:500]
    assert r.content[:5] == b"%PDF-"
    today = datetime.now(UTC).date()  # the test client sends no time zone: UTC
    name = f"spasmcare-report-{today - timedelta(days=90)}-to-{today}.pdf"
    assert r.headers["content-disposition"] == f'attachment; filename="{name}"'
    only_end = sqlite_api.get(f"/report/download?from=&to={today - timedelta(days=1)}")
    assert only_end.status_code == 200
    assert f"-to-{today - timedelta(days=1)}.pdf" in only_end.headers["content-disposition"]


def test_year_one_is_a_clear_422_not_a_500(sqlite_api: TestClient) -> None:
    r = sqlite_api.get("/report/download?from=0001-01-01&to=0001-01-02")
    assert r.status_code == 422
    problems = {p["path"]: p for p in r.json()["errors"]}
    assert problems["from"]["message"] == "0001-01-01 is before 1900"
    assert problems["to"]["message"] == "0001-01-02 is before 1900"
    assert problems["from"]["allowed"].startswith("a date from 1900-01-01 to ")


def test_dates_outside_1900_to_tomorrow_are_refused_with_a_clear_message(
    sqlite_api: TestClient,
) -> None:
    today = datetime.now(UTC).date()
    for query, message in (
        ("from=1899-12-31", "from: 1899-12-31 is before 1900"),
        (
            f"to={today + timedelta(days=2)}",
            f"to: {today + timedelta(days=2)} is more than one day",
        ),
        ("to=9999-12-31", "to: 9999-12-31 is more than one day ahead"),
        ("from=31/12/2025", "from: '31/12/2025' is not a date (YYYY-MM-DD)"),
        ("from=2026-02-30", "from: '2026-02-30' is not a date (YYYY-MM-DD)"),
    ):
        r = sqlite_api.get(f"/report/download?{query}")
        assert r.status_code == 422, query
        problem = r.json()["errors"][0]
        assert f"{problem['path']}: {problem['message']}".startswith(message), (query, problem)
    tomorrow = sqlite_api.get(f"/report/download?from={today}&to={today + timedelta(days=1)}")
    assert tomorrow.status_code == 200  # a day ahead is allowed: clocks and time zones differ
    assert sqlite_api.get("/report/download?from=1900-01-01&format=html").status_code == 200


def test_a_browser_gets_the_export_page_back_with_the_problems(sqlite_api: TestClient) -> None:
    r = sqlite_api.get(
        "/report/download?from=0001-01-01&to=&format=html", headers={"accept": "text/html"}
    )
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("text/html")
    page = r.text
    assert 'role="alert"' in page and "The report was not made" in page
    assert "<strong>From</strong>: 0001-01-01 is before 1900" in page
    assert 'name="from" min="1900-01-01" value="0001-01-01"' in page  # what was typed is kept
    assert '<option value="html" selected>' in page


def test_every_field_left_empty_gives_the_default_report(sqlite_api: TestClient) -> None:
    """A form sent with every field empty (as a crawler or an old browser may) is the default PDF."""
    r = sqlite_api.get("/report/download?from=&to=&format=")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/pdf")
