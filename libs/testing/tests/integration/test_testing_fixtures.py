"""Each test gets its own empty database and its own broker names, on the real servers."""

from __future__ import annotations

import asyncpg
import pytest

pytestmark = [pytest.mark.database]

_seen: set[str] = set()


@pytest.mark.parametrize("round_", [1, 2])
async def test_each_test_gets_a_fresh_empty_database(database_url: str, round_: int) -> None:
    assert database_url not in _seen
    _seen.add(database_url)
    connection = await asyncpg.connect(database_url)
    try:
        tables = await connection.fetchval(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        )
        assert tables == 0
        await connection.execute("CREATE TABLE leftover (id int)")
        assert (
            await connection.fetchval("SELECT current_database()") == database_url.rsplit("/")[-1]
        )
    finally:
        await connection.close()
