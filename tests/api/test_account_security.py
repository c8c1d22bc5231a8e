"""Accounts after the red-team pass: guessing is counted atomically and slowed with growing delays
per username and address (the owner elsewhere is never locked out), account deletion and password
change count as guesses, passwords follow NIST SP 800-63B, a password is never echoed, and sessions
can be listed, ended everywhere else, and do not pile up."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from sqlalchemy import func, select

from spasmcare.accounts import (
    FREE_TRIES_PER_ADDRESS,
    FREE_TRIES_PER_USER,
    MAX_DELAY,
    MAX_SESSIONS,
    Accounts,
    AuthenticationError,
    RateLimitedError,
    check_password,
)
from spasmcare.accounts.tables import sessions
from spasmcare.errors import InputError
from tests.api.support import PASSWORD, client, csrf_of, is_problem, register_and_login


class CountingHasher(PasswordHasher):
    """Counts how many guesses were really checked against a hash."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=8192, parallelism=1)
        self.verified = 0
        self._lock = threading.Lock()

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        with self._lock:
            self.verified += 1
        return super().verify(hash, password)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 1, 1, 9, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def accounts_of(app: FastAPI, **kwargs: Any) -> Accounts:
    context = app.state.spasmcare
    return Accounts(context.storage.engine, context.storage.repository, **kwargs)


def test_concurrent_wrong_guesses_are_counted_before_they_are_checked(multi_app: FastAPI) -> None:
    hasher = CountingHasher()
    accounts = accounts_of(multi_app, hasher=hasher)
    accounts.register("alice", PASSWORD)
    hasher.verified = 0
    outcomes: list[str] = []
    start = threading.Barrier(20)

    def guess(i: int) -> None:
        start.wait()
        try:
            accounts.login("alice", f"wrong guess {i:02d}", "203.0.113.9")
        except (AuthenticationError, RateLimitedError) as exc:
            outcomes.append(type(exc).__name__)

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(outcomes) == 20
    assert hasher.verified <= FREE_TRIES_PER_USER + 1, f"{hasher.verified} guesses were checked"
    assert outcomes.count("RateLimitedError") >= 20 - FREE_TRIES_PER_USER - 1


def test_a_guesser_waits_longer_each_time_and_the_owner_logs_in_from_elsewhere(
    multi_app: FastAPI,
) -> None:
    clock = Clock()
    accounts = accounts_of(multi_app, clock=clock)
    accounts.register("alice", PASSWORD)
    guesser = "203.0.113.9"
    for _ in range(FREE_TRIES_PER_USER + 1):  # free tries, then one more that starts the delays
        with pytest.raises(AuthenticationError):
            accounts.login("alice", "wrong password!", guesser)
    waits = []
    for _ in range(5):
        with pytest.raises(RateLimitedError) as info:
            accounts.login("alice", "wrong password!", guesser)
        waits.append(info.value.retry_after)
        clock.advance(info.value.retry_after)
        with pytest.raises(AuthenticationError):
            accounts.login("alice", "wrong password!", guesser)
    assert waits == [1, 2, 4, 8, 16], "the delay doubles"
    account, token = accounts.login("alice", PASSWORD, "198.51.100.7")  # the owner, elsewhere
    assert account.username == "alice" and token
    with pytest.raises(RateLimitedError):  # even the right password waits at the guesser's address
        accounts.login("alice", PASSWORD, guesser)


def test_delays_stop_growing_and_are_forgotten(multi_app: FastAPI) -> None:
    clock = Clock()
    accounts = accounts_of(multi_app, clock=clock)
    accounts.register("alice", PASSWORD)
    for _ in range(40):
        try:
            accounts.login("alice", "wrong password!", "203.0.113.9")
        except RateLimitedError as exc:
            assert exc.retry_after <= MAX_DELAY.total_seconds()
            clock.advance(exc.retry_after)
        except AuthenticationError:
            pass
    clock.advance(timedelta(days=1).total_seconds() + 1)
    account, _ = accounts.login("alice", PASSWORD, "203.0.113.9")
    assert account.username == "alice"


def test_one_address_trying_many_names_is_slowed(multi_app: FastAPI) -> None:
    clock = Clock()
    accounts = accounts_of(multi_app, clock=clock)
    limited = 0
    for i in range(FREE_TRIES_PER_ADDRESS + 3):
        try:
            accounts.login(f"user{i}", "wrong password!", "203.0.113.9")
        except RateLimitedError:
            limited += 1
        except AuthenticationError:
            pass
    assert limited >= 1
    with pytest.raises(AuthenticationError):
        accounts.login("someone", "wrong password!", "198.51.100.7")


def test_the_api_answers_429_with_retry_after(multi_app: FastAPI) -> None:
    register_and_login(multi_app, "alice")
    c = client(multi_app)
    statuses = []
    for _ in range(FREE_TRIES_PER_USER + 2):
        r = c.post("/api/v1/account/login", json={"username": "alice", "password": "x" * 12})
        statuses.append(r.status_code)
    assert statuses[-1] == 429 and 401 in statuses
    assert int(r.headers["retry-after"]) >= 1


def test_guessing_the_password_to_delete_the_account_is_throttled(multi_app: FastAPI) -> None:
    c = register_and_login(multi_app, "alice")
    statuses = [
        c.post("/api/v1/account/delete", json={"password": f"guess number {i}"}).status_code
        for i in range(FREE_TRIES_PER_USER + 2)
    ]
    assert statuses[:FREE_TRIES_PER_USER] == [401] * FREE_TRIES_PER_USER
    assert statuses[-1] == 429
    assert c.get("/api/v1/account").status_code == 200, "nothing was deleted"


