"""``make bench``: the system's figures against their floors, each scenario a section of
docs/benchmarks.md.

``burst``: sessions per second and time from upload to ready, for the model down, hanging and
healthy at a fixed latency, against the floors of the same machine. Each of the three starts the
four services as processes (the end-to-end harness in tests/e2e) on a fresh database and
topology, against the in-process fake Ollama, and uploads a burst of sessions (``--parallel``
uploads at a time). A poller lists the sessions every 0.1 s and notes when each is first ready.
In the same run, the floors: bare text extraction of the same resumes (python-docx, in this
process) and a bare publish/consume round trip on the same broker (aio-pika, publisher
confirms, one message at a time).

``down``: the model down only, at ``--clients`` (8) concurrent clients, in ``--rounds`` (3)
rounds of its own (a fresh system each): the path a session takes when no model is involved,
which the gateway's own work (its outbox relay, its results intake) bounds. Beside it, in the
same run, the same floors and the bare broker's confirmed publishes per second, one confirm
awaited before the next publish and a batch's confirms in flight together; after each burst,
the outbox relay of the same code drains a backlog alone (scripts/bench_relay.py).

``laptop`` and ``gpu``: interviews against a model working at a laptop CPU's or a GPU's speed,
timed from the client's side beside the model's own time for the same work
(``bench_model_speed``).

``--scenarios`` runs some of them (``make bench SCENARIOS=laptop,gpu``); the sections of the
others stay in the file as they were, each saying when and at which commit it was measured.

    uv run python scripts/bench.py [--scenarios burst,down,laptop,gpu] [--sessions 50]
        [--clients 8] [--rounds 3] [--interviews 2] [--output docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import math
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import ExitStack, asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import aio_pika
import docx
import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from bench_model_speed import (  # noqa: E402
    STARTUP_TIMEOUT_S,
    render_speed_section,
    run_speed_scenario,
)
from candidate import create_session, resume_docx  # noqa: E402
from model_answers import realistic_answer  # noqa: E402
from system import RunningSystem  # noqa: E402

from careerflow_testing.fake_ollama import (  # noqa: E402
    GPU,
    LAPTOP_CPU,
    Behaviour,
    FakeOllama,
    refused_url,
)
from careerflow_testing.infrastructure import (  # noqa: E402
    DEFAULT_AMQP_URL,
    DEFAULT_DATABASE_URL,
    fresh_database,
)

# The same servers the test suite uses (see careerflow_testing.infrastructure).
AMQP_URL = os.environ.get("CAREERFLOW_TEST_AMQP_URL", DEFAULT_AMQP_URL)
POSTGRES_URL = os.environ.get("CAREERFLOW_TEST_DATABASE_URL", DEFAULT_DATABASE_URL)
HANG_TIMEOUT_S = 2.0
SLOTS, LATENCY_S = 4, 0.5
ALONE = 10
READY_TIMEOUT_S = 600.0
UPLOAD_ATTEMPTS = 3
RELAY_ROWS = 400
"""The backlog the outbox relay drains alone after each burst of the ``down`` scenario."""
FAST_FALLBACK = {"OLLAMA_CONNECT_TIMEOUT_S": "1", "BREAKER_WAIT_OPEN_S": "600"}
"""Worker settings of the failing-model bursts: a refused call fails within a second, and an
opened breaker stays open for the whole burst."""
SECTIONS = ("burst", "down", "laptop", "gpu")
"""The scenarios ``--scenarios`` chooses from, in the order of their sections in the file."""
SPEED_SCENARIOS = {
    "laptop": ("Laptop CPU: time to the first question, the set and an evaluation", LAPTOP_CPU),
    "gpu": ("GPU: time to the first question, the set and an evaluation", GPU),
}


@dataclass
class Scenario:
    """One burst's figures: per-session seconds from upload to ready, and the burst's span."""

    name: str
    model: str
    to_ready: list[float] = field(default_factory=list)
    span_s: float = 0.0
    fallback_sessions: int = 0
    alone: list[float] = field(default_factory=list)
    """Seconds to ready of sessions uploaded one at a time after the burst (no queue ahead)."""

    @property
    def sessions_per_s(self) -> float:
        return len(self.to_ready) / self.span_s if self.span_s else 0.0

    def percentile(self, p: float) -> float:
        """Nearest-rank percentile: the smallest value with at least ``p`` % at or below it."""
        ordered = sorted(self.to_ready)
        return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))]


# -- the system under load ---------------------------------------------------------------------


@asynccontextmanager
async def started_system(
    ollama_url: str,
    worker_env: dict[str, str],
    service_env: dict[str, dict[str, str]] | None = None,
) -> AsyncIterator[RunningSystem]:
    """The four services started on a fresh database, stopped after the block."""
    async with fresh_database(POSTGRES_URL, "cf_bench") as database_url:
        system = RunningSystem(
            amqp_url=AMQP_URL,
            database_url=database_url,
            ollama_url=ollama_url,
            log_dir=Path(tempfile.mkdtemp(prefix="careerflow-bench-")),
            worker_env=worker_env,
            service_env=service_env or {},
        )
        try:
            # Inside: a service that failed to start is stopped too.
            await system.start(ready_timeout_s=STARTUP_TIMEOUT_S)
            yield system
        finally:
            await system.stop()


async def run_burst(
    scenario: Scenario,
    ollama_url: str,
    sessions: int,
    parallel: int,
    worker_env: dict[str, str],
    service_env: dict[str, dict[str, str]] | None = None,
) -> Scenario:
    async with started_system(ollama_url, worker_env, service_env) as system:
        await _measure(system, scenario, sessions, parallel)
    return scenario


async def _measure(system: RunningSystem, scenario: Scenario, sessions: int, parallel: int) -> None:
    uploaded: dict[str, float] = {}
    ready: dict[str, float] = {}
    gate = asyncio.Semaphore(parallel)
    async with system.client(timeout_s=60.0) as client:

        async def upload(index: int) -> None:
            async with gate:
                started = time.monotonic()
                document, key = resume_docx(f"Candidate {index}"), str(uuid.uuid4())
                for attempt in range(1, UPLOAD_ATTEMPTS + 1):
                    try:
                        # The same key again: the gateway answers with the session it made.
                        view = await create_session(client, document, idempotency_key=key)
                        break
                    except httpx.TransportError:
                        # A kept-alive connection closed as it was reused (on a loaded machine):
                        # sent again, the time from the first attempt still counts.
                        if attempt == UPLOAD_ATTEMPTS:
                            raise
                uploaded[str(view["id"])] = started

        async def poll() -> None:
            while len(ready) < sessions:
                params: dict[str, str | int] = {"limit": 100}
                while True:  # every page: a burst may be larger than one
                    try:
                        page = (await client.get("/v1/sessions", params=params)).json()
                    except httpx.TransportError:
                        # A kept-alive connection the gateway closed as it was reused (seen on
                        # a loaded machine): the next poll asks again; it is not a figure.
                        await asyncio.sleep(0.1)
                        continue
                    now = time.monotonic()
                    for item in page["items"]:
                        if item["status"] == "ready" and item["id"] not in ready:
                            ready[item["id"]] = now
                    if not page["next_cursor"]:
                        break
                    params["cursor"] = page["next_cursor"]
                await asyncio.sleep(0.1)

        began = time.monotonic()
        poller = asyncio.create_task(poll())
        try:
            await asyncio.gather(*(upload(i) for i in range(sessions)))
            await asyncio.wait_for(poller, timeout=READY_TIMEOUT_S)
        finally:
            poller.cancel()
        scenario.span_s = max(ready.values()) - began
        scenario.to_ready = [ready[sid] - uploaded[sid] for sid in uploaded]
        for sid in uploaded:
            view = (await client.get(f"/v1/sessions/{sid}")).json()
            if view["profile"]["source"] == "fallback" or any(
                q["source"] == "fallback" for q in view["questions"]
            ):
                scenario.fallback_sessions += 1
        # Then sessions one at a time: time to ready without a backlog in front of them.
        for index in range(ALONE):
            started = time.monotonic()
            view = await create_session(client, resume_docx(f"Alone {index}"))
            async with asyncio.timeout(READY_TIMEOUT_S):
                while (await client.get(f"/v1/sessions/{view['id']}")).json()["status"] != "ready":
                    await asyncio.sleep(0.02)
            scenario.alone.append(time.monotonic() - started)


# -- the floors --------------------------------------------------------------------------------


def extraction_floor(sessions: int) -> tuple[float, float]:
    """Resumes per second and median seconds to pull the text out of the same DOCX resumes."""
    documents = [resume_docx(f"Candidate {i}") for i in range(sessions)]
    times: list[float] = []
    for document in documents:
        started = time.perf_counter()
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(document)).paragraphs)
        times.append(time.perf_counter() - started)
        assert text
    return len(times) / sum(times), statistics.median(times)


async def broker_floor(rounds: int = 200) -> tuple[float, float]:
    """Round trips per second and median seconds: publish one persistent message with confirms
    to a quorum queue, consume it, ack it, one at a time."""
    connection = await aio_pika.connect(AMQP_URL)
    try:
        channel = await connection.channel(publisher_confirms=True)
        queue = await channel.declare_queue(
            f"bench.floor.{uuid.uuid4().hex[:8]}",
            durable=True,
            arguments={"x-queue-type": "quorum"},
        )
        received: asyncio.Queue[aio_pika.abc.AbstractIncomingMessage] = asyncio.Queue()
        await queue.consume(received.put)
        times: list[float] = []
        body = b"x" * 2048
        for _ in range(rounds):
            started = time.perf_counter()
            await channel.default_exchange.publish(
                aio_pika.Message(body, delivery_mode=aio_pika.DeliveryMode.PERSISTENT),
                routing_key=queue.name,
            )
            message = await received.get()
            await message.ack()
            times.append(time.perf_counter() - started)
        await queue.delete(if_unused=False, if_empty=False)
    finally:
        await connection.close()
    return len(times) / sum(times), statistics.median(times)


async def confirm_floor(batch: int, rounds: int = 50) -> tuple[float, float]:
    """Confirmed publishes per second to a quorum queue (persistent, mandatory, 2 KiB), in
    batches of ``batch``: each confirm awaited before the next publish, and a batch's confirms
    in flight together (aio-pika returns an awaitable per publish; they are gathered)."""
    connection = await aio_pika.connect(AMQP_URL)
    try:
        channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
        queue = await channel.declare_queue(
            f"bench.confirms.{uuid.uuid4().hex[:8]}",
            durable=True,
            arguments={"x-queue-type": "quorum"},
        )
        body = b"x" * 2048

        def publish() -> Awaitable[object]:
            return channel.default_exchange.publish(
                aio_pika.Message(body, delivery_mode=aio_pika.DeliveryMode.PERSISTENT),
                routing_key=queue.name,
                mandatory=True,
            )

        async def one_at_a_time() -> None:
            for _ in range(batch):
                await publish()

        async def together() -> None:
            await asyncio.gather(*(publish() for _ in range(batch)))

        rates: list[float] = []
        for send in (one_at_a_time, together):
            started = time.perf_counter()
            for _ in range(rounds):
                await send()
            rates.append(batch * rounds / (time.perf_counter() - started))
            await queue.purge()
        await queue.delete(if_unused=False, if_empty=False)
    finally:
        await connection.close()
    return rates[0], rates[1]


# -- the report --------------------------------------------------------------------------------


def machine() -> str:
    model = "unknown CPU"
    with _quietly(), open("/proc/cpuinfo") as cpuinfo:
        model = next(line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line)
    memory = "unknown"
    with _quietly(), open("/proc/meminfo") as meminfo:
        kib = int(next(line.split()[1] for line in meminfo if line.startswith("MemTotal")))
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    return f"{os.cpu_count()} cores ({model}), {memory} memory, {platform.platform()}"


def code_version() -> str:
    """The commit measured, and the files of libs/ and services/ that differed from it: the
    services run from the working tree, so its uncommitted changes are measured too."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        # Only the line ends: a status line begins with a meaningful space.
        return done.stdout.rstrip("\n") if done.returncode == 0 else ""

    commit = git("rev-parse", "--short", "HEAD").strip() or "an unknown commit"
    changed = git("status", "--porcelain", "--", "libs", "services").splitlines()
    if not changed:
        return f"commit {commit}"
    paths = [line[3:] for line in changed]
    shown = ", ".join(f"`{path}`" for path in paths[:6])
    more = f" and {len(paths) - 6} more" if len(paths) > 6 else ""
    return f"commit {commit}, with uncommitted changes to {shown}{more}"


