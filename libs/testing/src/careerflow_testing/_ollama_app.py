"""The fake Ollama's HTTP application: Ollama's routes and bodies, and the control routes.

Chat and generate calls are answered by :class:`careerflow_testing._ollama_answer.Answer`.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections import deque
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from careerflow_testing._ollama_answer import (
    Answer,
    Interruption,
    Kind,
    final_body,
    model_not_found_text,
)
from careerflow_testing._ollama_script import Behaviour, FakeScript, Script, SpeedProfile

OLLAMA_VERSION = "0.12.0"
_MODEL_SIZE = 2_019_393_189


def _canonical(model: str) -> str:
    # "llama3.2" and "llama3.2:latest" are the same model to Ollama.
    return model if ":" in model.rsplit("/", 1)[-1] else f"{model}:latest"


class FakeOllamaApp:
    """The ASGI application of one running fake; created in the server's thread each start."""

    def __init__(
        self,
        script: FakeScript,
        *,
        models: Sequence[str],
        max_concurrency: int | None,
        latency_s: float,
    ) -> None:
        self.script = script
        self.models = list(models)
        self._known = {_canonical(m) for m in models}
        self.latency_s = latency_s
        self.stopping = asyncio.Event()
        self.max_concurrency = max_concurrency
        self.slots = _Slots(self._capacity)
        self._loading: dict[str, asyncio.Task[None]] = {}
        routes = [
            Route("/", self._root, methods=["GET", "HEAD"]),
            Route("/api/version", self._version, methods=["GET", "HEAD"]),
            Route("/api/tags", self._tags, methods=["GET", "HEAD"]),
            Route("/api/ps", self._ps, methods=["GET"]),
            Route("/api/show", self._show, methods=["POST"]),
            Route("/api/chat", self._chat, methods=["POST"]),
            Route("/api/generate", self._generate, methods=["POST"]),
            Route("/_fake/behaviour", self._set_behaviour, methods=["POST"]),
            Route("/_fake/profile", self._set_profile, methods=["POST"]),
            Route("/_fake/reset", self._reset, methods=["POST"]),
            Route("/_fake/requests", self._requests, methods=["GET"]),
        ]
        self.asgi = Starlette(
            routes=routes,
            exception_handlers={HTTPException: self._http_error},
        )

    # -- plain Ollama routes -------------------------------------------------------------

    async def _http_error(self, _request: Request, exc: Exception) -> Response:
        # Ollama is a Go server: unknown routes get Go's plain-text answers.
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        text = {404: "404 page not found", 405: "405 method not allowed"}.get(status, "error")
        return PlainTextResponse(text, status_code=status)

    async def _record(self, request: Request) -> dict[str, Any] | None:
        body = await _json_body(request)
        if not request.url.path.startswith("/_fake/"):
            self.script.record(request.method, request.url.path, body)
        return body

    async def _root(self, request: Request) -> Response:
        await self._record(request)
        return PlainTextResponse("Ollama is running")

    async def _version(self, request: Request) -> Response:
        await self._record(request)
        return JSONResponse({"version": OLLAMA_VERSION})

    def _model_entry(self, name: str) -> dict[str, Any]:
        family = name.split(":", 1)[0].rstrip("0123456789.") or "llama"
        return {
            "name": name,
            "model": name,
            "modified_at": "2025-01-01T00:00:00Z",
            "size": _MODEL_SIZE,
            "digest": hashlib.sha256(name.encode()).hexdigest(),
            "details": {
                "parent_model": "",
                "format": "gguf",
                "family": family,
                "families": [family],
                "parameter_size": "3.2B",
                "quantization_level": "Q4_K_M",
            },
        }

    async def _tags(self, request: Request) -> Response:
        await self._record(request)
        return JSONResponse({"models": [self._model_entry(m) for m in self.models]})

    async def _ps(self, request: Request) -> Response:
        await self._record(request)
        expires = (datetime.now(UTC) + timedelta(minutes=5)).isoformat().replace("+00:00", "Z")
        loaded = [
            {
                **self._model_entry(m),
                "expires_at": expires,
                "size_vram": _MODEL_SIZE,
                "context_length": 4096,
            }
            for m in self.models
        ]
        for entry in loaded:
            del entry["modified_at"]
        return JSONResponse({"models": loaded})

    async def _show(self, request: Request) -> Response:
        body = await self._record(request) or {}
        name = str(body.get("model") or body.get("name") or "")
        if not name:
            return JSONResponse({"error": "model is required"}, status_code=400)
        if _canonical(name) not in self._known:
            return JSONResponse({"error": f"model '{name}' not found"}, status_code=404)
        entry = self._model_entry(_canonical(name))
        return JSONResponse(
            {
                "license": "",
                "modelfile": f"# Modelfile of the fake {name}\nFROM {name}\n",
                "parameters": "",
                "template": "{{ .Prompt }}",
                "details": entry["details"],
                "model_info": {"general.architecture": entry["details"]["family"]},
                "capabilities": ["completion"],
                "modified_at": entry["modified_at"],
            }
        )

    # -- control routes, for a fake running as a process ---------------------------------

    async def _set_behaviour(self, request: Request) -> Response:
        body = await _json_body(request) or {}
        try:
            script = Script(
                behaviour=Behaviour(body.get("behaviour", Behaviour.HEALTHY)),
                content=body.get("content"),
                delay_s=float(body.get("delay_s", 5.0)),
            )
        except (ValueError, TypeError) as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        if body.get("once"):
            self.script.enqueue(script)
        else:
            self.script.set_default(script)
        return JSONResponse({"behaviour": script.behaviour.value, "once": bool(body.get("once"))})

    async def _set_profile(self, request: Request) -> Response:
        body = await _json_body(request) or {}
        value = body.get("profile")
        try:
            profile = None if value is None else SpeedProfile.from_json(value)
        except (ValueError, TypeError, KeyError) as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        self.script.set_profile(profile)
        self.slots.wake()
        return JSONResponse({"profile": None if profile is None else profile.as_json()})

    async def _reset(self, _request: Request) -> Response:
        self.script.reset()
        return Response(status_code=204)

    async def _requests(self, _request: Request) -> Response:
        return JSONResponse({"requests": [r.as_json() for r in self.script.requests()]})

    # -- chat and generate ---------------------------------------------------------------

    async def _chat(self, request: Request) -> Response:
        return await self._completion(request, "chat")

    async def _generate(self, request: Request) -> Response:
        return await self._completion(request, "generate")

    async def _completion(self, request: Request, kind: Kind) -> Response:
        body = await _json_body(request)
        entry = self.script.record(request.method, request.url.path, body)
        if body is None:
            return JSONResponse({"error": "invalid request body"}, status_code=400)
        model = body.get("model")
        if not isinstance(model, str) or not model:
            return JSONResponse({"error": "model is required"}, status_code=400)
        if _canonical(model) not in self._known:
            return JSONResponse({"error": model_not_found_text(model)}, status_code=404)
        if (kind == "chat" and not body.get("messages")) or (
            kind == "generate" and not body.get("prompt")
        ):
            # Ollama answers a call with nothing to say by loading the model.
            return JSONResponse(final_body(kind, model, "", "load", started=time.monotonic()))
        script = self.script.next_script()
        entry.behaviour = script.behaviour
        return Answer(self, kind, body, script, entry)

    def _capacity(self) -> int | None:
        profile = self.script.current_profile()
        return profile.parallel if profile is not None else self.max_concurrency

    async def acquire_slot(self, interruption: Interruption) -> bool:
        """Wait for a free slot (the profile's ``parallel``, else ``max_concurrency``); False
        when interrupted first."""
        return await self.slots.acquire(interruption)

    def release_slot(self) -> None:
        self.slots.release()

    async def load_model(self, model: str, load_s: float, interruption: Interruption) -> bool:
        """Wait until ``model`` is loaded, loading it if nobody is; False when interrupted first.

        The load goes on when the caller that started it leaves, as in Ollama's scheduler.
        """
        if self.script.is_loaded(model):
            return True
        loading = self._loading.get(model)
        if loading is None:
            loading = asyncio.ensure_future(self._load(model, load_s))
            self._loading[model] = loading
        interrupted = asyncio.ensure_future(interruption.event.wait())
        await asyncio.wait({loading, interrupted}, return_when=asyncio.FIRST_COMPLETED)
        interrupted.cancel()
        return loading.done() and self.script.is_loaded(model)

    async def _load(self, model: str, load_s: float) -> None:
        try:
            await asyncio.wait_for(self.stopping.wait(), load_s)
        except TimeoutError:
            self.script.mark_loaded(model)
        finally:
            self._loading.pop(model, None)


