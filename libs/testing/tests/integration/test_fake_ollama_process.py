"""The fake Ollama as a process (the ``fake-ollama`` console script), steered over HTTP."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest

CHAT = {"model": "phi3:mini", "messages": [{"role": "user", "content": "hi"}], "stream": False}


@pytest.fixture
def process_url() -> Iterator[str]:
    command = [
        sys.executable,
        "-c",
        "from careerflow_testing.fake_ollama import main; main()",
        *("--port", "0", "--model", "phi3:mini", "--behaviour", "error_500"),
    ]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stderr is not None
        first_line = process.stderr.readline()
        found = re.search(r"http://127\.0\.0\.1:\d+", first_line)
        assert found, f"no address in {first_line!r}"
        yield found.group(0)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=5) == 0
        assert process.stderr.read() == ""  # one line at start, nothing else
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_the_process_is_steered_over_http(process_url: str) -> None:
    with httpx.Client(base_url=process_url, timeout=5.0) as http:
        assert http.post("/api/chat", json=CHAT).status_code == 500  # --behaviour error_500
        assert [m["name"] for m in http.get("/api/tags").json()["models"]] == ["phi3:mini"]

        steer = {"behaviour": "healthy", "content": {"ok": True}, "delay_s": 0.1}
        assert http.post("/_fake/behaviour", json=steer).status_code == 200
        once = {"behaviour": "busy_503", "once": True}
        assert http.post("/_fake/behaviour", json=once).status_code == 200
        assert http.post("/api/chat", json=CHAT).status_code == 503  # the one-shot first
        answer = http.post("/api/chat", json=CHAT).json()
        assert answer["message"]["content"] == '{"ok": true}'

        recorded = http.get("/_fake/requests").json()["requests"]
        assert [(r["path"], r["behaviour"]) for r in recorded] == [
            ("/api/chat", "error_500"),
            ("/api/tags", None),
            ("/api/chat", "busy_503"),
            ("/api/chat", "healthy"),
        ]
        assert recorded[0]["body"] == CHAT

        assert http.post("/_fake/behaviour", json={"behaviour": "nonsense"}).status_code == 400
        assert http.post("/_fake/reset").status_code == 204
        assert http.get("/_fake/requests").json() == {"requests": []}