def measured_on(code: str | None = None) -> str:
    """When, at which code (``code``, else the working tree's) and on what machine a section
    was measured."""
    code = code or code_version()
    return f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC at {code}; machine: {machine()}"


HEADER = """# Benchmarks

Made by `make bench`, that is `uv run python scripts/bench.py`: each section below is one
scenario, rerun on its own with `make bench SCENARIOS=<name>` (`burst`, `down`, `laptop`,
`gpu`, or several, comma-separated), which rewrites only its section. Each says when, at which
commit and on what machine it was measured. The model is always the fake Ollama (in the benchmark's
process): these figures measure CareerFlow around a model, not a real model's quality."""


def compose(existing: str | None, sections: dict[str, str]) -> str:
    """The whole file: the header, then each section, the one just measured if there is one,
    else the one of ``existing`` (the file as it was) if it had one. A section's hand-written
    reading (``<!-- bench:laptop-notes -->``, dated, since a rerun does not touch it) stays
    after its section."""
    kept = dict(
        re.findall(r"<!-- bench:([\w-]+) -->\n(.*?)\n<!-- /bench:\1 -->", existing or "", re.S)
    )
    parts = [HEADER]
    for name in SECTIONS:
        for part, body in ((name, sections.get(name, kept.get(name))), (f"{name}-notes", None)):
            body = body or kept.get(part)
            if body:
                parts.append(f"<!-- bench:{part} -->\n{body.strip()}\n<!-- /bench:{part} -->")
    return "\n\n".join(parts) + "\n"


