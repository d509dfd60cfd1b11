"""Makes ``gateway_testkit`` importable (tests import with importlib) and provides its fixtures,
and the gateway's databases:

- ``database_url``: a database of its own for each test, already at the head of the migrations,
  as a gateway finds it after any start but its first. It is a copy of a template migrated once
  per server and migration set (``careerflow_testing.database_templates``): a changed migration
  file makes a new template. The gateway still runs its migrations on start; on this database
  they find nothing to do. The next test's copy is made while this one runs, and a test's copy
  is dropped after it in the background (``template_copies``).
- ``empty_database_url``: an empty database, for the tests of the migrations themselves and of
  a gateway's first start.
"""

from __future__ import annotations

import asyncio
import hashlib
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio

from careerflow_gateway.db import upgrade_database
from careerflow_gateway.db.migrate import SCRIPT_LOCATION
from careerflow_testing.database_templates import database_template, template_copies
from careerflow_testing.infrastructure import fresh_database
from careerflow_testing.made_ahead import MadeAhead

sys.path.insert(0, str(Path(__file__).parent))

from gateway_testkit import gateway, pool, settings, workers  # noqa: E402

__all__ = [
    "database_copies",
    "database_url",
    "empty_database_url",
    "gateway",
    "migrated_template",
    "pool",
    "settings",
    "workers",
]


def _migrations_digest() -> str:
    """A digest of every file of the migrations (revisions and environment), names and contents."""
    digest = hashlib.sha256()
    for path in sorted(SCRIPT_LOCATION.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(SCRIPT_LOCATION).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def migrated_template(postgres_url: str) -> AsyncIterator[str]:
    async with database_template(
        postgres_url, "cf_tpl_gateway", _migrations_digest(), upgrade_database
    ) as name:
        yield name


@pytest.fixture(scope="session")
def database_copies(postgres_url: str, migrated_template: str) -> Iterator[MadeAhead[str]]:
    with template_copies(postgres_url, migrated_template) as copies:
        yield copies


@pytest.fixture
async def database_url(database_copies: MadeAhead[str]) -> AsyncIterator[str]:
    url = await asyncio.to_thread(database_copies.take)
    try:
        yield url
    finally:
        database_copies.give_back(url)


@pytest.fixture
async def empty_database_url(postgres_url: str) -> AsyncIterator[str]:
    async with fresh_database(postgres_url) as url:
        yield url
