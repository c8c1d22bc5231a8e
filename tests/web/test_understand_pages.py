"""The "Tell us what happened" box in the web app, as a browser without JavaScript uses it: the story box on
the first page of the interview, the "You said: ... is that right?" page with every item editable,
then the interview from the confirmed answers (or the emergency result at once)."""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import parse_qs, urlparse

from fastapi.testclient import TestClient

from spasmcare.knowledge import KnowledgeBase
from spasmcare.web.interview_form import START, parse_token
from tests.api.support import csrf_of


def text_of(page: str) -> str:
    main = page.split('<main id="main"', 1)[-1]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)))


def tell(api: TestClient, story: str) -> Any:
    start = api.get("/triage").text
    return api.post("/triage/understand", data={"csrf_token": csrf_of(start), "story": story})


def checked(page: str, name: str) -> list[str]:
    return re.findall(rf'name="{re.escape(name)}" value="([^"]*)" checked', page)


def test_the_first_page_offers_the_story_box_without_javascript(sqlite_api: TestClient) -> None:
    page = sqlite_api.get("/triage").text
    box = re.search(r'<form method="post" action="/triage/understand".*?</form>', page, re.S)
    assert box is not None
    assert 'name="csrf_token"' in box.group(0) and '<textarea id="story" name="story"' in box.group(
        0
    )
    assert '<label for="story">Tell us what happened' in box.group(0)
    assert "<script" not in box.group(0)
    # The questions are still there, below it; later pages and the plan do not repeat the box.
    assert 'action="/triage" class="question"' in page


def test_what_was_understood_is_shown_with_every_item_editable(sqlite_api: TestClient) -> None:
    story = "I'm 45, low back pain for 3 days, no fever, peeing fine. My dad had cancer. It was at work."
    r = tell(sqlite_api, story)
    assert r.status_code == 200
    page = r.text
    words = text_of(page)
    assert "You said: is that right?" in words
    assert "You wrote: no fever" in words
    assert checked(page, "finding.fever") == ["no"]
    assert checked(page, "finding.bladder_dysfunction") == ["no"]
    assert checked(page, "regions") == ["lower_back"]
    assert 'name="age" type="text" inputmode="numeric" autocomplete="off" value="45"' in page
    assert 'value="3"' in page  # days since it started
    assert "Not counted as yours" in words and "My dad had cancer" in words
    assert "Words we could not place" in words and "It was at work" in words
    for choice in ("Yes", "No", "Not sure", "Leave it for the questions"):
        assert choice in words


def test_confirmed_answers_start_the_interview_with_what_is_still_open(
    sqlite_api: TestClient,
) -> None:
    page = tell(sqlite_api, "I'm 45, low back pain, no fever, peeing fine").text
    data = {
        "csrf_token": csrf_of(page),
        "story": "x",
        "age": "45",
        "regions": ["lower_back", "buttock"],
        "finding.fever": "unsure",  # changed from no
        "finding.bladder_dysfunction": "",  # left for the questions
        "action": "confirm",
    }
    r = sqlite_api.post("/triage/understand/confirm", data=data, follow_redirects=False)
    assert r.status_code == 303
    token = parse_qs(urlparse(r.headers["location"]).query)["s"][0]
    steps = parse_token(token)
    assert steps == [
        (START, {"age": 45, "regions": ["lower_back", "buttock"], "findings": {"fever": "unsure"}})
    ]
    question = sqlite_api.get(r.headers["location"]).text
    assert "Question 1" in text_of(question)
    assert 'action="/triage/understand"' not in question  # the story is told once
    assert 'name="question_id" value="age"' not in question
    assert 'name="question_id" value="regions"' not in question
    assert "x" not in token  # the story itself is never carried in the address


