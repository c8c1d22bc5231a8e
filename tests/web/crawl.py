"""Follow every internal link, image and GET form of the web app from ``/``, like a person with a
browser would (without JavaScript), and report every page that did not work.

The crawler is given a ``get(url) -> (status, content type, body text)`` function, so the same code
drives a TestClient (tests/web/test_crawl.py) and a live server (tests/browser/test_crawl.py, the
screenshot script). A page "did not work" when a link led to a 4xx or 5xx answer, when the page shows
template leftovers or a Python object (``<built-in method ...>``), or when a link's ``#fragment``
names no element of the page it leads to.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

Fetch = Callable[[str], tuple[int, str, str]]
MAX_PAGES = 600
SEARCH_WORDS = "back spasm"
"""What the crawler types into an empty text box of a GET form (the search)."""
LEFTOVERS = re.compile(
    r"<built-in method|<bound method|object at 0x[0-9a-f]+|\{\{|\{%|Undefined|Traceback"
)


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    selects: dict[str, str | None] = field(default_factory=dict)


class PageParser(HTMLParser):
    """Collects links, image sources, GET forms (with the values a person would send) and ids."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.images: list[str] = []
        self.forms: list[Form] = []
        self.ids: set[str] = set()
        self._form: Form | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        elif tag in ("img", "script") and a.get("src"):
            self.images.append(a["src"])
        elif tag == "link" and a.get("href") and a.get("rel") in ("stylesheet", "icon", "manifest"):
            self.images.append(a["href"])
        elif tag == "form":
            self._form = Form(a.get("action", ""), a.get("method", "get").lower())
            self.forms.append(self._form)
        elif self._form is not None and tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form.fields.append((a["name"], a.get("value", "on")))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                value = a.get("value", "")
                if not value and kind in ("text", "search"):
                    value = SEARCH_WORDS
                self._form.fields.append((a["name"], value))
        elif self._form is not None and tag == "select" and a.get("name"):
            self._select = a["name"]
            self._form.selects[self._select] = None
        elif self._form is not None and tag == "option" and self._select:
            chosen = self._form.selects.get(self._select)
            if chosen is None or "selected" in a:
                self._form.selects[self._select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._form is not None:
            for name, value in self._form.selects.items():
                self._form.fields.append((name, value or ""))
            self._form = None
        elif tag == "select":
            self._select = None


@dataclass
class Visit:
    url: str
    status: int
    content_type: str
    came_from: str
    problems: list[str] = field(default_factory=list)

    @property
    def html(self) -> bool:
        return self.content_type.startswith("text/html")


@dataclass
class Crawl:
    visits: dict[str, Visit] = field(default_factory=dict)
    fragments: list[tuple[str, str, str]] = field(default_factory=list)
    """(page, fragment, linked from) of every link with a ``#fragment``."""
    ids: dict[str, set[str]] = field(default_factory=dict)

    @property
    def pages(self) -> list[str]:
        """The HTML pages that answered 200, in the order they were found."""
        return [v.url for v in self.visits.values() if v.html and v.status == 200]

    def failures(self) -> list[str]:
        found = []
        for visit in self.visits.values():
            if visit.status >= 400:
                found.append(f"{visit.url}: {visit.status} (linked from {visit.came_from})")
            found += [f"{visit.url}: {p}" for p in visit.problems]
        for page, fragment, origin in self.fragments:
            if page in self.ids and fragment not in self.ids[page]:
                found.append(f"{page}#{fragment}: no such element (linked from {origin})")
        return found


def internal(url: str, base: str) -> str | None:
    """The path and query of ``url`` when it stays on this site, else None."""
    if url.startswith(("mailto:", "tel:", "javascript:", "data:")):
        return None
    full = urljoin(base, url)
    parts = urlsplit(full)
    here = urlsplit(base)
    if (parts.scheme, parts.netloc) != (here.scheme, here.netloc):
        return None
    path = parts.path or "/"
    return (
        path
        + (f"?{parts.query}" if parts.query else "")
        + (f"#{parts.fragment}" if parts.fragment else "")
    )


def crawl(
    get: Fetch,
    *,
    origin: str = "http://testserver",
    start: Iterable[str] = ("/",),
    skip: Callable[[str], bool] = lambda url: False,
    limit: int = MAX_PAGES,
) -> Crawl:
    """Visit every internal page, image and GET form reachable from ``start``."""
    result = Crawl()
    queue: list[tuple[str, str]] = [(url, "(start)") for url in start]
    while queue:
        url, came_from = queue.pop(0)
        page, _, fragment = url.partition("#")
        if fragment:
            result.fragments.append((page, fragment, came_from))
        if page in result.visits or skip(page):
            continue
        if len(result.visits) >= limit:
            raise AssertionError(f"more than {limit} pages: is a link generating new addresses?")
        status, content_type, body = get(page)
        visit = Visit(page, status, content_type, came_from)
        result.visits[page] = visit
        if not visit.html:
            continue
        leftover = LEFTOVERS.search(body)
        if leftover:
            at = leftover.start()
            visit.problems.append(f"shows {body[max(0, at - 60) : at + 60]!r}")
        parser = PageParser()
        parser.feed(body)
        result.ids[page] = parser.ids
        base = origin + page
        targets = list(parser.links) + list(parser.images)
        for form in parser.forms:
            if form.method == "get":
                action = form.action or page.split("?")[0]
                query = urlencode(form.fields)
                targets.append(f"{action}?{query}" if query else action)
        for target in targets:
            local = internal(target, base)
            if local is not None:
                queue.append((local, page))
    return result


__all__ = ["Crawl", "PageParser", "Visit", "crawl", "internal"]
