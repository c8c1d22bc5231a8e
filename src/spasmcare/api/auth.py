"""Who is asking: the diary profile of the request, and the account routes of multi-user mode.

Single-user mode (the default) has no login: every request uses the local profile, and the server
listens on 127.0.0.1 only. Multi-user mode (``SPASMCARE_MULTI_USER=1``) needs a session cookie from
``POST /api/v1/account/login`` (or the login page); each account reaches only its own profile.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from spasmcare.accounts import (
    MAX_PASSWORD,
    SESSION_LIFETIME,
    Account,
    Accounts,
    AuthenticationError,
    SessionInfo,
)
from spasmcare.api.context import Context, get_context
from spasmcare.api.problems import problem_responses
from spasmcare.errors import Problem

SESSION_COOKIE = "spasmcare_session"
_UNSET = object()


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def current_account(request: Request) -> Account | None:
    """The logged-in account (multi-user mode), looked up once per request; None when logged out."""
    cached = getattr(request.state, "account", _UNSET)
    if cached is not _UNSET:
        return cached  # type: ignore[return-value]
    accounts = get_context(request).accounts
    account = (
        accounts.account_for_session(request.cookies.get(SESSION_COOKIE)) if accounts else None
    )
    request.state.account = account
    return account


def require_accounts(context: Context) -> Accounts:
    if context.accounts is None:  # pragma: no cover - routes exist only in multi-user mode
        raise AuthenticationError("accounts are off: spasmcare runs in single-user mode")
    return context.accounts


def require_account(request: Request) -> Account:
    account = current_account(request)
    if account is None:
        raise AuthenticationError(
            "log in first",
            [Problem("session", "no valid session", "log in with POST /api/v1/account/login")],
        )
    return account


def current_profile(request: Request) -> int:
    """The diary profile this request may use (HTTP 401 in multi-user mode without a session)."""
    context = get_context(request)
    if context.accounts is None:
        return context.storage.local_profile_id()
    cached = getattr(request.state, "profile_id", None)
    if cached is not None:
        return int(cached)
    profile = context.accounts.profile_id(require_account(request))
    request.state.profile_id = profile
    return profile


ProfileId = Annotated[int, Depends(current_profile)]
CurrentAccount = Annotated[Account, Depends(require_account)]
AccountsDep = Annotated[Accounts, Depends(require_accounts)]


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )


def clear_session_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(
        SESSION_COOKIE,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )


# -- account routes (multi-user mode only) --------------------------------------------------------
router = APIRouter(prefix="/account", tags=["account"])


class Credentials(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(
        min_length=1,
        max_length=MAX_PASSWORD,
        description="At least 10 characters; not a common password, nor built from the username "
        "(checked when registering). Never echoed in an error.",
    )


class PasswordIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    password: str = Field(
        min_length=1, max_length=MAX_PASSWORD, description="The current password."
    )


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_password: str = Field(min_length=1, max_length=MAX_PASSWORD)
    new_password: str = Field(
        min_length=1,
        max_length=MAX_PASSWORD,
        description="At least 10 characters; not a common password, nor built from the username.",
    )


class SessionOut(BaseModel):
    id: str = Field(description="A name for the session (not its token).")
    created_at: datetime
    expires_at: datetime
    last_seen_at: datetime | None
    user_agent: str | None
    current: bool = Field(description="The session of this request.")


class EndedOut(BaseModel):
    ended: int = Field(description="How many sessions were ended.")


class AccountOut(BaseModel):
    id: int
    username: str
    created_at: datetime


def _public(account: Account) -> dict[str, Any]:
    return {"id": account.id, "username": account.username, "created_at": account.created_at}


@router.post(
    "/register",
    status_code=201,
    response_model=AccountOut,
    summary="Create an account (and its empty diary)",
    responses=problem_responses(400, 409, 413, 415, 422, 503),
)
def register(data: Credentials, accounts: AccountsDep) -> Any:
    return _public(accounts.register(data.username, data.password))


@router.post(
    "/login",
    response_model=AccountOut,
    summary="Log in: sets the HttpOnly session cookie",
    responses=problem_responses(400, 401, 413, 415, 422, 429, 503),
)
def login(data: Credentials, request: Request, response: Response, accounts: AccountsDep) -> Any:
    account, token = accounts.login(
        data.username,
        data.password,
        client_address(request),
        request.headers.get("user-agent"),
    )
    set_session_cookie(request, response, token)
    return _public(account)


@router.post(
    "/logout",
    status_code=204,
    summary="Log out: ends the session",
    responses=problem_responses(503),
)
def logout(request: Request, accounts: AccountsDep) -> Response:
    accounts.logout(request.cookies.get(SESSION_COOKIE))
    response = Response(status_code=204)
    clear_session_cookie(request, response)
    return response


@router.get(
    "", response_model=AccountOut, summary="The logged-in account", responses=problem_responses(401)
)
def me(account: CurrentAccount) -> Any:
    return _public(account)


@router.post(
    "/delete",
    status_code=204,
    summary="Delete the account and its whole diary",
    description="Needs the current password. Deletes every diary record of the account, then the "
    "account and its sessions. This cannot be undone; export the diary first if you want a copy.",
    responses=problem_responses(400, 401, 413, 415, 422, 429, 503),
)
def delete_account(
    data: PasswordIn, request: Request, account: CurrentAccount, accounts: AccountsDep
) -> Response:
    accounts.delete_account(account, data.password, client_address(request))
    response = Response(status_code=204)
    clear_session_cookie(request, response)
    return response


@router.post(
    "/password",
    status_code=204,
    summary="Change the password (ends the other sessions)",
    description="Needs the current password; a wrong one counts as a failed login (429 after a "
    "few). The new password must follow the same rules as at registration. Every other session "
    "of the account ends; this one stays.",
    responses=problem_responses(400, 401, 413, 415, 422, 429, 503),
)
def change_password(
    data: PasswordChange, request: Request, account: CurrentAccount, accounts: AccountsDep
) -> Response:
    accounts.change_password(
        account,
        data.current_password,
        data.new_password,
        client_address(request),
        request.cookies.get(SESSION_COOKIE),
    )
    return Response(status_code=204)


@router.get(
    "/sessions",
    response_model=list[SessionOut],
    summary="The account's sessions, newest first",
    responses=problem_responses(401, 503),
)
def list_sessions(request: Request, account: CurrentAccount, accounts: AccountsDep) -> Any:
    return [
        _session(s) for s in accounts.list_sessions(account, request.cookies.get(SESSION_COOKIE))
    ]


@router.post(
    "/sessions/end-others",
    response_model=EndedOut,
    summary="Sign out everywhere else: end every session but this one",
    responses=problem_responses(401, 503),
)
def end_other_sessions(request: Request, account: CurrentAccount, accounts: AccountsDep) -> Any:
    return {"ended": accounts.end_other_sessions(account, request.cookies.get(SESSION_COOKIE))}


def _session(info: SessionInfo) -> dict[str, Any]:
    return {
        "id": info.id,
        "created_at": info.created_at,
        "expires_at": info.expires_at,
        "last_seen_at": info.last_seen_at,
        "user_agent": info.user_agent,
        "current": info.current,
    }


__all__ = [
    "SESSION_COOKIE",
    "CurrentAccount",
    "ProfileId",
    "clear_session_cookie",
    "current_account",
    "current_profile",
    "router",
    "set_session_cookie",
]
