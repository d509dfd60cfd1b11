"""``RequestGuard``: a request is judged on its head before a byte of its body is read.

Without it, FastAPI reads and parses a JSON body before any dependency runs, so an anonymous
client could make the gateway hold a 60 MiB body just to be told 401. The guard, an ASGI
middleware in front of the routes, answers first:

- a head with more than ``GATEWAY_MAX_REQUEST_HEADERS`` headers, or more than
  ``GATEWAY_MAX_REQUEST_HEAD_BYTES`` in its path, query and header names and values, is 431
  before anything in it is read (a 100 KiB ``Authorization`` header is not decoded). uvicorn
  (h11) bounds a head that is still arriving (see ``main.uvicorn_options``);
- under ``/v1`` a request needs a credential: a valid bearer token, judged by the same
  ``auth.authenticate`` the routes use, or (with no ``Authorization`` header) a
  ``careerflow_session`` cookie of the right shape, which the routes then judge against the
  database (a made-up one can cost at most a bounded body before its 401); without either it
  is 401 and its body is never read. Signing up and signing in need none (there is no session
  yet) and their bodies are bounded at 4 KiB;
- every body has a bound: a declared ``Content-Length`` above it is 413 at once, and a body sent
  without one (chunked) is counted as it streams in, refused with 413 at the first chunk past the
  bound, whatever the route had made of the cut-short read. JSON bodies may have 64 KiB; the
  resume upload (``POST /v1/sessions``) is bounded by its own reader (``uploads.py``), which
  counts the same way against the resume's limit;
- a body under way must keep coming: a wait of more than ``GATEWAY_BODY_IDLE_TIMEOUT_S`` for
  its next piece (or its first) is 408, uploads included, whatever the route had made of the
  cut-short read. Once the body is in, waiting on ``receive`` is waiting for the client to go
  (an event stream does it for minutes): no timeout applies;
- a refusal with a body still on its way closes the connection, so the server does not go on
  receiving (and discarding) the rest.

Health, metrics and the API description need no token; they read no body either.
"""

from __future__ import annotations

import asyncio
import re

from starlette.datastructures import Headers
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from careerflow_gateway.auth import authenticate
from careerflow_gateway.browser_sessions import SESSION_COOKIE, looks_like_session_id
from careerflow_gateway.problems import Problem, problem_response
from careerflow_gateway.settings import GatewaySettings

JSON_BODY_MAX = 64 * 1024
"""Bytes a JSON body may have: an answer (10 000 characters) is at most 40 KB of UTF-8."""

AUTH_BODY_MAX = 4 * 1024
"""Bytes a sign-up or sign-in body may have: an email (254) and a password (256 characters)."""

API_PREFIX = "/v1"
_SIGN_UP_OR_IN = frozenset({"/v1/auth/signup", "/v1/auth/signin"})
_UPLOAD = ("POST", "/v1/sessions")
_DIGITS = re.compile(r"[0-9]+")
_MAX_DIGITS = 18  # more than this is past any limit; int() of thousands of digits is slow


class _BodyRefused(Exception):
    """Raised into the app by ``receive`` once the body is refused: past its bound, or stalled."""


def _too_large(limit: int) -> Problem:
    return Problem(413, "payload-too-large", f"the request body may be at most {limit} bytes")


def _stalled(idle_s: float) -> Problem:
    return Problem(
        408, "request-timeout", f"the request body stopped arriving: nothing for {idle_s:g} s"
    )


def _check_head(scope: Scope, settings: GatewaySettings) -> None:
    """Pass a head within the limits on its headers' number and its size; else a 431 problem."""
    headers: list[tuple[bytes, bytes]] = scope["headers"]
    size = len(scope.get("raw_path") or scope["path"].encode()) + len(scope["query_string"])
    size += sum(len(name) + len(value) for name, value in headers)
    if len(headers) > settings.max_request_headers or size > settings.max_request_head_bytes:
        raise Problem(
            431,
            "request-header-fields-too-large",
            f"a request may have at most {settings.max_request_headers} headers and "
            f"{settings.max_request_head_bytes} bytes of path, query and headers",
        )


