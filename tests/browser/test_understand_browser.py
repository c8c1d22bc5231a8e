"""The story box in real Chromium: "You said: ... is that right?" passes axe-core and reflows at
320 pixels, and a confirmed emergency sign goes straight to the call."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.browser.conftest import Server
from tests.browser.helpers import run_axe

pytestmark = pytest.mark.browser


def test_a_story_is_confirmed_then_an_emergency_fills_the_screen(page: Any, server: Server) -> None:
    page.set_viewport_size({"width": 412, "height": 860})
    page.goto(f"{server.url}/triage")
    page.fill(
        "#story", "I'm 52, low back pain, can't feel my bum when I wipe, no fever. Dad had cancer."
    )
    page.click("button:has-text('Read what I wrote')")
    assert page.locator("h1").inner_text() == "You said: is that right?"
    violations = run_axe(page)
    assert violations == [], json.dumps(violations, indent=1)
    page.set_viewport_size({"width": 320, "height": 640})
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1
    assert page.locator('input[name="finding.saddle_numbness"][value="yes"]').is_checked()
    page.click("button:has-text('That is right: go on')")
    assert page.locator("h1").inner_text() == "Call an ambulance now"
