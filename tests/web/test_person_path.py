"""Issue 12, "the person's path": regression tests for what broke on the way, and the first screen.

Every interview page has its own address (post/redirect/get), the care plan is kept and opens
again, the timers are one tap from home, scales never save an empty form, and every list is tested
whole (every topic, every scale), not its first item.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from spasmcare.knowledge import KnowledgeBase
from spasmcare.knowledge.learn import active_topics
from spasmcare.scales import list_scales
from tests.api.support import csrf_of
from tests.web.driver import Interview, calm


def test_every_learn_topic_opens(sqlite_api: TestClient, kb: KnowledgeBase) -> None:
    """Issue 12: 10 of 14 topics answered 500 (a source with a DOI and no URL)."""
    topics = active_topics(kb)
    assert len(topics) >= 14
    for topic in topics:
        r = sqlite_api.get(f"/learn/{topic.id}")
        assert r.status_code == 200, (topic.id, r.text[:300])
        assert topic.title in r.text
    doi_only = [
        (t, kb.sources[s])
        for t in topics
        for s in t.sources
        if s in kb.sources and not kb.sources[s].url and kb.sources[s].doi
    ]
    assert doi_only, "some topic cites a source by its DOI alone"
    topic, source = doi_only[0]
    assert f'href="https://doi.org/{source.doi}"' in sqlite_api.get(f"/learn/{topic.id}").text


def test_every_scale_has_a_page_that_says_what_its_score_means(
    sqlite_api: TestClient,
) -> None:
    for scale in list_scales():
        r = sqlite_api.get(f"/scales/{scale.id}")
        assert r.status_code == 200, scale.id
        assert scale.definition.meaning in r.text.replace("&#39;", "'")
        if scale.definition.licence.status != "free":
            licence = r.text.index("<summary>Licence and source</summary>")
            assert r.text.rfind("<details", 0, licence) > 0, "the licence text is collapsed"
            text = html.unescape(r.text)
            assert text.count(scale.definition.licence.text[:30]) == 1, "shown once"


def test_an_empty_pain_form_is_asked_again_and_cannot_be_saved(sqlite_api: TestClient) -> None:
    """Issue 12: "Answered 1 of <built-in method items ...>", and an empty form could be saved."""
    page = sqlite_api.get("/scales/nrs").text
    r = sqlite_api.post("/scales/nrs", data={"csrf_token": csrf_of(page)})
    assert r.status_code == 422 and "Please answer question 1." in r.text
    assert "Save in my diary" not in r.text
    saved = sqlite_api.post(
        "/scales/nrs/save", data={"csrf_token": csrf_of(page), "responses": '{"score": null}'}
    )
    assert saved.status_code == 422
    assert sqlite_api.get("/api/v1/scale-results").json()["total"] == 0


def test_a_scale_score_has_its_own_address_and_saves(sqlite_api: TestClient) -> None:
    page = sqlite_api.get("/scales/nrs").text
    item = re.search(r'name="(item-score)" value="(\d+)"', page)
    assert item
    r = sqlite_api.post(
        "/scales/nrs",
        data={"csrf_token": csrf_of(page), "item-score": "6"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    target = r.headers["location"]
    assert target.startswith("/scales/nrs/result?")
    result = sqlite_api.get(target)
    assert result.status_code == 200
    assert "Answered 1 of 1." in result.text and "built-in method" not in result.text
    assert "Your score: <strong>6</strong>" in result.text
    saved = sqlite_api.post(
        "/scales/nrs/save",
        data={
            "csrf_token": csrf_of(result.text),
            "responses": parse_qs(urlsplit(target).query)["r"][0],
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert sqlite_api.get(target).status_code == 200, "Back after saving still shows the score"


def test_every_interview_page_has_its_own_address(sqlite_api: TestClient) -> None:
    """Issue 12: Back after "Save this result" gave ERR_CACHE_MISS (the result was a POST)."""
    interview = Interview(sqlite_api)
    first = sqlite_api.post(
        "/triage",
        data={
            "csrf_token": csrf_of(interview.page),
            "steps": "[]",
            "question_id": "age",
            "action": "answer",
            "value": "35",
        },
        follow_redirects=False,
    )
    assert first.status_code == 303 and first.headers["location"].startswith("/triage?s=")
    interview.run(calm)
    assert "Save this result in my diary" in interview.page
    saved = sqlite_api.post(
        "/diary/triage",
        data={"csrf_token": csrf_of(interview.page), "steps": interview.field("steps")},
        follow_redirects=False,
    )
    assert saved.status_code == 303 and saved.headers["location"].startswith("/diary/results")


def test_the_result_page_is_a_get_page_and_back_works(sqlite_api: TestClient) -> None:
    interview = Interview(sqlite_api)
    response = None
    for _ in range(60):
        question = interview.field("question_id")
        if question is None:
            break
        response = interview.answer(calm(question, interview.page))
    assert response is not None
    final = str(response.url)
    assert "/triage?s=" in final, "the result came from a redirect to its own address"
    again = sqlite_api.get(final)
    assert again.status_code == 200 and "Self-care" in again.text


def test_the_question_says_how_many_are_left_and_pain_is_ten_buttons(
    sqlite_api: TestClient,
) -> None:
    interview = Interview(sqlite_api)
    assert re.search(r"Question 1 of about \d+", interview.page)
    interview.until(lambda i: i.field("question_id") == "pain")
    buttons = re.findall(r'<button type="submit" name="value" value="(\d+)"', interview.page)
    assert buttons == [str(n) for n in range(11)]
    assert 'id="answer"' not in interview.page, "no typing for pain"
    number = int(re.search(r"Question (\d+) of about (\d+)", interview.page).group(1))  # type: ignore[union-attr]
    assert number == len(interview.steps) + 1


def test_the_self_care_result_shows_get_help_and_three_things_first(
    sqlite_api: TestClient,
) -> None:
    interview = Interview(sqlite_api)
    page = interview.run(calm)
    help_now = page.index("Get help at once if you have")
    first = page.index("Do these first")
    why = page.index('id="why-heading"')
    assert page.index("Self-care") < help_now < first < why
    things = re.findall(r"<li><strong>(.*?)\.</strong>", page[first:why])
    assert len(things) == 3
    assert things[0].startswith("Use heat") and things[1].startswith("Keep moving")
    assert things[2] == "Ask a pharmacist which painkiller is safe for you", (
        "medicines and health problems are not asked yet: no painkiller is called safe"
    )
    assert 'href="/timer/heat?start=1"' in page[first:why]


def test_the_plan_is_saved_and_my_care_plan_opens_it(sqlite_api: TestClient) -> None:
    assert "Start the questions" in sqlite_api.get("/plan").text
    interview = Interview(sqlite_api, mode="plan")
    interview.run(calm)
    r = interview.post({"steps": interview.field("steps")}, url="/plan")
    assert r.status_code == 200 and str(r.url).endswith("/plan?saved=1")
    assert "Saved in your diary" in r.text
    mine = sqlite_api.get("/plan").text
    assert "Your care plan: Self-care" in mine and "Start the questions" not in mine
    assert "Make a new plan" in mine
    first = mine.index("Do these first")
    assert "If you need a painkiller: Ibuprofen" in mine[first:], "checked for this person"
    for heading in ("Now", "Today", "This week"):
        assert f">{heading}</h2>" in mine
    saved = sqlite_api.get("/api/v1/triage-results").json()["items"]
    assert saved[0]["notes"] == "Saved with a care plan."


def test_the_plan_page_is_collapsed(sqlite_api: TestClient) -> None:
    """Every detail, evidence grade and source list sits in a <details> element."""
    interview = Interview(sqlite_api, mode="plan")
    interview.run(calm)
    page = interview.post({"steps": interview.field("steps")}, url="/plan").text
    main = page[page.index("<main") : page.index("</main>")]
    outside = visible_outside_details(main)
    assert "Evidence:" not in outside and "Sources" not in outside
    assert len(outside) < 2500, "the visible text is short"


class _Outside(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.summary = False
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.depth += tag == "details"
        self.summary = self.summary or (tag == "summary" and self.depth == 1)

    def handle_endtag(self, tag: str) -> None:
        self.depth -= tag == "details"
        self.summary = self.summary and tag != "summary"

    def handle_data(self, data: str) -> None:
        if self.depth == 0 or self.summary:
            self.text.append(data)


def visible_outside_details(markup: str) -> str:
    """The text a person sees before opening any <details> (its summaries included)."""
    parser = _Outside()
    parser.feed(markup)
    return " ".join(" ".join(parser.text).split())


@pytest.mark.parametrize("kind", ["heat", "cold"])
def test_a_timer_is_one_tap_from_home(sqlite_api: TestClient, kind: str) -> None:
    home = sqlite_api.get("/").text
    assert f'href="/timer/{kind}?start=1"' in home
    page = sqlite_api.get(f"/timer/{kind}?start=1").text
    assert "data-autostart" in page and "data-timer" in page
    assert "data-autostart" not in sqlite_api.get(f"/timer/{kind}").text


def test_the_emergency_page_calls_the_configured_number(sqlite_api: TestClient) -> None:
    page = sqlite_api.get("/emergency").text
    assert "While you wait" in page and "Unlock the door" in page
    assert page.count('class="call-button"') == 3, "the fallback: three common numbers"


def test_one_emergency_number_from_the_settings(
    request: pytest.FixtureRequest, tmp_path: object
) -> None:
    from pathlib import Path

    from tests.api.support import build, client

    app = next(build(request, Path(str(tmp_path)), "sqlite", emergency_number="000"))
    try:
        api = client(app)
        page = api.get("/emergency").text
        assert "Call 000 now" in page and page.count('class="call-button"') == 1
        assert 'href="tel:000"' in page and "999" not in page
        interview = Interview(api)
        result = interview.run(
            lambda q, p: (
                {"value": "bladder_dysfunction"}
                if "bladder_dysfunction" in p and "data-checklist" in p
                else calm(q, p)
            )
        )
        assert "Call 000 now" in result and "While you wait" in result
        assert result.index('class="call-button"') < result.index("While you wait")
    finally:
        app.state.spasmcare.storage.close()


JARGON = re.compile(
    r"\b[a-z]+_[a-z_]+\b|\b[EUSN][0-9]{1,2}\b|knowledge base|seed[ -]article|\brules? [EUSN]\d",
    re.IGNORECASE,
)


def test_no_internal_ids_or_jargon_on_any_page(sqlite_api: TestClient) -> None:
    """Issue 12: `lower_back`, rule codes, "knowledge base" and "seed article" reached patients.
    Checked on every page of the crawl, outside the collapsed sources (citations keep their page
    numbers, like "e23")."""
    from tests.web.crawl import crawl
    from tests.web.seed import interview_pages, seed_every_kind
    from tests.web.test_crawl import fetch

    seed_every_kind(sqlite_api)
    found = crawl(fetch(sqlite_api), start=("/", *interview_pages()))  # type: ignore[arg-type]
    offenders = {}
    for url in found.pages:
        page = sqlite_api.get(url).text
        main = page[page.index("<body") :]
        text = visible_outside_details(re.sub(r"<script.*?</script>", "", main, flags=re.S))
        hits = sorted({m.group(0) for m in JARGON.finditer(text)})
        whole = html.unescape(page).lower()
        hits += [w for w in ("knowledge base", "seed article", "seed-article") if w in whole]
        if hits:
            offenders[url] = hits
    assert offenders == {}


def test_the_readme_shows_three_screens_made_by_the_script() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    shown = re.findall(r'<img src="(docs/screens/[^"]+\.png)"', (root / "README.md").read_text())
    assert len(shown) >= 3
    for path in shown:
        assert (root / path).is_file(), path
    assert (root / "scripts" / "screenshots.py").is_file()


@pytest.mark.parametrize("token", ["not-a-token", "eJzLSM3JyQcABiwCFQ", "A" * 7000])
def test_a_broken_or_changed_address_asks_to_start_again(
    sqlite_api: TestClient, token: str
) -> None:
    r = sqlite_api.get("/triage", params={"s": token})
    assert r.status_code == 400 and "Please start again" in r.text
    assert "Traceback" not in r.text


def test_a_token_that_inflates_too_far_is_refused() -> None:
    import base64
    import zlib

    from spasmcare.errors import IntakeError
    from spasmcare.web.interview_form import parse_token

    bomb = base64.urlsafe_b64encode(zlib.compress(b"[" + b" " * 5_000_000 + b"]", 9)).decode()
    assert len(bomb) < 8_000
    with pytest.raises(IntakeError):
        parse_token(bomb.rstrip("="))
