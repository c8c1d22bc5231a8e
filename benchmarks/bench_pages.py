"""Benchmark of the pages a person sees: server time, bytes and requests for the home page, an
interview step, the self-care result, the care plan and the diary (issue 12).

The app runs in this process behind Starlette's TestClient (no network: the time is the server's
own work, from the request to the last byte), on a new SQLite diary holding every kind of record
(tests/web/seed.py). Each page is fetched alternately with GET /healthz, the baseline measured in the
same run, and reported as p50/p95 milliseconds and as a ratio of p95 to the baseline's p95.

Page weight: the HTML bytes plus every file the page loads (stylesheet, scripts, icons, manifest,
images), counted once; "requests" is the number of those fetches. With Chromium installed, the care
plan is also measured in phone screens (its height at 390 x 844 with every detail collapsed).

    python benchmarks/bench_pages.py [--rounds 60]

Goals: p95 under 50 ms for every page; the collapsed care plan at most 6 phone screens. Before
issue 12 (commit e15839b, the same answers) the plan page was 70 kB of HTML and 32.3 phone screens
long; after it, about 67 kB (the details are still on the page, collapsed) and 3.4 screens.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

GOAL_P95_MS = 50.0
GOAL_SCREENS = 6
ASSET = re.compile(r'<(?:link|script|img)\b[^>]*?(?:href|src)="(/[^"]+)"')


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def weight(api: Any, html: str) -> tuple[int, int]:
    """Bytes (HTML plus every file it loads, each once) and the number of requests."""
    total, requests = len(html.encode()), 1
    for url in dict.fromkeys(ASSET.findall(html)):
        r = api.get(url)
        total += len(r.content)
        requests += 1
    return total, requests


def plan_page(api: Any) -> tuple[str, str]:
    """Make a care plan through the web form (answers "none" and "no"); its address and HTML."""
    from tests.web.driver import Interview, calm

    interview = Interview(api, mode="plan")
    interview.run(calm)
    r = interview.post({"steps": interview.field("steps")}, url="/plan")
    assert r.status_code == 200, r.text[:300]
    return str(r.url).removeprefix("http://testserver"), r.text


def screens(html: str) -> float | None:
    """The page's height at 390 x 844 in phone screens, every <details> closed (None without
    Chromium)."""
    if not Path("/usr/bin/chromium").exists():
        return None
    from playwright.sync_api import sync_playwright
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, Server

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        server = Server(Path(tmp)).start()
        try:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 390, "height": 844})
            page.goto(f"{server.url}/")  # the same origin, so the page's CSS loads
            page.set_content(html)  # at the server's address: its CSS and scripts load
            page.wait_for_load_state("networkidle")
            height = page.evaluate("document.documentElement.scrollHeight")
            browser.close()
        finally:
            server.stop()
    return float(height) / 844


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=60)
    args = parser.parse_args(argv)
    os.environ.setdefault("MPLCONFIGDIR", tempfile.mkdtemp(prefix="mpl-"))

    from tests.api.support import client, make_settings
    from tests.web.seed import interview_pages, seed_every_kind

    from spasmcare.app import create_app

    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
        app = create_app(make_settings(Path(tmp)))
        api = client(app)
        seed_every_kind(api)
        plan_url, plan_html = plan_page(api)
        step, _pain, result, *_ = interview_pages()
        pages = {
            "home": "/",
            "interview step": step,
            "self-care result": result,
            "care plan": plan_url,
            "diary": "/diary",
        }
        for url in pages.values():  # warm up: templates compiled, caches filled
            assert api.get(url).status_code == 200, url
        times: dict[str, list[float]] = {name: [] for name in [*pages, "baseline"]}
        for _ in range(args.rounds):
            for name, url in [*pages.items(), ("baseline", "/healthz")]:
                start = time.perf_counter()
                r = api.get(url)
                times[name].append((time.perf_counter() - start) * 1000)
                assert r.status_code == 200, (name, r.status_code)
        base = p95(times["baseline"])
        print(
            f"baseline GET /healthz: p50 {statistics.median(times['baseline']):.2f} ms, "
            f"p95 {base:.2f} ms  ({args.rounds} rounds)"
        )
        print(
            f"{'page':<18}{'p50 ms':>8}{'p95 ms':>8}{'x base':>8}{'kB':>8}{'HTML kB':>9}{'req':>5}"
        )
        worst = 0.0
        for name, url in pages.items():
            html = api.get(url).text
            total, requests = weight(api, html)
            high = p95(times[name])
            worst = max(worst, high)
            print(
                f"{name:<18}{statistics.median(times[name]):>8.2f}{high:>8.2f}{high / base:>8.1f}"
                f"{total / 1024:>8.1f}{len(html.encode()) / 1024:>9.1f}{requests:>5}"
            )
        app.state.spasmcare.storage.close()
    height = screens(plan_html)
    if height is not None:
        print(
            f"care plan, collapsed, at 390 x 844: {height:.1f} phone screens (goal <= {GOAL_SCREENS})"
        )
    ok = worst < GOAL_P95_MS and (height is None or height <= GOAL_SCREENS)
    print(
        f"goal p95 < {GOAL_P95_MS:g} ms for every page: {'met' if worst < GOAL_P95_MS else 'NOT met'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
