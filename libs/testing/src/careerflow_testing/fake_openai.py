"""A fake OpenAI-compatible model server: a real HTTP server on an ephemeral port that speaks
the chat-completions API (as llama.cpp's server, LM Studio, vLLM and hosted APIs do) and
misbehaves on request.

It serves ``GET /health``, ``GET /v1/models`` and ``POST /v1/chat/completions`` (server-sent
events when ``stream`` is true, with the ``usage`` chunk when ``stream_options.include_usage``
asks; one ``chat.completion`` object otherwise), with the API's bodies, status codes and error
shapes. Everything else is the fake Ollama's, shared rather than copied
(:mod:`careerflow_testing._fake_server`): the behaviours (:class:`Behaviour`), the speed
profiles (:class:`SpeedProfile`), one-shot and default scripts, the responder, the parallel
slots and the recorded requests. So one test can run against both fakes and expect the same.

``url`` is the API's base URL, ``/v1`` included, as OpenAI clients take it. With ``api_key``,
every ``/v1`` call without ``Authorization: Bearer <api_key>`` gets 401.

In a test::

    with FakeOpenAI(api_key="sk-test") as fake:
        fake.enqueue(Behaviour.STALL)
        ...  # call fake.url; fake.chat_requests() lists the chat calls

As a process: ``fake-openai --port 8080 --behaviour healthy [--api-key KEY]``, steered over the
same ``/_fake/...`` routes as the fake Ollama.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Unpack

from careerflow_testing._fake_server import (
    FakeModelServer,
    ServerOptions,
    refused_url,
    serve_until_signalled,
    server_options,
)
from careerflow_testing._openai_app import FakeOpenAIApp
from careerflow_testing._script import GPU, LAPTOP_CPU, Behaviour, RecordedRequest, SpeedProfile
from careerflow_testing._server_app import ModelServerApp

__all__ = [
    "GPU",
    "LAPTOP_CPU",
    "Behaviour",
    "FakeOpenAI",
    "RecordedRequest",
    "SpeedProfile",
    "main",
    "refused_url",
]


class FakeOpenAI(FakeModelServer):
    """A fake OpenAI-compatible server running in a daemon thread; see the module docstring."""

    provider = "openai"

    def __init__(self, *, api_key: str | None = None, **options: Unpack[ServerOptions]) -> None:
        super().__init__(**options)
        self.api_key = api_key

    @property
    def url(self) -> str:
        """The API's base URL (``http://host:port/v1``); valid once started."""
        return f"{self.origin}/v1"

    def _make_app(self) -> ModelServerApp:
        return FakeOpenAIApp(self._script, api_key=self.api_key, **self._app_options())


def _make(args: argparse.Namespace) -> FakeOpenAI:
    return FakeOpenAI(api_key=args.api_key, **server_options(args))


def main(argv: Sequence[str] | None = None) -> None:
    """The ``fake-openai`` console script: serve until SIGINT or SIGTERM."""
    serve_until_signalled("fake-openai", "OpenAI-compatible", 8080, _make, argv, _options)


def _options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--api-key", default=None, help="refuse calls without this bearer key")


if __name__ == "__main__":
    main()