@contextmanager
def _quietly() -> Iterator[None]:
    try:
        yield
    except (OSError, StopIteration, ValueError):
        pass


def render(
    scenarios: list[Scenario],
    extraction: tuple[float, float],
    broker: tuple[float, float],
    args: argparse.Namespace,
    hang_early: list[float],
    hang_late: list[float],
) -> str:
    rows = [
        f"| {s.name} | {s.model} | {s.sessions_per_s:.2f} | {s.percentile(50):.2f} | "
        f"{s.percentile(95):.2f} | {s.percentile(99):.2f} | "
        f"{s.fallback_sessions}/{len(s.to_ready)} | {statistics.median(s.alone):.2f} |"
        for s in scenarios
    ]
    by_name = {s.name: s for s in scenarios}
    down, hang = by_name["model down"], by_name["model hanging"]
    extraction_rate, extraction_p50 = extraction
    broker_rate, broker_p50 = broker
    ratios = [
        f"| {s.name} | {s.sessions_per_s / extraction_rate:.3f} | "
        f"{statistics.median(s.alone) / (4 * broker_p50):.0f}x |"
        for s in scenarios
    ]
    early = statistics.median(hang_early) if hang_early else float("nan")
    late = statistics.median(hang_late) if hang_late else float("nan")
    return f"""## Bursts: model down, hanging, healthy at a fixed latency

Made by `{args.command}` on {args.measured_on}.

RabbitMQ and PostgreSQL are local; the four services run as processes;
the model is the fake Ollama (in the benchmark's process), so these figures measure CareerFlow's
own overhead and its behaviour around a failing model, not a real model's speed.

Each scenario: {args.sessions} sessions uploaded, {args.parallel} at a time, each a one-page DOCX
resume; "to ready" is from the start of a session's upload to the first poll (every 0.1 s) that
sees it `ready`; sessions/s is the burst's sessions over the time from the first upload to the
last ready.

### Upload to ready

| scenario | model | sessions/s | p50 s | p95 s | p99 s | with a fallback | alone, p50 s |
|---|---|---|---|---|---|---|---|
{chr(10).join(rows)}

- model down: the URL refuses connections (`connection_error`, then `breaker_open`).
- model hanging: accepts and never answers; each worker cuts the call at {HANG_TIMEOUT_S:g} s
  (`timeout`) until its breaker opens after 5 failed calls, then falls back at once.
- healthy: {SLOTS} calls at a time, {LATENCY_S:g} s each (capacity {SLOTS / LATENCY_S:g} calls/s,
  2 calls a session, so at most {SLOTS / LATENCY_S / 2:g} sessions/s); resume-parser and
  question-gen prefetch 2 each, so their calls never queue inside the model.

"alone": after the burst, {ALONE} sessions uploaded one at a time, each waited for (polled every
0.02 s): time to ready with no backlog in front.

With the model hanging, the burst pays for the timeouts until the breakers open: the first 10
sessions took a median {early:.2f} s to ready, the rest, which mostly met open breakers but
waited behind the first in the queues, {late:.2f} s. Once the breakers are open and nothing is
queued, a session alone is ready in a median {statistics.median(hang.alone):.2f} s, against
{statistics.median(down.alone):.2f} s with the model down: the same path, the fallback at once.

### Floors on the same machine

| floor | per second | median s |
|---|---|---|
| bare text extraction of the same resumes (python-docx, one process) | {extraction_rate:.0f} \
| {extraction_p50 * 1000:.2f} ms |
| bare publish (confirmed, persistent, quorum queue) and consume round trip | {broker_rate:.0f} \
| {broker_p50 * 1000:.2f} ms |

### Ratios

| scenario | sessions/s over extraction's resumes/s | alone p50 to ready over 4 round trips |
|---|---|---|
{chr(10).join(ratios)}

A session on its way to ready crosses the broker four times (resume.submitted, resume.parsed,
questions.requested, questions.generated) and is read, parsed and written by the gateway at
each step; the second ratio is how far above that bare messaging floor the whole path is.
"""


