"""The fake OpenAI-compatible server's HTTP application: ``GET /v1/models``,
``POST /v1/chat/completions`` and ``GET /health`` (as llama.cpp's server and vLLM have it),
beside the control routes of every fake (:mod:`careerflow_testing._server_app`).

With an ``api_key``, every ``/v1`` route wants ``Authorization: Bearer <key>`` and answers 401
otherwise, as a hosted API does (the key is never repeated in the answer). Chat calls are
answered by :class:`careerflow_testing._answer.Answer` in the API's wire format
(:mod:`careerflow_testing._openai_wire`).
"""

from __future__ import annotations

import hmac
import time
from typing import Unpack

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from careerflow_testing._answer import Answer
from careerflow_testing._openai_wire import OpenAIWire, error_body, model_not_found_text
from careerflow_testing._script import FakeScript
from careerflow_testing._server_app import AppOptions, ModelServerApp, json_body


def _error(status: int, text: str, code: str | None = None) -> Response:
    return Response(error_body(status, text, code), status, media_type="application/json")


class FakeOpenAIApp(ModelServerApp):
    """The ASGI application of one running fake OpenAI-compatible server."""

    def __init__(
        self, script: FakeScript, *, api_key: str | None, **options: Unpack[AppOptions]
    ) -> None:
        self._api_key = api_key
        super().__init__(script, **options)

    def api_routes(self) -> list[Route]:
        return [
            Route("/health", self._health, methods=["GET"]),
            Route("/v1/models", self._models, methods=["GET"]),
            Route("/v1/chat/completions", self._chat, methods=["POST"]),
        ]

    def _refused(self, request: Request) -> Response | None:
        """401 unless the request carries the key (when the fake has one)."""
        if self._api_key is None:
            return None
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        expected = self._api_key.encode()
        if scheme.lower() == "bearer" and hmac.compare_digest(given.encode(), expected):
            return None
        return _error(401, "Incorrect API key provided.", "invalid_api_key")

    async def _health(self, request: Request) -> Response:
        await self.record(request)
        return JSONResponse({"status": "ok"})

    async def _models(self, request: Request) -> Response:
        await self.record(request)
        if (refused := self._refused(request)) is not None:
            return refused
        models = [
            {"id": m, "object": "model", "created": 1_735_689_600, "owned_by": "careerflow-fake"}
            for m in self.models
        ]
        return JSONResponse({"object": "list", "data": models})

    async def _chat(self, request: Request) -> Response:
        started = time.monotonic()
        body = await json_body(request)
        entry = self.script.record(request.method, request.url.path, body)
        if (refused := self._refused(request)) is not None:
            return refused
        if body is None:
            return _error(400, "We could not parse the JSON body of your request.")
        model = body.get("model")
        if not isinstance(model, str) or not model:
            return _error(400, "you must provide a model parameter")
        if model not in self.models:
            return _error(404, model_not_found_text(model), "model_not_found")
        if not isinstance(body.get("messages"), list) or not body["messages"]:
            return _error(400, "'messages' must contain at least one message")
        script = self.script.next_script()
        entry.behaviour = script.behaviour
        return Answer(self, OpenAIWire(body), script, entry, started=started)
