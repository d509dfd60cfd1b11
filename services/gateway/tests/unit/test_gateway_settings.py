"""Safe defaults: with no environment the gateway is in production, and its secret is real."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from careerflow_gateway.settings import GatewaySettings

SECRET = "unit-test-secret-0123456789abcdef"


@pytest.fixture
def no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GATEWAY_ENVIRONMENT", "GATEWAY_JWT_SECRET", "CAREERFLOW_ENVIRONMENT"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.usefixtures("no_environment")
def test_with_no_environment_the_gateway_is_in_production() -> None:
    assert GatewaySettings(jwt_secret=SECRET).environment == "production"


@pytest.mark.usefixtures("no_environment")
def test_with_no_environment_a_missing_secret_is_refused() -> None:
    with pytest.raises(ValidationError, match="GATEWAY_JWT_SECRET"):
        GatewaySettings()


@pytest.mark.parametrize("environment", ["production", "test", "development"])
def test_a_secret_under_32_bytes_is_refused_in_every_environment(environment: str) -> None:
    with pytest.raises(ValidationError, match="32 bytes"):
        GatewaySettings(environment=environment, jwt_secret="x" * 31)
    GatewaySettings(environment=environment, jwt_secret="x" * 32)
    # Bytes, not characters: sixteen two-byte letters are 32 bytes.
    GatewaySettings(environment=environment, jwt_secret="é" * 16)
    with pytest.raises(ValidationError, match="32 bytes"):
        GatewaySettings(environment=environment, jwt_secret="é" * 15)


def test_a_placeholder_secret_of_any_length_is_refused_outside_development() -> None:
    known = "development-only-secret-not-for-production"  # the dev overlay's
    GatewaySettings(environment="development", jwt_secret=known)
    for environment in ("production", "test"):
        with pytest.raises(ValidationError, match="placeholder"):
            GatewaySettings(environment=environment, jwt_secret=known)


def test_an_unknown_environment_is_refused() -> None:
    with pytest.raises(ValidationError, match="environment"):
        GatewaySettings(environment="prod", jwt_secret=SECRET)
