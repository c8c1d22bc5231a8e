"""The Host allow-list (DNS rebinding), and the secret key that several machines share.

A page on another site can make its own host name resolve to 127.0.0.1; the browser then treats the
diary as that page's own origin. Its requests still carry the other site's name in ``Host``, so the
app answers only to the address it was started on, the loopback names and SPASMCARE_ALLOWED_HOSTS.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import ValidationError

from spasmcare.app import create_app
from spasmcare.config import Settings
from tests.api.support import PASSWORD, csrf_of, is_problem, make_settings

EPISODE = {"started_at": "2025-05-01T08:00:00Z", "regions": ["neck"], "worst_pain": 5}
REBIND = ("rebind.attacker.example:8000", "attacker.example", "127.0.0.1.attacker.example:8000")


@pytest.fixture
def local_app(tmp_path: Path) -> Iterator[FastAPI]:
    """Single-user mode started on 127.0.0.1 with no extra host names."""
    app = create_app(make_settings(tmp_path, allowed_hosts=[]))
    yield app
    app.state.spasmcare.storage.close()


def _client(app: FastAPI, base: str = "http://127.0.0.1:8000") -> TestClient:
    return TestClient(app, base_url=base, raise_server_exceptions=False)


@pytest.mark.parametrize("host", REBIND)
def test_a_rebound_host_name_reads_and_changes_nothing(local_app: FastAPI, host: str) -> None:
    c = _client(local_app)
    assert c.post("/api/v1/episodes", json=EPISODE).status_code == 201
    headers = {"host": host}
    body = is_problem(c.get("/api/v1/export", headers=headers), 400)
    assert body["errors"][0]["path"] == "Host"
    assert "episodes" not in c.get("/api/v1/export", headers=headers).text
    is_problem(c.get("/diary", headers={**headers, "accept": "text/html"}), 400)
    is_problem(c.get("/api/v1/episodes/1", headers=headers), 400)
    unsafe = {**headers, "origin": f"http://{host}"}
    is_problem(c.post("/api/v1/episodes", json=EPISODE, headers=unsafe), 400)
    is_problem(c.delete("/api/v1/episodes/1", headers=unsafe), 400)
    assert c.get("/api/v1/episodes").json()["total"] == 1, "nothing was added or deleted"


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost:8000", "LOCALHOST", "[::1]:8000"])
def test_the_loopback_names_are_answered(local_app: FastAPI, host: str) -> None:
    c = _client(local_app)
    assert c.get("/api/v1/export", headers={"host": host}).status_code == 200
    r = c.post("/api/v1/episodes", json=EPISODE, headers={"host": host, "origin": f"http://{host}"})
    assert r.status_code == 201, r.text


def test_the_address_the_server_was_started_on_is_answered(tmp_path: Path) -> None:
    """(TestClient sends nothing over the network: 192.0.2.10 is only a name here.)"""
    app = create_app(make_settings(tmp_path, multi_user=True, host="192.0.2.10", allowed_hosts=[]))
    try:
        c = _client(app, "http://192.0.2.10:8000")
        assert c.get("/healthz").status_code == 200
        is_problem(c.get("/healthz", headers={"host": "192.0.2.11:8000"}), 400)
    finally:
        app.state.spasmcare.storage.close()


def test_multi_user_mode_answers_only_configured_names(tmp_path: Path) -> None:
    settings = make_settings(
        tmp_path, multi_user=True, allowed_hosts=["spasm.example.org", "*.example.net"]
    )
    app = create_app(settings)
    try:
        site = _client(app, "https://spasm.example.org")
        r = site.post("/api/v1/account/register", json={"username": "ana", "password": PASSWORD})
        assert r.status_code == 201, r.text
        assert _client(app, "https://eu.example.net").get("/healthz").status_code == 200
        assert _client(app, "http://127.0.0.1:8000").get("/healthz").status_code == 200
        for other in ("https://spasm.example.org.evil.example", "https://example.net"):
            is_problem(_client(app, other).get("/account/login"), 400)
    finally:
        app.state.spasmcare.storage.close()


def test_allowed_hosts_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPASMCARE_ALLOWED_HOSTS", "Spasm.Example.org, *.example.net")
    settings = Settings()
    assert settings.allowed_hosts == ["spasm.example.org", "*.example.net"]
    assert settings.trusted_hosts() == [
        "localhost",
        "127.0.0.1",
        "[::1]",
        "spasm.example.org",
        "*.example.net",
    ]
    for bad in ("http://spasm.example.org", "spasm.example.org:443", "*", "a*.example.org"):
        with pytest.raises(ValidationError):
            Settings(allowed_hosts=[bad])


def test_serve_hands_its_address_to_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    """`spasmcare serve --host H` builds the app in each worker from the environment: H must be
    in it, or the app would refuse the very address it listens on."""
    import os

    import uvicorn

    from spasmcare.cli.web import _serve

    seen: dict[str, Any] = {}

    def fake_run(*args: Any, **kwargs: Any) -> None:  # nothing listens; no traffic
        seen.update(env=os.environ.get("SPASMCARE_HOST"), host=kwargs["host"])

    monkeypatch.setattr(uvicorn, "run", fake_run)
    monkeypatch.setenv("SPASMCARE_MULTI_USER", "1")
    monkeypatch.setenv("SPASMCARE_HOST", "127.0.0.1")  # restored afterwards
    _serve("192.0.2.10", 8123, 1, False)
    assert seen == {"env": "192.0.2.10", "host": "192.0.2.10"}
    assert "192.0.2.10" in Settings().trusted_hosts()


def test_a_short_secret_key_is_refused() -> None:
    with pytest.raises(ValidationError):
        Settings(secret_key="changeme")
    assert Settings(secret_key="k" * 32).secret_key == "k" * 32


def test_machines_sharing_the_secret_key_accept_each_others_forms(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two servers with their own data folders (two machines) and the same SPASMCARE_SECRET_KEY:
    a form served by one is accepted by the other (sessions live in the shared database)."""
    monkeypatch.setenv("SPASMCARE_SECRET_KEY", "s" * 48)
    shared = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    apps = []
    for name in ("one", "two"):
        folder = tmp_path / name
        folder.mkdir()
        apps.append(
            create_app(Settings(data_dir=folder, database_url=shared, allowed_hosts=["testserver"]))
        )
    try:
        first = TestClient(apps[0], raise_server_exceptions=False)
        token = csrf_of(first.get("/diary/new").text)
        second = TestClient(apps[1], raise_server_exceptions=False, cookies=first.cookies)
        r = second.post(
            "/diary/new",
            data={"csrf_token": token, "regions": "neck", "worst_pain": "4"},
            follow_redirects=False,
        )
        assert r.status_code == 303, r.text
        assert not (tmp_path / "one" / "secret_key").exists()
    finally:
        for app in apps:
            app.state.spasmcare.storage.close()
