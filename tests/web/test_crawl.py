"""Every page a person can reach from ``/`` works: a crawl over every internal link, image and GET
form, with a diary holding every kind of record, in single-user and multi-user mode (logged in).

This is the crawl "without JavaScript" (a TestClient runs no script); tests/browser/test_crawl.py
repeats it in Chromium with and without JavaScript and runs axe-core on every page. Templates run
with StrictUndefined, so a missing attribute is a 500 here, never a blank.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from spasmcare.knowledge import KnowledgeBase
from spasmcare.knowledge.learn import active_topics
from spasmcare.scales import list_scales
from tests.api.support import build, client, csrf_of
from tests.web.crawl import Crawl, crawl
from tests.web.seed import interview_pages, seed_every_kind


def fetch(api: TestClient) -> object:
    def get(url: str) -> tuple[int, str, str]:
        r = api.get(url, follow_redirects=True)
        kind = r.headers.get("content-type", "")
        return r.status_code, kind, r.text if kind.startswith("text/") else ""

    return get


@pytest.fixture
def multi(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[FastAPI]:
    yield from build(request, tmp_path, "sqlite", multi_user=True)


def _crawl(api: TestClient) -> Crawl:
    """From ``/``, and from the interview pages only answers lead to (their own addresses)."""
    return crawl(fetch(api), start=("/", *interview_pages()))  # type: ignore[arg-type]


def assert_everything_reached(found: Crawl, kb: KnowledgeBase, made: dict[str, list[int]]) -> None:
    pages = set(found.pages)
    for topic in active_topics(kb):
        assert f"/learn/{topic.id}" in pages, f"topic {topic.id} is not linked"
    for scale in list_scales():
        assert f"/scales/{scale.id}" in pages, f"scale {scale.id} is not linked"
    for episode in made["episodes"]:
        assert f"/diary/episodes/{episode}" in pages, f"episode {episode} is not linked"
    for path in (
        "/",
        "/triage",
        "/plan",
        "/diary",
        "/diary/new",
        "/diary/charts",
        "/diary/doses",
        "/diary/results",
        "/learn/warning-signs",
        "/learn/glossary",
        "/export",
        "/about",
    ):
        assert path in pages, f"{path} was not reached from /"
    assert any(p.startswith("/learn/search?") for p in pages), "the search form was sent"


def test_every_page_works_for_a_single_user(sqlite_api: TestClient, kb: KnowledgeBase) -> None:
    made = seed_every_kind(sqlite_api)
    found = _crawl(sqlite_api)
    assert found.failures() == []
    assert_everything_reached(found, kb, made)
    assert len(found.pages) > 40


def test_every_page_works_for_a_user_logged_in(multi: FastAPI, kb: KnowledgeBase) -> None:
    api = client(multi)
    page = api.get("/account/register").text
    r = api.post(
        "/account/register",
        data={
            "csrf_token": csrf_of(page),
            "username": "crawler",
            "password": "a long pass phrase",
            "password_again": "a long pass phrase",
        },
    )
    assert r.status_code == 200, r.text
    made = seed_every_kind(api)
    found = _crawl(api)
    assert found.failures() == []
    assert_everything_reached(found, kb, made)
    assert "/account" in found.pages


def test_the_crawler_notices_a_broken_page(sqlite_app: FastAPI) -> None:
    """The crawl's own check: a 500 behind a link, a Python object on a page, a missing anchor."""
    from fastapi.responses import HTMLResponse

    @sqlite_app.get("/broken-links")
    def broken() -> HTMLResponse:
        return HTMLResponse(
            '<a href="/nowhere">x</a> <a href="/learn#nothing-here">y</a> '
            "<p>Answered 1 of <built-in method items of dict object at 0x7f00></p>"
        )

    wanted = {"/broken-links", "/nowhere", "/learn"}
    found = crawl(
        fetch(client(sqlite_app)),  # type: ignore[arg-type]
        start=["/broken-links"],
        skip=lambda url: url not in wanted,
    )
    text = "\n".join(found.failures())
    assert "/nowhere: 404" in text
    assert "#nothing-here: no such element" in text
    assert "<built-in method" in text
