"""A worker's model server from the environment: LLM_PROVIDER, LLM_BASE_URL, LLM_MODEL and
LLM_API_KEY, each also with the service's prefix (which wins), and the former OLLAMA_* names
still working for Ollama."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from pydantic_settings import SettingsConfigDict

from careerflow_service.settings import WorkerSettings

PREFIX = "DEMO_SVC_"
NAMES = (
    "LLM_PROVIDER",
    "LLM_BASE_URL",
    "LLM_MODEL",
    "LLM_API_KEY",
    "LLM_RESPONSE_FORMAT",
    "OLLAMA_URL",
    "OLLAMA_MODEL",
)


class _DemoSettings(WorkerSettings):
    model_config = SettingsConfigDict(env_prefix=PREFIX, extra="ignore")


@pytest.fixture(autouse=True)
def _no_model_server_names(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in NAMES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(PREFIX + name, raising=False)


def test_native_ollama_is_the_default() -> None:
    llm = _DemoSettings().llm_settings()
    assert (llm.provider, llm.url, llm.model, llm.api_key) == (
        "ollama",
        "http://localhost:11434",
        "llama3.2:3b",
        None,
    )


def test_the_ollama_names_still_work(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OLLAMA_URL", "http://shared-ollama:11434")
    monkeypatch.setenv(PREFIX + "OLLAMA_MODEL", "qwen2.5:7b")
    settings = _DemoSettings()
    llm = settings.ollama_settings()  # the former name of llm_settings
    assert (llm.provider, llm.url, llm.model) == (
        "ollama",
        "http://shared-ollama:11434",
        "qwen2.5:7b",
    )
    assert settings.ollama_url == "http://shared-ollama:11434"


@pytest.mark.parametrize(
    ("environment", "url"),
    [
        ({"OLLAMA_URL": "http://a", "LLM_BASE_URL": "http://b"}, "http://b"),
        ({"LLM_BASE_URL": "http://b", PREFIX + "OLLAMA_URL": "http://c"}, "http://c"),
        ({PREFIX + "OLLAMA_URL": "http://c", PREFIX + "LLM_BASE_URL": "http://d"}, "http://d"),
    ],
    ids=["llm-over-ollama", "prefixed-ollama-over-shared-llm", "prefixed-llm-over-all"],
)
def test_for_ollama_the_prefix_wins_then_the_new_name(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], url: str
) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert _DemoSettings().llm_settings().url == url


def test_the_prefixed_provider_wins_and_the_ollama_names_do_not_reach_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LLM_PROVIDER", "ollama")
    monkeypatch.setenv(PREFIX + "LLM_PROVIDER", "openai")
    monkeypatch.setenv("OLLAMA_URL", "http://ollama:11434")
    monkeypatch.setenv("OLLAMA_MODEL", "llama3.2:3b")
    with pytest.raises(ValidationError, match=f"{PREFIX}LLM_BASE_URL \\(or LLM_BASE_URL\\)"):
        _DemoSettings()
    monkeypatch.setenv("LLM_BASE_URL", "http://vllm:8000/v1")
    with pytest.raises(ValidationError, match=f"{PREFIX}LLM_MODEL \\(or LLM_MODEL\\)"):
        _DemoSettings()
    monkeypatch.setenv(PREFIX + "LLM_MODEL", "Qwen/Qwen2.5-7B-Instruct")
    llm = _DemoSettings().llm_settings()
    assert (llm.provider, llm.url, llm.model) == (
        "openai",
        "http://vllm:8000/v1",
        "Qwen/Qwen2.5-7B-Instruct",
    )


def test_the_key_comes_from_the_environment_and_never_shows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LLM_PROVIDER", "openai")
    monkeypatch.setenv("LLM_BASE_URL", "https://api.example.com/v1")
    monkeypatch.setenv("LLM_MODEL", "gpt-4o-mini")
    monkeypatch.setenv("LLM_API_KEY", "sk-shared-0000")
    assert _get_key(_DemoSettings()) == "sk-shared-0000"
    monkeypatch.setenv(PREFIX + "LLM_API_KEY", "sk-own-1111")
    settings = _DemoSettings()
    assert _get_key(settings) == "sk-own-1111"
    for text in (repr(settings), str(settings), settings.model_dump_json()):
        assert "sk-own-1111" not in text and "sk-shared-0000" not in text


def test_an_unknown_provider_is_refused_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LLM_PROVIDER", "lmstudio")
    with pytest.raises(ValidationError, match="llm_provider"):
        _DemoSettings()


def test_the_response_format_is_json_schema_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _DemoSettings().llm_settings().response_format == "json_schema"
    monkeypatch.setenv("LLM_RESPONSE_FORMAT", "json_object")
    assert _DemoSettings().llm_settings().response_format == "json_object"
    monkeypatch.setenv(PREFIX + "LLM_RESPONSE_FORMAT", "json_schema")
    assert _DemoSettings().llm_settings().response_format == "json_schema"


def _get_key(settings: WorkerSettings) -> str | None:
    key = settings.llm_settings().api_key
    return None if key is None else key.get_secret_value()
