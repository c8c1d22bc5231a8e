"""The web app in real Chromium: the triage interview to an emergency and to self-care, a diary
entry, a timer, an export download; axe-core on every page (zero serious or critical violations);
no Content-Security-Policy violation; pages reflow at 320 px (400% zoom) and work from the keyboard."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from spasmcare.knowledge import KnowledgeBase
from tests.browser.conftest import Server
from tests.browser.helpers import answer_calmly, run_axe

pytestmark = pytest.mark.browser


def assert_accessible(page: Any, where: str) -> None:
    violations = run_axe(page)
    assert violations == [], f"{where}: {json.dumps(violations, indent=1)}"
    csp = [p for p in page.problems if "Content Security Policy" in p or "Refused to" in p]
    assert csp == [], f"{where}: {csp}"


def test_triage_to_an_emergency_fills_the_screen_with_the_call(page: Any, server: Server) -> None:
    page.goto(f"{server.url}/triage")
    assert_accessible(page, "first question")
    answer_calmly(page, emergency_sign="saddle_numbness")
    heading = page.locator("h1")
    assert heading.inner_text() == "Call an ambulance now"
    call = page.locator("section.call-now")
    box = call.bounding_box()
    assert box is not None and box["y"] < 200, "the call is at the top"
    button = page.locator("a.call-button").first.bounding_box()
    assert button is not None and button["y"] + button["height"] < 400, "the button comes first"
    link = page.locator("a.call-button").first
    assert link.is_visible() and link.get_attribute("href") == "tel:911"
    assert_accessible(page, "emergency result")


def test_triage_to_self_care(page: Any, server: Server) -> None:
    page.goto(f"{server.url}/triage")
    answer_calmly(page)
    assert page.locator("h1").inner_text() == "Self-care"
    assert page.locator(".incomplete").count() == 0
    assert_accessible(page, "self-care result")
    page.click("button:has-text('Save this result in my diary')")
    assert "Saved in your diary" in page.locator("main").inner_text()


def test_the_interview_works_from_the_keyboard(page: Any, server: Server) -> None:
    page.goto(f"{server.url}/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.goto(f"{server.url}/triage")
    assert page.evaluate("document.activeElement.id") == "answer", "the answer box has focus"
    page.keyboard.type("44")
    page.keyboard.press("Enter")
    page.wait_for_selector('input[value="regions"]', state="attached")
    page.keyboard.press("Tab")  # to the first region checkbox... through the page in order
    page.locator('input[value="neck"]').focus()
    page.keyboard.press("Space")
    assert page.locator('input[value="neck"]').is_checked()


def test_a_diary_entry_in_three_taps(page: Any, server: Server) -> None:
    page.goto(f"{server.url}/")
    page.click("a:has-text('Log a spasm')")  # 1
    page.check('input[value="upper_back"]')  # 2
    assert_accessible(page, "quick entry")
    page.click('button[value="6"]')  # 3
    assert "Saved." in page.locator("main").inner_text()
    assert "Pain 6 out of 10" in page.locator("main").inner_text()
    stored = httpx.get(f"{server.url}/api/v1/episodes").json()["items"]
    assert any(e["regions"] == ["upper_back"] and e["worst_pain"] == 6 for e in stored)


def test_a_stretch_timer_counts_down_and_pauses(page: Any, server: Server) -> None:
    page.goto(f"{server.url}/plan/new")
    page.click("button:has-text('Start the questions')")
    answer_calmly(page)
    assert page.locator("h1").inner_text() == "About your medicines and health"
    assert_accessible(page, "plan details")
    page.fill("#medicines", "ibuprofen")
    page.click("button:has-text('Show my care plan')")
    assert page.locator("h1").inner_text().startswith("Your care plan")
    assert_accessible(page, "care plan")
    page.locator("details#step-stretch_routine > summary").click()  # details are collapsed
    timer = page.locator("#step-stretch_routine section.timer[data-on='30']").first
    assert timer.locator("[data-live]").is_visible(), "script shows the controls"
    assert not timer.locator("[data-no-script]").is_visible()
    display = timer.locator("[data-display]")
    assert display.inner_text() == "0:30"
    timer.locator("button[data-action='start']").click()
    page.wait_for_function(
        "el => el.textContent !== '0:30'", arg=display.element_handle(), timeout=5000
    )
    assert re.fullmatch(r"0:2\d", display.inner_text())
    assert timer.locator("[data-phase]").inner_text().startswith("Round 1 of")
    timer.locator("button[data-action='pause']").click()
    paused = display.inner_text()
    page.wait_for_timeout(1500)
    assert display.inner_text() == paused
    assert timer.locator("[data-phase]").inner_text() == "Paused."
    timer.locator("button[data-action='reset']").click()
    assert display.inner_text() == "0:30"
    page.locator("details#step-heat > summary").click()
    heat = page.locator("#step-heat section.timer[data-on='1200']").first
    assert heat.locator("[data-display]").inner_text() == "20:00"


def test_export_downloads_the_diary(page: Any, server: Server, tmp_path: Path) -> None:
    page.goto(f"{server.url}/export")
    assert_accessible(page, "export")
    with page.expect_download() as info:
        page.click("a:has-text('Everything, as one file')")
    download = info.value
    assert download.suggested_filename.startswith("spasmcare-diary-")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["format"] == "spasmcare-diary" and "episodes" in data


PAGES = [
    "/",
    "/about",
    "/triage",
    "/plan",
    "/diary",
    "/diary/new",
    "/diary/charts",
    "/diary/doses",
    "/diary/results",
    "/scales",
    "/scales/nrs",
    "/scales/psfs",
    "/scales/mas",
    "/export",
    "/learn",
    "/learn/search?q=calf+cramp",
    "/learn/warning-signs",
    "/learn/glossary",
]


def _with_records(server: Server) -> list[str]:
    """Pages that need a record: an episode page (and a topic page)."""
    episode = httpx.post(
        f"{server.url}/api/v1/episodes",
        json={"started_at": "2025-05-01T08:00:00Z", "regions": ["neck"], "worst_pain": 5},
    ).json()["id"]
    topic = httpx.get(f"{server.url}/api/v1/topics").json()[0]["id"]
    return [f"/diary/episodes/{episode}", f"/learn/{topic}"]


def test_every_page_passes_axe_and_reflows_at_320_pixels(page: Any, server: Server) -> None:
    pages = PAGES + _with_records(server)
    failures = []
    for path in pages:
        page.set_viewport_size({"width": 412, "height": 860})
        page.goto(f"{server.url}{path}")
        try:
            assert_accessible(page, path)
        except AssertionError as exc:
            failures.append(str(exc))
        page.set_viewport_size({"width": 320, "height": 640})
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 1:
            failures.append(f"{path}: {overflow}px wider than a 320px screen")
    assert not failures, "\n".join(failures)


def test_account_pages_pass_axe(page: Any, multi_server: Server) -> None:
    for path in ("/account/login", "/account/register"):
        page.goto(f"{multi_server.url}{path}")
        assert_accessible(page, path)
    page.fill("#username", "erin")
    page.fill("#password", "a long pass phrase")
    page.fill("#password_again", "a long pass phrase")
    page.click("button:has-text('Create my account')")
    assert page.locator("h1").inner_text() == "Your diary"
    page.goto(f"{multi_server.url}/account")
    assert_accessible(page, "/account")


def test_search_as_you_type_and_history_paging_use_htmx_within_the_csp(
    page: Any, server: Server
) -> None:
    page.goto(f"{server.url}/learn")
    page.fill("#q", "calf cramp")
    page.wait_for_selector("#search-results li", timeout=10_000)
    assert page.url.startswith(f"{server.url}/learn/search?q=calf"), "htmx pushed the search URL"
    assert page.locator("#search-results mark").count() > 0
    assert page.locator("h1").inner_text() == "Learn", "the page was updated, not replaced"
    for day in range(25):
        httpx.post(
            f"{server.url}/api/v1/episodes",
            json={
                "started_at": f"2024-02-{day + 1:02d}T08:00:00Z",
                "regions": ["calf"],
                "worst_pain": 2,
            },
        )
    page.goto(f"{server.url}/diary")
    first = page.locator("#history .entries li").first.inner_text()
    page.click("a:has-text('Older entries')")
    page.wait_for_function(
        "() => document.querySelector('.pager span')?.textContent.startsWith('Page 2')"
    )
    assert page.locator("#history .entries li").first.inner_text() != first
    assert page.url.endswith("/diary?page=2")
    csp = [p for p in page.problems if "Content Security Policy" in p or "Refused to" in p]
    assert csp == []


# -- "Not sure" and "None of these" (Triage v2) -------------------------------------------------
def to_first_checklist(page: Any, server: Server) -> str:
    """Start the interview and answer until the first checklist; its question id."""
    page.goto(f"{server.url}/triage")
    for _ in range(10):
        if page.locator("form[data-checklist]").count():
            return str(page.locator('input[name="question_id"]').get_attribute("value"))
        question = page.locator('input[name="question_id"]').get_attribute("value")
        if question == "age":
            page.fill("#answer", "35")
        elif question == "regions":
            page.check('input[value="lower_back"]')
        submit(page, lambda: page.click("button:has-text('Next')"))
    raise AssertionError("no checklist came")


def submit(page: Any, act: Any) -> None:
    """Do ``act()`` (a click, tap or key press that sends the form) and wait for the new page."""
    with page.expect_navigation():
        act()


def question_id(page: Any) -> str | None:
    found = page.locator('input[name="question_id"]')
    return str(found.get_attribute("value")) if found.count() else None


def steps(page: Any) -> list[Any]:
    return list(json.loads(page.locator('input[name="steps"]').first.get_attribute("value")))


def test_an_empty_checklist_is_refused_on_the_same_page(page: Any, server: Server) -> None:
    question = to_first_checklist(page, server)
    assert_accessible(page, "checklist")
    assert page.locator("form[data-checklist] input:checked").count() == 0, "nothing chosen"
    submit(page, lambda: page.click("button:has-text('Continue')"))
    assert question_id(page) == question, "the same question"
    alert = page.locator('[role="alert"]')
    assert alert.is_visible() and "None of these" in alert.inner_text()
    assert steps(page)[-1][0] != question, "nothing was recorded"
    assert_accessible(page, "checklist refused")
    page.locator("button:has-text('Continue')").focus()  # Enter is no way round it either
    submit(page, lambda: page.keyboard.press("Enter"))
    assert question_id(page) == question and page.locator('[role="alert"]').is_visible()


def test_none_of_these_and_not_sure_by_keyboard(
    page: Any, server: Server, kb: KnowledgeBase
) -> None:
    question = to_first_checklist(page, server)
    page.locator("#yes-1").focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "yes-1"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "unsure-1"
    page.keyboard.press("Space")
    assert page.locator("#unsure-1").is_checked()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Space")  # Yes for the same sign: the script unticks Not sure
    assert page.locator("#yes-1").is_checked() and not page.locator("#unsure-1").is_checked()
    page.locator("#none").focus()
    page.keyboard.press("Space")  # None of these: the script unticks the rest
    assert page.locator("#none").is_checked() and not page.locator("#yes-1").is_checked()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Continue"
    submit(page, lambda: page.keyboard.press("Enter"))
    assert steps(page)[-1] == [question, "none"]

    page.locator('button:has-text("Back to the last question")').focus()
    submit(page, lambda: page.keyboard.press("Enter"))
    assert question_id(page) == question
    first = str(page.locator("#unsure-1").get_attribute("value"))
    page.locator("#unsure-1").focus()
    page.keyboard.press("Space")
    page.locator("button:has-text('Continue')").focus()
    submit(page, lambda: page.keyboard.press("Enter"))
    answer = steps(page)[-1]
    assert answer[0] == question and answer[1][first] == "unsure"
    assert {v for k, v in answer[1].items() if k != first} == {False}
    if kb.findings[first].self_check:
        assert question_id(page) == first
        check = page.locator(".self-check")
        assert check.is_visible() and kb.findings[first].self_check in check.inner_text()
        box, heading = check.bounding_box(), page.locator("h1").bounding_box()
        assert box is not None and heading is not None and box["y"] < heading["y"]
        assert_accessible(page, "self-check")
        page.locator('button[value="unsure"]').focus()
        submit(page, lambda: page.keyboard.press("Enter"))
        assert steps(page)[-1] == [first, "unsure"]


def test_none_of_these_and_not_sure_by_tap_on_a_phone(phone: Any, server: Server) -> None:
    page = phone
    question = to_first_checklist(page, server)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, "fits a 390 px screen"
    for target in ("#yes-1", "#unsure-1", "#none"):
        box = page.locator(target).locator("xpath=..").bounding_box()
        assert box is not None and box["height"] >= 44, f"{target}: a big enough target"
    page.locator('label[for="unsure-2"]').tap()
    assert page.locator("#unsure-2").is_checked()
    page.locator('label[for="none"]').tap()
    assert page.locator("#none").is_checked() and not page.locator("#unsure-2").is_checked()
    submit(page, lambda: page.locator("button:has-text('Continue')").tap())
    assert steps(page)[-1] == [question, "none"]
    assert question_id(page) != question

    submit(page, lambda: page.locator('button:has-text("Back to the last question")').tap())
    second = str(page.locator("#unsure-2").get_attribute("value"))
    page.locator('label[for="unsure-2"]').tap()
    submit(page, lambda: page.locator("button:has-text('Continue')").tap())
    answer = steps(page)[-1]
    assert answer[0] == question and answer[1][second] == "unsure"


def test_a_result_with_not_sure_answers_says_what_to_do(phone: Any, server: Server) -> None:
    page = phone
    to_first_checklist(page, server)
    page.locator('input[name="unsure"][value="saddle_numbness"]').check()
    submit(page, lambda: page.click("button:has-text('Continue')"))
    assert question_id(page) == "saddle_numbness" and page.locator(".self-check").is_visible()
    submit(page, lambda: page.click('button[value="unsure"]'))
    answer_calmly(page)
    assert page.locator(".result-urgent").count() == 1
    unsure = page.locator("section.unsure")
    assert unsure.is_visible()
    text = unsure.inner_text()
    assert "What you were not sure about" in text and "What to do about it" in text
    assert_accessible(page, "result with not-sure answers")
