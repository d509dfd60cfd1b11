"""A fake Ollama: a real HTTP server on an ephemeral port that speaks Ollama's protocol and
misbehaves on request.

It serves ``GET``/``HEAD /``, ``/api/version``, ``/api/tags``, ``/api/ps``, ``POST /api/show``,
``/api/chat`` and ``/api/generate`` (streamed NDJSON or one object, as ``stream`` asks) with
Ollama's bodies, status codes and error texts. Each chat or generate call is answered as the
next one-shot script says (:meth:`FakeOllama.enqueue`), else as the default one
(:meth:`FakeOllama.set_behaviour`); see :class:`Behaviour` for what each one does. Every request
is recorded. ``max_concurrency`` and ``latency_s`` make it a busy but healthy server: at most N
calls are worked on at once, each taking ``latency_s``, the others wait inside it, as in
Ollama's queue. A :class:`SpeedProfile` (``profile=LAPTOP_CPU``, ``GPU``, or your own) makes it
as fast as a real model on some hardware: it loads, reads the prompt and writes token by token
at the profile's rates, in as many parallel slots, and reports the time each part took on its
last line as Ollama does.

The behaviours, the profiles and the scripting are those of every fake model server
(:mod:`careerflow_testing._fake_server`): :class:`careerflow_testing.fake_openai.FakeOpenAI`
plays the same scripts in the OpenAI-compatible API.

In a test::

    with FakeOllama() as fake:
        fake.enqueue(Behaviour.HANG)
        ...  # call fake.url; fake.requests lists what arrived

As a process (``fake-ollama --port 11434 --behaviour healthy``) it is steered over HTTP:
``POST /_fake/behaviour`` ``{"behaviour": "hang", "content": ..., "delay_s": 0.2, "once": false}``
(``once: true`` enqueues a one-shot script), ``POST /_fake/profile`` ``{"profile": "laptop-cpu"}``
(a name, the fields of a :class:`SpeedProfile`, or null), ``POST /_fake/reset``,
``GET /_fake/requests``; ``--profile laptop-cpu`` starts it with a profile.
"""

from __future__ import annotations

from collections.abc import Sequence

from careerflow_testing._answer import CHARS_PER_TOKEN, THINKING_TEXT, as_text
from careerflow_testing._fake_server import (
    FakeModelServer,
    refused_url,
    serve_until_signalled,
    server_options,
)
from careerflow_testing._ollama_app import FakeOllamaApp
from careerflow_testing._script import GPU, LAPTOP_CPU, Behaviour, RecordedRequest, SpeedProfile
from careerflow_testing._server_app import ModelServerApp

__all__ = [
    "CHARS_PER_TOKEN",
    "GPU",
    "LAPTOP_CPU",
    "THINKING_TEXT",
    "Behaviour",
    "FakeOllama",
    "RecordedRequest",
    "SpeedProfile",
    "as_text",
    "main",
    "refused_url",
]


class FakeOllama(FakeModelServer):
    """A fake Ollama server running in a daemon thread; see the module docstring."""

    provider = "ollama"

    def _make_app(self) -> ModelServerApp:
        return FakeOllamaApp(self._script, **self._app_options())


def main(argv: Sequence[str] | None = None) -> None:
    """The ``fake-ollama`` console script: serve until SIGINT or SIGTERM."""
    serve_until_signalled(
        "fake-ollama", "Ollama", 11434, lambda args: FakeOllama(**server_options(args)), argv
    )


if __name__ == "__main__":
    main()
