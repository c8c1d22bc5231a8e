"""The web pages without JavaScript: every page renders, every form is CSRF-protected, the triage
interview reaches an emergency (a full-screen call instruction with a tel: link) and self-care, a diary
entry takes three taps, and export and import work."""

from __future__ import annotations

import html
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from spasmcare.knowledge import KnowledgeBase
from tests.api.diary_data import KINDS, create
from tests.api.support import all_routes, client, csrf_of
from tests.web.driver import Interview, calm

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "spasmcare" / "web" / "templates"
HTML = {"accept": "text/html"}
NOT_PAGES = ("/api/", "/static", "/openapi.json", "/healthz", "/cds-services")


def page_routes(app: FastAPI, method: str) -> list[str]:
    return sorted({p for m, p in all_routes(app) if m == method and not p.startswith(NOT_PAGES)})


def fill(path: str, ids: dict[str, Any]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), path)


def _sample_ids(api: TestClient, kb: KnowledgeBase) -> dict[str, Any]:
    records = {k.path: create(api, k) for k in KINDS}
    return {
        "episode_id": records["episodes"]["id"],
        "treatment_id": records["treatments"]["id"],
        "dose_id": records["doses"]["id"],
        "record_id": records["triage-results"]["id"],
        "scale_id": "nrs",
        "topic_id": next(iter(kb.topics)),
        "kind": "heat",
    }


def _check_page(text: str, path: str) -> None:
    assert text.startswith("<!doctype html>"), path
    assert '<html lang="en">' in text
    assert len(re.findall(r"<h1[ >]", text)) == 1, f"{path}: one h1"
    assert '<main id="main"' in text and 'class="skip-link" href="#main"' in text
    assert re.search(r"<title>[^<]+</title>", text)
    ids = re.findall(r'\bid="([^"]+)"', text)
    assert len(ids) == len(set(ids)), (
        f"{path}: duplicate ids {sorted(i for i in ids if ids.count(i) > 1)}"
    )
    for label_for in re.findall(r'<label for="([^"]+)"', text):
        assert f'id="{label_for}"' in text, f"{path}: label for missing {label_for}"


def test_every_page_renders_without_javascript(app: FastAPI, kb: KnowledgeBase) -> None:
    api = client(app)
    ids = _sample_ids(api, kb)
    pages = page_routes(app, "GET")
    assert {
        "/",
        "/triage",
        "/plan",
        "/diary",
        "/diary/new",
        "/diary/charts",
        "/scales",
        "/export",
        "/learn",
    } <= set(pages)
    for template in pages:
        path = fill(template, ids)
        r = api.get(path, headers=HTML)
        assert r.status_code == 200, (path, r.text[:300])
        if path in ("/export/download", "/report/download", "/manifest.webmanifest", "/sw.js"):
            continue
        assert r.headers["content-type"].startswith("text/html"), path
        _check_page(r.text, path)


def test_every_form_post_needs_the_csrf_token(app: FastAPI, kb: KnowledgeBase) -> None:
    api = client(app)
    ids = _sample_ids(api, kb)
    token = csrf_of(api.get("/diary/new").text)
    before = api.get("/api/v1/episodes").json()["total"]
    posts = page_routes(app, "POST")
    assert len(posts) >= 14
    for template in posts:
        path = fill(template, ids)
        no_token = api.post(path, data={"regions": "neck", "worst_pain": "4"})
        assert no_token.status_code == 403, (path, no_token.status_code)
        wrong = api.post(path, data={"csrf_token": token[:-4] + "0000", "regions": "neck"})
        assert wrong.status_code == 403, path
        stranger = client(app)  # another browser: its own cookie, so this page's token is not valid
        stolen = stranger.post(path, data={"csrf_token": token, "regions": "neck"})
        assert stolen.status_code == 403, path
    assert api.get("/api/v1/episodes").json()["total"] == before, "nothing was created or deleted"


