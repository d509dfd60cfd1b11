"""Password hashes: argon2id with the parameters the README states, a verification that costs
the same whether or not the account exists, and a bounded number of hashes at a time."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import argon2

from careerflow_gateway.passwords import MEMORY_KIB, PARALLELISM, TIME_COST, PasswordHashing
from careerflow_testing.waiting import wait_until

PASSWORD = "correct horse battery staple"


class CountingHasher(argon2.PasswordHasher):
    """argon2-cffi's hasher, counting the verifications it is asked for."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.verified = 0

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:  # noqa: A002
        self.verified += 1
        return super().verify(hash, password)


async def test_a_hash_is_argon2id_with_the_stated_parameters_and_a_fresh_salt() -> None:
    hashing = PasswordHashing()
    first = await hashing.hash(PASSWORD)
    second = await hashing.hash(PASSWORD)
    assert first.startswith(f"$argon2id$v=19$m={MEMORY_KIB},t={TIME_COST},p={PARALLELISM}$")
    assert (MEMORY_KIB, TIME_COST, PARALLELISM) == (19 * 1024, 2, 1)
    assert first != second  # a random salt each time
    assert PASSWORD not in first


async def test_the_right_password_verifies_and_a_wrong_one_does_not() -> None:
    hashing = PasswordHashing()
    stored = await hashing.hash(PASSWORD)
    assert await hashing.verify(stored, PASSWORD)
    assert not await hashing.verify(stored, PASSWORD + "!")
    assert not await hashing.verify(stored, PASSWORD.upper())


async def test_an_unknown_account_costs_one_verification_like_a_known_one() -> None:
    hasher = CountingHasher(time_cost=TIME_COST, memory_cost=MEMORY_KIB, parallelism=PARALLELISM)
    hashing = PasswordHashing(hasher=hasher)
    stored = await hashing.hash(PASSWORD)

    hasher.verified = 0
    assert not await hashing.verify(stored, "a wrong password")
    assert hasher.verified == 1
    # No stored hash (no such account): an argon2 verification runs all the same, and fails.
    assert not await hashing.verify(None, PASSWORD)
    assert hasher.verified == 2


async def test_a_stored_value_that_is_no_hash_fails_verification_instead_of_raising() -> None:
    hashing = PasswordHashing()
    assert not await hashing.verify("not a hash", PASSWORD)
    assert not await hashing.verify("$argon2id$v=19$m=65536,t=3,p=4$garbage", PASSWORD)


async def test_a_hash_made_with_other_parameters_asks_to_be_rehashed() -> None:
    hashing = PasswordHashing()
    older = argon2.PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
    weaker = older.hash(PASSWORD)
    assert await hashing.verify(weaker, PASSWORD)  # still accepted ...
    assert hashing.needs_rehash(weaker)  # ... and to be replaced at this sign-in
    assert not hashing.needs_rehash(await hashing.hash(PASSWORD))


class GatedHasher(argon2.PasswordHasher):
    """Once the test closes the gate, blocks every hash until it opens it again; records how
    many ran at once. The gate starts open: ``PasswordHashing`` hashes once as it is made."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=8 * 1024, parallelism=1)
        self.gate = threading.Event()
        self.gate.set()
        self.lock = threading.Lock()
        self.running = 0
        self.most = 0

    def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
        with self.lock:
            self.running += 1
            self.most = max(self.most, self.running)
        self.gate.wait(timeout=30)
        with self.lock:
            self.running -= 1
        return super().hash(password, salt=salt)


async def test_no_more_hashes_run_at_once_than_the_bound() -> None:
    hasher = GatedHasher()
    hashing = PasswordHashing(hasher=hasher, concurrency=2)
    hasher.gate.clear()
    jobs = [asyncio.create_task(hashing.hash(f"{PASSWORD} {n}")) for n in range(5)]
    await wait_until(lambda: hasher.running == 2, interval_s=0.01, message="two hashes running")
    hasher.gate.set()
    hashes = await asyncio.gather(*jobs)
    assert len(set(hashes)) == 5
    # Had the bound not been kept, the other three would have started while the gate was shut.
    assert hasher.most == 2
