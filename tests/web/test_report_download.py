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
    assert "2026-05-01 is after 2026-04-01" in r.text
    assert sqlite_api.get("/report/download?format=docx").status_code == 422
