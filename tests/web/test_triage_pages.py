"""The triage pages after "Triage v2": "Not sure" is an answer and a blank is not "no".

Every checklist item offers Yes and Not sure (nothing chosen at first) and the checklist offers
"None of these"; an empty checklist is refused on the same page; "Not sure" on a sign with a
self-check shows the check before the question comes back; the result says what the person was not
sure about and what to do. The interview is driven by answering whatever question comes, so these
tests do not depend on the order of the knowledge base's steps.
"""

from __future__ import annotations

import html
import re
from types import SimpleNamespace
from typing import Any

import pytest
from fastapi.testclient import TestClient

from spasmcare.knowledge import KnowledgeBase
from spasmcare.triage import Question, evaluate, parse_intake
from spasmcare.triage.engine import unsure_label
from spasmcare.triage.interview import Option
from spasmcare.web.interview_form import Submitted, checklist_from_form, names_from_text
from spasmcare.web.pages.triage import unanswered_labels
from tests.web.driver import Interview, calm


def at_checklist(interview: Interview) -> bool:
    return interview.kind == "checklist"


def checklist_with(finding: str) -> Any:
    return lambda interview: interview.kind == "checklist" and finding in interview.options()


def text_of(fragment: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)))


def test_a_checklist_offers_yes_not_sure_and_none_with_nothing_chosen(
    sqlite_api: TestClient,
) -> None:
    interview = Interview(sqlite_api)
    interview.until(at_checklist)
    page = interview.page
    options = interview.options()
    assert len(options) >= 2
    assert len(re.findall(r'<fieldset class="item">\s*<legend', page)) == len(options)
    for i, value in enumerate(options, start=1):
        assert f'id="yes-{i}" name="value" value="{value}"' in page
        assert f'id="unsure-{i}" name="unsure" value="{value}"' in page
        assert f'<label for="yes-{i}">Yes</label>' in page
        assert f'<label for="unsure-{i}">Not sure</label>' in page
    assert '<label for="none">None of these</label>' in page
    assert " checked" not in page, "nothing is chosen at first"
    assert "Continue without ticking" not in page, "a blank is never an answer"


def test_an_empty_checklist_is_refused_with_a_clear_message_on_the_same_page(
    sqlite_api: TestClient,
) -> None:
    interview = Interview(sqlite_api)
    interview.until(at_checklist)
    question, steps = interview.field("question_id"), interview.steps
    r = interview.answer(None)
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html")
    assert interview.field("question_id") == question, "the same question again"
    assert interview.steps == steps, "nothing was recorded"
    error = interview.error()
    assert error is not None and "None of these" in error and "Not sure" in error
    fieldset = re.search(r'<fieldset class="options checklist"[^>]*>', r.text)
    assert fieldset is not None and "answer-error" in fieldset.group(0), "tied to the question"
    assert '<h1 class="question-text">' in r.text, "the question page, not an error page"


def test_none_of_these_answers_a_checklist(sqlite_api: TestClient) -> None:
    interview = Interview(sqlite_api)
    interview.until(at_checklist)
    question = interview.field("question_id")
    r = interview.answer({"none": "none"})
    assert r.status_code == 200 and interview.error() is None
    assert interview.steps[-1] == [question, "none"]
    assert interview.field("question_id") != question


def test_not_sure_about_one_item_keeps_the_rest_no(sqlite_api: TestClient) -> None:
    interview = Interview(sqlite_api)
    interview.until(at_checklist)
    question = interview.field("question_id")
    options = interview.options()
    r = interview.answer({"unsure": options[-1]})
    assert r.status_code == 200, interview.error()
    answer = interview.steps[-1]
    assert answer[0] == question
    assert answer[1] == {o: ("unsure" if o == options[-1] else False) for o in options}


def test_contradictory_checklist_answers_are_refused(sqlite_api: TestClient) -> None:
    interview = Interview(sqlite_api)
    interview.until(at_checklist)
    first = interview.options()[0]
    r = interview.answer({"none": "none", "value": first})
    assert r.status_code == 422 and "None of these" in (interview.error() or "")
    assert 'id="none" name="none" value="none" data-answer="none" checked' in r.text, "kept"
    r = interview.answer({"value": first, "unsure": first})
    assert r.status_code == 422 and "both Yes and Not sure" in (interview.error() or "")
    r = interview.answer({"value": "not_an_option"})
    assert r.status_code == 422


def test_not_sure_about_saddle_numbness_shows_the_self_check_and_the_result_says_what_to_do(
    sqlite_api: TestClient, kb: KnowledgeBase
) -> None:
    check = kb.findings["saddle_numbness"].self_check
    assert check, "the knowledge base has a self-check for saddle numbness"
    interview = Interview(sqlite_api)
    interview.until(checklist_with("saddle_numbness"))
    r = interview.answer({"unsure": "saddle_numbness"})
    assert r.status_code == 200, interview.error()
    assert interview.field("question_id") == "saddle_numbness" and interview.kind == "yesno"
    page = r.text
    box = re.search(r'<div class="self-check" id="self-check">(.*?)</div>', page, re.S)
    assert box is not None and html.escape(check, quote=True) in box.group(1)
    assert page.index('class="self-check"') < page.index("<h1"), "above the question"
    assert 'aria-describedby="self-check' in page
    assert '<button type="submit" name="value" value="unsure"' in page, "Not sure is still offered"

    r = interview.answer("unsure")  # the second answer is kept
    assert r.status_code == 200
    assert interview.steps[-1] == ["saddle_numbness", "unsure"]
    assert interview.field("question_id") != "saddle_numbness", "asked again only once"
    page = interview.run(calm)
    assert "result-urgent" in page, "N1: an emergency sign the person is not sure about"
    section = re.search(r'<section class="unsure".*?</section>', page, re.S)
    assert section is not None
    text = text_of(section.group(0))
    assert "What you were not sure about" in text
    label = unsure_label(kb, "saddle_numbness")
    assert label in text
    advice = re.findall(r'<p class="unsure-advice">(.*?)</p>', section.group(0), re.S)
    assert advice and label in html.unescape(advice[0]), "the advice names what was unsure"

    r = interview.post({"steps": interview.field("steps")}, url="/diary/triage")
    assert r.status_code == 200 and "Saved in your diary" in r.text
    saved = sqlite_api.get("/api/v1/triage-results").json()["items"][0]
    assert saved["intake"]["findings"]["saddle_numbness"] == "unsure"
    assert "self_checked" not in saved["intake"], "the diary keeps an intake, not form state"
    assert saved["result"]["unsure"] == result_unsure(saved)