async def run_bursts(args: argparse.Namespace, log: Callable[[str], None]) -> str:
    """The three bursts and the floors; their section."""
    args.measured_on = measured_on()  # the code the services start from
    fast = FAST_FALLBACK
    scenarios: list[Scenario] = []

    log("bench: model down")
    scenarios.append(
        await run_burst(
            Scenario("model down", "refused"),
            refused_url(),
            args.sessions,
            args.parallel,
            {**fast, "PREFETCH": "4"},
        )
    )
    log("bench: model hanging")
    with FakeOllama() as fake:
        fake.set_behaviour(Behaviour.HANG)
        hanging = {
            **fast,
            "PREFETCH": "4",
            "OLLAMA_TIMEOUT_S": str(HANG_TIMEOUT_S),
            "OLLAMA_READ_TIMEOUT_S": str(HANG_TIMEOUT_S),
        }
        hang = await run_burst(
            Scenario("model hanging", f"hangs, cut at {HANG_TIMEOUT_S:g} s"),
            fake.url,
            args.sessions,
            args.parallel,
            hanging,
        )
        scenarios.append(hang)
    log("bench: model healthy at a fixed latency")
    with FakeOllama(max_concurrency=SLOTS, latency_s=LATENCY_S) as fake:
        fake.set_responder(realistic_answer)
        scenarios.append(
            await run_burst(
                Scenario("model healthy", f"{SLOTS} at a time, {LATENCY_S:g} s a call"),
                fake.url,
                args.sessions,
                args.parallel,
                {"OLLAMA_TIMEOUT_S": "30", "BREAKER_SLOW_CALL_S": str(3 * LATENCY_S)},
                {"resume-parser": {"PREFETCH": "2"}, "question-gen": {"PREFETCH": "2"}},
            )
        )
    log("bench: floors")
    extraction = extraction_floor(args.sessions)
    broker = await broker_floor()

    hang_early, hang_late = hang.to_ready[:10], hang.to_ready[10:]
    return render(scenarios, extraction, broker, args, hang_early, hang_late)


