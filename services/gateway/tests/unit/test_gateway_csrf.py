"""The CSRF rule of cookie-authenticated requests, and the shape of the cookies a sign-in sets."""

from __future__ import annotations

import pytest

from careerflow_gateway.browser_sessions import (
    check_csrf,
    digest,
    looks_like_session_id,
    new_secret,
)
from careerflow_gateway.problems import Problem

TOKEN = new_secret()
STORED = digest(TOKEN)  # what the session's row keeps of its CSRF token


def _refused(method: str, cookie: str | None, header: str | None) -> Problem:
    with pytest.raises(Problem) as refused:
        check_csrf(method, cookie=cookie, header=header, expected=STORED)
    assert refused.value.status == 403
    assert refused.value.slug == "csrf-token-mismatch"
    return refused.value


@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS"])
def test_a_safe_method_needs_no_token(method: str) -> None:
    check_csrf(method, cookie=None, header=None, expected=STORED)


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "post"])
def test_an_unsafe_method_needs_the_header_equal_to_the_cookie(method: str) -> None:
    check_csrf(method, cookie=TOKEN, header=TOKEN, expected=STORED)
    assert "X-CSRF-Token" in (_refused(method, TOKEN, None).detail or "")
    _refused(method, TOKEN, "")
    _refused(method, TOKEN, TOKEN[:-1])
    _refused(method, None, TOKEN)
    _refused(method, TOKEN, TOKEN + "x")


def test_a_matching_pair_that_is_not_this_sessions_token_is_refused() -> None:
    # A cookie planted by a sibling site ("cookie tossing") can match a header the attacker
    # also chose; the pair must also be the token this session was given.
    planted = new_secret()
    _refused("POST", planted, planted)


def test_secrets_are_random_url_safe_and_have_the_cookie_shape() -> None:
    secrets = {new_secret() for _ in range(100)}
    assert len(secrets) == 100
    assert all(looks_like_session_id(secret) for secret in secrets)
    assert digest(TOKEN) == STORED and len(STORED) == 32  # SHA-256, stable


@pytest.mark.parametrize(
    "value",
    ["", "short", "x" * 42, "x" * 44, "a" * 42 + "=", "a" * 42 + ".", "é" * 43, None],
)
def test_a_value_of_another_shape_is_no_session_id(value: str | None) -> None:
    assert not looks_like_session_id(value)
