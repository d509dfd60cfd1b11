"""Keeping the gateway's background work stoppable, so that shut-down always ends.

A loop that retries on errors must not outlive a cancellation: when a task is cancelled in the
middle of a database or broker call, the clean-up on the way out (a rollback, releasing a
connection) can raise an error of its own, which replaces the ``CancelledError``. A loop that
retries on that error would then never stop, and shutdown would wait on it forever.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable

log = logging.getLogger(__name__)


def cancel_requested() -> bool:
    """Whether the running task has been asked to stop (``Task.cancel``)."""
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0


def stop_if_cancelled(error: BaseException) -> None:
    """Raise ``CancelledError`` (from ``error``) when the task is being cancelled."""
    if cancel_requested():
        raise asyncio.CancelledError from error


async def finish_within(what: str, step: Awaitable[object], timeout_s: float) -> bool:
    """Await one shut-down ``step`` for at most ``timeout_s``; False if it did not finish.

    A step still running then is cancelled and left behind, never waited on: ``wait_for``
    would wait for the cancellation to be honoured, and a library close path that swallows it
    (aiormq's can) would hold shut-down forever. Shut-down must end within its grace.
    """
    task = asyncio.ensure_future(step)
    done, _ = await asyncio.wait({task}, timeout=timeout_s)
    if task in done:
        if not task.cancelled() and task.exception() is not None:
            log.debug("%s failed on the way out (%s)", what, type(task.exception()).__name__)
        return True
    task.cancel()
    log.warning("%s did not finish within %g s; left behind", what, timeout_s)
    return False
