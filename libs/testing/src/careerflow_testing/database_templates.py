"""Template databases: a schema built once per server and copied for each test.

``database_template(server_url, family, version, build)`` yields the name of a template database
``<family>_<version>`` that ``build`` filled; ``fresh_database(server_url, template=name)`` copies
it (``CREATE DATABASE ... TEMPLATE``), which takes a fraction of what building it again would.
``version`` should say what made the template (a digest of the migrations, say), so a change makes
a new one. A template is kept for later runs on the same server.

Test runs that share the server at the same time (CI and a developer, say) do not collide:

- a run holds a shared advisory lock on its template's name for as long as it copies it;
- building, and dropping, happen under one exclusive advisory lock per family, so one run builds
  a version while the others wait for it;
- a template is complete once it is marked ``IS_TEMPLATE`` (and closed to connections, which
  would block copying); one left incomplete by a run that died is dropped and built again;
- a run drops every other database of its family that no run holds a lock on: older versions and
  leftovers of dead runs. A template another run still copies from is left alone.

Copying takes Postgres a few tenths of a second (it writes the copy through its WAL), and
dropping forces a checkpoint. :class:`TemplateCopies` does both in a thread of its own: it keeps
a copy ready for the next test while this one runs, and drops a test's copy after it.
"""

from __future__ import annotations

import asyncio
import queue
import threading
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from types import TracebackType
from typing import Self
from urllib.parse import urlsplit, urlunsplit

import asyncpg

_KEY = "hashtextextended($1, 0)"
"""The advisory lock key of a database name (a bigint computed by Postgres)."""


def database_url(server_url: str, name: str) -> str:
    """``server_url`` pointed at the database ``name``."""
    return urlunsplit(urlsplit(server_url)._replace(path=f"/{name}"))


@asynccontextmanager
async def database_template(
    server_url: str,
    family: str,
    version: str,
    build: Callable[[str], Awaitable[None]],
) -> AsyncIterator[str]:
    """The name of the template ``<family>_<version>``, built by ``build(url)`` if missing; held
    (not dropped by other runs) until the block ends."""
    name = f"{family}_{version}"
    holder = await asyncpg.connect(server_url)
    try:
        await holder.execute(f"SELECT pg_advisory_lock({_KEY})", f"{family}:build")
        try:
            await holder.execute(f"SELECT pg_advisory_lock_shared({_KEY})", name)
            await _drop_unheld(holder, family, keep=name)
            complete = await holder.fetchval(
                "SELECT datistemplate FROM pg_database WHERE datname = $1", name
            )
            if not complete:
                await _build(holder, server_url, name, build)
        finally:
            await holder.execute(f"SELECT pg_advisory_unlock({_KEY})", f"{family}:build")
        yield name
    finally:
        await holder.close()


async def _build(
    holder: asyncpg.Connection,
    server_url: str,
    name: str,
    build: Callable[[str], Awaitable[None]],
) -> None:
    await _drop(holder, name)  # an incomplete one, left by a run that died while building
    await holder.execute(f'CREATE DATABASE "{name}"')
    try:
        await build(database_url(server_url, name))
        await holder.execute(
            f'ALTER DATABASE "{name}" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false'
        )
    except BaseException:
        await _drop(holder, name)
        raise


async def _drop_unheld(holder: asyncpg.Connection, family: str, keep: str) -> None:
    """Drop the databases of ``family`` but ``keep`` that no run holds (called under the family's
    build lock, so no run can start holding one meanwhile)."""
    names = await holder.fetch(
        "SELECT datname FROM pg_database WHERE starts_with(datname, $1) AND datname <> $2",
        f"{family}_",
        keep,
    )
    for (other,) in names:
        if await holder.fetchval(f"SELECT pg_try_advisory_lock({_KEY})", other):
            try:
                await _drop(holder, other)
            finally:
                await holder.execute(f"SELECT pg_advisory_unlock({_KEY})", other)


async def _drop(holder: asyncpg.Connection, name: str) -> None:
    exists = await holder.fetchval("SELECT true FROM pg_database WHERE datname = $1", name)
    if exists:
        await holder.execute(f'ALTER DATABASE "{name}" WITH IS_TEMPLATE false')
        await holder.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


class TemplateCopies:
    """Copies of ``template`` made ahead in a thread of their own: ``take()`` gives a ready one
    (a database no one else has), ``give_back(name)`` drops it in the background.

    ``ahead`` copies wait at any time; the ones no test took are dropped on ``close()``, after
    every copy given back. A copy that could not be made is raised by the ``take()`` that would
    have got it.
    """

    def __init__(
        self, server_url: str, template: str, *, ahead: int = 2, prefix: str = "cf_test"
    ) -> None:
        self.server_url = server_url
        self.template = template
        self._ahead = ahead
        self._prefix = prefix
        self._jobs: queue.SimpleQueue[tuple[str, str]] = queue.SimpleQueue()
        self._ready: queue.SimpleQueue[str | BaseException] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._work, name="template-copies", daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        for _ in range(self._ahead):
            self._jobs.put(("copy", ""))
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def take(self, timeout_s: float = 60.0) -> str:
        """The name of a ready copy (blocks until one is); another is started at once."""
        self._jobs.put(("copy", ""))
        try:
            ready = self._ready.get(timeout=timeout_s)
        except queue.Empty:
            raise TimeoutError(f"no copy of {self.template} within {timeout_s:g} s") from None
        if isinstance(ready, BaseException):
            raise ready
        return ready

    def url(self, name: str) -> str:
        return database_url(self.server_url, name)

    def give_back(self, name: str) -> None:
        """Drop the copy ``name`` (even if still in use), without waiting for it."""
        self._jobs.put(("drop", name))

    def close(self) -> None:
        """Drop every copy given back and every one left untaken; then stop the thread."""
        if self._thread.is_alive():
            self._jobs.put(("stop", ""))
            self._thread.join()

    def _work(self) -> None:
        while True:
            job, name = self._jobs.get()
            if job == "stop":
                break
            if job == "drop":
                self._drop(name)
                continue
            name = f"{self._prefix}_{uuid.uuid4().hex[:12]}"
            try:
                asyncio.run(self._run(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"'))
            except Exception as exc:  # handed to the test that takes it
                self._ready.put(exc)
            else:
                self._ready.put(name)
        while True:
            try:
                left = self._ready.get_nowait()
            except queue.Empty:
                return
            if isinstance(left, str):
                self._drop(left)

    def _drop(self, name: str) -> None:
        try:
            asyncio.run(self._run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        except Exception:
            # The server was away (a fault test restarts it): the copy is left, as a test's
            # own database is when its run is killed; the thread must go on making copies.
            pass

    async def _run(self, statement: str) -> None:
        admin = await asyncpg.connect(self.server_url)
        try:
            await admin.execute(statement)
        finally:
            await admin.close()
