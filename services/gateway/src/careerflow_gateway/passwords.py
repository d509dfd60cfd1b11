"""Password hashes of browser accounts: argon2id through argon2-cffi, off the event loop.

The parameters are OWASP's first argon2id configuration (Password Storage Cheat Sheet): 19 MiB
of memory, 2 passes, 1 lane. RFC 9106's low-memory profile (64 MiB, 3 passes, 4 lanes, the
library's default) took about 0.8 s of both cores of this project's 2-core machine per sign-in,
which would make sign-in the cheapest way to stall a replica; OWASP's takes about a tenth of
that. The parameters are written into each hash, so raising them later rehashes each account at
its next sign-in (``needs_rehash``).

Hashing runs in a worker thread (argon2-cffi releases the GIL), at most ``concurrency`` at a time
so that a burst of sign-ins costs bounded memory and leaves cores to the rest of the API. A
verification for an account that does not exist runs against a hash of a random password, so
it costs the same as a real one and the answer's timing does not tell which emails have an
account.
"""

from __future__ import annotations

import asyncio
import secrets

import argon2
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MEMORY_KIB = 19 * 1024
TIME_COST = 2
PARALLELISM = 1


class PasswordHashing:
    """Hash and verify passwords with argon2id, in threads, ``concurrency`` at a time."""

    def __init__(
        self, *, hasher: argon2.PasswordHasher | None = None, concurrency: int = 2
    ) -> None:
        self._hasher = hasher or argon2.PasswordHasher(
            time_cost=TIME_COST,
            memory_cost=MEMORY_KIB,
            parallelism=PARALLELISM,
            type=argon2.Type.ID,
        )
        self._slots = asyncio.Semaphore(concurrency)
        # Made once, with the same parameters: what an unknown account is verified against.
        self._absent = self._hasher.hash(secrets.token_urlsafe(32))

    async def hash(self, password: str) -> str:
        """A new argon2id hash of ``password`` with a fresh random salt."""
        async with self._slots:
            return await asyncio.to_thread(self._hasher.hash, password)

    async def verify(self, stored: str | None, password: str) -> bool:
        """Whether ``password`` matches ``stored``; with no ``stored`` hash (no such account)
        the same work is done and the answer is no."""
        async with self._slots:
            return await asyncio.to_thread(self._verify, stored, password)

    def needs_rehash(self, stored: str) -> bool:
        """Whether ``stored`` was made with other parameters than today's."""
        try:
            return self._hasher.check_needs_rehash(stored)
        except InvalidHashError:
            return True

    def _verify(self, stored: str | None, password: str) -> bool:
        try:
            matched = self._hasher.verify(stored or self._absent, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
        return stored is not None and matched
