"""The bytes of the OpenAI-compatible chat-completions API, for the fake's answers.

The shapes follow OpenAI's API reference, as llama.cpp's server and vLLM serve it: a streamed
answer is server-sent events (``text/event-stream``), each a ``data: {...}`` line and a blank
line, holding a ``chat.completion.chunk``: the first names the role, the next carry pieces of
the answer in ``choices[0].delta.content``, one more has the ``finish_reason``, then, when the
call asked ``stream_options.include_usage``, a chunk with no choices and the ``usage``, and
``data: [DONE]`` ends the stream. An answer not streamed is one ``chat.completion`` object.
Errors are ``{"error": {"message", "type", "param", "code"}}``, with a status before the first
byte and as one more event after it.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Mapping
from typing import Any

from careerflow_testing._answer import Timings

BUSY_TEXT = "The server is overloaded or not ready yet."


def model_not_found_text(model: str) -> str:
    """The 404 text of a model the server does not serve (vLLM's words)."""
    return f"The model `{model}` does not exist."


def error_body(status: int, text: str, code: str | int | None = None) -> bytes:
    """An error answer's body, as the OpenAI API writes it."""
    kind = "server_error" if status >= 500 else "invalid_request_error"
    error = {"message": text, "type": kind, "param": None, "code": code}
    return json.dumps({"error": error}).encode()


def _event(body: Mapping[str, Any] | str) -> bytes:
    data = body if isinstance(body, str) else json.dumps(body, separators=(",", ":"))
    return f"data: {data}\n\n".encode()


class OpenAIWire:
    """One chat call in the OpenAI-compatible API (see ``careerflow_testing._answer.Wire``)."""

    stream_type = "text/event-stream; charset=utf-8"

    def __init__(self, body: dict[str, Any]) -> None:
        self.body = body
        self.model = str(body["model"])
        # The OpenAI API streams only when asked, unlike Ollama's.
        self.streaming = body.get("stream") is True
        options = body.get("stream_options")
        self._usage = isinstance(options, dict) and options.get("include_usage") is True
        self._id = f"chatcmpl-{uuid.uuid4().hex[:24]}"
        self._created = int(time.time())
        self._first = True

    def prompt_text(self) -> str:
        text = []
        for message in self.body.get("messages") or []:
            content = message.get("content") if isinstance(message, Mapping) else None
            if isinstance(content, str):
                text.append(content)
            elif isinstance(content, list):  # parts: {"type": "text", "text": ...}
                text += [str(p.get("text", "")) for p in content if isinstance(p, Mapping)]
        return "".join(text)

    def schema(self) -> Any:
        response_format = self.body.get("response_format")
        if not isinstance(response_format, dict):
            return None
        if response_format.get("type") == "json_object":
            # JSON mode; llama-cpp-python's server also takes the schema beside it.
            schema = response_format.get("schema")
            return schema if isinstance(schema, dict) else "json"
        json_schema = response_format.get("json_schema")
        return json_schema.get("schema") if isinstance(json_schema, dict) else None

    def error(self, status: int, text: str) -> bytes:
        return error_body(status, text, "model_not_found" if status == 404 else None)

    def busy_text(self) -> str:
        return BUSY_TEXT

    def not_found_text(self) -> str:
        return model_not_found_text(self.model)

    def _chunk(self, delta: dict[str, Any], finish_reason: str | None) -> dict[str, Any]:
        chunk: dict[str, Any] = {
            "id": self._id,
            "object": "chat.completion.chunk",
            "created": self._created,
            "model": self.model,
            "system_fingerprint": None,
            "choices": [
                {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}
            ],
        }
        if self._usage:
            chunk["usage"] = None
        return chunk

    def piece(self, text: str) -> bytes:
        line = b""
        if self._first:
            # As OpenAI's own stream begins: a chunk that only names the role.
            self._first = False
            line = _event(self._chunk({"role": "assistant", "content": ""}, None))
        return line + _event(self._chunk({"content": text}, None))

    def _usage_of(self, timings: Timings) -> dict[str, int]:
        prompt, output = timings.prompt_tokens, timings.eval_count
        total = prompt + output
        return {"prompt_tokens": prompt, "completion_tokens": output, "total_tokens": total}

    def ending(self, reason: str, timings: Timings, *, measured: bool) -> list[bytes]:  # noqa: ARG002
        # The API has no timings to report, measured or not: only the token counts.
        lines = [_event(self._chunk({}, reason))]
        if self._usage:
            usage = {
                "id": self._id,
                "object": "chat.completion.chunk",
                "created": self._created,
                "model": self.model,
                "system_fingerprint": None,
                "choices": [],
                "usage": self._usage_of(timings),
            }
            lines.append(_event(usage))
        lines.append(_event("[DONE]"))
        return lines

    def stream_error(self, text: str) -> bytes:
        error = {"message": text, "type": "server_error", "param": None, "code": 500}
        return _event({"error": error})

    def whole(self, content: str, reason: str, timings: Timings, *, measured: bool) -> bytes:  # noqa: ARG002
        body = {
            "id": self._id,
            "object": "chat.completion",
            "created": self._created,
            "model": self.model,
            "system_fingerprint": None,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content},
                    "logprobs": None,
                    "finish_reason": reason,
                }
            ],
            "usage": self._usage_of(timings),
        }
        return json.dumps(body, separators=(",", ":")).encode()
