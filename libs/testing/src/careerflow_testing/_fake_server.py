"""What every fake model server shares: a real HTTP server on an ephemeral port, served by
uvicorn from a daemon thread, steered by scripts and speed profiles, recording what it receives.

:class:`FakeModelServer` is the lifecycle and the scripting API; a subclass names the HTTP
application of its API (``FakeOllama`` in :mod:`careerflow_testing.fake_ollama`, ``FakeOpenAI``
in :mod:`careerflow_testing.fake_openai`). The behaviours, the profiles and the recorded
requests mean the same for both, so a test can run against either.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import socket
import sys
import threading
from collections.abc import Callable, Sequence
from types import FrameType
from typing import ClassVar, Self, TypedDict

import uvicorn

from careerflow_testing._lifetime import StartedAndStopped
from careerflow_testing._script import (
    CHAT_PATHS,
    PROFILES,
    Behaviour,
    Content,
    FakeScript,
    RecordedRequest,
    Responder,
    Script,
    SpeedProfile,
)
from careerflow_testing._server_app import AppOptions, ModelServerApp

DEFAULT_MODEL = "llama3.2:3b"
_START_TIMEOUT_S = 10.0
_STOP_TIMEOUT_S = 5.0


class _Server(uvicorn.Server):
    """uvicorn's server, woken by an event to stop instead of polling every 0.1 s, and
    shutting down without its fixed pauses: tests start and stop one fake per test."""

    def __init__(self, config: uvicorn.Config, ready: threading.Event) -> None:
        super().__init__(config)
        self._ready = ready
        self.exit_requested = asyncio.Event()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        self._ready.set()

    async def main_loop(self) -> None:
        await self.on_tick(0)  # sets the default headers
        await self.exit_requested.wait()

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        for server in self.servers:
            server.close()
        for sock in sockets or []:
            sock.close()
        # Idle keep-alive connections close now, busy ones once their answer is sent; every
        # waiting answer was already interrupted, so this takes milliseconds.
        for connection in list(self.server_state.connections):
            connection.shutdown()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + _STOP_TIMEOUT_S / 2
        while (self.server_state.connections or self.server_state.tasks) and (
            loop.time() < deadline
        ):
            await asyncio.sleep(0.005)
        for task in self.server_state.tasks:
            task.cancel()


class ServerOptions(TypedDict, total=False):
    """What every fake model server may be made with (see :class:`FakeModelServer`)."""

    models: Sequence[str]
    host: str
    port: int
    max_concurrency: int | None
    latency_s: float
    profile: SpeedProfile | None


class FakeModelServer(StartedAndStopped):
    """A fake model server running in a daemon thread; see the module docstring.

    ``url`` is what a client of the API is given (the server's root for Ollama, the base URL
    with ``/v1`` for the OpenAI-compatible API); ``origin`` is the server's root.
    """

    provider: ClassVar[str]
    """The API it speaks, as ``LLMSettings.provider`` names it."""

    def __init__(
        self,
        *,
        models: Sequence[str] = (DEFAULT_MODEL,),
        host: str = "127.0.0.1",
        port: int = 0,
        max_concurrency: int | None = None,
        latency_s: float = 0.0,
        profile: SpeedProfile | None = None,
    ) -> None:
        if max_concurrency is not None and max_concurrency < 1:
            raise ValueError("max_concurrency must be at least 1")
        self.models = list(models)
        self.host = host
        self.max_concurrency = max_concurrency
        self.latency_s = latency_s
        self._requested_port = port
        self._script = FakeScript(profile=profile)
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: _Server | None = None
        self._app: ModelServerApp | None = None
        self._socket: socket.socket | None = None
        self._ready = threading.Event()
        self._startup_error: BaseException | None = None
        self._port: int | None = None

    # -- lifecycle ---------------------------------------------------------------------

    @property
    def port(self) -> int:
        """The port it listens on (the ephemeral one chosen when ``port=0``)."""
        if self._port is None:
            raise RuntimeError(f"the fake {self.provider} is not started")
        return self._port

    @property
    def origin(self) -> str:
        """``http://host:port``; valid once started."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def url(self) -> str:
        """The URL a client of the API is given; valid once started."""
        return self.origin

    def _make_app(self) -> ModelServerApp:
        """The HTTP application of the API, made in the server's thread at each start."""
        raise NotImplementedError

    def _app_options(self) -> AppOptions:
        """What every application is made with: the models, the concurrency, the latency."""
        return {
            "models": self.models,
            "max_concurrency": self.max_concurrency,
            "latency_s": self.latency_s,
        }

    def start(self) -> Self:
        """Bind, serve from a daemon thread and return once it accepts connections."""
        if self._thread is not None:
            raise RuntimeError(f"the fake {self.provider} is already started")
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self._requested_port))
        self._socket = sock
        self._port = sock.getsockname()[1]
        self._ready.clear()
        self._startup_error = None
        self._thread = threading.Thread(
            target=self._run, name=f"fake-{self.provider}-{self._port}", daemon=True
        )
        self._thread.start()
        if not self._ready.wait(_START_TIMEOUT_S) or self._startup_error is not None:
            self.stop()
            raise RuntimeError(f"the fake {self.provider} did not start") from self._startup_error
        return self

    def stop(self) -> None:
        """Stop serving: answers still waiting (a hang, a slow reply) are cut short, so this
        returns in milliseconds. Safe to call twice."""
        thread, loop = self._thread, self._loop
        if thread is None:
            return
        if loop is not None:
            with contextlib.suppress(RuntimeError):  # the loop has already finished
                loop.call_soon_threadsafe(self._request_exit)
        thread.join(_STOP_TIMEOUT_S)
        if self._socket is not None:
            self._socket.close()
        self._thread = self._loop = self._server = self._app = self._socket = None

    def _request_exit(self) -> None:
        if self._app is not None:
            self._app.stopping.set()
        if self._server is not None:
            self._server.should_exit = True
            self._server.exit_requested.set()

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._serve())
        except BaseException as exc:  # reported by start(); a test thread must not die silently
            self._startup_error = exc
        finally:
            self._ready.set()
            loop.close()

    async def _serve(self) -> None:
        assert self._socket is not None
        self._app = self._make_app()
        # log_config=None and the default access_log leave the process's logging alone.
        config = uvicorn.Config(
            self._app.asgi, log_config=None, lifespan="off", http="h11", ws="none"
        )
        self._server = _Server(config, self._ready)
        await self._server.serve(sockets=[self._socket])

    # -- scripting ---------------------------------------------------------------------

    def set_behaviour(
        self,
        behaviour: Behaviour | str,
        *,
        content: Content | None = None,
        delay_s: float = 5.0,
    ) -> None:
        """Answer every following chat and generate call this way (after any enqueued ones)."""
        self._script.set_default(Script(Behaviour(behaviour), content, delay_s))

    def enqueue(
        self,
        behaviour: Behaviour | str,
        *,
        content: Content | None = None,
        delay_s: float = 5.0,
    ) -> None:
        """Answer the next chat or generate call this way, once; enqueued scripts are used in
        order before the default one."""
        self._script.enqueue(Script(Behaviour(behaviour), content, delay_s))

    def set_responder(self, responder: Responder | None) -> None:
        """Compute healthy content from the request body (its ``format``, its ``messages``)
        when no content is scripted; None goes back to the schema's minimal instance."""
        self._script.set_responder(responder)

    def set_profile(self, profile: SpeedProfile | None) -> None:
        """Work at this speed from the next call on (None: answer at once, as scripted).

        Its ``parallel`` replaces ``max_concurrency`` while it is set.
        """
        self._script.set_profile(profile)
        loop, app = self._loop, self._app
        if loop is not None and app is not None:
            with contextlib.suppress(RuntimeError):  # the loop has already finished
                loop.call_soon_threadsafe(app.slots.wake)

    def set_latency(self, latency_s: float) -> None:
        """Take ``latency_s`` over each following call, as ``latency_s`` given when made."""
        self.latency_s = latency_s
        app = self._app
        if app is not None:
            app.latency_s = latency_s

    @property
    def profile(self) -> SpeedProfile | None:
        """The speed profile in use, if any."""
        return self._script.current_profile()

    def reset(self) -> None:
        """Forget the requests, the queue and the responder; behave HEALTHY again. The speed
        profile stays, but the model is unloaded: the next call loads it again."""
        self._script.reset()

    # -- what it saw -------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received (control endpoints aside), oldest first; a copy."""
        return self._script.requests()

    def chat_requests(self) -> list[RecordedRequest]:
        """Only the chat calls: ``POST /api/chat`` and ``/api/generate`` to Ollama,
        ``/v1/chat/completions`` to the OpenAI-compatible API."""
        return [r for r in self._script.requests() if r.path in CHAT_PATHS]

    @property
    def in_flight(self) -> int:
        """Chat and generate calls being worked on now (not those waiting for a slot)."""
        return self._script.in_flight

    @property
    def peak_concurrency(self) -> int:
        """The most chat and generate calls worked on at once since start or reset."""
        return self._script.peak_in_flight


