"""The process pool: extraction runs in worker processes, within a per-file time limit."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterator

import pytest

from careerflow_resume_parser.extractor import Extractor


@pytest.fixture(scope="module")
def extractor() -> Iterator[Extractor]:
    with Extractor(workers=1, time_limit_s=20.0) as shared:
        yield shared


async def test_extraction_runs_in_another_process(extractor: Extractor, resume_pdf: bytes) -> None:
    result = await extractor.extract(resume_pdf, "pdf")
    assert result.status == "ok"
    assert "Globex Corporation" in result.text
    pool = extractor._current_pool()
    assert os.getpid() not in {process.pid for process in pool._processes.values()}


async def test_docx_through_the_pool(extractor: Extractor, make_docx: Callable[..., bytes]) -> None:
    document = make_docx(["Backend engineer with ten years of Python and PostgreSQL work."])
    result = await extractor.extract(document, "docx")
    assert result.status == "ok" and "PostgreSQL" in result.text


async def test_a_file_past_its_time_limit_times_out_and_the_pool_is_replaced(
    extractor: Extractor, resume_pdf: bytes, slow_pdf: bytes
) -> None:
    await extractor.extract(resume_pdf, "pdf")  # the worker is up
    old_processes = list(extractor._current_pool()._processes.values())
    recycled = extractor.pools_recycled

    started = asyncio.get_running_loop().time()
    result = await extractor.extract(slow_pdf, "pdf", time_limit_s=0.2)
    elapsed = asyncio.get_running_loop().time() - started

    assert elapsed < 0.2 + 1.0

    assert result.status == "timeout"
    assert extractor.pools_recycled == recycled + 1
    for process in old_processes:
        process.join(timeout=5)
        assert not process.is_alive()
    after = await extractor.extract(resume_pdf, "pdf")
    assert after.status == "ok"


async def test_a_sibling_of_a_timed_out_file_is_retried_on_the_new_pool(
    resume_pdf: bytes, slow_pdf: bytes
) -> None:
    # One worker: the sibling waits behind the slow file and is in the pool when it is killed.
    with Extractor(workers=1, time_limit_s=20.0) as extractor:
        slow, sibling = await asyncio.gather(
            extractor.extract(slow_pdf, "pdf", time_limit_s=0.5),
            extractor.extract(resume_pdf, "pdf"),
        )
    assert slow.status == "timeout"
    assert sibling.status == "ok" and "Globex Corporation" in sibling.text


_OWNER = """
import asyncio, os, signal, sys
from careerflow_resume_parser.extractor import Extractor

async def main():
    extractor = Extractor(workers=1)
    await extractor.warm_up()
    pids = [p.pid for p in extractor._current_pool()._processes.values()]
    print(" ".join(map(str, pids)), flush=True)
    os.kill(os.getpid(), signal.SIGKILL)  # no shutdown, no atexit

asyncio.run(main())
"""


def test_workers_exit_when_the_owner_is_killed() -> None:
    import subprocess
    import sys
    import time

    owner = subprocess.run(
        [sys.executable, "-c", _OWNER], capture_output=True, text=True, timeout=60, check=False
    )
    pids = [int(pid) for pid in owner.stdout.split()]
    assert pids, owner.stderr
    deadline = time.monotonic() + 5.0
    alive = pids
    while alive and time.monotonic() < deadline:
        time.sleep(0.1)
        alive = [pid for pid in pids if _running(pid)]
    assert alive == []


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[1][0] != "Z"
    except FileNotFoundError:
        return False
