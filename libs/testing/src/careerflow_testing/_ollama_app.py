"""The fake Ollama's HTTP application: Ollama's routes and bodies, beside the control routes of
every fake (:mod:`careerflow_testing._server_app`).

Chat and generate calls are answered by :class:`careerflow_testing._answer.Answer` in Ollama's
wire format (:mod:`careerflow_testing._ollama_wire`).
"""

from __future__ import annotations

import hashlib
import time
from datetime import UTC, datetime, timedelta
from typing import Any, Unpack

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from careerflow_testing._answer import Answer, Timings
from careerflow_testing._ollama_wire import Kind, OllamaWire, final_body, model_not_found_text
from careerflow_testing._script import FakeScript
from careerflow_testing._server_app import AppOptions, ModelServerApp, json_body

OLLAMA_VERSION = "0.12.0"
_MODEL_SIZE = 2_019_393_189


def _canonical(model: str) -> str:
    # "llama3.2" and "llama3.2:latest" are the same model to Ollama.
    return model if ":" in model.rsplit("/", 1)[-1] else f"{model}:latest"


class FakeOllamaApp(ModelServerApp):
    """The ASGI application of one running fake Ollama."""

    def __init__(self, script: FakeScript, **options: Unpack[AppOptions]) -> None:
        self._known = {_canonical(m) for m in options["models"]}
        super().__init__(script, **options)

    def api_routes(self) -> list[Route]:
        return [
            Route("/", self._root, methods=["GET", "HEAD"]),
            Route("/api/version", self._version, methods=["GET", "HEAD"]),
            Route("/api/tags", self._tags, methods=["GET", "HEAD"]),
            Route("/api/ps", self._ps, methods=["GET"]),
            Route("/api/show", self._show, methods=["POST"]),
            Route("/api/chat", self._chat, methods=["POST"]),
            Route("/api/generate", self._generate, methods=["POST"]),
        ]

    async def http_error(self, status: int) -> Response:
        # Ollama is a Go server: unknown routes get Go's plain-text answers.
        text = {404: "404 page not found", 405: "405 method not allowed"}.get(status, "error")
        return PlainTextResponse(text, status_code=status)

    async def _root(self, request: Request) -> Response:
        await self.record(request)
        return PlainTextResponse("Ollama is running")

    async def _version(self, request: Request) -> Response:
        await self.record(request)
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
        await self.record(request)
        return JSONResponse({"models": [self._model_entry(m) for m in self.models]})

    async def _ps(self, request: Request) -> Response:
        await self.record(request)
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
        body = await self.record(request) or {}
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

    async def _chat(self, request: Request) -> Response:
        return await self._completion(request, "chat")

    async def _generate(self, request: Request) -> Response:
        return await self._completion(request, "generate")

    async def _completion(self, request: Request, kind: Kind) -> Response:
        started = time.monotonic()
        body = await json_body(request)
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
            loaded = final_body(
                kind, model, "", "load", started=started, timings=Timings(), measured=False
            )
            return JSONResponse(loaded)
        script = self.script.next_script()
        entry.behaviour = script.behaviour
        return Answer(self, OllamaWire(kind, body, started), script, entry, started=started)
