"""Screenshots of the main screens at 390 px wide (a phone), from the real app in Chromium.

    .venv/bin/python scripts/screenshots.py            # writes docs/screens/*.png
    .venv/bin/python scripts/screenshots.py --dark     # the same in dark mode, *-dark.png

Starts the app on a free port with a new diary holding every kind of record (tests/web/seed.py),
drives Debian's /usr/bin/chromium with Playwright (never `playwright install`) and walks the screens
a person sees: home, a question, the self-care result, the care plan, the emergency result, the
diary, its charts, a timer and the learn pages. Each picture is the first screen (390 x 844), what a
person sees before scrolling.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WIDTH, HEIGHT = 390, 844


def _shots(base: str) -> list[tuple[str, Callable[[Any], None]]]:
    from tests.browser.helpers import answer_calmly, answer_one, question_id

    def home(page: Any) -> None:
        page.goto(f"{base}/")

    def question(page: Any) -> None:
        page.goto(f"{base}/triage")
        while not page.locator("form[data-checklist]").count():
            answer_one(page, str(question_id(page)))

    def pain(page: Any) -> None:
        page.goto(f"{base}/triage")
        while question_id(page) != "pain":
            answer_one(page, str(question_id(page)))

    def self_care(page: Any) -> None:
        page.goto(f"{base}/triage")
        answer_calmly(page)

    def plan(page: Any) -> None:
        page.goto(f"{base}/plan/new")
        page.click("button:has-text('Start the questions')")
        answer_calmly(page)
        page.click("button:has-text('Show my care plan')")

    def emergency(page: Any) -> None:
        page.goto(f"{base}/triage")
        answer_calmly(page, emergency_sign="bladder_dysfunction")

    def simple(path: str) -> Callable[[Any], None]:
        return lambda page: page.goto(f"{base}{path}")

    return [
        ("home", home),
        ("question", question),
        ("pain-question", pain),
        ("self-care-result", self_care),
        ("care-plan", plan),
        ("emergency", emergency),
        ("diary", simple("/diary")),
        ("charts", simple("/diary/charts")),
        ("heat-timer", simple("/timer/heat")),
        ("learn", simple("/learn")),
        ("scales", simple("/scales")),
        ("peg-scale", simple("/scales/peg")),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screens")
    parser.add_argument("--dark", action="store_true", help="dark mode (prefers-color-scheme)")
    parser.add_argument("--only", nargs="*", help="names of the screens to make")
    args = parser.parse_args(argv)
    os.environ.setdefault("MPLCONFIGDIR", tempfile.mkdtemp(prefix="mpl-"))

    import httpx
    from playwright.sync_api import sync_playwright
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, Server
    from tests.web.seed import seed_every_kind

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="spasmcare-screens-") as tmp:
        server = Server(Path(tmp)).start()
        try:
            with httpx.Client(base_url=server.url) as api:
                seed_every_kind(api)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for name, go in _shots(server.url):
                    if args.only and name not in args.only:
                        continue
                    context = browser.new_context(
                        viewport={"width": WIDTH, "height": HEIGHT},
                        device_scale_factor=1,
                        is_mobile=True,
                        has_touch=True,
                        color_scheme="dark" if args.dark else "light",
                    )
                    page = context.new_page()
                    go(page)
                    page.wait_for_load_state("networkidle")
                    target = args.out / f"{name}{'-dark' if args.dark else ''}.png"
                    page.screenshot(path=str(target))
                    print(f"{target}  ({page.url.replace(server.url, '')})")
                    context.close()
                browser.close()
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
