"""The asyncpg pool, with JSON columns decoded to Python values and a bounded wait for a
connection: when every connection is busy (a flood of event streams, a slow database), a
request waits ``acquire_timeout_s`` and gets ``PoolExhausted`` (a 503) instead of waiting on."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, TypeAlias

import asyncpg
from asyncpg.pool import PoolAcquireContext

if TYPE_CHECKING:
    from asyncpg.pool import PoolConnectionProxy

    _PoolBase = asyncpg.Pool[asyncpg.Record]
    _AcquireBase = PoolAcquireContext[asyncpg.Record]
else:  # asyncpg's classes are generic in its stubs only
    _PoolBase = asyncpg.Pool
    _AcquireBase = PoolAcquireContext

DbConnection: TypeAlias = "asyncpg.Connection[asyncpg.Record] | PoolConnectionProxy[asyncpg.Record]"
"""A connection of its own or one borrowed from the pool: the commands accept either."""

Pool: TypeAlias = "asyncpg.Pool[asyncpg.Record]"

DATABASE_UNAVAILABLE: tuple[type[BaseException], ...] = (
    OSError,
    TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    asyncpg.exceptions.OperatorInterventionError,
    asyncpg.exceptions.ConnectionDoesNotExistError,
    asyncpg.InterfaceError,
)
"""Errors that say the database cannot be reached now, as opposed to a bad query or row."""


class PoolExhausted(TimeoutError):
    """No pooled connection came free within the acquire timeout.

    A ``TimeoutError``, so code that waits out an unavailable database treats it as one.
    """


class _BoundedAcquire(_AcquireBase):
    __slots__ = ()

    async def __aenter__(self) -> PoolConnectionProxy[asyncpg.Record]:
        try:
            return await super().__aenter__()
        except TimeoutError:
            raise PoolExhausted(
                f"no database connection came free within {self.timeout:g} s"
            ) from None


class _BoundedPool(_PoolBase):
    """A pool whose every acquire, the query shortcuts' (``fetchval``...) included, waits at
    most ``acquire_timeout_s`` unless the caller gives its own timeout."""

    __slots__ = ("_acquire_timeout_s",)

    def __init__(self, *args: Any, acquire_timeout_s: float, **kwargs: Any) -> None:
        self._acquire_timeout_s = acquire_timeout_s
        super().__init__(*args, **kwargs)

    def acquire(self, *, timeout: float | None = None) -> PoolAcquireContext[asyncpg.Record]:
        return _BoundedAcquire(self, self._acquire_timeout_s if timeout is None else timeout)


async def _init_connection(conn: asyncpg.Connection[asyncpg.Record]) -> None:
    for type_name in ("json", "jsonb"):
        await conn.set_type_codec(
            type_name, encoder=json.dumps, decoder=json.loads, schema="pg_catalog"
        )


async def create_pool(
    dsn: str, *, min_size: int = 1, max_size: int = 10, acquire_timeout_s: float = 5.0
) -> asyncpg.Pool[asyncpg.Record]:
    """Open a pool whose connections read and write ``json``/``jsonb`` as Python values and
    whose acquires give up after ``acquire_timeout_s`` with ``PoolExhausted``."""
    # Built as asyncpg.create_pool builds its Pool, with the same defaults.
    pool = _BoundedPool(
        dsn,
        acquire_timeout_s=acquire_timeout_s,
        min_size=min_size,
        max_size=max_size,
        max_queries=50000,
        max_inactive_connection_lifetime=300.0,
        init=_init_connection,
        loop=None,
        connection_class=asyncpg.Connection,
        record_class=asyncpg.Record,
        command_timeout=30,
    )
    await pool
    return pool
