"""The assembled app: health check, security headers on every response, the OpenAPI schema, no
third-party requests, and `spasmcare run` / `spasmcare serve`."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine

from spasmcare.api.middleware import CONTENT_SECURITY_POLICY
from spasmcare.api.storage import Storage
from tests.api.support import client, is_problem

ROOT = Path(__file__).resolve().parents[2]


def test_healthz_answers_200_when_the_database_is_reachable(api: TestClient) -> None:
    r = api.get("/healthz")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_is_not(sqlite_app: FastAPI, tmp_path: Path) -> None:
    context = sqlite_app.state.spasmcare
    working = context.storage
    dead = create_engine("postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=1")
    context.storage = Storage(repository=working.repository, engine=dead)
    try:
        body = is_problem(client(sqlite_app).get("/healthz"), 503)
    finally:
        context.storage = working
        dead.dispose()
    assert "database" in body["detail"]


EXPECTED_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
}


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("GET", "/", {}, 200),
        ("GET", "/triage", {}, 200),
        ("GET", "/healthz", {}, 200),
        ("GET", "/api/v1/ping", {}, 200),
        ("GET", "/openapi.json", {}, 200),
        ("GET", "/static/css/app.css", {}, 200),
        ("GET", "/static/vendor/htmx.min.js", {}, 200),
        ("GET", "/no/such/page", {}, 404),
        ("GET", "/api/v1/episodes/999", {}, 404),
        (
            "POST",
            "/api/v1/triage",
            {"content": b"{", "headers": {"content-type": "application/json"}},
            400,
        ),
        ("POST", "/api/v1/triage", {"json": {"age": -5, "regions": []}}, 422),
        ("POST", "/api/v1/triage", {"content": b"x" * 2_000_000}, 413),
        ("POST", "/diary/new", {"data": {"regions": "neck"}}, 403),
    ],
)
def test_every_response_carries_the_security_headers(
    sqlite_api: TestClient, method: str, path: str, kwargs: dict[str, object], status: int
) -> None:
    r = sqlite_api.request(method, path, **kwargs)  # type: ignore[arg-type]
    assert r.status_code == status
    for name, value in EXPECTED_HEADERS.items():
        assert r.headers[name] == value, name
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp


def test_an_unexpected_error_is_a_500_problem_without_internals(
    sqlite_app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = sqlite_app.state.spasmcare.storage.repository

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internal detail /etc/passwd")

    monkeypatch.setattr(repo.episodes, "list", broken)
    r = client(sqlite_app).get("/api/v1/episodes")
    body = is_problem(r, 500)
    assert "secret internal detail" not in r.text and "RuntimeError" not in r.text
    assert body["detail"] == "something went wrong on our side"
    assert r.headers["x-content-type-options"] == "nosniff"


def test_https_responses_ask_for_https_from_then_on(sqlite_app: FastAPI) -> None:
    r = TestClient(sqlite_app, base_url="https://testserver").get("/healthz")
    assert r.headers["strict-transport-security"].startswith("max-age=")
    assert "strict-transport-security" not in client(sqlite_app).get("/healthz").headers


def test_pages_and_api_answers_are_not_cached_but_static_files_are(sqlite_api: TestClient) -> None:
    assert sqlite_api.get("/api/v1/episodes").headers["cache-control"] == "no-store"
    assert sqlite_api.get("/diary").headers["cache-control"] == "no-store"
    assert "max-age" in sqlite_api.get("/static/css/app.css").headers["cache-control"]


def test_the_openapi_schema_documents_every_api_route_and_its_problems(
    sqlite_api: TestClient,
) -> None:
    schema = sqlite_api.get("/openapi.json").json()
    paths = schema["paths"]
    for expected in (
        "/api/v1/triage",
        "/api/v1/interview",
        "/api/v1/plan",
        "/api/v1/scales",
        "/api/v1/scales/{scale_id}/score",
        "/api/v1/episodes",
        "/api/v1/episodes/{record_id}",
        "/api/v1/treatments/{record_id}",
        "/api/v1/doses/{record_id}",
        "/api/v1/triage-results/{record_id}",
        "/api/v1/scale-results/{record_id}",
        "/api/v1/stats",
        "/api/v1/charts/{kind}",
        "/api/v1/export",
        "/api/v1/import",
        "/healthz",
    ):
        assert expected in paths, expected
    assert "ProblemDetails" in schema["components"]["schemas"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            assert operation.get("summary"), f"{method} {path} has no summary"
            errors = [s for s in operation["responses"] if s.startswith(("4", "5"))]
            for status in errors:
                content = operation["responses"][status].get("content", {})
                assert "application/problem+json" in content, f"{method} {path} {status}"
    assert not any(p.startswith(("/diary", "/account", "/plan")) for p in paths), (
        "pages are not API"
    )


def test_no_page_loads_anything_from_another_origin(sqlite_api: TestClient) -> None:
    for path in ("/", "/triage", "/plan", "/diary", "/diary/new", "/scales", "/export", "/about"):
        html = sqlite_api.get(path).text
        for url in re.findall(r'(?:src|href)="([^"]+)"', html):
            assert not url.startswith(("http://", "https://", "//")) or path == "/about", (
                path,
                url,
            )
    assert sqlite_api.get("/docs").status_code == 404, "Swagger UI would load a CDN"


def test_the_app_is_assembled_without_side_effects_at_import() -> None:
    code = (
        "import os, spasmcare.app, spasmcare.web, spasmcare.api;"
        "print(os.path.exists(os.environ['SPASMCARE_DATA_DIR']))"
    )
    target = Path("/tmp") / f"spasmcare-never-{os.getpid()}"
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "SPASMCARE_DATA_DIR": str(target)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "False"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_spasmcare_run_starts_the_web_app_on_sqlite_and_prints_its_address(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "SPASMCARE_DATA_DIR": str(tmp_path),
        "SPASMCARE_PORT": str(port),
        "MPLCONFIGDIR": str(tmp_path / "mpl"),
    }
    env.pop("SPASMCARE_DATABASE_URL", None)
    env.pop("SPASMCARE_MULTI_USER", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "spasmcare", "run"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert f"http://127.0.0.1:{port}" in line
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the server did not start"
                assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
                time.sleep(0.2)
        assert r.status_code == 200
        assert (tmp_path / "diary.sqlite3").exists()
        assert (tmp_path / "diary.sqlite3").stat().st_mode & 0o077 == 0, "owner-only"
        page = httpx.get(f"http://127.0.0.1:{port}/triage", timeout=5)
        assert page.status_code == 200 and "How old are you" in page.text
    finally:
        proc.terminate()
        proc.communicate(timeout=15)


def test_single_user_mode_refuses_to_listen_beyond_this_computer(tmp_path: Path) -> None:
    env = {**os.environ, "SPASMCARE_DATA_DIR": str(tmp_path)}
    env.pop("SPASMCARE_MULTI_USER", None)
    out = subprocess.run(
        [sys.executable, "-m", "spasmcare", "serve", "--host", "0.0.0.0", "--port", "8123"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 2
    assert "host" in out.stderr and "SPASMCARE_MULTI_USER" in out.stderr
    assert "Traceback" not in out.stderr


def test_cds_hooks_discovery_is_served_at_the_root(sqlite_api: TestClient) -> None:
    r = sqlite_api.get("/cds-services")
    assert r.status_code == 200
    assert [s["hook"] for s in r.json()["services"]] == ["patient-view"]
    is_problem(sqlite_api.post("/cds-services/no-such-service", json={}), 404)
