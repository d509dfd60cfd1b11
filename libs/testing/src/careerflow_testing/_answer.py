"""One answer of a fake model server to a chat call, played out as its script says.

The play-out is the same whatever API the fake speaks: the behaviour, the timing of the speed
profile (the load, the wait for a slot, reading the prompt, then one token a line at the
profile's rate), the interruptions. What goes on the wire is a :class:`Wire`'s:
``_ollama_wire`` (NDJSON lines ending with ``done: true``) or ``_openai_wire`` (server-sent
events ending with ``data: [DONE]``). Nothing is sent before the first line is ready, so a
client's read timeout sees a slow first byte exactly as with a busy model. Every wait races the
client leaving and the fake stopping, so nothing outlives either.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from careerflow_testing._script import (
    Behaviour,
    Content,
    RecordedRequest,
    Responder,
    Script,
    SpeedProfile,
)
from careerflow_testing.schema_instance import minimal_instance

if TYPE_CHECKING:
    from careerflow_testing._server_app import ModelServerApp

RUNNER_CRASH_TEXT = "llama runner process has terminated: exit status 2"
MID_STREAM_TEXT = "an error was encountered while running the model: unexpected EOF"
MALFORMED_TEXT = '{"skills": ["Python",'
SCHEMA_VIOLATION_TEXT = '{"unexpected": true}'
THINKING_TEXT = "<think>\nThe user wants JSON that fits the schema. Let me write it.\n</think>\n\n"
PLAIN_TEXT = "Hello from the fake Ollama."
STOPPED_TEXT = "fake ollama stopped"

_CHUNKS = 6  # pieces a streamed answer is cut into, before the end (no profile)
CHARS_PER_TOKEN = 4  # a token of the fake model's prompt and answer
JSON_TYPE = "application/json; charset=utf-8"


@dataclass
class Timings:
    """What the model spent on one answer (nanoseconds) and its token counts."""

    load_ns: int = 0
    prompt_tokens: int = 0
    prompt_ns: int = 0
    eval_count: int = 0
    eval_ns: int = 0


def ns_since(start: float) -> int:
    return int((time.monotonic() - start) * 1e9)


class Wire(Protocol):
    """The bytes of one API for one call: what the call asked, and how its answer is written."""

    body: dict[str, Any]
    model: str
    streaming: bool
    stream_type: str

    def prompt_text(self) -> str:
        """The text of the prompt, for counting its tokens."""
        ...

    def schema(self) -> Any:
        """The JSON Schema the answer must fit, ``"json"`` for any JSON, or None."""
        ...

    def error(self, status: int, text: str) -> bytes:
        """The body of an error answer."""
        ...

    def busy_text(self) -> str: ...

    def not_found_text(self) -> str: ...

    def piece(self, text: str) -> bytes:
        """One streamed line carrying the next piece of the answer, framed."""
        ...

    def ending(self, reason: str, timings: Timings, *, measured: bool) -> list[bytes]:
        """The lines after the last piece: why the model stopped, its figures, the end.
        Unless ``measured`` (no speed profile), ``timings`` has counts but no durations."""
        ...

    def stream_error(self, text: str) -> bytes:
        """A failure reported after the first byte, framed as a streamed line."""
        ...

    def whole(self, content: str, reason: str, timings: Timings, *, measured: bool) -> bytes:
        """The body of an answer that is not streamed."""
        ...


def as_text(content: Content) -> str:
    return content if isinstance(content, str) else json.dumps(content)


def _pieces(text: str) -> list[str]:
    """``text`` cut into at most ``_CHUNKS`` consecutive pieces (one empty piece if empty)."""
    if not text:
        return [""]
    size = math.ceil(len(text) / _CHUNKS)
    return [text[i : i + size] for i in range(0, len(text), size)]


def _tokens(text: str) -> list[str]:
    """``text`` cut into tokens of ``CHARS_PER_TOKEN`` characters (one empty one if empty)."""
    if not text:
        return [""]
    return [text[i : i + CHARS_PER_TOKEN] for i in range(0, len(text), CHARS_PER_TOKEN)]


class Interruption:
    """Set once the client has gone or the fake is stopping: every wait of an answer races it,
    so a hanging answer never outlives its client or the server."""

    def __init__(self, receive: Receive, stopping: asyncio.Event) -> None:
        self._receive = receive
        self._stopping = stopping
        self.event = asyncio.Event()
        self._watcher: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Interruption:
        self._watcher = asyncio.create_task(self._watch())
        return self

    async def __aexit__(self, *_: object) -> None:
        if self._watcher is not None:
            self._watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watcher

    async def _watch(self) -> None:
        left = asyncio.create_task(self._until_disconnect())
        stopping = asyncio.create_task(self._stopping.wait())
        try:
            await asyncio.wait({left, stopping}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            left.cancel()
            stopping.cancel()
        self.event.set()

    async def _until_disconnect(self) -> None:
        while (await self._receive())["type"] != "http.disconnect":
            pass

    async def pause(self, seconds: float | None) -> bool:
        """Wait ``seconds`` (None: forever); False when interrupted first."""
        if self.event.is_set():
            return False
        if seconds is not None and seconds <= 0:
            return True
        try:
            await asyncio.wait_for(self.event.wait(), seconds)
        except TimeoutError:
            return True
        return False


class Writer:
    """Sends one HTTP answer; the status line and headers go out with the first bytes."""

    def __init__(self, send: Send, wire: Wire) -> None:
        self._send = send
        self._wire = wire
        self.started = False
        self.finished = False

    async def _start(self, status: int, content_type: str) -> None:
        self.started = True
        await self._send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", content_type.encode())],
            }
        )

    async def whole(self, status: int, body: bytes, content_type: str = JSON_TYPE) -> None:
        await self._start(status, content_type)
        await self.end(body)

    async def error(self, status: int, text: str) -> None:
        await self.whole(status, self._wire.error(status, text))

    async def line(self, data: bytes) -> None:
        if not self.started:
            await self._start(200, self._wire.stream_type)
        await self._send({"type": "http.response.body", "body": data, "more_body": True})

    async def end(self, body: bytes = b"") -> None:
        self.finished = True
        await self._send({"type": "http.response.body", "body": body, "more_body": False})

    async def abandon(self) -> None:
        """Close the answer early: the client has gone (sends are then dropped) or the fake
        is stopping (a client still waiting gets an error rather than silence)."""
        if not self.started:
            await self.error(500, STOPPED_TEXT)
        elif not self.finished:
            await self.end()


def healthy_text(script: Script, responder: Responder | None, wire: Wire) -> str:
    """The answer of a healthy model: scripted content, else the responder's (given the request
    body), else a minimal instance of the schema asked for, else a sentence."""
    if script.content is not None:
        return as_text(script.content)
    if responder is not None:
        return as_text(responder(wire.body))
    schema = wire.schema()
    if isinstance(schema, dict):
        return json.dumps(minimal_instance(schema))
    if schema == "json":
        return "{}"
    return PLAIN_TEXT


class Answer(Response):
    """The ASGI answer to one chat call, played out as its script says, in ``wire``'s API."""

    def __init__(
        self,
        app: ModelServerApp,
        wire: Wire,
        script: Script,
        entry: RecordedRequest,
        *,
        started: float,
    ):
        super().__init__()
        self._entry = entry
        self._app = app
        self._wire = wire
        self._script = script
        self._started = started
        self._profile: SpeedProfile | None = app.script.current_profile()
        self._timings = Timings()

    async def __call__(self, _scope: Scope, receive: Receive, send: Send) -> None:
        writer = Writer(send, self._wire)
        behaviour = self._script.behaviour
        # Refused before a request reaches the scheduler's queue.
        if behaviour is Behaviour.BUSY_503:
            await writer.error(503, self._message(self._wire.busy_text()))
            return
        if behaviour is Behaviour.MODEL_NOT_FOUND:
            await writer.error(404, self._wire.not_found_text())
            return
        async with Interruption(receive, self._app.stopping) as interruption:
            if self._profile is not None and not await self._load(interruption):
                await writer.abandon()
                return
            if not await self._app.acquire_slot(interruption):
                await writer.abandon()
                return
            self._app.script.call_started()
            try:
                if await interruption.pause(self._app.latency_s):
                    await self._play(writer, interruption)
                else:
                    await writer.abandon()
            finally:
                self._entry.finished_at = time.time()
                self._app.script.call_finished()
                self._app.release_slot()

    async def _load(self, interruption: Interruption) -> bool:
        """Wait for the profile's load of the model (nothing if it is loaded); False when
        interrupted first."""
        assert self._profile is not None
        started = time.monotonic()
        loaded = await self._app.load_model(self._wire.model, self._profile.load_s, interruption)
        self._timings.load_ns = ns_since(started)
        return loaded

    async def _read_prompt(self, interruption: Interruption) -> bool:
        """The profile's time to read the prompt; False when interrupted first."""
        # Four characters a token, near what the usual tokenizers make of English.
        tokens = max(1, len(self._wire.prompt_text()) // CHARS_PER_TOKEN)
        self._timings.prompt_tokens = tokens
        if self._profile is None:
            return True
        started = time.monotonic()
        read = await interruption.pause(tokens / self._profile.prompt_tokens_per_s)
        self._timings.prompt_ns = ns_since(started)
        return read

    def _message(self, default: str) -> str:
        content = self._script.content
        return content if isinstance(content, str) else default

    def _content(self) -> str:
        behaviour, script = self._script.behaviour, self._script
        if behaviour is Behaviour.MALFORMED_JSON:
            return self._message(MALFORMED_TEXT)
        if behaviour is Behaviour.SCHEMA_VIOLATION:
            return SCHEMA_VIOLATION_TEXT if script.content is None else as_text(script.content)
        valid = healthy_text(script, self._app.script.responder, self._wire)
        if behaviour is Behaviour.CODE_FENCE:
            return f"```json\n{valid}\n```"
        if behaviour is Behaviour.THINK_PREFIX:
            return THINKING_TEXT + valid
        if behaviour is Behaviour.LENGTH:
            return valid[: max(1, len(valid) // 2)]
        return valid

    async def _play(self, writer: Writer, interruption: Interruption) -> None:
        behaviour, delay = self._script.behaviour, self._script.delay_s
        streaming = self._wire.streaming
        if behaviour is Behaviour.HANG or (behaviour is Behaviour.STALL and not streaming):
            await interruption.pause(None)
            await writer.abandon()
            return
        if behaviour is Behaviour.ERROR_500:
            await writer.error(500, self._message(RUNNER_CRASH_TEXT))
            return
        if behaviour is Behaviour.SLOW_FIRST_BYTE and not await interruption.pause(delay):
            await writer.abandon()
            return
        try:
            content = self._content()
        except Exception as exc:  # a test's responder or an odd schema: say so, loudly
            await writer.error(500, f"fake server could not build an answer: {exc!r}")
            return
        if not await self._read_prompt(interruption):
            await writer.abandon()
            return
        pieces = _pieces(content) if self._profile is None else _tokens(content)
        self._timings.eval_count = len(pieces)
        if streaming:
            await self._stream_answer(writer, interruption, pieces)
        else:
            await self._whole_answer(writer, interruption, content, pieces)

    def _token_gap(self) -> float:
        """The time to write one piece: SLOW_TOKENS's delay, else the profile's rate."""
        if self._script.behaviour is Behaviour.SLOW_TOKENS:
            return self._script.delay_s
        if self._profile is not None:
            return 1.0 / self._profile.output_tokens_per_s
        return 0.0

    def _reason(self) -> str:
        return "length" if self._script.behaviour is Behaviour.LENGTH else "stop"

    async def _whole_answer(
        self, writer: Writer, interruption: Interruption, content: str, pieces: Sequence[str]
    ) -> None:
        behaviour = self._script.behaviour
        writing = self._token_gap() * len(pieces)
        if writing:
            # The model takes as long as when streaming; the client just sees it all at once.
            started = time.monotonic()
            if not await interruption.pause(writing):
                await writer.abandon()
                return
            self._timings.eval_ns = ns_since(started)
        if behaviour is Behaviour.ERROR_MID_STREAM:
            # Not streaming, Ollama collects the answer first and reports the failure as a 500.
            await writer.error(500, MID_STREAM_TEXT)
            return
        measured = self._profile is not None
        whole = self._wire.whole(content, self._reason(), self._timings, measured=measured)
        if behaviour is Behaviour.TRUNCATED:
            await writer.whole(200, whole[: len(whole) // 2])
            return
        await writer.whole(200, whole)

    async def _stream_answer(
        self, writer: Writer, interruption: Interruption, pieces: Sequence[str]
    ) -> None:
        behaviour = self._script.behaviour
        gap = self._token_gap()
        # Without a profile the first piece goes at once and the end waits a gap (the scripted
        # behaviours' timing); with one, every token takes its time to write and the end
        # follows the last token, as a real server's does.
        paced = self._profile is not None
        cut_at = {
            Behaviour.ERROR_MID_STREAM: min(2, len(pieces)),
            Behaviour.TRUNCATED: math.ceil(len(pieces) / 2),
            Behaviour.STALL: math.ceil(len(pieces) / 2),
        }.get(behaviour)
        writing_started = time.monotonic()
        for index, piece in enumerate(pieces[:cut_at]):
            # Paced, each token is due at its place on the profile's clock, so the time spent
            # sending lines does not slow the model below its rate.
            wait = writing_started + (index + 1) * gap - time.monotonic() if paced else gap
            if (index or paced) and not await interruption.pause(wait):
                await writer.abandon()
                return
            await writer.line(self._wire.piece(piece))
        self._timings.eval_ns = ns_since(writing_started)
        if behaviour is Behaviour.ERROR_MID_STREAM:
            await writer.line(self._wire.stream_error(MID_STREAM_TEXT))
            await writer.end()
            return
        if behaviour is Behaviour.TRUNCATED:
            await writer.end()
            return
        if behaviour is Behaviour.STALL:
            await interruption.pause(None)
            await writer.abandon()
            return
        if not paced and not await interruption.pause(gap):
            await writer.abandon()
            return
        for line in self._wire.ending(self._reason(), self._timings, measured=paced):
            await writer.line(line)
        await writer.end()
