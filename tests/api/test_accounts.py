"""Accounts in multi-user mode: argon2id hashes, session cookies, login throttling, and account
deletion that deletes the diary (more in test_account_security.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from spasmcare.accounts import FREE_TRIES_PER_USER, Accounts
from spasmcare.accounts.tables import login_throttle, sessions, users
from spasmcare.diary.tables import episodes, profiles
from tests.api.diary_data import KINDS, create
from tests.api.support import PASSWORD, client, is_problem, register_and_login


def _count(app: FastAPI, table: object, *where: object) -> int:
    engine = app.state.spasmcare.storage.engine
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())  # type: ignore[arg-type]


def test_passwords_are_stored_as_argon2id_hashes(multi_app: FastAPI) -> None:
    register_and_login(multi_app, "alice")
    engine = multi_app.state.spasmcare.storage.engine
    with engine.connect() as conn:
        stored = conn.execute(select(users.c.password_hash)).scalar_one()
        token_hashes = conn.execute(select(sessions.c.token_hash)).scalars().all()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert "m=19456,t=2,p=1" in stored, "at least OWASP's recommended argon2id parameters"
    assert len(token_hashes) == 1 and len(token_hashes[0]) == 64


def test_the_session_cookie_is_httponly_and_samesite(multi_app: FastAPI) -> None:
    c = client(multi_app)
    c.post("/api/v1/account/register", json={"username": "alice", "password": PASSWORD})
    r = c.post("/api/v1/account/login", json={"username": "alice", "password": PASSWORD})
    cookie = r.headers["set-cookie"].lower()
    assert "spasmcare_session=" in cookie and "httponly" in cookie and "samesite=lax" in cookie
    assert "secure" not in cookie  # plain http on 127.0.0.1
    https = TestClient(multi_app, base_url="https://testserver")
    r = https.post("/api/v1/account/login", json={"username": "alice", "password": PASSWORD})
    assert "secure" in r.headers["set-cookie"].lower()
    assert c.get("/api/v1/account").json()["username"] == "alice"


def test_registration_checks_names_passwords_and_duplicates(multi_app: FastAPI) -> None:
    c = client(multi_app)
    body = is_problem(
        c.post("/api/v1/account/register", json={"username": "a", "password": "short"}), 422
    )
    assert {e["path"] for e in body["errors"]} == {"username", "password"}
    assert (
        c.post(
            "/api/v1/account/register", json={"username": "Alice", "password": PASSWORD}
        ).status_code
        == 201
    )
    is_problem(
        c.post("/api/v1/account/register", json={"username": "alice", "password": PASSWORD}), 409
    )


def test_a_wrong_password_and_an_unknown_name_get_the_same_answer(multi_app: FastAPI) -> None:
    register_and_login(multi_app, "alice")
    c = client(multi_app)
    wrong = is_problem(
        c.post("/api/v1/account/login", json={"username": "alice", "password": "x" * 12}), 401
    )
    unknown = is_problem(
        c.post("/api/v1/account/login", json={"username": "nobody", "password": "x" * 12}), 401
    )
    assert wrong["detail"] == unknown["detail"]
    assert "spasmcare_session" not in c.cookies


def test_logins_are_slowed_per_username_and_address(multi_app: FastAPI) -> None:
    register_and_login(multi_app, "alice")
    c = client(multi_app)
    for _ in range(FREE_TRIES_PER_USER + 1):
        is_problem(
            c.post("/api/v1/account/login", json={"username": "alice", "password": "wrong" * 3}),
            401,
        )
    r = c.post("/api/v1/account/login", json={"username": "alice", "password": PASSWORD})
    is_problem(r, 429)
    assert int(r.headers["retry-after"]) == 1, "the first delay is one second"
    other = register_and_login(multi_app, "bob")  # another name is not slowed
    assert other.get("/api/v1/account").status_code == 200


def test_the_delay_ends_and_a_login_clears_it(multi_app: FastAPI) -> None:
    context = multi_app.state.spasmcare
    now = [datetime(2026, 1, 1, 9, tzinfo=UTC)]
    accounts = Accounts(context.storage.engine, context.storage.repository, clock=lambda: now[0])
    accounts.register("carol", PASSWORD)
    for _ in range(FREE_TRIES_PER_USER + 1):
        try:
            accounts.login("carol", "wrong password", "10.0.0.1")
        except Exception as exc:
            assert type(exc).__name__ == "AuthenticationError"
    try:
        accounts.login("carol", PASSWORD, "10.0.0.1")
        raise AssertionError("not slowed")
    except Exception as exc:
        assert type(exc).__name__ == "RateLimitedError"
    now[0] += timedelta(seconds=1)
    account, token = accounts.login("carol", PASSWORD, "10.0.0.1")
    assert account.username == "carol" and token
    assert _count(multi_app, login_throttle, login_throttle.c.key == "login:carol|10.0.0.1") == 0


def test_deleting_the_account_deletes_its_diary_and_nothing_else(multi_app: FastAPI) -> None:
    a = register_and_login(multi_app, "alice")
    b = register_and_login(multi_app, "bob")
    for kind in KINDS:
        create(a, kind)
    create(b, KINDS[0])
    alice_profile = a.get("/api/v1/profile").json()["id"]
    is_problem(a.post("/api/v1/account/delete", json={"password": "not my password"}), 401)
    assert a.get("/api/v1/episodes").json()["total"] >= 1, "a wrong password deletes nothing"
    assert a.post("/api/v1/account/delete", json={"password": PASSWORD}).status_code == 204
    assert _count(multi_app, profiles, profiles.c.id == alice_profile) == 0
    assert _count(multi_app, episodes, episodes.c.profile_id == alice_profile) == 0
    assert _count(multi_app, users, users.c.username == "alice") == 0
    assert _count(multi_app, sessions) == 1, "only bob's session is left"
    is_problem(a.get("/api/v1/episodes"), 401)
    is_problem(
        client(multi_app).post(
            "/api/v1/account/login", json={"username": "alice", "password": PASSWORD}
        ),
        401,
    )
    assert b.get("/api/v1/episodes").json()["total"] == 1


def test_account_routes_do_not_exist_in_single_user_mode(sqlite_api: TestClient) -> None:
    is_problem(
        sqlite_api.post("/api/v1/account/login", json={"username": "a", "password": "b"}), 404
    )
    assert sqlite_api.get("/account/login").status_code == 404
