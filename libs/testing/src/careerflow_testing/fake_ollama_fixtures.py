"""The ``fake_ollama`` pytest fixture: a started :class:`FakeOllama`, stopped after the test.

The pytest plugin registers it; a conftest can also import it by name.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from careerflow_testing.fake_ollama import FakeOllama


@pytest.fixture
def fake_ollama() -> Iterator[FakeOllama]:
    """A fake Ollama on an ephemeral port with the default model, healthy until scripted."""
    with FakeOllama() as fake:
        yield fake
