"""What every fake model server's HTTP application shares, whatever API it speaks: the control
routes, the parallel slots and their queue, loading the model, and recording requests.

``_ollama_app`` and ``_openai_app`` add their API's routes; chat calls are answered by
:class:`careerflow_testing._answer.Answer` in their API's wire format.
"""

from __future__ import annotations

import asyncio
import json
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any, TypedDict, Unpack

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from careerflow_testing._answer import Interruption
from careerflow_testing._script import Behaviour, FakeScript, Script, SpeedProfile


class AppOptions(TypedDict):
    """What every fake's application is made with, besides its script."""

    models: Sequence[str]
    max_concurrency: int | None
    latency_s: float


class ModelServerApp:
    """The ASGI application of one running fake; created in the server's thread each start.

    Subclasses list their API's routes in :meth:`api_routes` and may answer unknown routes in
    their server's words (:meth:`http_error`).
    """

    def __init__(self, script: FakeScript, **options: Unpack[AppOptions]) -> None:
        self.script = script
        self.models = list(options["models"])
        self.latency_s = options["latency_s"]
        self.stopping = asyncio.Event()
        self.max_concurrency = options["max_concurrency"]
        self.slots = _Slots(self._capacity)
        self._loading: dict[str, asyncio.Task[None]] = {}
        control = [
            Route("/_fake/behaviour", self._set_behaviour, methods=["POST"]),
            Route("/_fake/profile", self._set_profile, methods=["POST"]),
            Route("/_fake/reset", self._reset, methods=["POST"]),
            Route("/_fake/requests", self._requests, methods=["GET"]),
        ]
        self.asgi = Starlette(
            routes=[*self.api_routes(), *control],
            exception_handlers={HTTPException: self._http_error},
        )

    def api_routes(self) -> list[Route]:
        """The routes of the API the fake speaks."""
        return []

    async def http_error(self, status: int) -> Response:
        """The answer to an unknown route or method."""
        return JSONResponse({"detail": "Not Found" if status == 404 else "error"}, status)

    async def _http_error(self, _request: Request, exc: Exception) -> Response:
        return await self.http_error(exc.status_code if isinstance(exc, HTTPException) else 500)

    async def record(self, request: Request) -> dict[str, Any] | None:
        """Record ``request`` (control routes aside) and return its JSON body, if any."""
        body = await json_body(request)
        if not request.url.path.startswith("/_fake/"):
            self.script.record(request.method, request.url.path, body)
        return body

    # -- control routes, for a fake running as a process ---------------------------------

    async def _set_behaviour(self, request: Request) -> Response:
        body = await json_body(request) or {}
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
        body = await json_body(request) or {}
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

    # -- the model's slots and load, for the answers ---------------------------------------

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
    """A server's parallel slots: at most ``capacity()`` calls worked on at once (None: no
    limit), the others waiting in arrival order. The capacity is read at every turn, so a
    profile set while calls wait takes effect (``wake`` after changing it)."""

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


async def json_body(request: Request) -> dict[str, Any] | None:
    """The request's body as a JSON object; None when empty, not JSON, or not an object."""
    raw = await request.body()
    if not raw:
        return None
    try:
        body = json.loads(raw)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None
