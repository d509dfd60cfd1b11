"""Run CareerFlow locally as processes: the four services, logs interleaved and labelled.

Used by ``make run`` after ``make services`` has made sure RabbitMQ and Postgres answer. Creates
the database when missing, applies the migrations (``gateway migrate``), starts every service,
waits for each ``/readyz``, then prints the URLs, a development token and an example. Ctrl-C (or
SIGTERM), during start-up too, stops every service with SIGTERM and waits for them to finish
their in-flight work.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import shutil
import signal
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parents[1]
SERVICES = {"gateway": 8000, "resume-parser": 8001, "question-gen": 8002, "evaluator": 8003}
COLOURS = ["\033[36m", "\033[33m", "\033[35m", "\033[32m"]
RESET = "\033[0m"
READY_TIMEOUT_S = 60.0


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


SECRET_FILE = ROOT / ".run" / "jwt-secret"


def _jwt_secret() -> str:
    """One development secret kept across runs, so tokens (and ``make demo``) keep working."""
    if SECRET_FILE.exists():
        return SECRET_FILE.read_text().strip()
    SECRET_FILE.parent.mkdir(exist_ok=True)
    secret = secrets.token_urlsafe(32)
    SECRET_FILE.write_text(secret)
    SECRET_FILE.chmod(0o600)
    return secret


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
    env.setdefault("DATABASE_URL", "postgresql://postgres:postgres@127.0.0.1:5432/careerflow")
    env.setdefault("OLLAMA_URL", "http://127.0.0.1:11434")
    # A service with no environment set is in production: make run asks for development.
    for prefix in ("GATEWAY", "RESUME_PARSER", "QUESTION_GEN", "EVALUATOR"):
        env.setdefault(f"{prefix}_ENVIRONMENT", "development")
    env.setdefault("GATEWAY_JWT_SECRET", _jwt_secret())  # 43 characters: 32 random bytes
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


async def _create_database(url: str) -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "careerflow"
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    connection = await asyncpg.connect(admin_url)
    try:
        exists = await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            await connection.execute(f'CREATE DATABASE "{name}"')
            _out(f"run: created database {name}")
    finally:
        await connection.close()


async def _pump(name: str, colour: str, stream: asyncio.StreamReader) -> None:
    label = f"{colour}{name:>13}{RESET} | "
    while line := await stream.readline():
        sys.stdout.write(label + line.decode(errors="replace"))
        sys.stdout.flush()


async def _wait_ready(name: str, port: int, process: asyncio.subprocess.Process) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    async with httpx.AsyncClient(timeout=1.0) as client:
        while time.monotonic() < deadline:
            if process.returncode is not None:
                raise RuntimeError(f"{name} exited with {process.returncode} before it was ready")
            try:
                if (await client.get(f"http://127.0.0.1:{port}/readyz")).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.3)
    raise RuntimeError(f"{name} was not ready within {READY_TIMEOUT_S:g} s")


def _port(env: dict[str, str], name: str) -> int:
    """The port ``name`` listens on: its ``<PREFIX>_PORT`` when set (as the service reads it)."""
    return int(env.get(f"{name.upper().replace('-', '_')}_PORT") or SERVICES[name])


def _banner(env: dict[str, str], token: str) -> None:
    # The sample of the repository's own making, named as the user can type it from here.
    samples = ROOT / "samples"
    if Path.cwd() == ROOT:
        samples = Path("samples")
    ollama = env["OLLAMA_URL"]
    _out("")
    _out("CareerFlow is up.")
    for name in SERVICES:
        _out(f"  {name:<14} http://127.0.0.1:{_port(env, name)}  (/health, /metrics)")
    api = f"http://127.0.0.1:{_port(env, 'gateway')}"
    _out(f"  API docs       {api}/docs")
    _out(f"  Ollama         {ollama} (optional: without it every stage falls back and says so)")
    _out("")
    _out("Try it (token valid 24 h):")
    _out(f"  export TOKEN={token}")
    _out(
        '  curl -s -H "Authorization: Bearer $TOKEN" '
        f"-F resume=@{samples / 'resume.pdf'} -F target_role='Senior Backend Engineer' "
        f"-F job_description='<{samples / 'job-description.txt'}' "
        f"{api}/v1/sessions | tee /tmp/session.json"
    )
    _out(
        '  sleep 3; curl -s -H "Authorization: Bearer $TOKEN" '
        f"{api}/v1/sessions/$(python3 -c "
        '\'import json;print(json.load(open("/tmp/session.json"))["id"])\') '
        "| python3 -m json.tool"
    )
    url = "" if api == "http://127.0.0.1:8000" else f"CAREERFLOW_URL={api} "
    _out(f"Or a whole interview with the sample, in another terminal: {url}make demo")
    _out("Ctrl-C stops everything.")
    _out("")


async def _stop(processes: dict[str, asyncio.subprocess.Process]) -> None:
    for process in processes.values():
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
    try:
        async with asyncio.timeout(30):
            await asyncio.gather(*(p.wait() for p in processes.values()))
    except TimeoutError:
        for process in processes.values():
            if process.returncode is None:
                process.kill()


async def main() -> int:
    env = _environment()
    await _create_database(env["DATABASE_URL"])
    gateway = shutil.which("gateway") or "gateway"
    migrate = await asyncio.create_subprocess_exec(gateway, "migrate", env=env)
    if await migrate.wait() != 0:
        _out("run: migrations failed")
        return 1
    processes: dict[str, asyncio.subprocess.Process] = {}
    pumps = []
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        for (name, _), colour in zip(SERVICES.items(), COLOURS, strict=True):
            process = await asyncio.create_subprocess_exec(
                shutil.which(name) or name,
                env=env,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C reaches us only; we stop them in order
            )
            processes[name] = process
            assert process.stdout is not None
            pumps.append(asyncio.create_task(_pump(name, colour, process.stdout)))
        # The services run in sessions of their own, so Ctrl-C reaches only us: watch for it
        # while they start, not only once they are ready.
        stopping: asyncio.Task[Any] = asyncio.create_task(stop.wait())
        starting: asyncio.Future[Any] = asyncio.gather(
            *(_wait_ready(n, _port(env, n), p) for n, p in processes.items())
        )
        await asyncio.wait([starting, stopping], return_when=asyncio.FIRST_COMPLETED)
        if not starting.done():
            starting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await starting
            return 0
        starting.result()  # raises the RuntimeError of a service that did not start
        minted = await asyncio.create_subprocess_exec(
            gateway, "token", "--user", "alice", env=env, stdout=asyncio.subprocess.PIPE
        )
        token = (await minted.communicate())[0].decode().strip()
        _banner(env, token)
        exits = [asyncio.create_task(p.wait()) for p in processes.values()]
        await asyncio.wait([stopping, *exits], return_when=asyncio.FIRST_COMPLETED)
        crashed = [n for n, p in processes.items() if p.returncode is not None]
        if crashed:
            _out(f"run: {', '.join(crashed)} exited; stopping the rest")
        return 1 if crashed else 0
    except RuntimeError as exc:
        _out(f"run: {exc}")
        return 1
    finally:
        _out("run: stopping the services")
        await _stop(processes)
        if pumps:  # the services' last lines, then stop reading what a stuck pipe holds
            await asyncio.wait(pumps, timeout=2)
        for pump in pumps:
            pump.cancel()


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
