"""What a model server's chat API looks like to the client: one adapter per API.

The client (:mod:`careerflow_llm.client`) owns everything that does not depend on the API: the
pace limits, the breaker, the output guards, the fallback reasons and the model's measured
speed. An adapter owns only what does:

- the path and body of a streamed chat request asking for JSON of a schema;
- how one streamed line reads (:class:`StreamLine`): a piece of the answer, why the model
  stopped, the end of the stream, an error, or nothing that shows the model working (None);
- the figures of a finished answer (:meth:`ChatAPI.figures`): the model's own account where the
  server gives one, else what the client measured;
- where the list of models is, for the probe, and how it reads;
- the detail of an answer the server refused as a missing model (HTTP 404).

The adapters: :class:`careerflow_llm.ollama_api.OllamaAPI` (Ollama's native ``/api/chat``,
NDJSON lines) and :class:`careerflow_llm.openai_api.OpenAIAPI` (the OpenAI-compatible
``/chat/completions``, server-sent events). A line an adapter cannot read raises
:class:`UnreadableLine`; the client makes it a ``model_error``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from pydantic import BaseModel

from careerflow_llm.pace import CallFigures
from careerflow_llm.settings import LLMSettings


class UnreadableLine(ValueError):
    """A streamed line that is not what the API sends; the message is safe to log."""


def json_object(data: str) -> dict[str, Any]:
    """The JSON object a streamed line carries; ``UnreadableLine`` when it carries none."""
    try:
        chunk = json.loads(data)
    except json.JSONDecodeError:
        raise UnreadableLine("unreadable line in the stream") from None
    if not isinstance(chunk, dict):
        raise UnreadableLine("unreadable line in the stream")
    return chunk


@dataclass(frozen=True)
class Usage:
    """The tokens an answer took, as the server counted them."""

    prompt_tokens: int
    output_tokens: int


@dataclass(frozen=True)
class StreamLine:
    """What one streamed line said.

    ``text`` is the next piece of the answer; ``finish_reason`` why the model stopped (``stop``,
    ``length``, ...); ``done`` that the server ended the answer; ``error`` a failure the server
    reported in the stream. ``figures`` is the model's own account of its time, where the server
    gives one; ``usage`` its token counts.
    """

    text: str = ""
    finish_reason: str | None = None
    done: bool = False
    error: str | None = None
    figures: CallFigures | None = None
    usage: Usage | None = None


@dataclass(frozen=True)
class Measured:
    """What the client itself saw of one answer, for an API that reports no timings.

    ``first_token_s`` is the wait for the first line (from the request, or from the latest line
    of another call while this one was queued behind it); ``writing_s`` the time from the first
    line to the last; ``lines`` how many lines showed the model working.
    """

    prompt_tokens: int
    first_token_s: float | None
    writing_s: float | None
    lines: int


class ChatAPI(Protocol):
    """One model server API, as the client uses it; see the module docstring."""

    name: str
    chat_path: str
    models_path: str
    length_detail: str
    """The detail of an answer cut at the token limit, in the API's own words."""

    def chat_request(
        self, settings: LLMSettings, messages: Sequence[dict[str, str]], output: type[BaseModel]
    ) -> dict[str, Any]:
        """The body of a streamed chat request whose answer is JSON of ``output``'s schema."""
        ...

    def read_line(self, line: str) -> StreamLine | None:
        """What ``line`` says; None when it shows nothing of the model's work (a blank line,
        a comment, a chunk with no piece of the answer)."""
        ...

    def figures(self, told: StreamLine, measured: Measured) -> CallFigures | None:
        """The answer's figures: ``told`` gathers what the stream said (its figures and usage,
        when it gave any)."""
        ...

    def listed_models(self, body: Any) -> set[str]:
        """The model names in the answer to ``GET models_path``."""
        ...

    def not_found_detail(self, model: str) -> str:
        """The detail of a 404 answer to a chat request."""
        ...


def error_text(body: Any) -> str:
    """The message of an error body, in any of the shapes the servers send: Ollama's
    ``{"error": "..."}``, OpenAI's and llama.cpp's ``{"error": {"message": "..."}}``, and
    vLLM's ``{"message": "..."}``; empty when there is none."""
    if not isinstance(body, dict):
        return ""
    error = body.get("error")
    if isinstance(error, dict):
        error = error.get("message")
    if error is None:
        error = body.get("message")
    return "" if error is None else str(error).strip()