@pytest.mark.parametrize("route", ["/api/v1/account/login", "/api/v1/account/register"])
def test_a_password_is_never_echoed(multi_app: FastAPI, route: str) -> None:
    secret = "my-very-secret-passphrase-" * 50  # over 1,024 characters
    c = client(multi_app)
    r = c.post(route, json={"username": "alice", "password": secret})
    body = is_problem(r, 422)
    assert "my-very-secret" not in r.text
    assert [e["path"] for e in body["errors"]] == ["password"]


@pytest.mark.parametrize(
    "password",
    [
        "1234567890",
        " " * 10,
        "alice-alice",
        "alice12345",
        "password123",
        "qwertyuiop",
        "aaaaaaaaaaaa",
        "short",
        "spasmcare2026",
    ],
)
def test_weak_passwords_are_refused(password: str) -> None:
    with pytest.raises(InputError) as info:
        check_password(password, "alice")
    assert [p.path for p in info.value.problems] == ["password"]
    assert password not in str(info.value) or password.strip() == ""


@pytest.mark.parametrize(
    "password",
    [
        PASSWORD,
        "my back hurts on mondays",
        "Tr0ub4dor&3 plus more",
        "ümlaut ßtraße ñandú",
        "x" * 3 + "7Yq!pL0@zR",
    ],
)
def test_good_passwords_are_accepted(password: str) -> None:
    check_password(password, "alice")


def test_registration_refuses_a_weak_password(multi_app: FastAPI) -> None:
    c = client(multi_app)
    for weak in ("1234567890", " " * 10, "alice12345"):
        body = is_problem(
            c.post("/api/v1/account/register", json={"username": "alice", "password": weak}), 422
        )
        assert [e["path"] for e in body["errors"]] == ["password"]


def test_changing_the_password_ends_the_other_sessions(multi_app: FastAPI) -> None:
    mine = register_and_login(multi_app, "alice")
    other = client(multi_app)
    other.post("/api/v1/account/login", json={"username": "alice", "password": PASSWORD})
    url = "/api/v1/account/password"
    is_problem(
        mine.post(url, json={"current_password": "wrong one!!", "new_password": "a" * 12}), 401
    )
    body = is_problem(
        mine.post(url, json={"current_password": PASSWORD, "new_password": "1234567890"}), 422
    )
    assert [e["path"] for e in body["errors"]] == ["new_password"]
    new = "a quieter back by spring"
    r = mine.post(url, json={"current_password": PASSWORD, "new_password": new})
    assert r.status_code == 204, r.text
    assert mine.get("/api/v1/account").status_code == 200, "this session stays"
    is_problem(other.get("/api/v1/account"), 401)
    fresh = client(multi_app)
    is_problem(
        fresh.post("/api/v1/account/login", json={"username": "alice", "password": PASSWORD}), 401
    )
    assert (
        fresh.post("/api/v1/account/login", json={"username": "alice", "password": new}).status_code
        == 200
    )


def test_sessions_are_listed_and_can_be_ended_everywhere_else(multi_app: FastAPI) -> None:
    mine = register_and_login(multi_app, "alice")
    others = []
    for agent in ("Phone browser", "Laptop browser"):
        c = client(multi_app, headers={"user-agent": agent})
        c.post("/api/v1/account/login", json={"username": "alice", "password": PASSWORD})
        others.append(c)
    listed = mine.get("/api/v1/account/sessions").json()
    assert len(listed) == 3
    assert [s["current"] for s in listed].count(True) == 1
    assert {"Phone browser", "Laptop browser"} <= {s["user_agent"] for s in listed}
    assert all(s["id"] and s["created_at"] and s["expires_at"] for s in listed)
    r = mine.post("/api/v1/account/sessions/end-others")
    assert r.status_code == 200 and r.json() == {"ended": 2}
    for c in others:
        is_problem(c.get("/api/v1/account"), 401)
    assert [s["current"] for s in mine.get("/api/v1/account/sessions").json()] == [True]


def test_logins_do_not_keep_every_old_session(multi_app: FastAPI) -> None:
    register_and_login(multi_app, "alice")
    latest = None
    for _ in range(MAX_SESSIONS + 3):
        latest = client(multi_app)
        latest.post("/api/v1/account/login", json={"username": "alice", "password": PASSWORD})
    engine = multi_app.state.spasmcare.storage.engine
    with engine.connect() as conn:
        stored = conn.execute(select(func.count()).select_from(sessions)).scalar_one()
    assert stored == MAX_SESSIONS
    assert latest is not None and latest.get("/api/v1/account").status_code == 200


def test_the_account_page_lists_sessions_and_changes_the_password(multi_app: FastAPI) -> None:
    c = register_and_login(multi_app, "alice")
    other = client(multi_app)
    other.post("/api/v1/account/login", json={"username": "alice", "password": PASSWORD})
    page = c.get("/account").text
    assert "Signed in" in page and "this browser" in page
    r = c.post(
        "/account/sessions/end-others", data={"csrf_token": csrf_of(page)}, follow_redirects=False
    )
    assert r.status_code == 303
    is_problem(other.get("/api/v1/account"), 401)
    page = c.get("/account").text
    r = c.post(
        "/account/password",
        data={
            "csrf_token": csrf_of(page),
            "current_password": PASSWORD,
            "new_password": "1234567890",
            "new_password_again": "1234567890",
        },
    )
    assert r.status_code == 422 and "1234567890" not in r.text
    page = c.get("/account").text
    new = "a quieter back by spring"
    r = c.post(
        "/account/password",
        data={
            "csrf_token": csrf_of(page),
            "current_password": PASSWORD,
            "new_password": new,
            "new_password_again": new,
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    assert c.get("/api/v1/account").status_code == 200
