"""Browser accounts: sign up, sign in, read and erase one; plain functions over the pool, as the
session commands are.

An account is an email (normalised by the contract: trimmed, NFC, lower case) and an argon2id
hash of its password (``passwords.py``); its id is the owner of the interviews made in the
browser, exactly as a bearer token's ``sub`` is. Signing up or in opens a browser session
(``browser_sessions.py``); the routes set its cookies.

A wrong email and a wrong password get the same 401, after the same work: an unknown email is
verified against a stand-in hash. The rate limits of signing in and up are keyed by a digest of
the email or the client address (``rate_key``), keyed with the gateway's secret, so the buckets
name no one and cannot be reversed by hashing a list of addresses. Neither emails nor passwords
are logged.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import uuid
from dataclasses import dataclass
from typing import Literal

import asyncpg

from careerflow_contracts.rest import AccountCreate, AccountView, SignIn
from careerflow_gateway.browser_sessions import BrowserSessions, OpenedSession
from careerflow_gateway.db.pool import Pool
from careerflow_gateway.errors import EmailTaken, SignInFailed
from careerflow_gateway.passwords import PasswordHashing
from careerflow_gateway.sessions import erase_session
from careerflow_gateway.settings import GatewaySettings

log = logging.getLogger(__name__)

RateKeyKind = Literal["signin_email", "signin_address", "signup_address"]


@dataclass(frozen=True)
class SignedIn:
    """An account with a new browser session."""

    account: AccountView
    opened: OpenedSession


def rate_key(kind: RateKeyKind, value: str, settings: GatewaySettings) -> str:
    """The rate bucket's key for ``value`` (an email or a client address): a digest keyed with
    a key derived from the gateway's secret."""
    secret = settings.jwt_secret.get_secret_value().encode()
    key = hmac.new(secret, b"careerflow rate-limit keys", hashlib.sha256).digest()
    return f"{kind}:" + hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def client_network(host: str | None) -> str:
    """The address a client is counted by: itself for IPv4, its /64 for IPv6 (one host can
    hold a whole /64), the text as given for anything else."""
    if not host:
        return "unknown"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


async def sign_up(
    pool: Pool, passwords: PasswordHashing, browser_sessions: BrowserSessions, body: AccountCreate
) -> SignedIn:
    """A new account for ``body.email`` with a browser session; ``EmailTaken`` when it is."""
    password_hash = await passwords.hash(body.password)
    user_id = uuid.uuid4()
    async with pool.acquire() as conn, conn.transaction():
        created = await conn.fetchval(
            "INSERT INTO users (id, email, password_hash) VALUES ($1, $2, $3)"
            " ON CONFLICT (email) DO NOTHING RETURNING id",
            user_id,
            body.email,
            password_hash,
        )
        if created is None:
            raise EmailTaken()
        opened = await browser_sessions.open(conn, str(user_id))
    log.info("account %s created", user_id)
    return SignedIn(AccountView(id=user_id, email=body.email), opened)


async def sign_in(
    pool: Pool, passwords: PasswordHashing, browser_sessions: BrowserSessions, body: SignIn
) -> SignedIn:
    """A new browser session for the account of ``body.email``; ``SignInFailed`` on a wrong
    pair."""
    row = await pool.fetchrow("SELECT id, password_hash FROM users WHERE email = $1", body.email)
    stored: str | None = row["password_hash"] if row is not None else None
    # Verified whether or not the account exists: the same work, the same answer.
    if not await passwords.verify(stored, body.password) or row is None or stored is None:
        raise SignInFailed()
    # Hashed again with today's parameters when they have changed since (before the
    # transaction: a hash takes a tenth of a second).
    renewed = await passwords.hash(body.password) if passwords.needs_rehash(stored) else None
    try:
        async with pool.acquire() as conn, conn.transaction():
            if renewed is not None:
                await conn.execute(
                    "UPDATE users SET password_hash = $2 WHERE id = $1 AND password_hash = $3",
                    row["id"],
                    renewed,
                    stored,
                )
            opened = await browser_sessions.open(conn, str(row["id"]))
    except asyncpg.ForeignKeyViolationError:
        # The account was erased between the check and now.
        raise SignInFailed() from None
    log.info("account %s signed in", row["id"])
    return SignedIn(AccountView(id=row["id"], email=body.email), opened)


async def erase_account(pool: Pool, user_id: str, email: str, settings: GatewaySettings) -> int:
    """Erase the account, its browser sessions, every interview in it (each the way
    ``DELETE /v1/sessions/{id}`` erases one) and its rate buckets, in one transaction; the
    number of interviews erased."""
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SELECT 1 FROM users WHERE id = $1::uuid FOR UPDATE", user_id)
        interviews = await conn.fetch(
            "SELECT id FROM sessions WHERE user_id = $1 ORDER BY id FOR UPDATE", user_id
        )
        for interview in interviews:
            await erase_session(conn, interview["id"])
        await conn.execute(
            "DELETE FROM rate_buckets WHERE user_id = ANY($1::text[])",
            [user_id, rate_key("signin_email", email, settings)],
        )
        await conn.execute("DELETE FROM event_stream_leases WHERE user_id = $1", user_id)
        # Its browser sessions go with it (ON DELETE CASCADE).
        await conn.execute("DELETE FROM users WHERE id = $1::uuid", user_id)
    log.info("account %s erased with %d interviews", user_id, len(interviews))
    return len(interviews)
