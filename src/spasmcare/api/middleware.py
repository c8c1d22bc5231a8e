"""Pure ASGI middleware for every response: security headers, a Host allow-list (DNS rebinding), a
request body limit with checks of JSON bodies, and an origin check that stops other sites from
posting to spasmcare (cross-site request forgery).

They are plain ASGI callables (no ``BaseHTTPMiddleware``) so they cost little per request.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from starlette.middleware.trustedhost import TrustedHostMiddleware

from spasmcare.api.body import PARSED_JSON, is_json
from spasmcare.api.problems import PROBLEM_MEDIA_TYPE, problem_body
from spasmcare.errors import BodyTooLargeError, InputError, NotJsonError, Problem
from spasmcare.safejson import BODY_LIMIT, IMPORT_LIMIT, loads

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
log = logging.getLogger("spasmcare.api")

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
"""No inline script or style anywhere, nothing from another origin, never framed."""

SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
)
HSTS = (b"strict-transport-security", b"max-age=31536000")
NO_STORE = (b"cache-control", b"no-store")
STATIC_CACHE = (b"cache-control", b"public, max-age=3600")

DEFAULT_BODY_LIMIT = BODY_LIMIT
"""Largest request body accepted, in bytes (1 MB); larger bodies get 413."""
IMPORT_BODY_LIMIT = IMPORT_LIMIT
"""Largest diary import accepted, in bytes (20 MB), the same as on the command line."""
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


async def _send_problem(
    send: Send, status: int, detail: str, problems: list[Problem], extra: list[tuple[bytes, bytes]]
) -> None:
    body = json.dumps(problem_body(status, detail, problems)).encode()
    headers = [
        (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
        (b"content-length", str(len(body)).encode()),
        *extra,
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class SecurityHeadersMiddleware:
    """Adds the security headers to every HTTP response (a response may set its own CSP)."""

    def __init__(self, app: ASGIApp, *, static_prefix: str = "/static/") -> None:
        self.app = app
        self.static_prefix = static_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = scope.get("scheme") == "https"
        static = str(scope.get("path", "")).startswith(self.static_prefix)
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                for name, value in SECURITY_HEADERS:
                    if name not in present:
                        headers.append((name, value))
                if https:
                    headers.append(HSTS)
                if b"cache-control" not in present:
                    headers.append(STATIC_CACHE if static else NO_STORE)
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            # Anything not handled inside: a 500 problem (with the headers), never a traceback.
            log.exception("%s %s failed", scope.get("method"), scope.get("path"))
            if started:
                raise
            await _send_problem(send_with_headers, 500, "something went wrong on our side", [], [])


class HostCheckMiddleware:
    """Answers only requests whose ``Host`` is one of ``allowed_hosts`` (400 problem otherwise).

    A page on another site can point its own host name at 127.0.0.1 (DNS rebinding) and then read
    the diary "from the same origin"; its requests still carry its own host name, which this
    refuses. The matching (``*.example.org`` wildcards, IPv6 literals) is Starlette's
    :class:`~starlette.middleware.trustedhost.TrustedHostMiddleware`; this wrapper only turns its
    refusal into a problem details answer.
    """

    def __init__(self, app: ASGIApp, *, allowed_hosts: list[str]) -> None:
        self.app = app
        self._check = TrustedHostMiddleware(
            self._accepted, allowed_hosts=allowed_hosts, www_redirect=False
        )

    @staticmethod
    async def _accepted(scope: Scope, receive: Receive, send: Send) -> None:
        scope["spasmcare.host_ok"] = True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        checked = {**scope, "spasmcare.host_ok": False}

        async def discard(message: Message) -> None:
            return None

        await self._check(checked, receive, discard)
        if checked["spasmcare.host_ok"]:
            await self.app(scope, receive, send)
            return
        host = _header(scope, b"host") or ""
        shown = host if len(host) <= 100 else host[:97] + "..."
        await _send_problem(
            send,
            400,
            "this server does not answer to that host name",
            [
                Problem(
                    "Host",
                    f"{shown!r} is not a name of this server",
                    "the address spasmcare was started on, or a name in SPASMCARE_ALLOWED_HOSTS",
                )
            ],
            [],
        )


async def _read_body(receive: Receive, limit: int | None = None) -> bytes | None:
    """The whole request body, or None if the client disconnected; raises BodyTooLargeError past
    ``limit`` bytes."""
    chunks: list[bytes] = []
    size = 0
    more = True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if limit is not None and size > limit:
            raise BodyTooLargeError
        chunks.append(chunk)
        more = bool(message.get("more_body", False))
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands the app the body already read, then defers to the real one."""
    delivered = False

    async def replay() -> Message:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