def test_a_confirmed_emergency_sign_goes_straight_to_the_emergency_result(
    sqlite_api: TestClient,
) -> None:
    page = tell(sqlite_api, "I'm 45 and can't feel my bum when I wipe, low back pain").text
    assert checked(page, "finding.saddle_numbness") == ["yes"]
    assert "Signs that need a closer look" in text_of(page)
    data = {
        "csrf_token": csrf_of(page),
        "age": "45",
        "regions": "lower_back",
        "finding.saddle_numbness": "yes",
        "action": "confirm",
    }
    r = sqlite_api.post("/triage/understand/confirm", data=data)
    assert r.status_code == 200
    assert "Emergency: call now" in r.text
    # Changed to "no", the same story goes on to the questions instead.
    data["finding.saddle_numbness"] = "no"
    r = sqlite_api.post("/triage/understand/confirm", data=data)
    assert "Emergency: call now" not in r.text and 'name="question_id"' in r.text


def test_without_age_the_questions_start_with_it(sqlite_api: TestClient) -> None:
    page = tell(sqlite_api, "I can't pee and my back hurts").text
    data = {
        "csrf_token": csrf_of(page),
        "regions": "lower_back",
        "finding.bladder_dysfunction": "yes",
        "action": "confirm",
    }
    r = sqlite_api.post("/triage/understand/confirm", data=data)
    assert 'name="question_id" value="age"' in r.text


def test_a_value_that_cannot_be_an_answer_is_shown_on_the_same_page(
    sqlite_api: TestClient,
) -> None:
    page = tell(sqlite_api, "I'm 45, low back pain").text
    data = {"csrf_token": csrf_of(page), "story": "I'm 45, low back pain", "age": "200"}
    r = sqlite_api.post("/triage/understand/confirm", data={**data, "action": "confirm"})
    assert r.status_code == 422
    assert "Please write a whole number from 0 to 120" in text_of(r.text)
    assert "You said: is that right?" in text_of(r.text)
    bad = {**data, "age": "45", "finding.feverr": "yes", "action": "confirm"}
    assert sqlite_api.post("/triage/understand/confirm", data=bad).status_code == 422
    bad = {**data, "age": "45", "sex": "male", "pregnant": "yes", "action": "confirm"}
    r = sqlite_api.post("/triage/understand/confirm", data=bad)
    assert r.status_code == 422 and "do not fit together" in text_of(r.text)


def test_change_what_i_wrote_gives_the_text_back(sqlite_api: TestClient) -> None:
    page = tell(sqlite_api, "low back pain <b>after</b> gardening").text
    data = {"csrf_token": csrf_of(page), "story": "low back pain <b>after</b> gardening"}
    r = sqlite_api.post("/triage/understand/confirm", data={**data, "action": "edit"})
    assert r.status_code == 200
    assert "low back pain &lt;b&gt;after&lt;/b&gt; gardening</textarea>" in r.text


def test_bad_input_gets_a_message_and_the_box_again(sqlite_api: TestClient) -> None:
    for story, words in (
        ("", "Please tell us in a few words"),
        ("x" * 10_000, "longer than we can read"),
        ("😀😀😀", "could not find any words"),
        ("Me duele mucho la espalda y tengo fiebre", "English only"),
        ("\x01\x02\x03\x04\x05\x06 \xff", "could not find any words"),
    ):
        r = tell(sqlite_api, story)
        assert r.status_code == 200, story
        assert words in text_of(r.text), (story, text_of(r.text)[:300])
        assert '<textarea id="story" name="story"' in r.text
        assert 'href="/triage">Answer the questions instead' in r.text


def test_the_story_pages_need_the_form_token(sqlite_api: TestClient) -> None:
    sqlite_api.get("/triage")
    r = sqlite_api.post("/triage/understand", data={"story": "back pain"})
    assert r.status_code == 403
    r = sqlite_api.post("/triage/understand/confirm", data={"age": "40", "action": "confirm"})
    assert r.status_code == 403


def test_a_tampered_start_step_asks_to_start_again(
    sqlite_api: TestClient, kb: KnowledgeBase
) -> None:
    from spasmcare.web.interview_form import steps_token

    token = steps_token([(START, {"findings": {"feverr": True}})])
    r = sqlite_api.get(f"/triage?s={token}")
    assert r.status_code == 400
    assert "Please start again" in r.text
    token = steps_token([(START, "not an object")])
    assert sqlite_api.get(f"/triage?s={token}").status_code == 400
