"""Every page reachable from ``/`` in real Chromium at 390 px: axe-core finds no serious or critical
violation, no script error and no Content-Security-Policy violation, with JavaScript on and off,
in light and dark mode, single-user and multi-user (logged in).

The pages come from the same crawl as tests/web/test_crawl.py (every internal link and GET form from
``/``, plus the interview pages that only answers lead to), over a diary with every kind of record.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.browser.conftest import Server
from tests.browser.helpers import axe_problems
from tests.web.crawl import crawl
from tests.web.seed import interview_pages, seed_every_kind

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
PASSWORD = "a long pass phrase"


def _fetch(api: httpx.Client) -> Any:
    def get(url: str) -> tuple[int, str, str]:
        r = api.get(url, follow_redirects=True)
        kind = r.headers.get("content-type", "")
        return r.status_code, kind, r.text if kind.startswith("text/") else ""

    return get


class Site:
    """A running app with a seeded diary, the cookies of its user and its crawled pages."""

    def __init__(self, server: Server, api: httpx.Client) -> None:
        self.server = server
        self.api = api
        seed_every_kind(api)
        found = crawl(_fetch(api), origin=server.url, start=("/", *interview_pages()))
        assert found.failures() == []
        self.pages = found.pages
        assert len(self.pages) > 40

    def cookies(self) -> list[dict[str, Any]]:
        return [
            {"name": c.name, "value": c.value or "", "url": self.server.url}
            for c in self.api.cookies.jar
        ]


@pytest.fixture(scope="module")
def single(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    server = Server(tmp_path_factory.mktemp("crawl-single")).start()
    with httpx.Client(base_url=server.url) as api:
        yield Site(server, api)
    server.stop()


@pytest.fixture(scope="module")
def multi(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    server = Server(tmp_path_factory.mktemp("crawl-multi"), multi_user=True).start()
    with httpx.Client(base_url=server.url) as api:
        r = api.post("/api/v1/account/register", json={"username": "walker", "password": PASSWORD})
        assert r.status_code == 201, r.text
        r = api.post("/api/v1/account/login", json={"username": "walker", "password": PASSWORD})
        assert r.status_code == 200, r.text
        yield Site(server, api)
    server.stop()


def _no_scripts(route: Any) -> None:
    if route.request.resource_type == "script":
        route.abort()
    else:
        route.continue_()


def walk(browser: Any, site: Site, *, javascript: bool = True, **options: Any) -> list[str]:
    """Open every page of ``site`` in a fresh context; every problem found, by page.

    Without JavaScript, the pages' scripts are never loaded (every page's script is a file: the CSP
    forbids inline script), while axe-core itself still runs in the driver: Chromium's own
    "JavaScript disabled" switch would stop axe too.
    """
    context = browser.new_context(viewport=PHONE, **options)
    if not javascript:
        context.route("**/*", _no_scripts)
    context.add_cookies(site.cookies())
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    problems: list[str] = []
    try:
        for path in site.pages:
            errors.clear()
            response = page.goto(f"{site.server.url}{path}")
            if response is None or response.status >= 400:
                problems.append(f"{path}: {response.status if response else 'no answer'}")
                continue
            problems += axe_problems(page, path)
            if javascript:  # without scripts the browser reports each blocked file
                problems += [f"{path}: {e}" for e in errors]
    finally:
        context.close()
    return problems


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_every_page_passes_axe_for_a_single_user(
    browser: Any, single: Site, javascript: bool
) -> None:
    assert walk(browser, single, javascript=javascript) == []


def test_every_page_passes_axe_in_dark_mode(browser: Any, single: Site) -> None:
    """Dark mode follows the system setting; axe checks its colour contrast on every page."""
    assert walk(browser, single, color_scheme="dark") == []


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_every_page_passes_axe_for_a_user_logged_in(
    browser: Any, multi: Site, javascript: bool
) -> None:
    assert "/account" in multi.pages
    assert walk(browser, multi, javascript=javascript) == []


def test_the_crawl_found_the_pages_a_person_needs(single: Site) -> None:
    pages = set(single.pages)
    for needed in ("/emergency", "/timer/heat", "/plan", "/learn/warning-signs", "/diary/charts"):
        assert needed in pages, needed
    assert sum(p.startswith("/triage?") for p in pages) >= 5
    assert Path(__file__).exists()
