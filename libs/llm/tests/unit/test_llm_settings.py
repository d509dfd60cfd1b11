"""LLMSettings: the provider's defaults, a key that never shows, a URL shown without its
credentials, and the key sent to either API."""

from __future__ import annotations

import json

import httpx
import pytest

from careerflow_llm import LLMClient, LLMSettings, OllamaSettings


def test_ollama_is_the_default_and_the_former_name_is_the_same_settings() -> None:
    settings = OllamaSettings()
    assert isinstance(settings, LLMSettings)
    assert (settings.provider, settings.url, settings.api_key) == (
        "ollama",
        "http://localhost:11434",
        None,
    )


def test_an_unknown_provider_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="provider"):
        LLMSettings(provider="anthropic")


def test_the_key_never_shows() -> None:
    settings = LLMSettings(provider="openai", url="http://vllm:8000/v1", api_key="sk-abc123")
    assert settings.api_key is not None and settings.api_key.get_secret_value() == "sk-abc123"
    for text in (repr(settings), str(settings), settings.model_dump_json()):
        assert "sk-abc123" not in text
    assert "sk-abc123" not in json.dumps(LLMClient(settings).health())


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("http://vllm:8000/v1", "http://vllm:8000/v1"),
        ("https://user:pa55@llm.example.com/v1", "https://***@llm.example.com/v1"),
        ("https://token@llm.example.com", "https://***@llm.example.com"),
    ],
)
def test_the_url_is_shown_without_credentials(url: str, shown: str) -> None:
    settings = LLMSettings(url=url)
    assert settings.shown_url() == shown
    assert LLMClient(settings).health()["url"] == shown


async def test_a_key_is_sent_to_ollama_too() -> None:
    # Ollama behind an authenticating proxy, or a hosted Ollama, takes the same bearer key.
    seen: list[httpx.Request] = []

    async def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"models": []})

    settings = LLMSettings(api_key="ol-key")
    async with LLMClient(settings, transport=httpx.MockTransport(answer)) as client:
        await client.probe()
    assert [(r.url.path, r.headers["authorization"]) for r in seen] == [
        ("/api/tags", "Bearer ol-key")
    ]
