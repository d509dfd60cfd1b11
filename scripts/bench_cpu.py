"""Where the CPU goes on the model-down path: seconds of CPU each service, Postgres and RabbitMQ
spend on one burst of ``make bench``'s ``down`` scenario (50 sessions at 8 clients, then 10
alone), for the working tree's code and, with ``--baseline REV``, that revision's, taking turns.

Each process's time is read from ``/proc`` for its whole tree (the resume parser's extraction
pool included) just before the burst and just after it; Postgres is the postmaster's tree (its
backends), RabbitMQ the ``beam.smp`` process. Postgres and RabbitMQ serve whatever else runs on
the machine too, so run it on a quiet one. Linux only. Prints a markdown table of the medians,
with the machine and the load average, and the outbox's rows by routing key of the last round
(what the gateway asked the workers for).

    uv run python scripts/bench_cpu.py [--baseline REV] [--rounds 3]

Environment variables reach every service (``GATEWAY_PROFILE_LATER=false``, say).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
from contextlib import ExitStack
from pathlib import Path

from bench import (
    FAST_FALLBACK,
    POSTGRES_URL,
    RunningSystem,
    Scenario,
    _load,
    _load_average,
    _measure,
    _python_path,
    codes_in_turns,
    measured_on,
    started_system,
)

from careerflow_testing.fake_ollama import refused_url

SESSIONS, CLIENTS = 50, 8
TICKS_PER_S = os.sysconf("SC_CLK_TCK")
SERVICES = ("gateway", "resume-parser", "question-gen", "evaluator")
SERVERS = ("postgres", "rabbitmq")


def _process_table() -> dict[int, tuple[int, int]]:
    """Every process's parent and CPU ticks (its own, and its reaped children's)."""
    table: dict[int, tuple[int, int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # gone meanwhile
        fields = stat[stat.rindex(")") + 2 :].split()
        # After the name: state, ppid, ... utime (12th), stime, cutime, cstime.
        table[int(entry.name)] = (int(fields[1]), sum(int(f) for f in fields[11:15]))
    return table


def tree_cpu_s(pid: int, table: dict[int, tuple[int, int]]) -> float:
    """CPU seconds of ``pid`` and every process below it."""
    children: dict[int, list[int]] = {}
    for child, (parent, _) in table.items():
        children.setdefault(parent, []).append(child)
    ticks, todo = 0, [pid]
    while todo:
        current = todo.pop()
        ticks += table.get(current, (0, 0))[1]
        todo.extend(children.get(current, []))
    return ticks / TICKS_PER_S


def _server_pids() -> dict[str, int]:
    """The postmaster (from its pid file: a restart gives it a new pid) and RabbitMQ's VM."""
    data = subprocess.run(
        ["psql", POSTGRES_URL, "-Atc", "SHOW data_directory"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    postmaster = int(Path(data, "postmaster.pid").read_text().split()[0])
    beam = subprocess.run(["pgrep", "-o", "beam.smp"], capture_output=True, text=True, check=True)
    return {"postgres": postmaster, "rabbitmq": int(beam.stdout.split()[0])}


def _cpu(system: RunningSystem, servers: dict[str, int]) -> dict[str, float]:
    table = _process_table()
    pids = {name: system.processes[name].pid for name in SERVICES} | servers
    return {name: tree_cpu_s(pid, table) for name, pid in pids.items()}


async def one_burst() -> tuple[dict[str, float], dict[str, int]]:
    """CPU seconds by process over one burst, sessions/s, and the outbox's rows by kind."""
    # The down scenario's system and burst (bench.run_down), measured around the burst.
    async with started_system(refused_url(), {**FAST_FALLBACK, "PREFETCH": "4"}) as system:
        servers = _server_pids()
        before = _cpu(system, servers)
        scenario = Scenario("model down", "refused")
        await _measure(system, scenario, SESSIONS, CLIENTS)
        after = _cpu(system, servers)
        rows = await system.fetch(
            "SELECT routing_key, count(*) AS n FROM outbox GROUP BY 1 ORDER BY 1"
        )
    spent = {name: after[name] - before[name] for name in after}
    spent["sessions/s"] = scenario.sessions_per_s
    return spent, {row["routing_key"]: row["n"] for row in rows}


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", help="a git revision whose code runs too, in turns")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    load_before = _load_average()
    results: dict[str, list[dict[str, float]]] = {}
    outboxes: dict[str, dict[str, int]] = {}
    with ExitStack() as stack:
        codes = codes_in_turns(stack, None, args.baseline)
        for number in range(1, args.rounds + 1):
            for code, python_path in codes:
                print(f"bench_cpu: round {number}, {code}", flush=True)
                with _python_path(python_path):
                    spent, outboxes[code] = await one_burst()
                results.setdefault(code, []).append(spent)
    columns = [*SERVICES, *SERVERS, "sessions/s"]
    print(
        f"\nMeasured {measured_on()}; load average {_load(load_before)} at the start, "
        f"{_load(_load_average())} at the end; {args.rounds} rounds, medians.\n"
    )
    print("| code | " + " | ".join(columns) + " |")
    print("|---" * (len(columns) + 1) + "|")
    for code, rounds in results.items():
        medians = [statistics.median(r[column] for r in rounds) for column in columns]
        print(f"| {code} | " + " | ".join(f"{value:.2f}" for value in medians) + " |")
    print()
    for code, rows in outboxes.items():
        print(f"outbox rows after the last round, {code}: {rows}")


if __name__ == "__main__":
    asyncio.run(main())
