"""The process pool: extraction runs in worker processes, within a per-file time limit."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Callable, Iterator

import pytest

from careerflow_resume_parser.extraction_pool import Extractor
from careerflow_testing.waiting import wait_until


@pytest.fixture(scope="module")
def extractor() -> Iterator[Extractor]:
    with Extractor(workers=1, time_limit_s=20.0) as shared:
        yield shared


async def test_extraction_runs_in_another_process(extractor: Extractor, resume_pdf: bytes) -> None:
    result = await extractor.extract(resume_pdf, "pdf")
    assert result.status == "ok"
    assert "Globex Corporation" in result.text
    workers = extractor.worker_pids()
    assert workers and os.getpid() not in workers


async def test_docx_through_the_pool(extractor: Extractor, make_docx: Callable[..., bytes]) -> None:
    document = make_docx(["Backend engineer with ten years of Python and PostgreSQL work."])
    result = await extractor.extract(document, "docx")
    assert result.status == "ok" and "PostgreSQL" in result.text


async def test_a_file_past_its_time_limit_times_out_and_the_pool_is_replaced(
    extractor: Extractor, resume_pdf: bytes, slow_pdf: bytes
) -> None:
    await extractor.extract(resume_pdf, "pdf")  # the worker is up
    old_workers = extractor.worker_pids()
    recycled = extractor.pools_recycled

    # The slow file takes seconds of work: "timeout" means it was cut, not waited for.
    result = await extractor.extract(slow_pdf, "pdf", time_limit_s=0.2)

    assert result.status == "timeout"
    assert extractor.pools_recycled == recycled + 1
    await wait_until(
        lambda: not any(_running(pid) for pid in old_workers), message="the old workers exit"
    )
    after = await extractor.extract(resume_pdf, "pdf")
    assert after.status == "ok"
    assert set(extractor.worker_pids()).isdisjoint(old_workers)


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
from careerflow_resume_parser.extraction_pool import Extractor

async def main():
    extractor = Extractor(workers=1)
    await extractor.warm_up()
    pids = extractor.worker_pids()
    print(" ".join(map(str, pids)), flush=True)
    os.kill(os.getpid(), signal.SIGKILL)  # no shutdown, no atexit

asyncio.run(main())
"""


async def test_workers_exit_when_the_owner_is_killed() -> None:
    owner = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-c", _OWNER],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    pids = [int(pid) for pid in owner.stdout.split()]
    assert pids, owner.stderr
    await wait_until(
        lambda: not [pid for pid in pids if _running(pid)], message="the orphaned workers exit"
    )


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[1][0] != "Z"
    except FileNotFoundError:
        return False
