"""What a fake model server is told to do, and what it saw: shared by the test's thread and the
server's thread, so every access goes through one lock.

All of it holds whatever API the fake speaks (the fake Ollama's, the fake OpenAI-compatible
server's): the behaviours, the speed profiles, the scripts and the recorded requests. Only the
bytes on the wire differ (``_ollama_wire``, ``_openai_wire``).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

Content = str | dict[str, Any] | list[Any]
Responder = Callable[[dict[str, Any]], Content]

CHAT_PATHS = frozenset({"/api/chat", "/api/generate", "/v1/chat/completions"})


class Behaviour(StrEnum):
    """How the fake answers a chat or generate call; "the end of the answer" is Ollama's
    ``done: true`` line, or the OpenAI API's finish chunk, usage chunk and ``data: [DONE]``."""

    HEALTHY = "healthy"
    """200 with ``content`` (or the responder's, or a minimal instance of the schema the call
    asked for)."""
    HANG = "hang"
    """Accept the request and never answer, until the client leaves or the fake stops."""
    SLOW_FIRST_BYTE = "slow_first_byte"
    """Wait ``delay_s`` before the first byte, then answer as HEALTHY."""
    SLOW_TOKENS = "slow_tokens"
    """Stream the HEALTHY answer with ``delay_s`` between chunks (before the one answer if not
    streaming: ``delay_s`` per chunk in total)."""
    ERROR_500 = "error_500"
    """500 with ``content`` (or a runner crash text) as the error's message."""
    BUSY_503 = "busy_503"
    """503 with the server's text for a full queue (or ``content`` if a string)."""
    MODEL_NOT_FOUND = "model_not_found"
    """404 with the server's text for a model it does not have."""
    ERROR_MID_STREAM = "error_mid_stream"
    """200, two chunks of the HEALTHY content, then an error line (a 500 when not streaming,
    as Ollama)."""
    TRUNCATED = "truncated"
    """Half the HEALTHY content's chunks, then the body ends cleanly with no end of the answer
    (not streaming: the first half of the JSON body)."""
    MALFORMED_JSON = "malformed_json"
    """Content that is not JSON: ``content`` if a string, else ``{"skills": ["Python",``."""
    CODE_FENCE = "code_fence"
    """The HEALTHY content inside a Markdown json code fence."""
    THINK_PREFIX = "think_prefix"
    """A ``<think>…</think>`` block, then the HEALTHY content."""
    SCHEMA_VIOLATION = "schema_violation"
    """Valid JSON that fits no service's schema: ``content`` or ``{"unexpected": true}``."""
    LENGTH = "length"
    """The first half of the HEALTHY content, stopped for ``length`` (the token limit)."""
    STALL = "stall"
    """A stuck model: the first half of the HEALTHY content's chunks, then silence with the
    connection open, until the client leaves or the fake stops (not streaming: as HANG)."""


@dataclass(frozen=True)
class SpeedProfile:
    """How fast the fake model works, as a real one on some hardware.

    The first call loads the model (``load_s``; calls arriving meanwhile wait for the same load),
    which then stays loaded until :meth:`FakeScript.reset`. At most ``parallel`` calls are worked
    on at once, the others wait in arrival order (Ollama's ``OLLAMA_NUM_PARALLEL`` slots and
    queue). A call reads its prompt (four characters a token) at ``prompt_tokens_per_s``, then
    writes its answer one token (four characters) a line at ``output_tokens_per_s``. The last line
    reports the time each part took, in nanoseconds, as Ollama does (the OpenAI-compatible fake
    reports token counts only, as that API does); the wait for a slot is in none of them, only
    in the client's wait for its first token.
    """

    load_s: float
    prompt_tokens_per_s: float
    output_tokens_per_s: float
    parallel: int = 1
    name: str = "custom"

    def __post_init__(self) -> None:
        if self.load_s < 0 or self.prompt_tokens_per_s <= 0 or self.output_tokens_per_s <= 0:
            raise ValueError("load_s must be >= 0 and the rates > 0")
        if self.parallel < 1:
            raise ValueError("parallel must be at least 1")

    @classmethod
    def from_json(cls, value: str | dict[str, Any]) -> SpeedProfile:
        """A named profile (``laptop-cpu``, ``gpu``) or one given field by field."""
        if isinstance(value, str):
            try:
                return PROFILES[value]
            except KeyError:
                raise ValueError(f"unknown profile {value!r}; known: {sorted(PROFILES)}") from None
        return cls(
            load_s=float(value["load_s"]),
            prompt_tokens_per_s=float(value["prompt_tokens_per_s"]),
            output_tokens_per_s=float(value["output_tokens_per_s"]),
            parallel=int(value.get("parallel", 1)),
            name=str(value.get("name", "custom")),
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "load_s": self.load_s,
            "prompt_tokens_per_s": self.prompt_tokens_per_s,
            "output_tokens_per_s": self.output_tokens_per_s,
            "parallel": self.parallel,
        }


