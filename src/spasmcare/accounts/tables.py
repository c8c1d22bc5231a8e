"""Tables of the web accounts (multi-user mode): users, their login sessions and the password
guessing throttle.

They live in the diary's database and are created by the diary's Alembic migrations ``acc1``
(``diary/migrations/versions/acc1_accounts.py``) and ``acc2`` (session details, the throttle). A
user owns diary profiles through the profile's ``owner`` column (``account:<user id>``).
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table

from spasmcare.diary.tables import NAMING, UTCDateTime

metadata = MetaData(naming_convention=NAMING)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    sqlite_autoincrement=True,
)

sessions = Table(
    "sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column(
        "user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("last_seen_at", UTCDateTime(), nullable=True),
    Column("user_agent", String(200), nullable=True),
)

login_throttle = Table(
    "login_throttle",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("last_failure_at", UTCDateTime(), nullable=False),
    Column("blocked_until", UTCDateTime(), nullable=False),
)
"""One row per throttled key (``login:<username>|<address>``, ``address:<address>``): how many
password guesses it made (counted *before* each is checked), the last one, and when the next may
be checked."""

__all__ = ["login_throttle", "metadata", "sessions", "users"]