def test_the_csrf_cookie_is_httponly_and_strict(sqlite_app: FastAPI) -> None:
    r = client(sqlite_app).get("/triage")
    cookie = r.headers["set-cookie"].lower()
    assert "spasmcare_csrf=" in cookie and "httponly" in cookie and "samesite=strict" in cookie


def test_templates_have_no_inline_script_style_or_event_handlers() -> None:
    files = list(TEMPLATES.rglob("*.html"))
    assert len(files) > 20
    for path in files:
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in tag, f"{path.name}: inline script"
        assert "<style" not in text, f"{path.name}: inline style element"
        assert not re.search(r"\sstyle=", text), f"{path.name}: style attribute"
        assert not re.search(r"\son[a-z]+=", text), f"{path.name}: event handler attribute"
        assert "javascript:" not in text


def test_the_interview_reaches_an_emergency_screen_with_a_call_link(sqlite_api: TestClient) -> None:
    def chest(question: str, page: str) -> Any:
        return "chest_pain" if 'value="chest_pain"' in page else calm(question, page)

    page = Interview(sqlite_api).run(chest)
    assert 'class="call-now"' in page
    assert re.search(r"<h1[^>]*>Call an ambulance now</h1>", page)
    for number in ("911", "999", "112"):
        assert f'href="tel:{number}"' in page
    assert "Do not drive yourself" in page
    assert 'body class="emergency"' in page


def test_a_configured_emergency_number_fills_the_call_screen(tmp_path: Path) -> None:
    from spasmcare.app import create_app
    from tests.api.support import make_settings

    app = create_app(make_settings(tmp_path, emergency_number="000"))
    try:
        api = client(app)

        def stroke(question: str, page: str) -> Any:
            return "stroke_signs" if 'value="stroke_signs"' in page else calm(question, page)

        page = Interview(api).run(stroke)
        assert re.search(r"<h1[^>]*>Call 000 now</h1>", page)
        assert 'href="tel:000"' in page and "tel:911" not in page
    finally:
        app.state.spasmcare.storage.close()


def test_the_interview_reaches_self_care_and_can_be_saved(sqlite_api: TestClient) -> None:
    interview = Interview(sqlite_api)
    page = interview.run(calm)
    assert "result-self_care" in page
    assert "not complete" not in page
    r = interview.post({"steps": interview.field("steps")}, url="/diary/triage")
    assert r.status_code == 200 and "Saved in your diary" in r.text
    saved = sqlite_api.get("/api/v1/triage-results").json()["items"]
    assert [s["result"]["disposition"] for s in saved] == ["self_care"]
    assert saved[0]["result"]["knowledge_version"]


def test_back_goes_to_the_previous_question_and_bad_answers_are_explained(
    sqlite_api: TestClient,
) -> None:
    interview = Interview(sqlite_api)
    r = interview.answer("200")
    assert r.status_code == 422 and "from 0 to 120" in r.text and 'aria-invalid="true"' in r.text
    interview.answer("40")
    assert interview.field("question_id") == "regions"
    interview.post({"steps": interview.field("steps"), "action": "back", "mode": "triage"})
    assert interview.field("question_id") == "age"
    r = interview.post({"steps": "[[1,2", "question_id": "age", "value": "4"})
    assert r.status_code == 400 and "start again" in r.text.lower()


def test_the_care_plan_page_has_working_timer_settings(
    sqlite_api: TestClient, kb: KnowledgeBase
) -> None:
    interview = Interview(sqlite_api, mode="plan")
    page = interview.run(calm)
    assert "About your medicines and health" in page
    r = interview.post(
        {"steps": interview.field("steps"), "medicines": "ibuprofen", "weight_kg": "70"},
        url="/plan",
    )
    assert r.status_code == 200
    heat = kb.care.timers["heat"]
    assert (
        f'data-on="{round(heat.on_minutes * 60)}" data-off="{round(heat.off_minutes * 60)}"'
        in r.text
    )
    stretches = re.findall(
        r'data-timer data-on="(\d+)" data-off="(\d+)" data-cycles="(\d+)"', r.text
    )
    assert len(stretches) >= 3
    assert "Ibuprofen: Take care" in r.text, "the person takes it already"
    assert "Acetaminophen (paracetamol): Not advised for back spasms" in r.text
    assert "OK for you" not in r.text.split("Acetaminophen (paracetamol)")[1].split("</details>")[0]


