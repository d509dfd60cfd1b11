"""The gateway's one wiring: ``running_gateway`` builds the object graph through constructors,
starts what runs in the background, and stops it all in reverse.

    pool ─┬─ OutboxRelay ◀─ wake ─┬─ Outbox             the commands' transactions
          │                       ├─ ProfileRefiner     a refine asked for
          │                       └─ ResultIntake       a result applied (wakes the refiner too)
          ├─ RateLimiter, StreamSlots, BrowserSessions
          └─ BrokerLink(relay, intake)                  hands the relay its publisher and the
                                                        intake its consumer while connected
    SessionChanges (its own connection), PasswordHashing

Start-up: apply migrations (unless disabled), open the pool, start listening for session changes
(for the event streams), start the outbox relay and the profile refiner, and start the broker
link in the background (the API serves even while the broker is away). Shut-down runs in
reverse: refiner, relay, listener, broker link, pool.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from careerflow_gateway.broker import BrokerLink
from careerflow_gateway.browser_sessions import BrowserSessions
from careerflow_gateway.db import create_pool, upgrade_database
from careerflow_gateway.limits import Rate, RateLimiter, StreamSlots
from careerflow_gateway.outbox import Outbox, OutboxRelay
from careerflow_gateway.passwords import PasswordHashing
from careerflow_gateway.profile_refine import ProfileRefiner
from careerflow_gateway.result_intake import ResultIntake
from careerflow_gateway.session_changes import SessionChanges
from careerflow_gateway.settings import GatewaySettings
from careerflow_gateway.state import GatewayState
from careerflow_gateway.stopping import finish_within
from careerflow_messaging import Topology


async def build_gateway(
    settings: GatewaySettings, *, topology: Topology, clock: Callable[[], float]
) -> GatewayState:
    """Every object the gateway runs with, connected to each other; nothing started yet.
    ``clock`` is the epoch clock of the per-user limits and of browser sessions."""
    if settings.migrate_on_start:
        await upgrade_database(settings.database_url)
    pool = await create_pool(
        settings.database_url,
        min_size=settings.db_pool_min,
        max_size=settings.db_pool_max,
        acquire_timeout_s=settings.db_acquire_timeout_s,
    )
    relay = OutboxRelay(
        pool,
        batch_size=settings.relay_batch_size,
        poll_interval_s=settings.relay_poll_interval_s,
        retry_max_s=settings.relay_retry_max_s,
        retention_s=settings.outbox_retention_s,
    )
    refiner = ProfileRefiner(pool, settings, on_requested=relay.wake)

    def result_applied() -> None:
        relay.wake()  # what the result asked for is in the outbox
        refiner.wake()  # work a candidate waited for may have ended: the model may be free

    intake = ResultIntake(pool, settings, on_applied=result_applied)
    return GatewayState(
        settings=settings,
        topology=topology,
        pool=pool,
        relay=relay,
        outbox=Outbox(pool, committed=relay.wake),
        refiner=refiner,
        intake=intake,
        broker=BrokerLink(settings.amqp_url, topology, relay, intake, prefetch=settings.prefetch),
        limiter=RateLimiter(
            pool,
            {
                "session_create": Rate(
                    settings.session_create_limit, settings.session_create_window_s
                ),
                "regenerate": Rate(settings.regenerate_limit, settings.regenerate_window_s),
                "signin_email": Rate(settings.signin_email_limit, settings.signin_email_window_s),
                "signin_address": Rate(
                    settings.signin_address_limit, settings.signin_address_window_s
                ),
                "signup_address": Rate(
                    settings.signup_address_limit, settings.signup_address_window_s
                ),
            },
            clock=clock,
        ),
        stream_slots=StreamSlots(
            pool,
            per_user=settings.event_streams_per_user,
            lease_s=settings.event_stream_lease_s,
            clock=clock,
        ),
        # Made in a thread: the stand-in hash for unknown emails takes a tenth of a second.
        passwords=await asyncio.to_thread(
            PasswordHashing, concurrency=settings.password_hash_concurrency
        ),
        browser_sessions=BrowserSessions(pool, ttl_s=settings.browser_session_ttl_s, clock=clock),
        session_changes=SessionChanges(
            settings.database_url, check_s=settings.sse_listener_check_s
        ),
    )


@asynccontextmanager
async def running_gateway(
    settings: GatewaySettings, *, topology: Topology, clock: Callable[[], float]
) -> AsyncIterator[GatewayState]:
    """The gateway built and running, for as long as the block lasts."""
    gateway = await build_gateway(settings, topology=topology, clock=clock)
    gateway.session_changes.start()
    gateway.relay.start()
    gateway.refiner.start()
    gateway.broker.start()
    try:
        yield gateway
    finally:
        await gateway.refiner.stop()
        await gateway.relay.stop()
        await gateway.session_changes.stop()
        await gateway.broker.stop(settings.shutdown_grace_s)
        if not await finish_within("database pool close", gateway.pool.close(), 10.0):
            gateway.pool.terminate()
