"""Reading resumes off the event loop: a process pool with a time limit per file.

PDF and DOCX parsing is CPU-bound and a hostile file can make it run for a long time, and so can
hostile text in the readers' regular expressions, so the whole step from document to profile
(extraction, setting aside instruction lines, the deterministic reading) runs in worker
processes; the event loop only awaits, and heartbeats and health checks stay responsive. A file
that runs past its time limit gets the ``timeout`` status, and because a running task cannot be
cancelled inside a worker, the pool's processes are killed and a new pool is made. Any other
file that was being read in the killed pool is retried once on the new one.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import resource
import select
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import date
from typing import Literal, TypeVar

from careerflow_resume_parser.docx_text import extract_docx
from careerflow_resume_parser.extracted_text import DocumentType, ExtractedText, ExtractionLimits
from careerflow_resume_parser.fallback import ResumeReading, read_resume
from careerflow_resume_parser.instructions import SetAside, set_aside_instructions
from careerflow_resume_parser.pdf_text import extract_pdf

logger = logging.getLogger(__name__)

_Result = TypeVar("_Result")
_PoolFailure = Literal["timeout", "unreadable"]


@dataclass(frozen=True)
class ResumeRead:
    """One document read in the pool: its text and, when it has text, the text without its
    instruction lines (what both readers see) and the deterministic reading of that."""

    extracted: ExtractedText
    aside: SetAside | None = None
    reading: ResumeReading | None = None


def extract_document(
    document: bytes, document_type: DocumentType, limits: ExtractionLimits
) -> ExtractedText:
    """Read one document in the current process. Never raises for a bad document."""
    if document_type == "pdf":
        return extract_pdf(document, limits)
    return extract_docx(document, limits)


def read_document(
    document: bytes, document_type: DocumentType, limits: ExtractionLimits, today: date | None
) -> ResumeRead:
    """Everything that runs over a resume's text without the model, in the current process.
    Never raises for a bad document."""
    extracted = extract_document(document, document_type, limits)
    if extracted.status != "ok":
        return ResumeRead(extracted)
    aside = set_aside_instructions(extracted.text)
    return ResumeRead(extracted, aside, read_resume(aside.text, today=today))


def _exit_with_owner(owner_pid: int) -> None:
    """Exit this worker when the process that owns the pool is gone.

    A pool worker otherwise outlives an owner that was killed (SIGKILL, OOM): it blocks on its
    task queue forever, and keeps the forkserver alive with it.
    """
    try:
        handle = os.pidfd_open(owner_pid)
    except (AttributeError, OSError):
        handle = None
    if handle is not None:
        select.select([handle], [], [])  # readable once the owner has exited
    else:
        while True:
            time.sleep(1.0)
            try:
                os.kill(owner_pid, 0)
            except ProcessLookupError:
                break
            except PermissionError:
                continue
    os._exit(0)


def _prepare_worker(memory_limit_bytes: int, owner_pid: int) -> None:
    threading.Thread(target=_exit_with_owner, args=(owner_pid,), daemon=True).start()
    # pypdf warns about malformed objects on its logger; those lines are noise here and could
    # quote document content.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    if memory_limit_bytes > 0:
        # A decompression bomb hits MemoryError in the worker instead of starving the host.
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit_bytes, memory_limit_bytes))


class Extractor:
    """Reads documents in a pool of worker processes, each file within a time limit."""

    def __init__(
        self,
        limits: ExtractionLimits | None = None,
        *,
        workers: int = 2,
        time_limit_s: float = 10.0,
        memory_limit_bytes: int = 1024 * 1024 * 1024,
    ) -> None:
        self.limits = limits or ExtractionLimits()
        self.time_limit_s = time_limit_s
        self._workers = workers
        self._memory_limit_bytes = memory_limit_bytes
        self._pool: ProcessPoolExecutor | None = None
        self.pools_recycled = 0

    def _current_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # forkserver: workers do not inherit the event loop's sockets and threads. The server
            # imports the readers once and each worker is forked from it with them loaded, so a
            # new pool (at start, after a timeout) is ready at once instead of paying seconds of
            # imports out of the next file's time limit.
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload([__name__])
            self._pool = ProcessPoolExecutor(
                max_workers=self._workers,
                mp_context=context,
                initializer=_prepare_worker,
                initargs=(self._memory_limit_bytes, os.getpid()),
            )
        return self._pool

    def _recycle(self, pool: ProcessPoolExecutor) -> None:
        if self._pool is not pool:
            return  # another task already replaced it
        self._pool = None
        self.pools_recycled += 1
        # The executor offers no way to stop a running task; killing its processes is the only
        # way to free a worker stuck in a hostile file.
        # Work queued behind the killed file then fails with BrokenProcessPool and is retried;
        # cancelling it instead would look like a cancellation of its caller.
        for process in list(pool._processes.values()):
            process.kill()
        pool.shutdown(wait=False)

    def worker_pids(self) -> list[int]:
        """The process ids of the current pool's workers (none before the first file)."""
        pool = self._pool
        if pool is None or not pool._processes:
            return []
        return [process.pid for process in list(pool._processes.values()) if process.pid]

    async def read(
        self,
        document: bytes,
        document_type: DocumentType,
        *,
        today: date | None = None,
        time_limit_s: float | None = None,
    ) -> ResumeRead:
        """The text of ``document`` and its deterministic reading, or a status saying why there
        is none (``timeout`` when the whole step ran past the time limit)."""
        outcome = await self._in_pool(
            time_limit_s, read_document, document, document_type, self.limits, today
        )
        if isinstance(outcome, str):
            return ResumeRead(ExtractedText(status=outcome, document_type=document_type))
        return outcome

    async def extract(
        self, document: bytes, document_type: DocumentType, *, time_limit_s: float | None = None
    ) -> ExtractedText:
        """The visible text of ``document``, or a status saying why there is none."""
        outcome = await self._in_pool(
            time_limit_s, extract_document, document, document_type, self.limits
        )
        if isinstance(outcome, str):
            return ExtractedText(status=outcome, document_type=document_type)
        return outcome

    async def _in_pool(
        self, time_limit_s: float | None, work: Callable[..., _Result], *args: object
    ) -> _Result | _PoolFailure:
        limit = self.time_limit_s if time_limit_s is None else time_limit_s
        loop = asyncio.get_running_loop()
        for attempt in (1, 2):
            pool = self._current_pool()
            future = loop.run_in_executor(pool, work, *args)
            try:
                return await asyncio.wait_for(future, timeout=limit)
            except TimeoutError:
                logger.warning("reading ran past %.1f s; restarting the worker pool", limit)
                self._recycle(pool)
                return "timeout"
            except BrokenProcessPool:
                self._recycle(pool)
                if attempt == 2:
                    # The file itself kills its worker (out of memory, a crash in a parser).
                    return "unreadable"
        raise AssertionError("unreachable")

    async def warm_up(self) -> None:
        """Start the worker processes now rather than on the first resume."""
        await self.read(b"", "docx")

    def close(self) -> None:
        """Stop the worker processes."""
        if self._pool is not None:
            pool, self._pool = self._pool, None
            pool.shutdown(wait=False, cancel_futures=True)

    def __enter__(self) -> Extractor:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
