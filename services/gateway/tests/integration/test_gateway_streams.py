"""Streaming both ways: uploads are limited while they stream in; session events stream out."""

from __future__ import annotations

import asyncio
import json
import os
import tracemalloc
from collections.abc import AsyncIterator

import httpx
import pytest
import uvicorn
from gateway_testkit import Gateway, WorkerDouble, bearer, gateway_settings, session_form

from careerflow_gateway.app import create_app
from careerflow_messaging import Topology

pytestmark = [pytest.mark.database, pytest.mark.broker]

MIB = 1024 * 1024


def _multipart_head(boundary: str) -> bytes:
    return (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="job_description"\r\n\r\nPython\r\n'
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="target_role"\r\n\r\nDev\r\n'
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="resume"; filename="resume.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n%PDF-"
    ).encode()


async def test_an_oversized_upload_is_refused_without_being_held_in_memory(
    gateway: Gateway,
) -> None:
    block = os.urandom(64 * 1024)
    boundary = "careerflowboundary"

    async def body() -> AsyncIterator[bytes]:
        yield _multipart_head(boundary)
        for _ in range(64 * MIB // len(block)):  # 64 MiB, with no Content-Length (chunked)
            yield block
        yield f"\r\n--{boundary}--\r\n".encode()

    headers = {**bearer("alice"), "Content-Type": f"multipart/form-data; boundary={boundary}"}
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before, _ = tracemalloc.get_traced_memory()
        response = await gateway.client.post("/v1/sessions", headers=headers, content=body())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 413
    # The gateway keeps at most the 5 MiB a resume may have before it refuses the rest.
    assert peak - before < 7 * MIB, f"peak grew by {(peak - before) / MIB:.1f} MiB"

    six_mib = session_form(b"%PDF-" + os.urandom(6 * MIB))
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before, _ = tracemalloc.get_traced_memory()
        response = await gateway.client.post("/v1/sessions", headers=bearer("alice"), **six_mib)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 413
    # Refused on its Content-Length, before the body is read at all.
    assert peak - before < 2 * MIB, f"peak grew by {(peak - before) / MIB:.1f} MiB"


async def _serve(app: object) -> AsyncIterator[str]:
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))  # type: ignore[arg-type]
    task = asyncio.create_task(server.serve())
    while not server.started:
        assert not task.done(), "uvicorn did not start"
        await asyncio.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


async def test_session_events_stream_every_status_until_completed(
    database_url: str, amqp_url: str, topology: Topology, workers: WorkerDouble
) -> None:
    app = create_app(gateway_settings(database_url, amqp_url), topology=topology)
    workers.gates["questions.requested"] = asyncio.Event()
    async for base_url in _serve(app):
        async with httpx.AsyncClient(base_url=base_url, timeout=20) as client:
            alice = bearer("alice")
            created = await client.post("/v1/sessions", headers=alice, **session_form())
            sid = created.json()["id"]
            statuses: list[str] = []

            async def answer_when_ready(
                view: dict[str, object], sid: str = sid, alice: dict[str, str] = alice
            ) -> None:
                for question in view["questions"]:  # type: ignore[attr-defined]
                    response = await client.post(
                        f"/v1/sessions/{sid}/answers",
                        headers=alice,
                        json={"question_id": question["id"], "text": "An answer."},
                    )
                    assert response.status_code == 202

            async with asyncio.timeout(30):
                async with client.stream(
                    "GET", f"/v1/sessions/{sid}/events", headers=alice
                ) as stream:
                    assert stream.status_code == 200
                    assert stream.headers["content-type"].startswith("text/event-stream")
                    async for line in stream.aiter_lines():
                        if not line.startswith("data: "):
                            continue
                        view = json.loads(line.removeprefix("data: "))
                        if not statuses or statuses[-1] != view["status"]:
                            statuses.append(view["status"])
                        if view["status"] == "generating":
                            workers.gates["questions.requested"].set()
                        if view["status"] == "ready":
                            await answer_when_ready(view)
            # The stream ended by itself after the completed view.
            assert statuses[0] == "parsing"
            assert statuses[-1] == "completed"
            assert ["generating", "ready", "in_progress"] == [
                s for s in statuses if s in {"generating", "ready", "in_progress"}
            ]

            missing = await client.get(f"/v1/sessions/{sid}/events", headers=bearer("bob"))
            assert missing.status_code == 404