def result_unsure(saved: dict[str, Any]) -> list[str]:
    return [f for f, v in saved["intake"]["findings"].items() if v == "unsure"]


def test_not_sure_on_a_yes_no_question_is_an_answer(sqlite_api: TestClient) -> None:
    interview = Interview(sqlite_api)

    def unsure_nerves(question: str, page: str) -> Any:
        if "data-checklist" in page and 'value="saddle_numbness" data-item' in page:
            return {"unsure": "saddle_numbness"}
        return calm(question, page)

    interview.until(lambda i: i.kind == "yesno", unsure_nerves)
    question = interview.field("question_id")
    r = interview.answer("unsure")
    assert r.status_code == 200 and interview.steps[-1] == [question, "unsure"]


def test_the_medicines_question_takes_names_and_an_empty_answer_means_none(
    sqlite_api: TestClient,
) -> None:
    interview = Interview(sqlite_api)
    interview.until(lambda i: i.kind == "names")
    assert interview.field("question_id") == "medicines"
    assert '<label for="answer">' in interview.page and "leave it empty" in interview.page
    r = interview.answer("ibuprofen\nsertraline, Ibuprofen;  ibuprofen ")
    assert r.status_code == 200
    assert interview.steps[-1] == ["medicines", ["ibuprofen", "sertraline"]]
    interview.post({"steps": interview.field("steps"), "action": "back", "mode": "triage"})
    assert interview.field("question_id") == "medicines"
    r = interview.answer("")
    assert r.status_code == 200 and interview.steps[-1] == ["medicines", []]
    interview.post({"steps": interview.field("steps"), "action": "back", "mode": "triage"})
    r = interview.answer("x" * 201)
    assert r.status_code == 422 and "too long" in (interview.error() or "")


def test_the_plan_details_form_starts_with_the_medicines_from_the_interview(
    sqlite_api: TestClient,
) -> None:
    interview = Interview(sqlite_api, mode="plan")

    def with_medicine(question: str, page: str) -> Any:
        return "naproxen" if question == "medicines" else calm(question, page)

    page = interview.run(with_medicine)
    assert "About your medicines and health" in page
    assert re.search(r'<textarea id="medicines"[^>]*>naproxen</textarea>', page)


def test_an_incomplete_result_names_the_remaining_questions_in_plain_words(
    kb: KnowledgeBase,
) -> None:
    intake = parse_intake({"age": 30, "regions": ["lower_back"]}, kb)
    result = evaluate(intake, kb)
    assert {"pain", "onset", "duration_days", "sex", "pregnant"} <= set(result.unanswered)
    labels = unanswered_labels(result, SimpleNamespace(kb=kb))
    assert len(labels) == len(result.unanswered)
    assert "How bad the pain is, from 0 to 10" in labels
    assert "Whether you could be pregnant" in labels
    assert "How many days ago this episode started" in labels and "Your sex" in labels
    assert not [label for label in labels if "_" in label], "plain words, not ids"


def _question(options: list[str]) -> Question:
    return Question(
        id="signs",
        kind="checklist",
        text="Any of these?",
        options=tuple(Option(value=o, label=o.title()) for o in options),
        unsure=True,
    )


@pytest.mark.parametrize(
    ("sent", "expected"),
    [
        (Submitted(["a"]), ["a"]),
        (Submitted([], none=True), "none"),
        (Submitted([], ["b"]), {"a": False, "b": "unsure", "c": False}),
        (Submitted(["c", "c"], ["a"]), {"a": "unsure", "b": False, "c": True}),
    ],
)
def test_checklist_form_values(sent: Submitted, expected: Any) -> None:
    assert checklist_from_form(_question(["a", "b", "c"]), sent) == expected


@pytest.mark.parametrize(
    "sent",
    [Submitted([]), Submitted(["a"], none=True), Submitted(["a"], ["a"]), Submitted(["z"])],
)
def test_blank_or_contradictory_checklist_forms_are_refused(sent: Submitted) -> None:
    from spasmcare.errors import IntakeError

    with pytest.raises(IntakeError) as caught:
        checklist_from_form(_question(["a", "b", "c"]), sent)
    assert caught.value.problems[0].path == "signs"


def test_names_are_split_on_commas_and_lines() -> None:
    question = Question(id="medicines", kind="names", text="Which medicines?")
    assert names_from_text(" a, b\n\nc ;a", question) == ["a", "b", "c"]
    assert names_from_text("  \n ", question) == []
    assert names_from_text("None.", question) == [] and names_from_text("no", question) == []
    assert names_from_text("diazepam 2,5 mg, ibuprofen", question) == [
        "diazepam 2,5 mg",
        "ibuprofen",
    ]
