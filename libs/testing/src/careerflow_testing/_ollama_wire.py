"""The bytes of Ollama's API, for the fake Ollama's answers.

The shapes follow Ollama's ``docs/api.md`` and server: streaming answers are NDJSON lines
(``application/x-ndjson``) ending with a ``done: true`` line carrying ``done_reason`` and the
timing counters; errors before the first byte are ``{"error": "..."}`` with a status; an error
after the first byte is one more ``{"error": "..."}`` line.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Literal

from careerflow_testing._answer import Timings, ns_since

BUSY_TEXT = "server busy, please try again.  maximum pending requests exceeded"

Kind = Literal["chat", "generate"]


def model_not_found_text(model: str) -> str:
    """Ollama's 404 text for a model it does not have (Go's ``%q`` quoting)."""
    return f"model {json.dumps(model)} not found, try pulling it first"


def _now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def _json_line(body: Mapping[str, Any]) -> bytes:
    return json.dumps(body, separators=(",", ":")).encode() + b"\n"


def _chunk(kind: Kind, model: str, piece: str) -> dict[str, Any]:
    if kind == "chat":
        message = {"role": "assistant", "content": piece}
        return {"model": model, "created_at": _now(), "message": message, "done": False}
    return {"model": model, "created_at": _now(), "response": piece, "done": False}


def final_body(
    kind: Kind,
    model: str,
    content: str,
    done_reason: str,
    *,
    started: float,
    timings: Timings,
    measured: bool = True,
) -> dict[str, Any]:
    """The ``done: true`` body; unless ``measured``, its durations are shares of the total."""
    body = _chunk(kind, model, content)
    total_ns = ns_since(started)
    if not measured:
        timings = Timings(
            load_ns=total_ns // 10,
            prompt_tokens=timings.prompt_tokens,
            prompt_ns=total_ns // 4,
            eval_count=timings.eval_count,
            eval_ns=total_ns // 2,
        )
    body.update(
        done=True,
        done_reason=done_reason,
        total_duration=total_ns,
        load_duration=timings.load_ns,
        prompt_eval_count=timings.prompt_tokens,
        prompt_eval_duration=timings.prompt_ns,
        eval_count=timings.eval_count,
        eval_duration=timings.eval_ns,
    )
    if kind == "generate":
        body["context"] = list(range(1, min(timings.prompt_tokens, 8) + 1))
    return body


class OllamaWire:
    """One chat or generate call in Ollama's API (see ``careerflow_testing._answer.Wire``)."""

    stream_type = "application/x-ndjson"

    def __init__(self, kind: Kind, body: dict[str, Any], started: float) -> None:
        self.kind = kind
        self.body = body
        self.model = str(body["model"])
        self.streaming = body.get("stream", True) is not False
        self._started = started

    def prompt_text(self) -> str:
        if self.kind == "generate":
            return str(self.body.get("prompt", ""))
        messages = self.body.get("messages") or []
        return "".join(str(m.get("content", "")) for m in messages if isinstance(m, Mapping))

    def schema(self) -> Any:
        return self.body.get("format")

    def error(self, status: int, text: str) -> bytes:  # noqa: ARG002
        # Ollama sends the same shape whatever the status.
        return json.dumps({"error": text}).encode()

    def busy_text(self) -> str:
        return BUSY_TEXT

    def not_found_text(self) -> str:
        return model_not_found_text(self.model)

    def piece(self, text: str) -> bytes:
        return _json_line(_chunk(self.kind, self.model, text))

    def ending(self, reason: str, timings: Timings, *, measured: bool) -> list[bytes]:
        # As Ollama does, the done line repeats no content: the client has it already.
        final = final_body(
            self.kind,
            self.model,
            "",
            reason,
            started=self._started,
            timings=timings,
            measured=measured,
        )
        return [_json_line(final)]

    def stream_error(self, text: str) -> bytes:
        return _json_line({"error": text})

    def whole(self, content: str, reason: str, timings: Timings, *, measured: bool) -> bytes:
        final = final_body(
            self.kind,
            self.model,
            content,
            reason,
            started=self._started,
            timings=timings,
            measured=measured,
        )
        return json.dumps(final, separators=(",", ":")).encode()
