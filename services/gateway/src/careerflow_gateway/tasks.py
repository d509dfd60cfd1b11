"""Keeping the gateway's retry loops stoppable.

A loop that retries on errors must not outlive a cancellation: when a task is cancelled in the
middle of a database or broker call, the clean-up on the way out (a rollback, releasing a
connection) can raise an error of its own, which replaces the ``CancelledError``. A loop that
retries on that error would then never stop, and shutdown would wait on it forever.
"""

from __future__ import annotations

import asyncio


def cancel_requested() -> bool:
    """Whether the running task has been asked to stop (``Task.cancel``)."""
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0


def stop_if_cancelled(error: BaseException) -> None:
    """Raise ``CancelledError`` (from ``error``) when the task is being cancelled."""
    if cancel_requested():
        raise asyncio.CancelledError from error
