"""Drives the triage form like a browser without JavaScript (used by the web page tests)."""

from __future__ import annotations

import html
import json
import re
from typing import Any

from fastapi.testclient import TestClient

from tests.api.support import csrf_of


class Interview:
    """Drives the triage form like a browser without JavaScript."""

    def __init__(self, api: TestClient, mode: str = "triage") -> None:
        self.api = api
        self.page = api.get("/triage" if mode == "triage" else "/plan").text
        self.mode = mode
        if mode == "plan":
            self.page = self.post({"steps": "[]", "mode": "plan", "action": "resume"}).text

    def post(self, data: dict[str, Any], url: str = "/triage") -> Any:
        r = self.api.post(url, data={"csrf_token": csrf_of(self.page), **data})
        self.page = r.text
        return r

    def field(self, name: str) -> str | None:
        found = re.search(rf'name="{name}" value="([^"]*)"', self.page)
        return html.unescape(found.group(1)) if found else None

    def answer(self, values: Any) -> Any:
        """Send an answer: a form value (or list of values), or a dict of form fields."""
        data = {
            "steps": self.field("steps"),
            "question_id": self.field("question_id"),
            "mode": self.mode,
            "action": "answer",
        }
        if isinstance(values, dict):
            data.update(values)
        elif values is not None:
            data["value"] = values
        return self.post(data)

    @property
    def kind(self) -> str:
        """The kind of the question on the page (checklist, yesno, names or other)."""
        if "data-checklist" in self.page:
            return "checklist"
        if 'name="value" value="no"' in self.page:
            return "yesno"
        if '<textarea id="answer"' in self.page:
            return "names"
        return "other"

    @property
    def steps(self) -> list[Any]:
        return list(json.loads(self.field("steps") or "[]"))

    def error(self) -> str | None:
        found = re.search(
            r'class="error-summary" role="alert"[^>]*>\s*<p>(.*?)</p>', self.page, re.S
        )
        return html.unescape(found.group(1)) if found else None

    def until(self, done: Any, choose: Any = None) -> None:
        """Answer with ``choose`` (calmly by default) until ``done(self)`` is true."""
        choose = choose or calm
        for _ in range(60):
            if done(self):
                return
            question = self.field("question_id")
            assert question is not None, "the interview ended first"
            r = self.answer(choose(question, self.page))
            assert r.status_code == 200, (question, r.text[:400])
        raise AssertionError("never got there")

    def options(self) -> list[str]:
        """The option values of the checklist on the page."""
        return re.findall(r'name="value" value="([^"]+)" data-item=', self.page)

    def run(self, choose: Any) -> Any:
        for _ in range(60):
            question = self.field("question_id")
            if question is None:
                return self.page
            r = self.answer(choose(question, self.page))
            assert r.status_code == 200, (question, r.text[:400])
        raise AssertionError("the interview did not end")


CALM = {
    "age": "35",
    "regions": "lower_back",
    "medicines": "",
    "pain": "4",
    "onset": "sudden",
    "sex": "male",
    "duration_days": "2",
}


def calm(question: str, page: str) -> Any:
    """Nothing wrong: "None of these" for every checklist, No for every yes/no question."""
    if question in CALM:
        return CALM[question]
    if "data-checklist" in page:
        return {"none": "none"}
    return "no"


__all__ = ["CALM", "Interview", "calm"]
