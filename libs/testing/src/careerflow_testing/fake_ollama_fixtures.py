"""The ``fake_ollama`` pytest fixture: a started :class:`FakeOllama`, stopped after the test;
and ``fake_model_server``: the same test once against each fake model server (Ollama's API and
the OpenAI-compatible one).

The pytest plugin registers them; a conftest can also import them by name.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from careerflow_testing.fake_ollama import FakeOllama
from careerflow_testing.model_servers import PROVIDERS, FakeModelServer
from careerflow_testing.model_servers import fake_model_server as make_fake_model_server


@pytest.fixture
def fake_ollama() -> Iterator[FakeOllama]:
    """A fake Ollama on an ephemeral port with the default model, healthy until scripted."""
    with FakeOllama() as fake:
        yield fake


@pytest.fixture(params=PROVIDERS)
def fake_model_server(request: pytest.FixtureRequest) -> Iterator[FakeModelServer]:
    """A started fake of each API in turn, with the default model, healthy until scripted:
    give a client its ``provider`` and ``url``."""
    with make_fake_model_server(request.param) as fake:
        yield fake