LAPTOP_CPU = SpeedProfile(
    load_s=4.0, prompt_tokens_per_s=60.0, output_tokens_per_s=15.0, parallel=1, name="laptop-cpu"
)
"""llama3.2:3b on an ordinary laptop without a GPU, as measured for issue 12."""

GPU = SpeedProfile(
    load_s=2.0, prompt_tokens_per_s=1500.0, output_tokens_per_s=60.0, parallel=4, name="gpu"
)
"""The same model on a GPU; Ollama takes four parallel slots when the memory allows."""

PROFILES = {profile.name: profile for profile in (LAPTOP_CPU, GPU)}


@dataclass(frozen=True)
class Script:
    """One scripted answer: the behaviour and its parameters."""

    behaviour: Behaviour = Behaviour.HEALTHY
    content: Content | None = None
    delay_s: float = 5.0


@dataclass
class RecordedRequest:
    """One request the fake received. ``received_at`` is ``time.time()``; ``body`` is the parsed
    JSON body, or None when there was none or it was not JSON. ``behaviour`` is what a chat or
    generate call was answered with (None for other calls and for calls refused before a
    script was chosen, such as an unknown model). ``finished_at`` is when a chat or generate
    call that got a slot was done being worked on (None until then, and for the others)."""

    method: str
    path: str
    body: dict[str, Any] | None
    received_at: float
    behaviour: Behaviour | None = None
    finished_at: float | None = None

    @property
    def output_schema(self) -> Any:
        """The JSON Schema a chat call asked the answer to fit, whichever the API: Ollama's
        ``format``, the OpenAI API's ``response_format.json_schema.schema`` (or
        ``response_format.schema``, llama-cpp-python's form); None if none."""
        body = self.body or {}
        if "format" in body:
            return body["format"]
        response_format = body.get("response_format")
        if isinstance(response_format, dict):
            json_schema = response_format.get("json_schema")
            if isinstance(json_schema, dict):
                return json_schema.get("schema")
            return response_format.get("schema")
        return None

    def as_json(self) -> dict[str, Any]:
        """The request as the ``GET /_fake/requests`` control endpoint lists it."""
        return {
            "method": self.method,
            "path": self.path,
            "body": self.body,
            "received_at": self.received_at,
            "behaviour": None if self.behaviour is None else self.behaviour.value,
            "finished_at": self.finished_at,
        }


@dataclass
class FakeScript:
    """The fake's mutable state: its default script, the one-shot queue, the responder, the
    speed profile and the models it has loaded, the recorded requests and how many chat calls
    ran at once."""

    default: Script = field(default_factory=Script)
    responder: Responder | None = None
    profile: SpeedProfile | None = None
    _loaded: set[str] = field(default_factory=set)
    _queue: deque[Script] = field(default_factory=deque)
    _requests: list[RecordedRequest] = field(default_factory=list)
    _in_flight: int = 0
    _peak_in_flight: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def set_default(self, script: Script) -> None:
        with self._lock:
            self.default = script

    def enqueue(self, script: Script) -> None:
        with self._lock:
            self._queue.append(script)

    def set_responder(self, responder: Responder | None) -> None:
        with self._lock:
            self.responder = responder

    def set_profile(self, profile: SpeedProfile | None) -> None:
        with self._lock:
            self.profile = profile

    def current_profile(self) -> SpeedProfile | None:
        with self._lock:
            return self.profile

    def is_loaded(self, model: str) -> bool:
        with self._lock:
            return model in self._loaded

    def mark_loaded(self, model: str) -> None:
        with self._lock:
            self._loaded.add(model)

    def next_script(self) -> Script:
        """The next one-shot script, else the default."""
        with self._lock:
            return self._queue.popleft() if self._queue else self.default

    def record(self, method: str, path: str, body: dict[str, Any] | None) -> RecordedRequest:
        entry = RecordedRequest(method=method, path=path, body=body, received_at=time.time())
        with self._lock:
            self._requests.append(entry)
        return entry

    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def call_started(self) -> None:
        with self._lock:
            self._in_flight += 1
            self._peak_in_flight = max(self._peak_in_flight, self._in_flight)

    def call_finished(self) -> None:
        with self._lock:
            self._in_flight -= 1

    @property
    def in_flight(self) -> int:
        with self._lock:
            return self._in_flight

    @property
    def peak_in_flight(self) -> int:
        with self._lock:
            return self._peak_in_flight

    def reset(self) -> None:
        with self._lock:
            self.default = Script()
            self.responder = None
            self._queue.clear()
            self._requests.clear()
            # The profile stays (it is the server's hardware); the model has to load again.
            self._loaded.clear()
            # Calls still running keep counting; the peak starts again from them.
            self._peak_in_flight = self._in_flight