_reserved: list[socket.socket] = []
_reserved_lock = threading.Lock()


def refused_url() -> str:
    """``http://127.0.0.1:<port>`` where a connection is refused.

    The port stays bound (without listening) for the life of the process, so no other server
    can take it and turn a "refused" test into a flaky one.
    """
    with _reserved_lock:
        if not _reserved:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind(("127.0.0.1", 0))
            _reserved.append(sock)
        return f"http://127.0.0.1:{_reserved[0].getsockname()[1]}"


def _parser(prog: str, what: str, port: int) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog, description=f"A fake {what} server for CareerFlow's end-to-end tests."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=port, help="0 picks a free port")
    parser.add_argument(
        "--model",
        action="append",
        dest="models",
        help=f"a model it has (repeatable; default {DEFAULT_MODEL})",
    )
    parser.add_argument(
        "--behaviour", choices=[b.value for b in Behaviour], default=Behaviour.HEALTHY.value
    )
    parser.add_argument("--delay", type=float, default=5.0, help="delay_s of the behaviour")
    parser.add_argument("--max-concurrency", type=int, default=None)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds each call takes")
    parser.add_argument(
        "--profile", choices=sorted(PROFILES), default=None, help="work at this hardware's speed"
    )
    return parser


def serve_until_signalled(
    prog: str,
    what: str,
    port: int,
    make: Callable[[argparse.Namespace], FakeModelServer],
    argv: Sequence[str] | None,
    options: Callable[[argparse.ArgumentParser], None] | None = None,
) -> None:
    """A fake's console script: parse ``argv`` (the common options, and those ``options``
    adds), serve until SIGINT or SIGTERM."""
    parser = _parser(prog, what, port)
    if options is not None:
        options(parser)
    args = parser.parse_args(argv)
    fake = make(args)
    fake.set_behaviour(args.behaviour, delay_s=args.delay)
    finished = threading.Event()

    def _on_signal(_signum: int, _frame: FrameType | None) -> None:
        finished.set()

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _on_signal)
    fake.start()
    # One line, so a test that started it with --port 0 can read where it listens.
    sys.stderr.write(f"{prog} listening on {fake.url}\n")
    sys.stderr.flush()
    try:
        finished.wait()
    finally:
        fake.stop()


def server_options(args: argparse.Namespace) -> ServerOptions:
    """What a console script's common options ask of its fake."""
    return {
        "models": args.models or (DEFAULT_MODEL,),
        "host": args.host,
        "port": args.port,
        "max_concurrency": args.max_concurrency,
        "latency_s": args.latency,
        "profile": None if args.profile is None else PROFILES[args.profile],
    }
