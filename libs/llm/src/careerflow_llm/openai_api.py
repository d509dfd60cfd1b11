"""The OpenAI-compatible chat-completions API: ``POST <base>/chat/completions``, streamed as
server-sent events.

Served by llama.cpp's server, LM Studio, vLLM, hosted APIs, and by Ollama too (but see
``docs/model-servers.md``: Ollama's OpenAI-compatible endpoint ignores ``num_ctx`` and cuts long
prompts without saying so, which is why the native adapter is the default for Ollama).

The request asks for a stream (``stream: true``) with the token counts at its end
(``stream_options.include_usage``; a server without it sends none, and the lines are counted
instead), for JSON of the expected output's schema (``response_format`` of type
``json_schema``; or, with ``settings.response_format == "json_object"``, ``{"type":
"json_object", "schema": ...}``, the only form llama-cpp-python's server takes, which refuses
the other with 422), and sets ``max_tokens`` and ``temperature``. The context length is the
server's own setting: the API has none.

Each event is a ``data: {...}`` line (a ``chat.completion.chunk``) followed by a blank line
(``\r\n`` line ends too: sse-starlette's, under llama-cpp-python);
``choices[0].delta.content`` holds the next piece, ``choices[0].finish_reason`` why the model
stopped, a last chunk with no choices the ``usage``, and ``data: [DONE]`` ends the stream. A
failure after the first byte is a ``data: {"error": {...}}`` event. Lines that show no work of
the model (comments, other fields, a chunk that only names the role) are not tokens: they move
none of the pace's clocks, so a server that sends keep-alives while stuck is still cut (the
``: ping`` comments sse-starlette sends every 15 s, under llama-cpp-python, would otherwise
keep a 30 s stall limit from ever firing).
Reasoning (``delta.reasoning_content``, or ``delta.reasoning``) is work, not answer: it moves
the clocks and is left out of the text.

The API reports no load or prompt time, so the figures of an answer are what the client saw:
the wait for the first token stands for reading the prompt (the load, if any, included, which
makes the limits derived from it generous), and the time from the first token to the last for
writing ``usage.completion_tokens`` (or as many tokens as lines, without usage). llama.cpp's
server adds its own account (``timings``: ``prompt_n``, ``prompt_ms``, ``predicted_n``,
``predicted_ms``), which is used when present.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel

from careerflow_llm.chat_api import Measured, StreamLine, Usage, error_text, json_object
from careerflow_llm.pace import CallFigures
from careerflow_llm.settings import LLMSettings

_DONE = "[DONE]"
_SCHEMA_NAME = re.compile(r"[^A-Za-z0-9_-]")


class OpenAIAPI:
    """The adapter of the OpenAI-compatible API (:class:`careerflow_llm.chat_api.ChatAPI`)."""

    name = "openai"
    # Relative to the base URL, which ends in /v1 as the OpenAI clients take it.
    chat_path = "chat/completions"
    models_path = "models"
    length_detail = "answer cut at max_tokens"

    def chat_request(
        self, settings: LLMSettings, messages: Sequence[dict[str, str]], output: type[BaseModel]
    ) -> dict[str, Any]:
        schema = output.model_json_schema()
        response_format: dict[str, Any]
        if settings.response_format == "json_object":
            # llama-cpp-python's server knows only this form: JSON mode, the schema beside it.
            response_format = {"type": "json_object", "schema": schema}
        else:
            # OpenAI allows 64 letters, digits, _ and - in a schema's name.
            name = _SCHEMA_NAME.sub("_", output.__name__)[:64] or "output"
            response_format = {
                "type": "json_schema",
                "json_schema": {"name": name, "schema": schema},
            }
        return {
            "model": settings.model,
            "messages": list(messages),
            "stream": True,
            "stream_options": {"include_usage": True},
            "response_format": response_format,
            "max_tokens": settings.num_predict,
            "temperature": settings.temperature,
        }

    def read_line(self, line: str) -> StreamLine | None:
        field, _, value = line.partition(":")
        if field != "data":
            return None  # a blank line ends an event; comments, event:, id:, retry: say nothing
        data = value.removeprefix(" ").strip()
        if data == _DONE:
            return StreamLine(done=True)
        chunk = json_object(data)
        if "error" in chunk or chunk.get("object") == "error":
            return StreamLine(error=error_text(chunk) or "unknown error")
        text, working, finish_reason = _choice(chunk.get("choices"))
        usage = _usage(chunk.get("usage"))
        figures = _timings(chunk.get("timings"))
        if not (text or working or finish_reason or usage or figures):
            return None
        return StreamLine(text=text, finish_reason=finish_reason, usage=usage, figures=figures)

    def figures(self, told: StreamLine, measured: Measured) -> CallFigures | None:
        if told.figures is not None:
            return told.figures
        if measured.first_token_s is None:
            return None
        usage = told.usage
        return CallFigures(
            load_s=None,
            prompt_tokens=measured.prompt_tokens if usage is None else usage.prompt_tokens,
            prompt_s=measured.first_token_s,
            output_tokens=measured.lines if usage is None else usage.output_tokens,
            output_s=measured.writing_s or 0.0,
        )

    def listed_models(self, body: Any) -> set[str]:
        models = body.get("data", []) if isinstance(body, dict) else []
        return {str(m.get("id", "")) for m in models if isinstance(m, dict)}

    def not_found_detail(self, model: str) -> str:
        return f"model '{model}' not found, or no chat API at this URL (HTTP 404)"


def _choice(choices: Any) -> tuple[str, bool, str | None]:
    """The first choice's piece of the answer, whether it shows reasoning, and its finish."""
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        return "", False, None
    choice = choices[0]
    delta = choice.get("delta")
    if not isinstance(delta, dict):
        delta = {}
    content = delta.get("content")
    reasoning = delta.get("reasoning_content") or delta.get("reasoning")
    reason = choice.get("finish_reason")
    return (
        content if isinstance(content, str) else "",
        bool(reasoning),
        None if reason is None else str(reason),
    )


def _usage(value: Any) -> Usage | None:
    if not isinstance(value, Mapping):
        return None
    try:
        prompt = int(value.get("prompt_tokens") or 0)
        output = int(value.get("completion_tokens") or 0)
    except (TypeError, ValueError):
        return None
    if prompt < 0 or output < 0 or not (prompt or output):
        return None
    return Usage(prompt_tokens=prompt, output_tokens=output)


def _timings(value: Any) -> CallFigures | None:
    """llama.cpp's own account of an answer, in milliseconds."""
    if not isinstance(value, Mapping):
        return None
    try:
        prompt_n, output_n = int(value["prompt_n"]), int(value["predicted_n"])
        prompt_ms, output_ms = float(value["prompt_ms"]), float(value["predicted_ms"])
    except (KeyError, TypeError, ValueError):
        return None
    if not (math.isfinite(prompt_ms) and math.isfinite(output_ms)):
        return None
    if min(prompt_n, output_n, prompt_ms, output_ms) < 0:
        return None
    return CallFigures(
        load_s=None,
        prompt_tokens=prompt_n,
        prompt_s=prompt_ms / 1000,
        output_tokens=output_n,
        output_s=output_ms / 1000,
    )