def _body_limit(scope: Scope) -> int | None:
    """The most bytes this request's body may have; ``None`` where the route counts itself."""
    if (scope["method"], scope["path"]) == _UPLOAD:
        return None
    if scope["path"] in _SIGN_UP_OR_IN:
        return AUTH_BODY_MAX
    return JSON_BODY_MAX


def _require_credential(headers: Headers, path: str, settings: GatewaySettings) -> None:
    """Pass a request that carries a credential (or needs none); else a 401 problem."""
    if path in _SIGN_UP_OR_IN:
        return
    if "authorization" not in headers:
        cookie = cookie_parser(headers.get("cookie", "")).get(SESSION_COOKIE)
        if looks_like_session_id(cookie):
            return
    authenticate(headers.get("authorization"), settings)


def _declared_length(headers: Headers) -> int | None:
    """The ``Content-Length`` of the request, or ``None``; a malformed one is a 400 problem."""
    values = {value.strip() for value in headers.getlist("content-length")}
    if not values:
        return None
    if len(values) > 1 or not _DIGITS.fullmatch(next(iter(values))):
        raise Problem(400, "bad-request", "Content-Length must be one non-negative integer")
    digits = next(iter(values)).lstrip("0") or "0"
    return int(digits) if len(digits) <= _MAX_DIGITS else 10**_MAX_DIGITS


def _body_may_follow(headers: Headers) -> bool:
    return "transfer-encoding" in headers or headers.get("content-length", "0").strip() != "0"


class RequestGuard:
    """ASGI middleware: 431 past the head's limits, 401 before the body without a credential,
    413 past the body's bound, 408 when the body stops coming."""

    def __init__(self, app: ASGIApp, *, settings: GatewaySettings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        limit = _body_limit(scope)
        try:
            _check_head(scope, self.settings)
            path = scope["path"]
            if path == API_PREFIX or path.startswith(API_PREFIX + "/"):
                _require_credential(headers, path, self.settings)
            declared = _declared_length(headers)
            if limit is not None and declared is not None and declared > limit:
                raise _too_large(limit)
        except Problem as problem:
            await self._refuse(problem, headers, scope, receive, send)
            return
        await self._guarded(limit, headers, scope, receive, send)

    async def _guarded(
        self, limit: int | None, headers: Headers, scope: Scope, receive: Receive, send: Send
    ) -> None:
        """Run the app with its body counted against ``limit`` (``None``: the route counts it)
        and each wait for the body's next piece held to the idle timeout."""
        idle_s = self.settings.body_idle_timeout_s
        received = 0
        body_done = False
        refusal: Problem | None = None
        answered = False
        started = False

        async def guarded_receive() -> Message:
            nonlocal received, body_done, refusal
            if refusal is not None:
                raise _BodyRefused
            if body_done:
                return await receive()  # the wait for the client to go: not the body's
            try:
                async with asyncio.timeout(idle_s):
                    message = await receive()
            except TimeoutError:
                refusal = _stalled(idle_s)
                raise _BodyRefused from None
            if message["type"] != "http.request":
                body_done = True  # the client went
                return message
            received += len(message.get("body", b""))
            body_done = not message.get("more_body", False)
            if limit is not None and received > limit:
                refusal = _too_large(limit)
                raise _BodyRefused
            return message

        async def replacing_send(message: Message) -> None:
            # Once the body is refused, whatever the app answers to the cut-short read (FastAPI
            # makes it a 400) is replaced by the refusal.
            nonlocal answered, started
            if refusal is not None and not started:
                if not answered:
                    answered = True
                    await self._refuse(refusal, headers, scope, receive, send)
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, guarded_receive, replacing_send)
        except Exception:
            if refusal is None or started:
                raise
            if not answered:
                await self._refuse(refusal, headers, scope, receive, send)

    @staticmethod
    async def _refuse(
        problem: Problem, headers: Headers, scope: Scope, receive: Receive, send: Send
    ) -> None:
        response = problem_response(problem, scope["path"])
        if _body_may_follow(headers):
            response.headers["Connection"] = "close"
        await response(scope, receive, send)
