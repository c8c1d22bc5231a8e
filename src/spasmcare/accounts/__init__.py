"""Web accounts for multi-user mode (``SPASMCARE_MULTI_USER=1``): argon2id password hashes, password
rules after NIST SP 800-63B, login sessions (listed, ended everywhere else, at most a few per
account), password guessing slowed with growing delays per username and address, password change,
and account deletion that deletes the account's diary.

Each account owns one diary profile; the API and the pages only ever use that profile, so one user
can never reach another's records.
"""

from spasmcare.accounts.passwords import check_password, password_problems
from spasmcare.accounts.service import (
    ARGON2_LANES,
    ARGON2_MEMORY_KIB,
    ARGON2_TIME_COST,
    FREE_TRIES_PER_ADDRESS,
    FREE_TRIES_PER_USER,
    MAX_DELAY,
    MAX_PASSWORD,
    MAX_SESSIONS,
    MIN_PASSWORD,
    SESSION_LIFETIME,
    Account,
    Accounts,
    SessionInfo,
    normalise_username,
)
from spasmcare.errors import AuthenticationError, RateLimitedError

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
    "AuthenticationError",
    "RateLimitedError",
    "SessionInfo",
    "check_password",
    "normalise_username",
    "password_problems",
]
