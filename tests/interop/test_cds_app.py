"""CDS Hooks in the real app (create_app with its middleware): an EHR back end can call it, the
plan link resolves, and a browser on another site is refused."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from spasmcare.app import create_app
from spasmcare.config import Settings
from tests.interop.helpers import condition, intake_qr, patient, request, searchset


def client(tmp_path: Path) -> TestClient:
    settings = Settings(
        data_dir=tmp_path / "data",
        database_url=f"sqlite:///{tmp_path / 'diary.sqlite'}",
        secret_key="test-secret-key-for-csrf-tokens-0123456789",
        allowed_hosts=["testserver"],
    )
    return TestClient(create_app(settings))


def test_the_app_serves_cds_hooks_and_the_plan_link_resolves(tmp_path: Path) -> None:
    with client(tmp_path) as http:
        assert http.get("/cds-services").json()["services"][0]["id"] == "spasmcare-triage"
        intake = {"age": 40, "regions": ["neck"], "findings": {"bladder_dysfunction": False}}
        body = request({"patient": patient(), "intake": intake_qr(intake)})
        response = http.post("/cds-services/spasmcare-triage", json=body)
        assert response.status_code == 200, response.text
        [card] = response.json()["cards"]
        assert card["indicator"] == "info"
        link = card["links"][0]["url"]
        assert link == "http://testserver/plan"
        assert http.get(link).status_code == 200


def test_errors_are_problem_json_not_pages(tmp_path: Path) -> None:
    with client(tmp_path) as http:
        response = http.post(
            "/cds-services/spasmcare-triage",
            content=b"nope",
            headers={"content-type": "text/plain"},
        )
        assert response.status_code == 400
        assert response.headers["content-type"].startswith("application/problem+json")
        response = http.post("/cds-services/spasmcare-triage", json=request())
        assert response.status_code == 412
        assert response.headers["content-type"].startswith("application/problem+json")


def test_a_browser_on_another_site_is_refused(tmp_path: Path) -> None:
    body = request({"patient": patient(), "conditions": searchset(condition("M54.50"))})
    with client(tmp_path) as http:
        response = http.post(
            "/cds-services/spasmcare-triage",
            json=body,
            headers={"Origin": "https://elsewhere.example", "Sec-Fetch-Site": "cross-site"},
        )
        assert response.status_code == 403
