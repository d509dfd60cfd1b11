"""Template databases on the real Postgres: built once, copied per test, shared by runs at the same
time, and dropped when no run holds them any more."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest

from careerflow_testing.database_templates import database_template, template_copies
from careerflow_testing.infrastructure import fresh_database
from careerflow_testing.waiting import wait_until

pytestmark = pytest.mark.database


@pytest.fixture
async def family(postgres_url: str) -> AsyncIterator[str]:
    """A family of templates no other test uses; whatever is left of it is dropped after."""
    name = f"cf_tpl_test_{uuid.uuid4().hex[:8]}"
    yield name
    admin = await asyncpg.connect(postgres_url)
    try:
        for (left,) in await admin.fetch(
            "SELECT datname FROM pg_database WHERE starts_with(datname, $1)", f"{name}_"
        ):
            await admin.execute(f'ALTER DATABASE "{left}" WITH IS_TEMPLATE false')
            await admin.execute(f'DROP DATABASE "{left}" WITH (FORCE)')
    finally:
        await admin.close()


async def _databases(server_url: str, family: str) -> set[str]:
    admin = await asyncpg.connect(server_url)
    try:
        rows = await admin.fetch(
            "SELECT datname FROM pg_database WHERE starts_with(datname, $1)", f"{family}_"
        )
    finally:
        await admin.close()
    return {name for (name,) in rows}


async def _tables(database_url: str) -> set[str]:
    connection = await asyncpg.connect(database_url)
    try:
        rows = await connection.fetch(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        )
    finally:
        await connection.close()
    return {name for (name,) in rows}


async def _make_table(url: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        await connection.execute("CREATE TABLE built (id int)")
    finally:
        await connection.close()


async def _a_run_waits_to_build(server_url: str, family: str) -> bool | None:
    admin = await asyncpg.connect(server_url)
    try:
        waiting = await admin.fetchval(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
            " AND (classid::bigint << 32 | objid::bigint) = hashtextextended($1, 0)",
            f"{family}:build",
        )
    finally:
        await admin.close()
    return True if waiting else None


async def test_two_runs_at_once_build_the_template_once_and_each_copy_is_its_own(
    postgres_url: str, family: str
) -> None:
    builds: list[str] = []

    async def build(url: str) -> None:
        builds.append(url)
        # The other run has come and waits for this build: it must not build its own.
        await wait_until(
            lambda: _a_run_waits_to_build(postgres_url, family),
            timeout_s=10,
            message="the second run waiting for the build",
        )
        await _make_table(url)

    async def run() -> set[str]:
        async with database_template(postgres_url, family, "v1", build) as template:
            async with fresh_database(postgres_url, template=template) as url:
                tables = await _tables(url)
                connection = await asyncpg.connect(url)
                try:
                    await connection.execute("CREATE TABLE written_by_one_test (id int)")
                finally:
                    await connection.close()
                return tables

    assert await asyncio.gather(run(), run()) == [{"built"}, {"built"}]
    assert len(builds) == 1
    assert await _databases(postgres_url, family) == {f"{family}_v1"}


async def test_a_template_is_kept_for_later_runs(postgres_url: str, family: str) -> None:
    builds: list[str] = []

    async def build(url: str) -> None:
        builds.append(url)
        await _make_table(url)

    for _ in range(2):
        async with database_template(postgres_url, family, "v1", build) as template:
            async with fresh_database(postgres_url, template=template) as url:
                assert await _tables(url) == {"built"}
    assert len(builds) == 1


async def test_an_older_version_is_dropped_once_no_run_holds_it(
    postgres_url: str, family: str
) -> None:
    async with database_template(postgres_url, family, "v1", _make_table) as older:
        async with database_template(postgres_url, family, "v2", _make_table):
            # The run on v1 still copies from it: the run that built v2 leaves it.
            assert await _databases(postgres_url, family) == {older, f"{family}_v2"}
        async with fresh_database(postgres_url, template=older) as url:
            assert await _tables(url) == {"built"}
    async with database_template(postgres_url, family, "v3", _make_table):
        assert await _databases(postgres_url, family) == {f"{family}_v3"}


async def test_a_template_left_half_built_is_built_again(postgres_url: str, family: str) -> None:
    admin = await asyncpg.connect(postgres_url)
    try:
        await admin.execute(f'CREATE DATABASE "{family}_v1"')  # a run died while building
    finally:
        await admin.close()
    async with database_template(postgres_url, family, "v1", _make_table) as template:
        async with fresh_database(postgres_url, template=template) as url:
            assert await _tables(url) == {"built"}


async def test_a_build_that_fails_leaves_no_template(postgres_url: str, family: str) -> None:
    async def broken(url: str) -> None:
        await _make_table(url)
        raise RuntimeError("the migration failed")

    with pytest.raises(RuntimeError, match="the migration failed"):
        async with database_template(postgres_url, family, "v1", broken):
            pass
    assert await _databases(postgres_url, family) == set()


async def test_copies_made_ahead_are_each_a_test_s_own_and_all_dropped_at_the_end(
    postgres_url: str, family: str
) -> None:
    async with database_template(postgres_url, family, "v1", _make_table) as template:
        with template_copies(postgres_url, template, prefix=f"{family}_copy") as copies:
            first, second = [await asyncio.to_thread(copies.take) for _ in range(2)]
            assert first != second
            assert await _tables(first) == {"built"}
            connection = await asyncpg.connect(first)
            try:
                await connection.execute("CREATE TABLE written_by_one_test (id int)")
            finally:
                await connection.close()
            assert await _tables(second) == {"built"}
            copies.give_back(first)
            # Given back while in use, as a gateway's pool may still be: dropped all the same.
            in_use = await asyncpg.connect(second)
            copies.give_back(second)
            assert len(await _databases(postgres_url, f"{family}_copy")) >= 2  # made ahead
        # Closing waited for the drops, and dropped the copies made ahead that no test took.
        assert await _databases(postgres_url, family) == {template}
        in_use.terminate()


async def test_a_copy_that_cannot_be_made_fails_the_test_that_takes_it(
    postgres_url: str, family: str
) -> None:
    with template_copies(postgres_url, f"{family}_missing", ahead=1) as copies:
        with pytest.raises(asyncpg.InvalidCatalogNameError):
            await asyncio.to_thread(copies.take)
