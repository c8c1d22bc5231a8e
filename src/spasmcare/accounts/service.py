"""Web accounts for multi-user mode: registration, login with rate limiting, sessions, deletion.

Passwords are hashed with argon2id at OWASP's recommended minimum (19 MiB of memory, 2 passes, 1
lane: :data:`ARGON2_PARAMETERS`), which keeps a login near 50 ms on a small server; hashes made with
other parameters are upgraded at the next login. A session is a random token in an HttpOnly cookie; only its SHA-256 hash is stored,
so a copy of the database cannot be used to log in. Failed logins are counted in the database (so the
limit holds across several workers): at most :data:`MAX_FAILURES_PER_USER` per username and
:data:`MAX_FAILURES_PER_ADDRESS` per client address in :data:`FAILURE_WINDOW`.

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
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, Engine, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from spasmcare.accounts.tables import login_failures, sessions, users
from spasmcare.diary import DiaryRepository, ProfileCreate
from spasmcare.diary.db import storage_error, write_engine
from spasmcare.errors import ConflictError, InputError, Problem, SpasmcareError

ARGON2_TIME_COST = 2
ARGON2_MEMORY_KIB = 19456
ARGON2_LANES = 1
"""OWASP Password Storage Cheat Sheet: argon2id with m=19 MiB, t=2, p=1."""
SESSION_LIFETIME = timedelta(days=14)
FAILURE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_USER = 5
MAX_FAILURES_PER_ADDRESS = 30
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
USERNAME_ALLOWED = (
    "3 to 64 letters, digits, dots, dashes or underscores, starting with a letter or digit"
)
MIN_PASSWORD = 10
MAX_PASSWORD = 1024

Clock = Callable[[], datetime]


class AuthenticationError(SpasmcareError):
    """The username or password is wrong, or the session has ended (HTTP 401)."""


class RateLimitedError(SpasmcareError):
    """Too many failed logins; try again later (HTTP 429)."""

    def __init__(
        self, summary: str, retry_after: int, problems: list[Problem] | None = None
    ) -> None:
        super().__init__(summary, problems)
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class Account:
    id: int
    username: str
    created_at: datetime

    @property
    def owner(self) -> str:
        """The value of ``profiles.owner`` for this account's diary."""
        return f"account:{self.id}"


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


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
        clock: Clock = _utc_now,
    ) -> None:
        self.engine = engine
        self._writer = write_engine(engine)
        self.repository = repository
        self.hasher = hasher or PasswordHasher(
            time_cost=ARGON2_TIME_COST, memory_cost=ARGON2_MEMORY_KIB, parallelism=ARGON2_LANES
        )
        self._clock = clock
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
        if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
            problems.append(
                Problem(
                    "password",
                    f"has {len(password)} characters",
                    f"{MIN_PASSWORD} to {MAX_PASSWORD} characters",
                )
            )
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
            self.repository.create_profile(ProfileCreate(name=name, owner=account.owner))
        except BaseException:
            self._delete_user(account.id)
            raise
        return account

    # -- login and sessions --------------------------------------------------------------------
    def login(self, username: str, password: str, address: str) -> tuple[Account, str]:
        """Check the password; return the account and a new session token.

        Raises RateLimitedError after too many failures, AuthenticationError for a wrong name or
        password (the same message for both, and the same work, so names cannot be guessed).
        """
        name = normalise_username(username)
        now = self._clock()
        keys = (f"user:{name}"[:200], f"address:{address}"[:200])
        self._check_rate(keys, now)
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
            self._record_failure(keys, now)
            raise AuthenticationError(
                "the username or password is wrong",
                [Problem("password", "does not match the username", "check both and try again")],
            )
        account = Account(id=row.id, username=row.username, created_at=row.created_at)
        token = secrets.token_urlsafe(32)
        try:
            with self._writer.begin() as conn:
                conn.execute(delete(login_failures).where(login_failures.c.key == keys[0]))
                conn.execute(delete(sessions).where(sessions.c.expires_at < now))
                conn.execute(
                    insert(sessions).values(
                        token_hash=_hash_token(token),
                        user_id=account.id,
                        created_at=now,
                        expires_at=now + SESSION_LIFETIME,
                    )
                )
        except SQLAlchemyError as exc:
            raise storage_error(exc, "start the session") from exc
        if self.hasher.check_needs_rehash(stored):
            self._rehash(account.id, password)
        return account, token

    def account_for_session(self, token: str | None) -> Account | None:
        """The account a session token belongs to, or None (unknown, ended or expired)."""
        if not token or len(token) > 200:
            return None
        with self._read() as conn:
            row = conn.execute(
                select(users.c.id, users.c.username, users.c.created_at, sessions.c.expires_at)
                .join(sessions, sessions.c.user_id == users.c.id)
                .where(sessions.c.token_hash == _hash_token(token))
            ).first()
        if row is None or row.expires_at <= self._clock():
            return None
        return Account(id=row.id, username=row.username, created_at=row.created_at)

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
        page = self.repository.list_profiles(owner=account.owner, limit=1)
        if page.items:
            return page.items[0].id
        return self.repository.create_profile(
            ProfileCreate(name=account.username, owner=account.owner)
        ).id

    def delete_account(self, account: Account, password: str) -> None:
        """Delete the account after checking its password: its diary first, then the account."""
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
                "the password is wrong; nothing was deleted",
                [Problem("password", "does not match this account", "your current password")],
            )
        while True:
            page = self.repository.list_profiles(owner=account.owner, limit=100)
            if not page.items:
                break
            for profile in page.items:
                self.repository.delete_profile(profile.id)
        self._delete_user(account.id)

    # -- helpers ---------------------------------------------------------------------------------
    @contextmanager
    def _read(self) -> Iterator[Connection]:
        try:
            with self.engine.begin() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise storage_error(exc, "read the accounts") from exc

    def _check_rate(self, keys: tuple[str, str], now: datetime) -> None:
        limits = (MAX_FAILURES_PER_USER, MAX_FAILURES_PER_ADDRESS)
        since = now - FAILURE_WINDOW
        with self._read() as conn:
            for key, limit in zip(keys, limits, strict=True):
                count, first = conn.execute(
                    select(func.count(), func.min(login_failures.c.at)).where(
                        login_failures.c.key == key, login_failures.c.at >= since
                    )
                ).one()
                if count >= limit:
                    first_at = first if first.tzinfo else first.replace(tzinfo=UTC)
                    wait = max(1, int((first_at + FAILURE_WINDOW - now).total_seconds()) + 1)
                    raise RateLimitedError(
                        "too many failed logins; wait a few minutes and try again",
                        wait,
                        [
                            Problem(
                                "username", "too many failed tries", f"try again in {wait} seconds"
                            )
                        ],
                    )

    def _record_failure(self, keys: tuple[str, str], now: datetime) -> None:
        try:
            with self._writer.begin() as conn:
                conn.execute(
                    delete(login_failures).where(login_failures.c.at < now - FAILURE_WINDOW)
                )
                conn.execute(insert(login_failures), [{"key": key, "at": now} for key in keys])
        except SQLAlchemyError as exc:
            raise storage_error(exc, "record the failed login") from exc

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
    "FAILURE_WINDOW",
    "MAX_FAILURES_PER_ADDRESS",
    "MAX_FAILURES_PER_USER",
    "SESSION_LIFETIME",
    "Account",
    "Accounts",
    "AuthenticationError",
    "RateLimitedError",
    "normalise_username",
]
