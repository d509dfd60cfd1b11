"""A worker's model-call limits from its environment, the former names included."""

from __future__ import annotations

import pytest
from pydantic_settings import SettingsConfigDict

from careerflow_service.settings import WorkerSettings

NAMES = (
    "BUDGET_S",
    "FIRST_TOKEN_S",
    "FIRST_TOKEN_FLOOR_S",
    "STALL_S",
    "STALL_FLOOR_S",
    "TIMEOUT_S",
    "READ_TIMEOUT_S",
)


class _DemoSettings(WorkerSettings):
    model_config = SettingsConfigDict(env_prefix="DEMO_LIMITS_", extra="ignore")


@pytest.fixture(autouse=True)
def _clean(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in NAMES:
        monkeypatch.delenv(f"DEMO_LIMITS_OLLAMA_{name}", raising=False)


def test_the_defaults_let_a_cpu_model_load_read_and_write() -> None:
    ollama = _DemoSettings().ollama_settings()
    assert (ollama.first_token_s, ollama.first_token_floor_s) == (300.0, 20.0)
    assert (ollama.stall_s, ollama.stall_floor_s) == (30.0, 10.0)
    assert ollama.budget_s == 600.0


def test_each_limit_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in zip(NAMES[:5], ("120", "90", "15", "25", "5"), strict=True):
        monkeypatch.setenv(f"DEMO_LIMITS_OLLAMA_{name}", value)
    ollama = _DemoSettings().ollama_settings()
    assert (ollama.budget_s, ollama.first_token_s, ollama.first_token_floor_s) == (120, 90, 15)
    assert (ollama.stall_s, ollama.stall_floor_s) == (25, 5)


def test_the_former_names_still_set_the_budget_and_the_stall_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DEMO_LIMITS_OLLAMA_TIMEOUT_S", "1.5")
    monkeypatch.setenv("DEMO_LIMITS_OLLAMA_READ_TIMEOUT_S", "4")
    ollama = _DemoSettings().ollama_settings()
    assert (ollama.budget_s, ollama.stall_s) == (1.5, 4.0)


def test_the_new_names_win_over_the_former(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEMO_LIMITS_OLLAMA_TIMEOUT_S", "1.5")
    monkeypatch.setenv("DEMO_LIMITS_OLLAMA_BUDGET_S", "300")
    monkeypatch.setenv("DEMO_LIMITS_OLLAMA_READ_TIMEOUT_S", "4")
    monkeypatch.setenv("DEMO_LIMITS_OLLAMA_STALL_S", "12")
    ollama = _DemoSettings().ollama_settings()
    assert (ollama.budget_s, ollama.stall_s) == (300.0, 12.0)


def test_the_former_names_as_keywords() -> None:
    settings = _DemoSettings(ollama_timeout_s=2.0, ollama_read_timeout_s=3.0)
    assert (settings.ollama_budget_s, settings.ollama_stall_s) == (2.0, 3.0)
