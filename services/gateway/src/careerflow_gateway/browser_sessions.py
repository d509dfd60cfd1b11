"""Server-side browser sessions: the cookie pair a sign-in sets, the rows behind it, and the
CSRF rule of requests the cookie authenticates.

A sign-in opens a session: a random id (256 bits) in the ``careerflow_session`` cookie (HttpOnly,
SameSite=Lax) and a random CSRF token in ``careerflow_csrf`` (readable by the page's script,
SameSite=Strict), both Secure outside development. The database keeps only SHA-256 digests of the
two: a copy of the table opens no session. A fast digest is enough, unlike for passwords, because
the values are random and long; nobody can guess one to check it against its digest.

A session lives ``ttl_s`` from its sign-in (no sliding renewal) and ends earlier when its user
signs out (its row is deleted: revoked at once, on every replica) or erases the account.

CSRF: an unsafe request (POST, PUT, PATCH, DELETE) authenticated by the cookie must carry the
header ``X-CSRF-Token`` equal to the ``careerflow_csrf`` cookie (a double submit: a page on
another site can make the browser send the cookies but can neither read them nor set the
header), and that value must be the token this session was given, so a cookie planted from a
sibling domain does not pass.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from careerflow_gateway.problems import Problem

if TYPE_CHECKING:
    from starlette.responses import Response

    from careerflow_gateway.db.pool import DbConnection, Pool

SESSION_COOKIE = "careerflow_session"
CSRF_COOKIE = "careerflow_csrf"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

_COOKIES: tuple[tuple[str, bool, Literal["lax", "strict"]], ...] = (
    (SESSION_COOKIE, True, "lax"),
    (CSRF_COOKIE, False, "strict"),
)
"""Each cookie's name, whether it is HttpOnly and its SameSite: the same when it is set and when
it is cleared, so the browser drops the one it holds."""

_SECRET_BYTES = 32
_SECRET_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")  # token_urlsafe(32): 43 base64url characters


def new_secret() -> str:
    """A random session id or CSRF token: 256 bits, base64url."""
    return secrets.token_urlsafe(_SECRET_BYTES)


def digest(secret: str) -> bytes:
    """What the database keeps of a session id or CSRF token."""
    return hashlib.sha256(secret.encode("ascii", "replace")).digest()


def looks_like_session_id(value: str | None) -> bool:
    """Whether ``value`` has the shape of a session id (a cheap check before any lookup)."""
    return value is not None and _SECRET_SHAPE.fullmatch(value) is not None


def check_csrf(method: str, *, cookie: str | None, header: str | None, expected: bytes) -> None:
    """Pass a safe method; else require ``header == cookie``, both this session's CSRF token
    (``expected`` is its digest); else a 403 problem."""
    if method.upper() in SAFE_METHODS:
        return
    if not header or not cookie:
        raise _csrf_refused(f"the {CSRF_HEADER} header must repeat the {CSRF_COOKIE} cookie")
    # Compared in constant time: the token is a secret the page holds.
    if not hmac.compare_digest(header.encode(), cookie.encode()) or not hmac.compare_digest(
        digest(header), expected
    ):
        raise _csrf_refused(f"the {CSRF_HEADER} header is not this session's token")


def _csrf_refused(detail: str) -> Problem:
    return Problem(403, "csrf-token-mismatch", detail)


@dataclass(frozen=True)
class OpenedSession:
    """A new session: the two secrets for the cookies (never stored) and its end."""

    session_id: str
    csrf_token: str
    expires_at: float
    lifetime_s: int


@dataclass(frozen=True)
class BrowserSession:
    """A live session found by its cookie."""

    id_digest: bytes
    user_id: str
    email: str
    csrf_digest: bytes
    expires_at: float


class BrowserSessions:
    """Opens, finds and revokes sessions; ``clock`` is epoch seconds (tests move their own)."""

    def __init__(self, pool: Pool, *, ttl_s: float, clock: Callable[[], float] = time.time):
        self.pool = pool
        self.ttl_s = ttl_s
        self.clock = clock

    async def open(self, conn: DbConnection, user_id: str) -> OpenedSession:
        """A new session of ``user_id``, written with ``conn`` (in the caller's transaction).
        Sessions already past their end are purged on the way: each sign-in tidies up."""
        now = self.clock()
        opened = OpenedSession(new_secret(), new_secret(), now + self.ttl_s, round(self.ttl_s))
        await conn.execute("DELETE FROM browser_sessions WHERE expires_at <= $1", now)
        await conn.execute(
            "INSERT INTO browser_sessions (id_digest, user_id, csrf_digest, created_at, expires_at)"
            " VALUES ($1, $2::uuid, $3, $4, $5)",
            digest(opened.session_id),
            user_id,
            digest(opened.csrf_token),
            now,
            opened.expires_at,
        )
        return opened

    async def find(self, session_id: str | None) -> BrowserSession | None:
        """The live session whose id is ``session_id``; None when there is none (never was,
        revoked, or past its end)."""
        if not looks_like_session_id(session_id):
            return None
        assert session_id is not None
        row = await self.pool.fetchrow(
            "SELECT s.id_digest, s.user_id::text AS user_id, u.email, s.csrf_digest, s.expires_at"
            " FROM browser_sessions s JOIN users u ON u.id = s.user_id"
            " WHERE s.id_digest = $1 AND s.expires_at > $2",
            digest(session_id),
            self.clock(),
        )
        if row is None:
            return None
        return BrowserSession(
            id_digest=row["id_digest"],
            user_id=row["user_id"],
            email=row["email"],
            csrf_digest=row["csrf_digest"],
            expires_at=row["expires_at"],
        )

    async def revoke(self, session: BrowserSession) -> None:
        """End ``session`` now, on every replica."""
        await self.pool.execute(
            "DELETE FROM browser_sessions WHERE id_digest = $1", session.id_digest
        )


def set_session_cookies(response: Response, opened: OpenedSession, *, secure: bool) -> None:
    """Give the browser ``opened``'s cookies, living as long as the session."""
    values = {SESSION_COOKIE: opened.session_id, CSRF_COOKIE: opened.csrf_token}
    for name, httponly, samesite in _COOKIES:
        response.set_cookie(
            name,
            values[name],
            max_age=opened.lifetime_s,
            path="/",
            secure=secure,
            httponly=httponly,
            samesite=samesite,
        )


def clear_session_cookies(response: Response, *, secure: bool) -> None:
    """Tell the browser to drop both cookies (same attributes, so it drops these ones)."""
    for name, httponly, samesite in _COOKIES:
        response.delete_cookie(name, path="/", secure=secure, httponly=httponly, samesite=samesite)