class _Slots:
    """Ollama's parallel slots: at most ``capacity()`` calls worked on at once (None: no limit),
    the others waiting in arrival order. The capacity is read at every turn, so a profile set
    while calls wait takes effect (``wake`` after changing it)."""

    def __init__(self, capacity: Callable[[], int | None]) -> None:
        self._capacity = capacity
        self._busy = 0
        self._waiters: deque[asyncio.Future[None]] = deque()

    def _free(self) -> bool:
        capacity = self._capacity()
        return capacity is None or self._busy < capacity

    async def acquire(self, interruption: Interruption) -> bool:
        if not self._waiters and self._free():
            self._busy += 1
            return True
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(turn)
        interrupted = asyncio.ensure_future(interruption.event.wait())
        either: set[asyncio.Future[Any]] = {turn, interrupted}
        try:
            await asyncio.wait(either, return_when=asyncio.FIRST_COMPLETED)
        finally:
            interrupted.cancel()
        if turn.done():
            return True  # the slot was handed over; the caller releases it as usual
        turn.cancel()
        self._waiters.remove(turn)
        return False

    def release(self) -> None:
        self._busy -= 1
        self.wake()

    def wake(self) -> None:
        """Hand free slots to the waiting calls, oldest first."""
        while self._waiters and self._free():
            turn = self._waiters.popleft()
            self._busy += 1
            turn.set_result(None)


async def _json_body(request: Request) -> dict[str, Any] | None:
    raw = await request.body()
    if not raw:
        return None
    try:
        body = json.loads(raw)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None
