"""Apply the schema migrations (Alembic, raw-SQL revisions) to the gateway's database.

The revisions live in ``careerflow_gateway/db/alembic/versions``; they are plain SQL run through
``op.execute`` so the schema reads as Postgres DDL. Alembic connects with SQLAlchemy's asyncpg
dialect, so the gateway needs no second driver. Concurrent starts (several replicas) are
serialised by a Postgres advisory lock held for the upgrade's transaction. A database already at
the head (every start but the first) is only read: one query, without the lock or Alembic.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import asyncpg
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

SCRIPT_LOCATION = Path(__file__).parent / "alembic"

MIGRATION_LOCK_KEY = 0x6361_7265_6572  # "career": any fixed bigint shared by every replica


def alembic_config() -> Config:
    """The Alembic configuration, built in code: no alembic.ini to ship or keep in sync."""
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    return config


def sqlalchemy_url(database_url: str) -> str:
    """The same DSN, spelled for SQLAlchemy's asyncpg dialect."""
    for scheme in ("postgresql://", "postgres://"):
        if database_url.startswith(scheme):
            return "postgresql+asyncpg://" + database_url[len(scheme) :]
    return database_url


def _upgrade(connection: Connection, config: Config, revision: str) -> None:
    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


@cache
def _heads() -> frozenset[str]:
    return frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())


async def _at_head(database_url: str) -> bool:
    connection = await asyncpg.connect(database_url)
    try:
        rows = await connection.fetch("SELECT version_num FROM alembic_version")
    except asyncpg.UndefinedTableError:  # never migrated
        return False
    finally:
        await connection.close()
    return {row["version_num"] for row in rows} == _heads()


async def upgrade_database(database_url: str, revision: str = "head") -> None:
    """Bring the database's schema to ``revision`` (the latest by default); idempotent."""
    if revision == "head" and await _at_head(database_url):
        return
    engine = create_async_engine(sqlalchemy_url(database_url), poolclass=NullPool)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_upgrade, alembic_config(), revision)
    finally:
        await engine.dispose()
