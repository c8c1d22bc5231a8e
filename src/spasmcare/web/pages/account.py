"""Account pages of multi-user mode: register, log in, log out, the account page (sessions, sign out
everywhere else, change the password), and delete the account with its diary."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from spasmcare.accounts import Account, Accounts, AuthenticationError, RateLimitedError
from spasmcare.api.auth import (
    SESSION_COOKIE,
    AccountsDep,
    CurrentAccount,
    clear_session_cookie,
    client_address,
    set_session_cookie,
)
from spasmcare.errors import InputError, Problem, SpasmcareError
from spasmcare.web.csrf import CsrfChecked
from spasmcare.web.localtime import page_zone, show
from spasmcare.web.templating import render

router = APIRouter(prefix="/account")
Next = Annotated[str, Query(max_length=200)]


def safe_next(target: str | None) -> str:
    """Only local paths: never redirect to another site after login."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/diary"


def _field(form: object, name: str) -> str:
    value = form.get(name) if hasattr(form, "get") else None
    return value if isinstance(value, str) else ""


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_page(request: Request, next: Next = "/diary") -> HTMLResponse:
    return render(
        request,
        "account/login.html",
        {"title": "Log in", "next": safe_next(next), "error": None, "username": ""},
    )


@router.post("/login", include_in_schema=False)
async def login(request: Request, accounts: AccountsDep, _csrf: CsrfChecked) -> Response:
    form = await request.form()
    target = safe_next(_field(form, "next"))
    try:
        _, token = accounts.login(
            _field(form, "username"),
            _field(form, "password"),
            client_address(request),
            request.headers.get("user-agent"),
        )
    except (AuthenticationError, RateLimitedError) as exc:
        status = 429 if isinstance(exc, RateLimitedError) else 401
        headers = (
            {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimitedError) else None
        )
        return render(
            request,
            "account/login.html",
            {
                "title": "Log in",
                "next": target,
                "error": exc.summary,
                "username": _field(form, "username"),
            },
            status_code=status,
            headers=headers,
        )
    response = RedirectResponse(target, status_code=303)
    set_session_cookie(request, response, token)
    return response


@router.get("/register", response_class=HTMLResponse, include_in_schema=False)
def register_page(request: Request) -> HTMLResponse:
    return render(
        request,
        "account/register.html",
        {"title": "Create an account", "problems": [], "username": ""},
    )


@router.post("/register", include_in_schema=False)
async def register(request: Request, accounts: AccountsDep, _csrf: CsrfChecked) -> Response:
    form = await request.form()
    username = _field(form, "username")
    password = _field(form, "password")
    problems: list[Problem] = []
    if password != _field(form, "password_again"):
        problems.append(Problem("password_again", "The two passwords are not the same."))
    if not problems:
        try:
            accounts.register(username, password)
            _, token = accounts.login(
                username, password, client_address(request), request.headers.get("user-agent")
            )
        except (InputError, SpasmcareError) as exc:
            problems = exc.problems or [Problem("", exc.summary)]
    if problems:
        return render(
            request,
            "account/register.html",
            {"title": "Create an account", "problems": problems, "username": username},
            status_code=422,
        )
    response = RedirectResponse("/diary", status_code=303)
    set_session_cookie(request, response, token)
    return response


@router.post("/logout", include_in_schema=False)
def logout(request: Request, accounts: AccountsDep, _csrf: CsrfChecked) -> Response:
    accounts.logout(request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/", status_code=303)
    clear_session_cookie(request, response)
    return response


def _account_page(
    request: Request,
    account: Account,
    accounts: Accounts,
    *,
    error: str | None = None,
    problems: list[Problem] | None = None,
    notice: str | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    zone = page_zone(request)
    return render(
        request,
        "account/account.html",
        {
            "title": "Your account",
            "account": account,
            "error": error,
            "problems": problems or [],
            "notice": notice,
            "sessions": [
                {
                    "current": info.current,
                    "agent": info.user_agent or "unknown browser",
                    "started": show(info.created_at, zone),
                    "seen": show(info.last_seen_at, zone),
                    "ends": show(info.expires_at, zone),
                }
                for info in accounts.list_sessions(account, request.cookies.get(SESSION_COOKIE))
            ],
        },
        status_code=status_code,
        headers=headers,
    )


_NOTICES = {
    "password": "Your password was changed. You were signed out everywhere else.",
    "ended": "You were signed out everywhere else.",
}


@router.get("", response_class=HTMLResponse, include_in_schema=False)
def account_page(
    request: Request,
    account: CurrentAccount,
    accounts: AccountsDep,
    done: Annotated[str, Query(max_length=20)] = "",
) -> HTMLResponse:
    return _account_page(request, account, accounts, notice=_NOTICES.get(done))


@router.post("/sessions/end-others", include_in_schema=False)
def end_other_sessions(
    request: Request, account: CurrentAccount, accounts: AccountsDep, _csrf: CsrfChecked
) -> Response:
    accounts.end_other_sessions(account, request.cookies.get(SESSION_COOKIE))
    return RedirectResponse("/account?done=ended", status_code=303)


@router.post("/password", include_in_schema=False)
async def change_password(
    request: Request, account: CurrentAccount, accounts: AccountsDep, _csrf: CsrfChecked
) -> Response:
    form = await request.form()
    new = _field(form, "new_password")
    if new != _field(form, "new_password_again"):
        return _account_page(
            request,
            account,
            accounts,
            problems=[Problem("new_password_again", "The two new passwords are not the same.")],
            status_code=422,
        )
    try:
        accounts.change_password(
            account,
            _field(form, "current_password"),
            new,
            client_address(request),
            request.cookies.get(SESSION_COOKIE),
        )
    except RateLimitedError as exc:
        return _account_page(
            request,
            account,
            accounts,
            problems=exc.problems,
            status_code=429,
            headers={"Retry-After": str(exc.retry_after)},
        )
    except (AuthenticationError, InputError) as exc:
        status = 401 if isinstance(exc, AuthenticationError) else 422
        return _account_page(request, account, accounts, problems=exc.problems, status_code=status)
    return RedirectResponse("/account?done=password", status_code=303)


@router.post("/delete", include_in_schema=False)
async def delete(
    request: Request, account: CurrentAccount, accounts: AccountsDep, _csrf: CsrfChecked
) -> Response:
    form = await request.form()
    try:
        accounts.delete_account(account, _field(form, "password"), client_address(request))
    except RateLimitedError as exc:
        return _account_page(
            request,
            account,
            accounts,
            error=exc.summary,
            status_code=429,
            headers={"Retry-After": str(exc.retry_after)},
        )
    except AuthenticationError as exc:
        return _account_page(request, account, accounts, error=exc.summary, status_code=401)
    response = RedirectResponse("/?account_deleted=1", status_code=303)
    clear_session_cookie(request, response)
    return response


__all__ = ["router", "safe_next"]
