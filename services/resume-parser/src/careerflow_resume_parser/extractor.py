"""Text extraction off the event loop: a process pool with a time limit per file.

PDF and DOCX parsing is CPU-bound and a hostile file can make it run for a long time, so it
runs in worker processes; the event loop only awaits, and heartbeats and health checks stay
responsive. A file that runs past its time limit gets the ``timeout`` status, and because a
running task cannot be cancelled inside a worker, the pool's processes are killed and a new
pool is made. Any other extraction that was running in the killed pool is retried once on the
new one.
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
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from careerflow_resume_parser.docx_text import extract_docx
from careerflow_resume_parser.extracted import DocumentType, ExtractedText, ExtractionLimits
from careerflow_resume_parser.pdf_text import extract_pdf

logger = logging.getLogger(__name__)


def extract_document(
    document: bytes, document_type: DocumentType, limits: ExtractionLimits
) -> ExtractedText:
    """Read one document in the current process. Never raises for a bad document."""
    if document_type == "pdf":
        return extract_pdf(document, limits)
    return extract_docx(document, limits)


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
    """Extracts documents in a pool of worker processes, each file within a time limit."""

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
            self._pool = ProcessPoolExecutor(
                max_workers=self._workers,
                # forkserver: workers do not inherit the event loop's sockets and threads.
                mp_context=multiprocessing.get_context("forkserver"),
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

    async def extract(
        self, document: bytes, document_type: DocumentType, *, time_limit_s: float | None = None
    ) -> ExtractedText:
        """The visible text of ``document``, or a status saying why there is none."""
        limit = self.time_limit_s if time_limit_s is None else time_limit_s
        loop = asyncio.get_running_loop()
        for attempt in (1, 2):
            pool = self._current_pool()
            work = loop.run_in_executor(
                pool, extract_document, document, document_type, self.limits
            )
            try:
                return await asyncio.wait_for(work, timeout=limit)
            except TimeoutError:
                logger.warning("extraction ran past %.1f s; restarting the worker pool", limit)
                self._recycle(pool)
                return ExtractedText(status="timeout", document_type=document_type)
            except BrokenProcessPool:
                self._recycle(pool)
                if attempt == 2:
                    # The file itself kills its worker (out of memory, a crash in a parser).
                    return ExtractedText(status="unreadable", document_type=document_type)
        raise AssertionError("unreachable")

    async def warm_up(self) -> None:
        """Start the worker processes now rather than on the first resume."""
        await self.extract(b"", "docx")

    def close(self) -> None:
        """Stop the worker processes."""
        if self._pool is not None:
            pool, self._pool = self._pool, None
            pool.shutdown(wait=False, cancel_futures=True)

    def __enter__(self) -> Extractor:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
