"""Both fake model servers under one name, so that one test runs against each API.

``fake_model_server(provider)`` is a :class:`~careerflow_testing.fake_ollama.FakeOllama` or a
:class:`~careerflow_testing.fake_openai.FakeOpenAI`, not started; its ``provider`` and ``url``
are what :class:`careerflow_llm.LLMSettings` takes. The pytest plugin's ``fake_model_server``
fixture runs a test once with each, started.
"""

from __future__ import annotations

from typing import Any

from careerflow_testing._fake_server import FakeModelServer, refused_url
from careerflow_testing.fake_ollama import FakeOllama
from careerflow_testing.fake_openai import FakeOpenAI

PROVIDERS = ("ollama", "openai")


def fake_model_server(provider: str, **options: Any) -> FakeModelServer:
    """A fake server of ``provider``'s API (not started); ``options`` as ``FakeOllama``'s."""
    if provider == "ollama":
        return FakeOllama(**options)
    if provider == "openai":
        return FakeOpenAI(**options)
    raise ValueError(f"unknown provider {provider!r}; known: {PROVIDERS}")


def refused_url_for(provider: str) -> str:
    """A URL of ``provider``'s API where the connection is refused (see ``refused_url``)."""
    return refused_url() + ("/v1" if provider == "openai" else "")


__all__ = ["PROVIDERS", "FakeModelServer", "fake_model_server", "refused_url_for"]
