"""Tables of the web accounts (multi-user mode): users, their login sessions and failed logins.

They live in the diary's database and are created by the diary's Alembic migration ``acc1``
(``diary/migrations/versions/acc1_accounts.py``). A user owns diary profiles through the profile's
``owner`` column (``account:<user id>``).
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, MetaData, String, Table

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
)

login_failures = Table(
    "login_failures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(200), nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    Index(None, "key", "at"),
    sqlite_autoincrement=True,
)

__all__ = ["login_failures", "metadata", "sessions", "users"]
