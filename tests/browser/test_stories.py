"""Three people's stories on a 390 px phone in real Chromium, and the first screen that counts.

- self-care after lifting: the result's first screen shows the signs that mean "get help now" and
  the first three things to do, with a heat timer one tap away;
- an emergency with bladder trouble: the call button stays above the fold, even at 200% zoom, with
  a "while you wait" list;
- a person unsure about several signs: the self-check comes first, and the result says what to do;
- a care plan from the home page in at most 3 taps, a heat timer in 1, the whole plan in at most 6
  phone screens, and the emergency page without a connection.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import Server
from tests.browser.helpers import answer_calmly, answer_one, axe_problems, question_id

pytestmark = pytest.mark.browser
SCREEN = 844


def _visible_on_first_screen(page: Any, selector: str) -> None:
    for n in range(page.locator(selector).count()):
        box = page.locator(selector).nth(n).bounding_box()
        assert box is not None, selector
        assert box["y"] + box["height"] <= SCREEN, f"{selector} #{n + 1} is below the first screen"


def _tap(page: Any, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).first.tap()


def test_self_care_after_lifting(phone: Any, server: Server) -> None:
    page = phone
    page.goto(f"{server.url}/")
    _tap(page, "a:has-text('Check my symptoms')")
    answer_calmly(page, emergency_sign="heavy_exertion")
    assert page.locator("h1").inner_text() == "Self-care"
    assert page.evaluate("window.scrollY") == 0
    _visible_on_first_screen(page, ".help-now-list li")
    _visible_on_first_screen(page, ".first-list > li")
    assert page.locator(".help-now-list li").count() == 4
    things = page.locator(".first-list > li").all_inner_texts()
    assert len(things) == 3
    assert things[0].startswith("Use heat") and things[1].startswith("Keep moving")
    assert "pharmacist" in things[2]
    assert axe_problems(page, "self-care result") == []
    _tap(page, "a.timer-link")
    display = page.locator("[data-display]")
    page.wait_for_function("el => el.textContent !== '20:00'", arg=display.element_handle())
    assert page.locator("[data-phase]").inner_text().startswith("Round 1 of")


def test_an_emergency_with_bladder_trouble(phone: Any, server: Server) -> None:
    page = phone
    page.goto(f"{server.url}/triage")
    answer_calmly(page, emergency_sign="bladder_dysfunction")
    assert page.locator("h1").inner_text() == "Call an ambulance now"
    _visible_on_first_screen(page, "a.call-button >> nth=0")
    waiting = page.locator(".wait-list li").all_inner_texts()
    assert any("Unlock the door" in w for w in waiting) and any(
        "Do not drive" in w for w in waiting
    )
    assert axe_problems(page, "emergency") == []
    page.set_viewport_size({"width": 195, "height": 422})  # 200% zoom of a 390 x 844 screen
    box = page.locator("a.call-button").first.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 422, "above the fold at 200% zoom"
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1


def test_a_person_unsure_about_several_signs(phone: Any, server: Server) -> None:
    page = phone
    page.goto(f"{server.url}/triage")
    while not page.locator("form[data-checklist]").count():
        answer_one(page, str(question_id(page)))
    unsure = page.locator('input[name="unsure"]')
    picked = [unsure.nth(n).get_attribute("value") for n in range(min(3, unsure.count()))]
    for n in range(len(picked)):
        page.locator(f'label[for="unsure-{n + 1}"]').tap()
    with page.expect_navigation():
        page.locator("button:has-text('Continue')").tap()
    checks = 0
    for _ in range(80):
        question = question_id(page)
        if question is None:
            break
        if page.locator(".self-check").is_visible():
            checks += 1
            with page.expect_navigation():
                page.locator('button[value="unsure"]').tap()
        else:
            answer_one(page, question)
    assert checks >= 1, "a self-check came before asking again"
    assert page.locator("section.unsure").is_visible()
    assert page.locator(".result-self_care").count() == 0, "not sure is never self-care"
    assert page.locator(".unsure-list li").count() >= 1
    assert axe_problems(page, "result with several not-sure answers") == []


def test_a_care_plan_from_home_in_at_most_three_taps(phone: Any, server: Server) -> None:
    page = phone
    page.goto(f"{server.url}/plan/new")
    page.click("button:has-text('Start the questions')")
    answer_calmly(page)
    page.click("button:has-text('Show my care plan')")
    assert page.locator("h1").inner_text().startswith("Your care plan")
    page.goto(f"{server.url}/")
    _tap(page, "a:has-text('My care plan')")  # tap 1: the plan opens, no questions again
    assert page.locator("h1").inner_text().startswith("Your care plan")
    _visible_on_first_screen(page, ".help-now-list li")
    _visible_on_first_screen(page, ".first-list > li")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= 6 * SCREEN, f"the collapsed plan is {height / SCREEN:.1f} phone screens"
    for heading in ("Now", "Today", "This week"):
        assert page.locator(f"h2:text-is('{heading}')").count() == 1
    assert axe_problems(page, "care plan") == []


def test_the_heat_timer_from_home_in_one_tap(phone: Any, server: Server) -> None:
    page = phone
    page.goto(f"{server.url}/")
    _tap(page, "a[href='/timer/heat?start=1']")  # the one tap
    display = page.locator("[data-display]")
    page.wait_for_function("el => el.textContent !== '20:00'", arg=display.element_handle())
    assert page.locator("button[data-action='pause']").is_visible()


def test_the_emergency_and_learn_pages_work_offline(page: Any, server: Server) -> None:
    page.goto(f"{server.url}/emergency")
    page.wait_for_function(
        "async () => !!(await navigator.serviceWorker.ready).active", timeout=10_000
    )
    page.goto(f"{server.url}/learn/warning-signs")
    page.context.set_offline(True)
    try:
        page.goto(f"{server.url}/emergency")
        assert page.locator("a.call-button").count() >= 1
        assert "While you wait" in page.locator("main").inner_text()
        page.goto(f"{server.url}/learn/warning-signs")
        assert page.locator("h1").inner_text() == "Warning signs"
        page.goto(f"{server.url}/diary")  # never kept: the emergency page instead
        assert page.locator("a.call-button").count() >= 1
    finally:
        page.context.set_offline(False)


def test_back_after_saving_a_result_shows_the_result_again(page: Any, server: Server) -> None:
    """Issue 12: Back after "Save this result in my diary" gave ERR_CACHE_MISS."""
    page.goto(f"{server.url}/triage")
    answer_calmly(page)
    result_url = page.url
    assert "/triage?s=" in result_url and page.locator("h1").inner_text() == "Self-care"
    with page.expect_navigation():
        page.click("button:has-text('Save this result in my diary')")
    assert "Saved in your diary" in page.locator("main").inner_text()
    page.go_back()
    assert page.url == result_url
    assert page.locator("h1").inner_text() == "Self-care", "the result, not a browser error"
    page.go_back()
    assert page.locator('input[name="question_id"]').count() == 1, "and the last question before it"
