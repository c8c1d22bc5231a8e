"""Web accounts for multi-user mode: registration, login, sessions, password change, deletion.

Passwords follow NIST SP 800-63B (:mod:`spasmcare.accounts.passwords`) and are hashed with argon2id
at OWASP's recommended minimum (19 MiB of memory, 2 passes, 1 lane), which keeps a login near 50 ms
on a small server; hashes made with other parameters are upgraded at the next login. Every password
check (login, password change, deletion) first claims a try from the throttle
(:mod:`spasmcare.accounts.throttle`), in the database, so the limits hold across workers and
concurrent guesses.

A session is a random token in an HttpOnly cookie; only its SHA-256 hash is stored, so a copy of the
database cannot be used to log in. An account keeps at most :data:`MAX_SESSIONS` sessions (a new
login ends the oldest); they can be listed, and all but the current one ended. Changing the password
ends the other sessions too.

Each account owns one diary profile (``owner = "account:<id>"``). Deleting the account deletes that
profile and every record in it, then the account and its sessions.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from spasmcare.accounts.passwords import (
    MAX_PASSWORD,
    MIN_PASSWORD,
    check_password,
    password_problems,
)
from spasmcare.accounts.tables import sessions, users
from spasmcare.accounts.throttle import (
    FREE_TRIES_PER_ADDRESS,
    FREE_TRIES_PER_USER,
    MAX_DELAY,
    Throttle,
)
from spasmcare.diary import DiaryRepository, ProfileCreate
from spasmcare.diary.db import storage_error, write_engine
from spasmcare.diary.times import utc_now
from spasmcare.errors import (
    AuthenticationError,
    ConflictError,
    InputError,
    Problem,
)

ARGON2_TIME_COST = 2
ARGON2_MEMORY_KIB = 19456
ARGON2_LANES = 1
"""OWASP Password Storage Cheat Sheet: argon2id with m=19 MiB, t=2, p=1."""
SESSION_LIFETIME = timedelta(days=14)
MAX_SESSIONS = 10
"""Sessions an account keeps; a new login ends the oldest beyond this."""
SEEN_EVERY = timedelta(minutes=5)
"""How often a session's ``last_seen_at`` is brought up to date (not on every request)."""
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
USERNAME_ALLOWED = (
    "3 to 64 letters, digits, dots, dashes or underscores, starting with a letter or digit"
)
USER_AGENT_LENGTH = 200

Clock = Callable[[], datetime]


@dataclass(frozen=True, slots=True)
class SessionInfo:
    """One login session as the account page lists it (never its token)."""

    id: str
    created_at: datetime
    expires_at: datetime
    last_seen_at: datetime | None
    user_agent: str | None
    current: bool


@dataclass(frozen=True, slots=True)
class Account:
    id: int
    username: str
    created_at: datetime

    @property
    def owner(self) -> str:
        """The value of ``profiles.owner`` for this account's diary."""
        return f"account:{self.id}"


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _public_id(token_hash: str) -> str:
    """A session's name on the account page: the start of its token's hash (not the token)."""
    return token_hash[:16]


def normalise_username(raw: str) -> str:
    return raw.strip().lower()