class BodyLimitMiddleware:
    """Reads request bodies up to a limit (413 problem beyond it) and hands them on in one piece."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        limit: int = DEFAULT_BODY_LIMIT,
        large_limit: int = IMPORT_BODY_LIMIT,
        large_paths: tuple[str, ...] = (),
    ) -> None:
        self.app = app
        self.limit = limit
        self.large_limit = large_limit
        self.large_paths = large_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in UNSAFE_METHODS:
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        limit = (
            self.large_limit if path.endswith(self.large_paths) and self.large_paths else self.limit
        )
        declared = _header(scope, b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > limit
            except ValueError:
                await _send_problem(
                    send,
                    400,
                    "the Content-Length header is not a number",
                    [Problem("Content-Length", f"{declared!r} is not a number")],
                    [],
                )
                return
            if too_big:
                await self._too_large(send, limit)
                return
        try:
            body = await _read_body(receive, limit)
        except BodyTooLargeError:
            await self._too_large(send, limit)
            return
        if body is None:
            return  # the client went away
        await self.app(scope, _replay(body, receive), send)

    @staticmethod
    async def _too_large(send: Send, limit: int) -> None:
        await _send_problem(
            send,
            413,
            "the request body is too large",
            [Problem("", "the body is larger than allowed", f"at most {limit} bytes")],
            [(b"connection", b"close")],
        )


class JsonBodyMiddleware:
    """Checks request bodies before any route sees them (it runs inside :class:`BodyLimitMiddleware`,
    so the body is already in one piece and within the limit).

    - Under ``json_paths`` (the REST API) a body must be declared JSON: 415 otherwise.
    - Every body declared JSON is read with :func:`spasmcare.safejson.loads`: a number that is not
      finite (``NaN``, ``Infinity``, ``1e400``), a whole number of more than 30 digits, or nesting
      deeper than 64 levels is a 422 naming each such field. The parsed value is kept in the scope
      for routes that read the body themselves (the CDS Hooks service).
    Text that is not JSON at all goes on to the route, which answers 400 with the position.
    """

    def __init__(self, app: ASGIApp, *, json_paths: tuple[str, ...] = ("/api/",)) -> None:
        self.app = app
        self.json_paths = json_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in UNSAFE_METHODS:
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive)
        if body is None:
            return  # the client went away
        if body:
            content_type = _header(scope, b"content-type")
            if is_json(content_type):
                try:
                    scope[PARSED_JSON] = loads(body, what="the request body")
                except NotJsonError:
                    pass
                except InputError as exc:
                    await _send_problem(send, 422, exc.summary, exc.problems, [])
                    return
            elif str(scope.get("path", "")).startswith(self.json_paths):
                await _send_problem(
                    send,
                    415,
                    "send the body as JSON with Content-Type: application/json",
                    [
                        Problem(
                            "Content-Type",
                            f"{(content_type or 'none')[:60]!r} is not JSON",
                            "application/json",
                        )
                    ],
                    [],
                )
                return
        await self.app(scope, _replay(body, receive), send)


class OriginCheckMiddleware:
    """Refuses state-changing requests sent by another site (403 problem).

    A browser marks such requests with ``Sec-Fetch-Site: cross-site`` or an ``Origin`` header naming
    another host; requests without either (command-line clients) pass. Forms are also protected by a
    CSRF token (see spasmcare.web.csrf).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in UNSAFE_METHODS:
            reason = self._refusal(scope)
            if reason is not None:
                await _send_problem(send, 403, reason, [Problem("Origin", reason)], [])
                return
        await self.app(scope, receive, send)

    @staticmethod
    def _refusal(scope: Scope) -> str | None:
        site = _header(scope, b"sec-fetch-site")
        if site == "cross-site":
            return "requests from other sites are not accepted"
        origin = _header(scope, b"origin")
        if origin is None:
            return None
        host = _header(scope, b"host")
        origin_host = urlsplit(origin).netloc if origin != "null" else ""
        if not origin_host or host is None or origin_host.lower() != host.lower():
            return "requests from other sites are not accepted"
        return None


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


__all__ = [
    "CONTENT_SECURITY_POLICY",
    "DEFAULT_BODY_LIMIT",
    "IMPORT_BODY_LIMIT",
    "BodyLimitMiddleware",
    "HostCheckMiddleware",
    "JsonBodyMiddleware",
    "OriginCheckMiddleware",
    "SecurityHeadersMiddleware",
]