def test_the_plan_details_form_explains_bad_numbers(sqlite_api: TestClient) -> None:
    interview = Interview(sqlite_api, mode="plan")
    interview.run(calm)
    r = interview.post({"steps": interview.field("steps"), "weight_kg": "heavy"}, url="/plan")
    assert r.status_code == 422 and "is not a number" in r.text


def test_a_diary_entry_takes_three_taps(sqlite_api: TestClient) -> None:
    home = sqlite_api.get("/").text
    assert 'href="/diary/new"' in home  # tap 1: "Log a spasm"
    form = sqlite_api.get("/diary/new").text
    # tap 2: where; tap 3: a pain number, which saves.
    r = sqlite_api.post(
        "/diary/new",
        data={"csrf_token": csrf_of(form), "regions": "neck", "worst_pain": "7"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    episode = sqlite_api.get(r.headers["location"])
    assert "Saved." in episode.text and "Pain 7 out of 10" in episode.text
    stored = sqlite_api.get("/api/v1/episodes").json()["items"]
    assert [(e["regions"], e["worst_pain"]) for e in stored] == [(["neck"], 7)]
    # The next time, the last place is already ticked: two taps.
    assert 'value="neck" checked' in sqlite_api.get("/diary/new").text


def test_a_diary_entry_without_a_place_is_explained(sqlite_api: TestClient) -> None:
    form = sqlite_api.get("/diary/new").text
    r = sqlite_api.post("/diary/new", data={"csrf_token": csrf_of(form), "worst_pain": "5"})
    assert r.status_code == 422 and "Please choose where it hurts" in r.text
    assert sqlite_api.get("/api/v1/episodes").json()["total"] == 0


def test_editing_ending_and_deleting_an_entry(sqlite_api: TestClient) -> None:
    episode = create(sqlite_api, KINDS[0])["id"]
    page = sqlite_api.get(f"/diary/episodes/{episode}").text
    token = csrf_of(page)
    r = sqlite_api.post(
        f"/diary/episodes/{episode}",
        data={
            "csrf_token": token,
            "end_now": "1",
            "regions": ["neck", "upper_back"],
            "worst_pain": "5",
            "triggers": "desk, stress",
        },
    )
    assert r.status_code == 200
    stored = sqlite_api.get(f"/api/v1/episodes/{episode}").json()
    assert (
        stored["ended_at"]
        and stored["regions"] == ["neck", "upper_back"]
        and stored["triggers"] == ["desk", "stress"]
    )
    r = sqlite_api.post(
        f"/diary/episodes/{episode}",
        data={
            "csrf_token": token,
            "regions": "neck",
            "worst_pain": "5",
            "started_at": "2999-01-01T00:00",
        },
    )
    assert r.status_code == 422 and "is in the future" in r.text
    r = sqlite_api.post(
        f"/diary/episodes/{episode}/treatments",
        data={
            "csrf_token": token,
            "kind": "medicine",
            "medicine": "naproxen",
            "dose_mg": "220",
            "relief": "6",
        },
    )
    assert r.status_code == 200
    assert sqlite_api.get("/api/v1/doses").json()["items"][0]["medicine"] == "naproxen"
    r = sqlite_api.post(
        f"/diary/episodes/{episode}/delete", data={"csrf_token": token}, follow_redirects=False
    )
    assert r.status_code == 303
    assert sqlite_api.get("/api/v1/episodes").json()["total"] == 0


def test_export_downloads_and_import_adds_entries(sqlite_api: TestClient) -> None:
    create(sqlite_api, KINDS[0])
    r = sqlite_api.get("/export/download?format=json")
    assert r.status_code == 200 and r.headers["content-disposition"].startswith("attachment;")
    exported = r.json()
    zipped = sqlite_api.get("/export/download?format=csv")
    assert zipped.headers["content-type"] == "application/zip" and zipped.content[:2] == b"PK"
    token = csrf_of(sqlite_api.get("/export").text)
    upload = {"file": ("diary.json", io.BytesIO(json.dumps(exported).encode()), "application/json")}
    r = sqlite_api.post("/diary/import", data={"csrf_token": token}, files=upload)
    assert r.status_code == 200 and "Imported: 1 episodes" in r.text
    assert sqlite_api.get("/api/v1/episodes").json()["total"] == 2
    exported["episodes"][0]["worst_pain"] = 99
    bad = {"file": ("diary.json", io.BytesIO(json.dumps(exported).encode()), "application/json")}
    r = sqlite_api.post("/diary/import", data={"csrf_token": token}, files=bad)
    assert r.status_code == 422 and "episodes[0].worst_pain" in html.unescape(r.text).replace(
        "\n", " "
    )
    assert sqlite_api.get("/api/v1/episodes").json()["total"] == 2, "nothing was imported"


def test_scale_form_scores_and_saves(sqlite_api: TestClient) -> None:
    page = sqlite_api.get("/scales/nrs").text
    r = sqlite_api.post("/scales/nrs", data={"csrf_token": csrf_of(page), "item-score": "6"})
    assert r.status_code == 200 and "Your score: <strong>6</strong>" in r.text
    responses = html.unescape(re.search(r'name="responses" value="([^"]+)"', r.text).group(1))  # type: ignore[union-attr]
    forged = sqlite_api.post(
        "/scales/nrs/save", data={"csrf_token": csrf_of(page), "responses": responses}
    )
    assert forged.status_code == 200
    saved = sqlite_api.get("/api/v1/scale-results").json()["items"]
    assert [(s["scale"], s["score"]) for s in saved] == [("nrs", 6)]


def test_copyrighted_scales_have_no_form_without_a_licensed_import(sqlite_api: TestClient) -> None:
    listing = sqlite_api.get("/scales").text
    assert "Oswestry" in listing and "Needs a licensed copy" in listing
    page = sqlite_api.get("/scales/odi", headers=HTML)
    assert page.status_code == 200 and "You cannot fill this in here yet" in page.text
    assert 'name="item-' not in page.text, "no form without a licensed import"
    assert sqlite_api.get("/scales/nosuch", headers=HTML).status_code == 404


def test_learn_search_escapes_and_finds(sqlite_api: TestClient) -> None:
    r = sqlite_api.get("/learn/search", params={"q": "<script>alert(1)</script> tylenol"})
    assert r.status_code == 200 and "<script>alert" not in r.text
    assert "<mark>" in r.text


def test_browsers_get_html_error_pages(sqlite_api: TestClient) -> None:
    r = sqlite_api.get("/diary/episodes/4242", headers=HTML)
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "no episode 4242" in r.text
    r = sqlite_api.post("/diary/new", data={"regions": "neck"}, headers=HTML)
    assert r.status_code == 403 and "form has expired" in r.text


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "/\\evil.example"])
def test_login_never_redirects_to_another_site(multi_app: FastAPI, target: str) -> None:
    from tests.api.support import PASSWORD

    api = client(multi_app)
    api.post("/api/v1/account/register", json={"username": "alice", "password": PASSWORD})
    page = api.get("/account/login").text
    r = api.post(
        "/account/login",
        data={
            "csrf_token": csrf_of(page),
            "username": "alice",
            "password": PASSWORD,
            "next": target,
        },
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/diary"


def test_register_log_out_log_in_and_delete_through_the_pages(multi_app: FastAPI) -> None:
    from tests.api.support import PASSWORD

    api = client(multi_app)
    assert api.get("/diary", headers=HTML, follow_redirects=False).status_code == 303
    page = api.get("/account/register").text
    r = api.post(
        "/account/register",
        data={
            "csrf_token": csrf_of(page),
            "username": "dana",
            "password": PASSWORD,
            "password_again": PASSWORD,
        },
        follow_redirects=False,
    )
    assert r.status_code == 303 and "spasmcare_session" in r.headers["set-cookie"]
    diary = api.get("/diary")
    assert diary.status_code == 200 and "Log out" in diary.text
    create(api, KINDS[0])
    r = api.post(
        "/account/logout", data={"csrf_token": csrf_of(diary.text)}, follow_redirects=False
    )
    assert r.status_code == 303
    assert api.get("/api/v1/episodes").status_code == 401
    login = api.get("/account/login").text
    wrong = api.post(
        "/account/login",
        data={"csrf_token": csrf_of(login), "username": "dana", "password": "nope nope nope"},
    )
    assert wrong.status_code == 401 and "wrong" in wrong.text
    ok = api.post(
        "/account/login",
        data={
            "csrf_token": csrf_of(login),
            "username": "dana",
            "password": PASSWORD,
            "next": "/diary",
        },
        follow_redirects=False,
    )
    assert ok.status_code == 303
    account = api.get("/account").text
    r = api.post(
        "/account/delete",
        data={"csrf_token": csrf_of(account), "password": PASSWORD},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert api.get("/api/v1/episodes").status_code == 401
    fresh = client(multi_app)
    fresh.post("/api/v1/account/register", json={"username": "dana", "password": PASSWORD})
    again = fresh.post("/api/v1/account/login", json={"username": "dana", "password": PASSWORD})
    assert again.status_code == 200
    assert fresh.get("/api/v1/episodes").json()["total"] == 0, "the old diary is gone"


def test_timers_never_offer_more_heat_or_cold_than_allowed(
    sqlite_api: TestClient, kb: KnowledgeBase
) -> None:
    interview = Interview(sqlite_api, mode="plan")
    interview.run(calm)
    page = interview.post({"steps": interview.field("steps")}, url="/plan").text
    longest = {t.id: round(t.max_on_minutes * 60) for t in kb.care.timers.values()}
    selects = re.findall(r'<select id="on-(\w+)-\d+" data-on-select>(.*?)</select>', page, re.S)
    assert {name for name, _ in selects} >= {"heat"}
    for name, options in selects:
        offered = [int(v) for v in re.findall(r'value="(\d+)"', options)]
        assert offered and max(offered) <= longest[name], name
    for on in re.findall(r'data-timer data-on="(\d+)"', page):
        assert int(on) <= max(longest.values())


def test_diary_times_are_shown_in_the_browsers_time_zone(sqlite_api: TestClient) -> None:
    body = {"started_at": "2025-05-01T08:00:00Z", "regions": ["neck"], "worst_pain": 5}
    episode = sqlite_api.post("/api/v1/episodes", json=body).json()["id"]
    utc = sqlite_api.get(f"/diary/episodes/{episode}").text
    assert "Thu 1 May 2025, 08:00" in utc and "Times are in UTC" in utc
    sqlite_api.cookies.set("spasmcare_tz", "Asia/Tokyo")
    tokyo = sqlite_api.get(f"/diary/episodes/{episode}").text
    assert "Thu 1 May 2025, 17:00" in tokyo and "Times are in Asia/Tokyo" in tokyo
    sqlite_api.cookies.set("spasmcare_tz", "../../etc/passwd")
    assert "Times are in UTC" in sqlite_api.get(f"/diary/episodes/{episode}").text
