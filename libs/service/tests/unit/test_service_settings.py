"""Worker settings: own prefix first, then the shared name, then the default."""

from __future__ import annotations

import pytest
from pydantic_settings import SettingsConfigDict

from careerflow_service.settings import WorkerSettings


class _DemoSettings(WorkerSettings):
    model_config = SettingsConfigDict(env_prefix="DEMO_SVC_", extra="ignore")
    port: int = 8009


def test_defaults_when_nothing_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AMQP_URL", "OLLAMA_URL", "OLLAMA_MODEL", "DEMO_SVC_OLLAMA_URL"):
        monkeypatch.delenv(name, raising=False)
    settings = _DemoSettings()
    assert settings.port == 8009
    assert settings.ollama_url == "http://localhost:11434"
    assert settings.amqp_url == "amqp://guest:guest@localhost:5672/"


def test_shared_names_fill_in_and_prefixed_names_win(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OLLAMA_URL", "http://shared:11434")
    monkeypatch.setenv("OLLAMA_MODEL", "shared-model")
    monkeypatch.setenv("AMQP_URL", "amqp://u:p@shared:5672/")
    monkeypatch.setenv("DEMO_SVC_OLLAMA_MODEL", "own-model")
    monkeypatch.setenv("DEMO_SVC_BREAKER_WAIT_OPEN_S", "7.5")
    settings = _DemoSettings()
    assert settings.ollama_url == "http://shared:11434"
    assert settings.ollama_model == "own-model"
    assert settings.amqp_url == "amqp://u:p@shared:5672/"
    ollama = settings.ollama_settings()
    assert ollama.model == "own-model"
    assert ollama.breaker.wait_open_s == 7.5


def test_topology_follows_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEMO_SVC_QUEUE_PREFIX", "t1.")
    monkeypatch.setenv("DEMO_SVC_DELIVERY_LIMIT", "3")
    topology = _DemoSettings().topology()
    assert topology.queue_prefix == "t1."
    assert topology.delivery_limit == 3


def test_with_no_environment_a_service_is_in_production(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DEMO_SVC_ENVIRONMENT", raising=False)
    assert _DemoSettings().environment == "production"
    monkeypatch.setenv("DEMO_SVC_ENVIRONMENT", "development")  # development must be asked for
    assert _DemoSettings().environment == "development"
