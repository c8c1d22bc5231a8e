"""Cross-site request forgery protection for every form.

The browser gets a random ``spasmcare_csrf`` cookie (HttpOnly, SameSite=Strict). Each form carries
``csrf_token`` = HMAC(secret key, cookie + session cookie); a POST is accepted only when the token
matches. Another site can neither read the cookie nor compute the token, and the token dies with the
session. The origin check in spasmcare.api.middleware is a second, independent guard.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Annotated

from fastapi import Depends, Request, Response
from starlette.exceptions import HTTPException

from spasmcare.api.auth import SESSION_COOKIE

CSRF_COOKIE = "spasmcare_csrf"
CSRF_FIELD = "csrf_token"


def _secret(request: Request) -> bytes:
    secret: bytes = request.app.state.spasmcare.secret
    return secret


def _browser_value(request: Request) -> str:
    """This browser's CSRF cookie, or a new value (remembered for the response) when it has none."""
    value = request.cookies.get(CSRF_COOKIE)
    if value and 20 <= len(value) <= 100:
        return value
    fresh: str | None = getattr(request.state, "new_csrf_cookie", None)
    if fresh is None:
        fresh = secrets.token_urlsafe(32)
        request.state.new_csrf_cookie = fresh
    return fresh


def _token_for(secret: bytes, browser: str, session: str) -> str:
    message = f"{browser}|{session}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def csrf_token(request: Request) -> str:
    """The token to put in this browser's forms."""
    return _token_for(
        _secret(request), _browser_value(request), request.cookies.get(SESSION_COOKIE, "")
    )


def set_csrf_cookie(request: Request, response: Response) -> None:
    fresh = getattr(request.state, "new_csrf_cookie", None)
    if fresh is not None:
        response.set_cookie(
            CSRF_COOKIE,
            fresh,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            path="/",
        )


async def require_csrf(request: Request) -> None:
    """Dependency for every form POST: 403 unless the form's token matches this browser."""
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    browser = request.cookies.get(CSRF_COOKIE)
    if not isinstance(sent, str) or not browser:
        raise HTTPException(403, "this form has expired; go back, reload the page and try again")
    expected = _token_for(_secret(request), browser, request.cookies.get(SESSION_COOKIE, ""))
    if not hmac.compare_digest(sent, expected):
        raise HTTPException(403, "this form has expired; go back, reload the page and try again")


CsrfChecked = Annotated[None, Depends(require_csrf)]

__all__ = [
    "CSRF_COOKIE",
    "CSRF_FIELD",
    "SESSION_COOKIE",
    "CsrfChecked",
    "csrf_token",
    "require_csrf",
    "set_csrf_cookie",
]
