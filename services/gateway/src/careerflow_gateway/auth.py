"""Bearer JWT authentication (HS256; ``sub`` and ``exp`` required) and local token minting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt

from careerflow_gateway.problems import Problem

ALGORITHM = "HS256"
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="careerflow"'}


def _unauthorized(detail: str) -> Problem:
    return Problem(401, "unauthorized", detail, headers=_CHALLENGE)


def mint_token(secret: str, user: str, *, ttl: timedelta = timedelta(hours=24)) -> str:
    """A signed token for ``user`` that expires after ``ttl``: for local use and tests."""
    now = datetime.now(UTC)
    claims = {"sub": user, "iat": now, "exp": now + ttl}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def user_from_authorization(header: str | None, secret: str, *, leeway_s: int = 0) -> str:
    """The user id (``sub``) of a valid ``Authorization: Bearer`` header; else a 401 problem."""
    if not header:
        raise _unauthorized("an Authorization: Bearer token is required")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _unauthorized("the Authorization header must be 'Bearer <token>'")
    try:
        claims = jwt.decode(
            token.strip(),
            secret,
            algorithms=[ALGORITHM],
            options={"require": ["sub", "exp"]},
            leeway=leeway_s,
        )
    except jwt.ExpiredSignatureError:
        raise _unauthorized("the token has expired") from None
    except jwt.InvalidTokenError:
        raise _unauthorized("the token is not valid") from None
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise _unauthorized("the token has no subject")
    return subject
