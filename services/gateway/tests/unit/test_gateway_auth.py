"""Bearer tokens that say who issued them, for whom and for how long, and a bounded subject;
the ``gateway token`` command mints exactly those."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest

from careerflow_gateway.auth import (
    AUDIENCE,
    ISSUER,
    SUBJECT_MAX,
    authenticate,
    caller_from_authorization,
    mint_token,
)
from careerflow_gateway.main import main
from careerflow_gateway.problems import Problem
from careerflow_gateway.settings import GatewaySettings

SECRET = "unit-test-secret-0123456789abcdef"
NOW = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
DAY = 24 * 3600


def _claims(**overrides: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    claims: dict[str, Any] = {
        "sub": "alice",
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + timedelta(hours=1),
    }
    claims.update(overrides)
    return {name: value for name, value in claims.items() if value is not None}


def _bearer(claims: dict[str, Any], secret: str = SECRET) -> str:
    return f"Bearer {jwt.encode(claims, secret, algorithm='HS256')}"


def _refusal(header: str) -> str:
    with pytest.raises(Problem) as refused:
        caller_from_authorization(header, SECRET)
    assert refused.value.status == 401
    assert refused.value.headers["WWW-Authenticate"].startswith("Bearer")
    return refused.value.detail or ""


# --- tokens --------------------------------------------------------------------------------


def test_a_minted_token_carries_issuer_audience_and_a_bounded_lifetime() -> None:
    token = mint_token(SECRET, "alice", ttl=timedelta(hours=2), now=NOW)
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["iss"] == ISSUER
    assert claims["aud"] == AUDIENCE
    assert claims["sub"] == "alice"
    assert claims["exp"] - claims["iat"] == 2 * 3600
    assert claims["iat"] == int(NOW.timestamp())


def test_a_valid_token_gives_the_user_and_when_the_token_expires() -> None:
    token = mint_token(SECRET, "alice", ttl=timedelta(minutes=30))
    caller = caller_from_authorization(f"Bearer {token}", SECRET)
    assert caller.user == "alice"
    expires = jwt.decode(token, options={"verify_signature": False})["exp"]
    assert caller.expires_at == expires


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        (_claims(iss=None), "iss"),
        (_claims(iss="someone-else"), "issuer"),
        (_claims(aud=None), "aud"),
        (_claims(aud="another-api"), "audience"),
        (_claims(exp=None), "exp"),
        (_claims(iat=None), "iat"),
    ],
    ids=["no-iss", "wrong-iss", "no-aud", "wrong-aud", "no-exp", "no-iat"],
)
def test_a_token_without_the_right_claims_is_refused(claims: dict[str, Any], reason: str) -> None:
    assert reason in _refusal(_bearer(claims))


def test_a_token_living_longer_than_allowed_is_refused() -> None:
    now = datetime.now(UTC)
    at_limit = _claims(iat=now, exp=now + timedelta(seconds=DAY))
    assert caller_from_authorization(_bearer(at_limit), SECRET, max_lifetime_s=DAY).user == "alice"
    too_long = _claims(iat=now, exp=now + timedelta(seconds=DAY + 1))
    with pytest.raises(Problem) as refused:
        caller_from_authorization(_bearer(too_long), SECRET, max_lifetime_s=DAY)
    assert refused.value.status == 401
    assert "lifetime" in (refused.value.detail or "")
    # Backdating iat does not help: a token issued a year ago for two years is still too long.
    backdated = _claims(iat=now - timedelta(days=365), exp=now + timedelta(days=365))
    assert "lifetime" in _refusal(_bearer(backdated))


def test_a_token_issued_in_the_future_is_refused() -> None:
    now = datetime.now(UTC)
    future = _claims(iat=now + timedelta(hours=1), exp=now + timedelta(hours=2))
    _refusal(_bearer(future))


def test_a_subject_over_the_limit_or_with_control_characters_is_refused() -> None:
    longest = "u" * SUBJECT_MAX
    assert caller_from_authorization(_bearer(_claims(sub=longest)), SECRET).user == longest
    assert "sub" in _refusal(_bearer(_claims(sub=longest + "u")))
    for bad in ("", "alice\x00", "bob\nadmin", "carol\x7f"):
        assert "sub" in _refusal(_bearer(_claims(sub=bad))), repr(bad)


def test_the_issuer_and_audience_follow_the_settings() -> None:
    settings = GatewaySettings(
        environment="production", jwt_secret=SECRET, jwt_issuer="idp", jwt_audience="cf"
    )
    ours = mint_token(SECRET, "alice", issuer="idp", audience="cf")
    assert authenticate(f"Bearer {ours}", settings).user == "alice"
    default = mint_token(SECRET, "alice")
    with pytest.raises(Problem):
        authenticate(f"Bearer {default}", settings)


def test_mint_token_refuses_a_subject_the_gateway_would_refuse() -> None:
    with pytest.raises(ValueError, match="sub"):
        mint_token(SECRET, "u" * (SUBJECT_MAX + 1))


# --- the gateway token command -------------------------------------------------------------


def test_the_token_command_mints_what_the_gateway_accepts(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GATEWAY_ENVIRONMENT", "development")
    monkeypatch.setenv("GATEWAY_JWT_SECRET", SECRET)
    main(["token", "--user", "alice", "--ttl-hours", "2"])
    token = capsys.readouterr().out.strip()
    settings = GatewaySettings()
    assert authenticate(f"Bearer {token}", settings).user == "alice"
    claims = jwt.decode(token, options={"verify_signature": False})
    assert (claims["iss"], claims["aud"], claims["exp"] - claims["iat"]) == (
        ISSUER,
        AUDIENCE,
        2 * 3600,
    )


def test_the_token_command_refuses_a_lifetime_the_gateway_would_refuse(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GATEWAY_ENVIRONMENT", "development")
    monkeypatch.setenv("GATEWAY_JWT_SECRET", SECRET)
    for hours in ("25", "0", "-1"):
        with pytest.raises(SystemExit) as stopped:
            main(["token", "--user", "alice", "--ttl-hours", hours])
        assert stopped.value.code == 2
        assert "--ttl-hours" in capsys.readouterr().err
