"""The browser suite (``web/e2e``: Playwright driving Debian's Chromium) against the whole system.

The system is started as for the other system tests (``tests/e2e/system.py``): the four services
as processes on free ports, a fresh database, an exchange and queues of their own, the real
RabbitMQ and Postgres, and the gateway serving the built app (``web/dist``). The model is the
fake Ollama, a real HTTP server on an ephemeral port, answering as a good model would; it runs
in this process because only here can it compute an answer from each request (a fake started
as its own process answers every call with one fixed body). The specs switch it between down
and healthy over its HTTP control routes (``POST /_fake/behaviour``).

Then ``playwright test`` runs in ``web/`` with the gateway's address (``CAREERFLOW_URL``) and
the fake's (``CAREERFLOW_FAKE_MODEL_URL``); its output is streamed here, and this test fails
when Playwright does. The run's screenshots land in ``web/test-results/screens/``, the
measured figures of issue 13 in ``web/test-results/figures.json``, the HTML report in
``web/playwright-report/``. ``CAREERFLOW_PLAYWRIGHT_ARGS`` passes more arguments (``-g measure``).

``make test`` installs, checks and builds the app and makes sure Chromium is there before
pytest runs; run alone, this test fails with the command that supplies what is missing.
"""

from __future__ import annotations

import asyncio
import json
import os
import shlex
import signal
import sys
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from model_answers import realistic_answer

from careerflow_testing.fake_ollama import FakeOllama

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.broker,
    pytest.mark.database,
    pytest.mark.slow,
    pytest.mark.timeout(1200),
]

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
DIST = WEB / "dist"
PLAYWRIGHT = WEB / "node_modules" / ".bin" / "playwright"
RESULTS = WEB / "test-results"
SUITE_TIMEOUT_S = 900.0

WORKERS = {
    # Generous per-call limits: a loaded machine must not turn the healthy model into fallbacks.
    "OLLAMA_TIMEOUT_S": "20",
    "OLLAMA_READ_TIMEOUT_S": "20",
    "OLLAMA_CONNECT_TIMEOUT_S": "2",
    # The specs turn the model down and up again within seconds; a breaker that waits its usual
    # 30 s before trying the model again would turn the next healthy interview into fallbacks.
    # With no wait, the first call after a failure is a probe.
    "BREAKER_WAIT_OPEN_S": "0",
}

SCREENS = (
    "sign-in",
    "sign-up",
    "new-interview",
    "preparing",
    "interview-room",
    "interview-room-feedback",
    "report",
    "history",
    "account",
    "not-found",
)
"""Every screen of the app, photographed (and checked by axe-core) in both projects."""


def _sources() -> Iterator[Path]:
    """What web/dist is built from (the component tests aside)."""
    for folder in (WEB / "src", WEB / "public"):
        for path in folder.rglob("*"):
            if path.is_file() and ".test." not in path.name and "test" not in path.parts:
                yield path
    for name in ("index.html", "vite.config.ts", "package.json", "package-lock.json"):
        yield WEB / name
    for name in ("resume.pdf", "job-description.txt", "target-role.txt"):
        yield ROOT / "samples" / name


def _missing_prerequisite() -> str | None:
    """Why the suite cannot run here, with the command that fixes it; None when it can."""
    chromium = Path(os.environ.get("CAREERFLOW_CHROMIUM", "/usr/bin/chromium"))
    if not PLAYWRIGHT.exists():
        return f"{PLAYWRIGHT} is missing: run `make web` (npm ci in web/ from its lock file)"
    if not (DIST / "index.html").exists():
        return "web/dist is not built: run `make web`"
    built = (DIST / "index.html").stat().st_mtime
    newer = sorted(str(p.relative_to(WEB)) for p in _sources() if p.stat().st_mtime > built)
    if newer:
        return f"web/dist is older than {', '.join(newer[:5])}: run `make web` to rebuild it"
    if not os.access(chromium, os.X_OK):
        return (
            f"no Chromium at {chromium}: run `make browser` (installs Debian's chromium as "
            "root) or set CAREERFLOW_CHROMIUM to a Chromium build"
        )
    return None


async def _run_streamed(
    command: list[str], env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> tuple[int, list[str]]:
    """Run ``command`` in web/, echo its output live (past pytest's capture), return its exit
    code and its last lines; kill its whole process group (Chromium included) on a timeout."""
    process = await asyncio.create_subprocess_exec(
        *command,
        cwd=WEB,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        start_new_session=True,
    )
    assert process.stdout is not None
    tail: deque[str] = deque(maxlen=80)

    async def pump() -> None:
        assert process.stdout is not None
        async for raw in process.stdout:
            line = raw.decode(errors="replace").rstrip()
            tail.append(line)
            with capsys.disabled():
                sys.stdout.write(f"  playwright | {line}\n")
                sys.stdout.flush()

    try:
        async with asyncio.timeout(SUITE_TIMEOUT_S):
            await pump()
            code = await process.wait()
    except TimeoutError:
        os.killpg(process.pid, signal.SIGKILL)
        await process.wait()
        tail.append(f"(killed: the browser suite ran over {SUITE_TIMEOUT_S:g} s)")
        code = -1
    return code, list(tail)


def _figures() -> dict[str, Any]:
    path = RESULTS / "figures.json"
    return json.loads(path.read_text()) if path.exists() else {}


async def test_browser_suite(start_system: Any, capsys: pytest.CaptureFixture[str]) -> None:
    missing = _missing_prerequisite()
    assert missing is None, missing

    with FakeOllama() as fake:
        fake.set_responder(realistic_answer)
        system = await start_system(
            fake.url,
            worker_env=WORKERS,
            service_env={"gateway": {"WEB_DIR": str(DIST)}},
        )
        env = {
            **os.environ,
            "CAREERFLOW_URL": system.gateway_url,
            "CAREERFLOW_FAKE_MODEL_URL": fake.url,
            "FORCE_COLOR": "0",
        }
        extra = shlex.split(os.environ.get("CAREERFLOW_PLAYWRIGHT_ARGS", ""))
        code, tail = await _run_streamed([str(PLAYWRIGHT), "test", *extra], env, capsys)

        logs = "\n".join(f"--- {name}\n{system.tail(name, 15)}" for name in system.processes)
        assert code == 0, (
            f"the browser suite failed (exit {code}); web/playwright-report/ has each failure's "
            "screenshot and trace\n" + "\n".join(tail) + "\n" + logs
        )

    figures = _figures()
    with capsys.disabled():
        sys.stdout.write(f"  browser figures: {json.dumps(figures, sort_keys=True)}\n")
    if not extra:
        shot = {path.stem for path in (RESULTS / "screens").glob("*.png")}
        unshot = [
            f"{project}-{screen}"
            for project in ("desktop", "phone")
            for screen in SCREENS
            if f"{project}-{screen}" not in shot
        ]
        assert not unshot, f"screens never photographed (nor checked by axe-core): {unshot}"
        assert "first_load_js_gzip_bytes" in figures and "start_to_first_question" in figures
