"""Ollama's native chat API: ``POST /api/chat``, streamed as NDJSON lines.

The request sets ``format`` to the JSON Schema of the expected output, ``think: false``, and
explicit ``options.num_ctx``, ``num_predict`` and ``temperature`` and ``keep_alive``: Ollama's
own default context is small and it drops the start of a longer prompt without saying so.
Every line is a JSON object: ``message.content`` holds the next piece; the last line has
``done: true``, ``done_reason`` and the model's own account of its time (``load_duration``,
``prompt_eval_count``/``_duration``, ``eval_count``/``_duration``); a failure after the first
byte is one more ``{"error": ...}`` line.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from careerflow_llm.chat_api import Measured, StreamLine, json_object
from careerflow_llm.pace import CallFigures
from careerflow_llm.settings import LLMSettings


class OllamaAPI:
    """The adapter of Ollama's native API (:class:`careerflow_llm.chat_api.ChatAPI`)."""

    name = "ollama"
    chat_path = "/api/chat"
    models_path = "/api/tags"
    length_detail = "answer cut at num_predict tokens"

    def chat_request(
        self, settings: LLMSettings, messages: Sequence[dict[str, str]], output: type[BaseModel]
    ) -> dict[str, Any]:
        return {
            "model": settings.model,
            "messages": list(messages),
            "stream": True,
            "format": output.model_json_schema(),
            "think": False,
            "options": {
                "num_ctx": settings.num_ctx,
                "num_predict": settings.num_predict,
                "temperature": settings.temperature,
            },
            "keep_alive": settings.keep_alive,
        }

    def read_line(self, line: str) -> StreamLine | None:
        if not line.strip():
            return None
        chunk = json_object(line)
        if "error" in chunk:
            return StreamLine(error=str(chunk["error"]))
        message = chunk.get("message")
        text = str(message.get("content") or "") if isinstance(message, dict) else ""
        if not chunk.get("done"):
            return StreamLine(text=text)
        reason = chunk.get("done_reason")
        return StreamLine(
            text=text,
            finish_reason=None if reason is None else str(reason),
            done=True,
            figures=CallFigures.from_done_line(chunk),
        )

    def figures(self, told: StreamLine, measured: Measured) -> CallFigures | None:  # noqa: ARG002
        # Ollama gives its own account on the done line; what the client saw is only a worse
        # copy of it (and without it there is nothing to record).
        return told.figures

    def listed_models(self, body: Any) -> set[str]:
        models = body.get("models", []) if isinstance(body, dict) else []
        return {str(m.get("name", "")) for m in models if isinstance(m, dict)}

    def not_found_detail(self, model: str) -> str:
        return f"model '{model}' not found (HTTP 404)"