@dataclass
class DownRound:
    """One burst of the ``down`` scenario: which code ran, and the load average (1, 5, 15 min)
    around it."""

    code: str
    scenario: Scenario
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]
    relay_rows_per_s: float
    """The outbox relay of the same code draining a backlog alone (scripts/bench_relay.py)."""


def _load_average() -> tuple[float, float, float]:
    try:
        return os.getloadavg()
    except OSError:  # a platform without it
        return (math.nan, math.nan, math.nan)


def _load(values: tuple[float, float, float]) -> str:
    return " / ".join(f"{v:.2f}" for v in values)


def _short(revision: str) -> str:
    return subprocess.run(
        ["git", "rev-parse", "--short", revision],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


@contextmanager
def _source_of(revision: str) -> Iterator[str]:
    """A ``PYTHONPATH`` with every package of libs/ and services/ as of ``revision``, extracted
    from git into a temporary directory: ahead of the workspace's editable installs, it makes
    the services run that code (with today's third-party packages). Not libs/testing: that is
    the bench's own harness (topologies, fake servers), which stays today's."""
    archive = subprocess.run(
        ["git", "archive", revision, "libs", "services"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    with tempfile.TemporaryDirectory(prefix="careerflow-baseline-") as directory:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(directory, filter="data")
        harness = Path(directory) / "libs" / "testing" / "src"
        yield os.pathsep.join(
            str(path) for path in sorted(Path(directory).glob("*/*/src")) if path != harness
        )


def codes_in_turns(
    stack: ExitStack, code: str | None, baseline: str | None
) -> list[tuple[str, str | None]]:
    """The codes a run measures in turns, each its name and its ``PYTHONPATH`` (``None``: the
    workspace's): the ``baseline`` revision's first, if given, then the ``code`` revision's, or
    the working tree's. A revision's source stays extracted while ``stack`` is open."""
    codes: list[tuple[str, str | None]] = [("working tree", None)]
    if code:
        commit = _short(code)
        codes = [(f"commit {commit}", stack.enter_context(_source_of(commit)))]
    if baseline:
        commit = _short(baseline)
        codes.insert(0, (f"baseline {commit}", stack.enter_context(_source_of(commit))))
    return codes


@contextmanager
def _python_path(value: str | None) -> Iterator[None]:
    """Services started inside run with ``PYTHONPATH=value`` (they inherit this environment)."""
    saved = os.environ.get("PYTHONPATH")
    if value is not None:
        os.environ["PYTHONPATH"] = value
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = saved


async def relay_drain(rows: int) -> float:
    """Rows per second of the outbox relay draining ``rows`` alone, by scripts/bench_relay.py in
    a process of its own (so it runs the code ``PYTHONPATH`` names)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "scripts" / "bench_relay.py"),
        "--rows",
        str(rows),
        stdout=subprocess.PIPE,
    )
    output, _ = await process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"bench_relay.py exited with {process.returncode}")
    return float(json.loads(output)["rows_per_s"])


async def run_down(args: argparse.Namespace, log: Callable[[str], None]) -> str:
    """The model down at ``args.clients`` concurrent clients, ``args.rounds`` times (each round
    the ``args.baseline`` code first, then the measured code, when a baseline is given), and
    the floors of the same run; its section. The measured code is ``args.code``'s (a git
    revision) if given, else the working tree's."""
    rounds: list[DownRound] = []
    with ExitStack() as stack:
        codes = codes_in_turns(stack, args.code, args.baseline)
        stamp = measured_on(None if not args.code else codes[-1][0])
        if args.baseline:
            stamp += f"; baseline: commit {_short(args.baseline)}"
        for number in range(1, args.rounds + 1):
            for code, python_path in codes:
                log(f"bench: model down, {args.clients} clients, round {number}, {code}")
                before = _load_average()
                with _python_path(python_path):
                    scenario = await run_burst(
                        Scenario("model down", "refused"),
                        refused_url(),
                        args.sessions,
                        args.clients,
                        {**FAST_FALLBACK, "PREFETCH": "4"},
                    )
                    after = _load_average()
                    relay = await relay_drain(RELAY_ROWS)
                rounds.append(DownRound(code, scenario, before, after, relay))
    log("bench: floors")
    extraction = extraction_floor(args.sessions)
    broker = await broker_floor()
    confirms = await confirm_floor(args.clients)
    return render_down(rounds, extraction, broker, confirms, args, stamp)


@dataclass(frozen=True)
class _Medians:
    sessions_per_s: float
    p50: float
    p99: float
    alone: float
    relay_rows_per_s: float


def _medians(rounds: list[DownRound]) -> _Medians:
    return _Medians(
        sessions_per_s=statistics.median(r.scenario.sessions_per_s for r in rounds),
        p50=statistics.median(r.scenario.percentile(50) for r in rounds),
        p99=statistics.median(r.scenario.percentile(99) for r in rounds),
        alone=statistics.median(statistics.median(r.scenario.alone) for r in rounds),
        relay_rows_per_s=statistics.median(r.relay_rows_per_s for r in rounds),
    )


def render_down(
    rounds: list[DownRound],
    extraction: tuple[float, float],
    broker: tuple[float, float],
    confirms: tuple[float, float],
    args: argparse.Namespace,
    stamp: str,
) -> str:
    """The ``down`` section: each burst, the medians of each code, the floors and the ratios."""
    codes = list(dict.fromkeys(r.code for r in rounds))
    rows = [
        f"| {number // len(codes) + 1} | {r.code} | {r.scenario.sessions_per_s:.2f} | "
        f"{r.scenario.percentile(50):.2f} | {r.scenario.percentile(99):.2f} | "
        f"{statistics.median(r.scenario.alone):.3f} | {r.relay_rows_per_s:.0f} | "
        f"{_load(r.load_before)} | {_load(r.load_after)} |"
        for number, r in enumerate(rounds)
    ]
    medians = {code: _medians([r for r in rounds if r.code == code]) for code in codes}
    for code, m in medians.items():
        rows.append(
            f"| median | {code} | {m.sessions_per_s:.2f} | {m.p50:.2f} | {m.p99:.2f} | "
            f"{m.alone:.3f} | {m.relay_rows_per_s:.0f} | | |"
        )
    measured = codes[-1]
    current = medians[measured]
    comparison = ""
    if len(codes) == 2:
        base = medians[codes[0]]
        comparison = (
            f"\n\nThe {measured} against the {codes[0]}, medians of the same run: sessions/s "
            f"{current.sessions_per_s / base.sessions_per_s:.2f}x, p50 to ready "
            f"{current.p50 / base.p50:.2f}x, p99 {current.p99 / base.p99:.2f}x, alone "
            f"{current.alone / base.alone:.2f}x (below 1 is faster, for the times); the relay "
            f"alone {current.relay_rows_per_s / base.relay_rows_per_s:.2f}x. The two take "
            "turns, the baseline first in each round, so both meet the same load."
        )
    fallbacks = sum(r.scenario.fallback_sessions for r in rounds)
    total = sum(len(r.scenario.to_ready) for r in rounds)
    extraction_rate, extraction_p50 = extraction
    broker_rate, broker_p50 = broker
    one_at_a_time, together = confirms
    return f"""## Model down at {args.clients} concurrent clients: the gateway's own path

Made by `{args.command}` on {stamp}.

The load average (1 / 5 / 15 min) at the start and the end of each burst is in its row: the
machine is shared, and a load above its core count slows every figure below.

Each burst starts the four services as processes on a fresh database and topology, with the
model's URL refusing connections (every stage falls back at once, so no model time is in the
figures), and uploads {args.sessions} sessions, {args.clients} at a time, each a one-page DOCX
resume. "to ready" and sessions/s are measured as in the bursts; "alone" is the median of
{ALONE} sessions uploaded one at a time after the burst. A session crosses the gateway's outbox
twice on its way to ready (`resume.submitted`, `questions.requested`), and the workers' results
twice (`resume.parsed`, `questions.generated`). With `--baseline REV`, each round runs the
services from the code of REV (libs/ and services/ from git, but for the harness libs/testing,
ahead of the workspace on `PYTHONPATH`) and then from the measured code (the working tree's,
or `--code REV`'s).
"relay" is that code's outbox relay alone, after the burst: {RELAY_ROWS} rows committed while
it is stopped, then drained with confirms (scripts/bench_relay.py), in rows per second.

| round | code | sessions/s | p50 s | p99 s | alone, p50 s | relay, rows/s | load at start \
| load at end |
|---|---|---|---|---|---|---|---|---|
{chr(10).join(rows)}{comparison}

{fallbacks} of {total} sessions with a fallback (all of them are expected to: the model is down).

### Floors in the same run

| floor | per second | median s |
|---|---|---|
| bare text extraction of the same resumes (python-docx, one process) | {extraction_rate:.0f} \
| {extraction_p50 * 1000:.2f} ms |
| bare publish (confirmed, persistent, quorum queue) and consume round trip | {broker_rate:.0f} \
| {broker_p50 * 1000:.2f} ms |
| confirmed publishes, each confirm awaited before the next publish | {one_at_a_time:.0f} | |
| confirmed publishes, {args.clients} at a time with their confirms in flight together \
| {together:.0f} | |

The {measured}'s median sessions/s over extraction's resumes/s: \
{current.sessions_per_s / extraction_rate:.3f}; its median alone p50 over 4 round trips: \
{current.alone / (4 * broker_p50):.0f}x; its relay over the confirmed publishes {args.clients} \
at a time: {current.relay_rows_per_s / together:.2f}.
"""


def _scenario_names(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = sorted(set(names) - set(SECTIONS))
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown scenario {', '.join(unknown) or '(none)'}; choose from {', '.join(SECTIONS)}"
        )
    return names


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--scenarios",
        type=_scenario_names,
        default=list(SECTIONS),
        help=f"comma-separated, of {', '.join(SECTIONS)} (default: all)",
    )
    parser.add_argument("--sessions", type=int, default=50, help="burst, down: sessions a burst")
    parser.add_argument("--parallel", type=int, default=10, help="burst: uploads at a time")
    parser.add_argument("--clients", type=int, default=8, help="down: uploads at a time")
    parser.add_argument("--rounds", type=int, default=3, help="down: rounds, each a fresh system")
    parser.add_argument(
        "--baseline",
        help="down: a git revision whose code runs too, in turns with the measured code",
    )
    parser.add_argument(
        "--code", help="down: the git revision to measure (default: the working tree)"
    )
    parser.add_argument(
        "--interviews", type=int, default=2, help="laptop, gpu: interviews, one after the other"
    )
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args()
    args.command = shlex.join(["uv", "run", "python", "scripts/bench.py", *sys.argv[1:]])
    log: Callable[[str], None] = lambda text: print(text, flush=True)  # noqa: E731

    sections: dict[str, str] = {}
    if "burst" in args.scenarios:
        sections["burst"] = await run_bursts(args, log)
    if "down" in args.scenarios:
        sections["down"] = await run_down(args, log)
    for name, (title, profile) in SPEED_SCENARIOS.items():
        if name not in args.scenarios:
            continue
        stamp = measured_on()  # the code the services start from, not what it is at the end
        scenario = await run_speed_scenario(
            title,
            profile,
            interviews=args.interviews,
            amqp_url=AMQP_URL,
            postgres_url=POSTGRES_URL,
            log=log,
        )
        sections[name] = render_speed_section(scenario, made_by=args.command, measured_on=stamp)

    existing = args.output.read_text() if args.output.exists() else None
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(compose(existing, sections))
    for section in sections.values():
        log(section)
    log(f"bench: wrote {', '.join(sections)} into {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
