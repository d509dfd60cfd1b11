"""Who sent a request: a bearer JWT or a browser session cookie; and local token minting.

A token is accepted only when it is HS256-signed with the gateway's secret and says who issued
it (``iss``), for whom (``aud``), who the caller is (``sub``: 1 to 255 characters, no control
characters, as OpenID Connect bounds it) and when it was issued and expires (``iat``, ``exp``),
with a lifetime ``exp - iat`` no longer than the gateway allows. Anything else is a 401.

``authenticate`` judges a header by the gateway's settings; ``caller_from_authorization`` takes
the rules as arguments (for code that has no settings object).

``authenticate_request`` judges a whole request: a request with an ``Authorization`` header is
judged by it alone (scripts and ``gateway token`` work as before, with no CSRF rule); one
without is judged by its ``careerflow_session`` cookie, a server-side browser session
(``browser_sessions.py``), and an unsafe method must then pass the CSRF rule (403).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import jwt
from fastapi.security import APIKeyCookie

from careerflow_gateway.browser_sessions import (
    CSRF_COOKIE,
    CSRF_HEADER,
    SESSION_COOKIE,
    BrowserSession,
    check_csrf,
)
from careerflow_gateway.problems import Problem

if TYPE_CHECKING:
    from starlette.requests import HTTPConnection

    from careerflow_gateway.browser_sessions import BrowserSessions
    from careerflow_gateway.settings import GatewaySettings

ALGORITHM = "HS256"
ISSUER = "careerflow"
AUDIENCE = "careerflow-api"
MAX_LIFETIME_S = 24 * 3600
SUBJECT_MAX = 255
_REQUIRED = ["sub", "iss", "aud", "iat", "exp"]
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="careerflow"'}


@dataclass(frozen=True)
class Caller:
    """Who sent a request, and until when (epoch seconds) their token or browser session is
    valid; ``session`` is the browser session when the cookie authenticated the request."""

    user: str
    expires_at: float
    session: BrowserSession | None = None


SESSION_COOKIE_SCHEME = APIKeyCookie(
    name=SESSION_COOKIE,
    scheme_name="BrowserSession",
    auto_error=False,
    description=(
        "The browser session a sign-in opens (`/v1/auth/signin`), used when no `Authorization` "
        f"header is sent. Unsafe methods (POST, PUT, PATCH, DELETE) must also send the header "
        f"`{CSRF_HEADER}` equal to the `{CSRF_COOKIE}` cookie, else 403."
    ),
)
"""How OpenAPI shows the cookie; ``authenticate_request`` is what judges it."""


def _unauthorized(detail: str) -> Problem:
    return Problem(401, "unauthorized", detail, headers=_CHALLENGE)


def _subject_problem(subject: object) -> str | None:
    """Why ``subject`` cannot name a user, or None when it can."""
    if not isinstance(subject, str) or not subject:
        return "the token's sub is empty"
    if len(subject) > SUBJECT_MAX:
        return f"the token's sub is longer than {SUBJECT_MAX} characters"
    if any(ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 for char in subject):
        return "the token's sub contains control characters"
    return None


def mint_token(
    secret: str,
    user: str,
    *,
    ttl: timedelta = timedelta(hours=24),
    issuer: str = ISSUER,
    audience: str = AUDIENCE,
    now: datetime | None = None,
) -> str:
    """A signed token for ``user`` that expires after ``ttl``: for local use and tests."""
    if problem := _subject_problem(user):
        raise ValueError(problem)
    issued = (now or datetime.now(UTC)).replace(microsecond=0)
    claims = {"sub": user, "iss": issuer, "aud": audience, "iat": issued, "exp": issued + ttl}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def caller_from_authorization(
    header: str | None,
    secret: str,
    *,
    leeway_s: float = 0,
    issuer: str = ISSUER,
    audience: str = AUDIENCE,
    max_lifetime_s: float = MAX_LIFETIME_S,
) -> Caller:
    """The caller of a valid ``Authorization: Bearer`` header; else a 401 problem."""
    if not header:
        raise _unauthorized("an Authorization: Bearer token is required")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _unauthorized("the Authorization header must be 'Bearer <token>'")
    try:
        claims: dict[str, Any] = jwt.decode(
            token.strip(),
            secret,
            algorithms=[ALGORITHM],
            options={"require": _REQUIRED},
            issuer=issuer,
            audience=audience,
            leeway=leeway_s,
        )
    except jwt.ExpiredSignatureError:
        raise _unauthorized("the token has expired") from None
    except jwt.MissingRequiredClaimError as exc:
        raise _unauthorized(f"the token has no {exc.claim} claim") from None
    except jwt.InvalidIssuerError:
        raise _unauthorized("the token's issuer (iss) is not accepted") from None
    except jwt.InvalidAudienceError:
        raise _unauthorized("the token's audience (aud) is not this API") from None
    except jwt.InvalidTokenError:
        raise _unauthorized("the token is not valid") from None
    if problem := _subject_problem(claims["sub"]):
        raise _unauthorized(problem)
    # Bounded by what the token itself says; iat cannot be in the future (checked above), so a
    # backdated iat only shortens what is left.
    if claims["exp"] - claims["iat"] > max_lifetime_s:
        raise _unauthorized(f"the token's lifetime (exp - iat) is longer than {max_lifetime_s:g} s")
    return Caller(user=claims["sub"], expires_at=float(claims["exp"]))


def authenticate(header: str | None, settings: GatewaySettings) -> Caller:
    """The caller of a request, judged by the gateway's settings; else a 401 problem."""
    return caller_from_authorization(
        header,
        settings.jwt_secret.get_secret_value(),
        leeway_s=settings.jwt_leeway_s,
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        max_lifetime_s=settings.jwt_max_lifetime_s,
    )


async def authenticate_request(
    connection: HTTPConnection, settings: GatewaySettings, browser_sessions: BrowserSessions
) -> Caller:
    """The caller of a request: by its ``Authorization`` header when it has one, else by its
    browser session cookie (with the CSRF rule on unsafe methods); else a 401 problem."""
    header = connection.headers.get("authorization")
    cookie = connection.cookies.get(SESSION_COOKIE)
    if header is not None or cookie is None:
        return authenticate(header, settings)
    session = await browser_sessions.find(cookie)
    if session is None:
        raise _unauthorized("the browser session has ended or is not known: sign in again")
    check_csrf(
        connection.scope.get("method", "GET"),
        cookie=connection.cookies.get(CSRF_COOKIE),
        header=connection.headers.get(CSRF_HEADER),
        expected=session.csrf_digest,
    )
    return Caller(user=session.user_id, expires_at=session.expires_at, session=session)
