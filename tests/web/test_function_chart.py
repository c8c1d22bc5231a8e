"""The charts page draws the PEG and activities scores as a chart once there are any (issue 12)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def _chart_images(page: str) -> list[str]:
    return re.findall(r'<img src="([^"]+)"', page)


def test_the_function_chart_appears_once_a_function_scale_is_saved(sqlite_api: TestClient) -> None:
    before = sqlite_api.get("/diary/charts")
    assert before.status_code == 200
    assert not any("/charts/function" in src for src in _chart_images(before.text))
    for pain in (7, 5):
        saved = sqlite_api.post(
            "/api/v1/scales/peg/results",
            json={"responses": {"pain": pain, "enjoyment": 6, "activity": 6}},
        )
        assert saved.status_code == 201, saved.text
    saved = sqlite_api.post(
        "/api/v1/scales/specific_function/results",
        json={"responses": {"activity_1": "sitting at my desk", "ability_1": 4}},
    )
    assert saved.status_code == 201, saved.text
    page = sqlite_api.get("/diary/charts")
    sources = [s.replace("&amp;", "&") for s in _chart_images(page.text)]
    function = [s for s in sources if "/charts/function" in s]
    assert len(function) == 1
    image = sqlite_api.get(function[0])
    assert image.status_code == 200 and image.headers["content-type"].startswith("image/svg+xml")
    text = image.text
    assert "Function over time" in text
    assert "PEG: 2 scores, from 6.33" in text and "to 5.67" in text
    assert "Your activities: 1 score, from 4" in text
    png = sqlite_api.get("/api/v1/charts/function?format=png")
    assert png.status_code == 200 and png.content[:8] == b"\x89PNG\r\n\x1a\n"


def test_an_unknown_chart_is_a_clear_error(sqlite_api: TestClient) -> None:
    r = sqlite_api.get("/api/v1/charts/pie")
    assert r.status_code == 422
    assert "function" in r.text and "relief" in r.text
