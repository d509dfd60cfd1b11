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
dropping forces a checkpoint. ``template_copies`` does both in a thread of its own: it keeps a
copy ready for the next test while this one runs, and drops a test's copy after it.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from careerflow_testing.made_ahead import MadeAhead

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


def template_copies(
    server_url: str, template: str, *, ahead: int = 2, prefix: str = "cf_test"
) -> MadeAhead[str]:
    """Copies of ``template`` made ahead (:class:`~careerflow_testing.made_ahead.MadeAhead`):
    ``take()`` gives the URL of a database no one else has, ``give_back(url)`` drops it, even if
    still in use."""

    async def copy() -> str:
        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        await _execute(server_url, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return database_url(server_url, name)

    async def drop(url: str) -> None:
        name = urlsplit(url).path.lstrip("/")
        await _execute(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return MadeAhead(copy, drop, ahead=ahead, name="template-copies")


async def _execute(server_url: str, statement: str) -> None:
    admin = await asyncpg.connect(server_url)
    try:
        await admin.execute(statement)
    finally:
        await admin.close()