class Accounts:
    """The accounts of one database; thread-safe (each call is its own transaction)."""

    def __init__(
        self,
        engine: Engine,
        repository: DiaryRepository,
        *,
        hasher: PasswordHasher | None = None,
        clock: Clock = utc_now,
    ) -> None:
        self.engine = engine
        self._writer = write_engine(engine)
        self.repository = repository
        self.hasher = hasher or PasswordHasher(
            time_cost=ARGON2_TIME_COST, memory_cost=ARGON2_MEMORY_KIB, parallelism=ARGON2_LANES
        )
        self._clock = clock
        self._throttle = Throttle(engine, clock)
        self._dummy: str | None = None

    @property
    def _dummy_hash(self) -> str:
        """A hash to check unknown names against, so they take as long as known ones."""
        if self._dummy is None:
            self._dummy = self.hasher.hash(secrets.token_urlsafe(16))
        return self._dummy

    # -- registration --------------------------------------------------------------------------
    def register(self, username: str, password: str) -> Account:
        """Create an account and its diary profile; ConflictError if the name is taken."""
        name = normalise_username(username)
        problems = []
        if not USERNAME.match(name):
            problems.append(
                Problem("username", f"{username!r} is not a valid username", USERNAME_ALLOWED)
            )
        problems.extend(password_problems(password, name))
        if problems:
            raise InputError("the account details are not valid", problems)
        password_hash = self.hasher.hash(password)
        now = self._clock()
        try:
            with self._writer.begin() as conn:
                user_id = conn.execute(
                    insert(users)
                    .values(username=name, password_hash=password_hash, created_at=now)
                    .returning(users.c.id)
                ).scalar_one()
        except IntegrityError as exc:
            raise ConflictError(
                "that username is taken",
                [Problem("username", f"{name!r} is already used", "choose another username")],
            ) from exc
        except SQLAlchemyError as exc:
            raise storage_error(exc, "create the account") from exc
        account = Account(id=user_id, username=name, created_at=now)
        try:
            self.repository.profiles.create(ProfileCreate(name=name, owner=account.owner))
        except BaseException:
            self._delete_user(account.id)
            raise
        return account

    # -- login and sessions --------------------------------------------------------------------
    def login(
        self, username: str, password: str, address: str, user_agent: str | None = None
    ) -> tuple[Account, str]:
        """Check the password; return the account and a new session token.

        Raises RateLimitedError when the try comes too early (see the throttle),
        AuthenticationError for a wrong name or password (the same message for both, and the same
        work, so names cannot be guessed).
        """
        name = normalise_username(username)
        self._throttle.claim(name, address)
        with self._read() as conn:
            row = conn.execute(
                select(
                    users.c.id, users.c.username, users.c.password_hash, users.c.created_at
                ).where(users.c.username == name)
            ).first()
        stored = row.password_hash if row is not None else self._dummy_hash
        try:
            ok = self.hasher.verify(stored, password) and row is not None
        except (VerificationError, InvalidHashError):
            ok = False
        if not ok or row is None:
            raise AuthenticationError(
                "the username or password is wrong",
                [Problem("password", "does not match the username", "check both and try again")],
            )
        self._throttle.succeeded(name, address)
        account = Account(id=row.id, username=row.username, created_at=row.created_at)
        token = self._new_session(account.id, user_agent)
        if self.hasher.check_needs_rehash(stored):
            self._rehash(account.id, password)
        return account, token

    def _new_session(self, user_id: int, user_agent: str | None) -> str:
        """Start a session; the oldest sessions beyond :data:`MAX_SESSIONS` end."""
        now = self._clock()
        token = secrets.token_urlsafe(32)
        agent = " ".join(user_agent.split())[:USER_AGENT_LENGTH] if user_agent else None
        try:
            with self._writer.begin() as conn:
                conn.execute(delete(sessions).where(sessions.c.expires_at < now))
                kept = (
                    select(sessions.c.token_hash)
                    .where(sessions.c.user_id == user_id)
                    .order_by(sessions.c.created_at.desc(), sessions.c.token_hash)
                    .limit(MAX_SESSIONS - 1)
                )
                conn.execute(
                    delete(sessions).where(
                        sessions.c.user_id == user_id,
                        sessions.c.token_hash.not_in(kept.scalar_subquery()),
                    )
                )
                conn.execute(
                    insert(sessions).values(
                        token_hash=_hash_token(token),
                        user_id=user_id,
                        created_at=now,
                        expires_at=now + SESSION_LIFETIME,
                        last_seen_at=now,
                        user_agent=agent,
                    )
                )
        except SQLAlchemyError as exc:
            raise storage_error(exc, "start the session") from exc
        return token

    def account_for_session(self, token: str | None) -> Account | None:
        """The account a session token belongs to, or None (unknown, ended or expired)."""
        if not token or len(token) > 200:
            return None
        hashed = _hash_token(token)
        with self._read() as conn:
            row = conn.execute(
                select(
                    users.c.id,
                    users.c.username,
                    users.c.created_at,
                    sessions.c.expires_at,
                    sessions.c.last_seen_at,
                )
                .join(sessions, sessions.c.user_id == users.c.id)
                .where(sessions.c.token_hash == hashed)
            ).first()
        now = self._clock()
        if row is None or row.expires_at <= now:
            return None
        if row.last_seen_at is None or row.last_seen_at <= now - SEEN_EVERY:
            try:
                with self._writer.begin() as conn:
                    conn.execute(
                        update(sessions)
                        .where(sessions.c.token_hash == hashed)
                        .values(last_seen_at=now)
                    )
            except SQLAlchemyError as exc:
                raise storage_error(exc, "note the session's use") from exc
        return Account(id=row.id, username=row.username, created_at=row.created_at)

    def list_sessions(self, account: Account, current_token: str | None) -> list[SessionInfo]:
        """The account's sessions that have not ended, newest first."""
        now = self._clock()
        current = _hash_token(current_token) if current_token else None
        with self._read() as conn:
            rows = conn.execute(
                select(sessions)
                .where(sessions.c.user_id == account.id, sessions.c.expires_at > now)
                .order_by(sessions.c.created_at.desc(), sessions.c.token_hash)
            ).all()
        return [
            SessionInfo(
                id=_public_id(r.token_hash),
                created_at=r.created_at,
                expires_at=r.expires_at,
                last_seen_at=r.last_seen_at,
                user_agent=r.user_agent,
                current=r.token_hash == current,
            )
            for r in rows
        ]

    def end_other_sessions(self, account: Account, current_token: str | None) -> int:
        """Sign out everywhere else: end every session of the account but this one; how many."""
        keep = _hash_token(current_token) if current_token else ""
        try:
            with self._writer.begin() as conn:
                result = conn.execute(
                    delete(sessions).where(
                        sessions.c.user_id == account.id, sessions.c.token_hash != keep
                    )
                )
        except SQLAlchemyError as exc:
            raise storage_error(exc, "end the other sessions") from exc
        return int(result.rowcount or 0)

    def change_password(
        self,
        account: Account,
        current_password: str,
        new_password: str,
        address: str,
        current_token: str | None,
    ) -> None:
        """Change the password after checking the current one (a throttled try); the other
        sessions end, this one stays."""
        self._check_password(account, current_password, address, "current_password")
        check_password(new_password, account.username, "new_password")
        try:
            with self._writer.begin() as conn:
                conn.execute(
                    update(users)
                    .where(users.c.id == account.id)
                    .values(password_hash=self.hasher.hash(new_password))
                )
        except SQLAlchemyError as exc:
            raise storage_error(exc, "change the password") from exc
        self.end_other_sessions(account, current_token)

    def logout(self, token: str | None) -> None:
        if not token:
            return
        try:
            with self._writer.begin() as conn:
                conn.execute(delete(sessions).where(sessions.c.token_hash == _hash_token(token)))
        except SQLAlchemyError as exc:
            raise storage_error(exc, "end the session") from exc

    # -- the account's diary -------------------------------------------------------------------
    def profile_id(self, account: Account) -> int:
        """The account's diary profile (created again if it was removed)."""
        page = self.repository.profiles.list(owner=account.owner, limit=1)
        if page.items:
            return page.items[0].id
        return self.repository.profiles.create(
            ProfileCreate(name=account.username, owner=account.owner)
        ).id

    def delete_account(self, account: Account, password: str, address: str) -> None:
        """Delete the account after checking its password (a throttled try): its diary first, then
        the account."""
        self._check_password(
            account, password, address, "password", "the password is wrong; nothing was deleted"
        )
        while True:
            page = self.repository.profiles.list(owner=account.owner, limit=100)
            if not page.items:
                break
            for profile in page.items:
                self.repository.profiles.delete(profile.id)
        self._delete_user(account.id)

    # -- helpers ---------------------------------------------------------------------------------
    def _check_password(
        self,
        account: Account,
        password: str,
        address: str,
        path: str,
        summary: str = "the password is wrong",
    ) -> None:
        """Check the account's password as one throttled try (shared with logins)."""
        self._throttle.claim(account.username, address)
        with self._read() as conn:
            stored = conn.execute(
                select(users.c.password_hash).where(users.c.id == account.id)
            ).scalar_one_or_none()
        try:
            ok = stored is not None and self.hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            ok = False
        if not ok:
            raise AuthenticationError(
                summary, [Problem(path, "does not match this account", "your current password")]
            )
        self._throttle.succeeded(account.username, address)

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        try:
            with self.engine.begin() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise storage_error(exc, "read the accounts") from exc

    def _rehash(self, user_id: int, password: str) -> None:
        try:
            with self._writer.begin() as conn:
                conn.execute(
                    update(users)
                    .where(users.c.id == user_id)
                    .values(password_hash=self.hasher.hash(password))
                )
        except SQLAlchemyError as exc:
            raise storage_error(exc, "update the password hash") from exc

    def _delete_user(self, user_id: int) -> None:
        try:
            with self._writer.begin() as conn:
                conn.execute(delete(sessions).where(sessions.c.user_id == user_id))
                conn.execute(delete(users).where(users.c.id == user_id))
        except SQLAlchemyError as exc:
            raise storage_error(exc, "delete the account") from exc


__all__ = [
    "ARGON2_LANES",
    "ARGON2_MEMORY_KIB",
    "ARGON2_TIME_COST",
    "FREE_TRIES_PER_ADDRESS",
    "FREE_TRIES_PER_USER",
    "MAX_DELAY",
    "MAX_PASSWORD",
    "MAX_SESSIONS",
    "MIN_PASSWORD",
    "SESSION_LIFETIME",
    "Account",
    "Accounts",
    "SessionInfo",
    "normalise_username",
]
