"""Web accounts for multi-user mode (``SPASMCARE_MULTI_USER=1``): argon2id password hashes, login
sessions, login rate limiting, and account deletion that deletes the account's diary.

Each account owns one diary profile; the API and the pages only ever use that profile, so one user
can never reach another's records.
"""

from spasmcare.accounts.service import (
    ARGON2_LANES,
    ARGON2_MEMORY_KIB,
    ARGON2_TIME_COST,
    FAILURE_WINDOW,
    MAX_FAILURES_PER_ADDRESS,
    MAX_FAILURES_PER_USER,
    SESSION_LIFETIME,
    Account,
    Accounts,
    AuthenticationError,
    RateLimitedError,
    normalise_username,
)

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
