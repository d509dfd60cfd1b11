"""What the app holds while it runs, as ``bootstrap`` built it: settings, the pool, the outbox
and its relay, the profile refiner, the result intake, the broker link, the per-user limits,
the password hashing, the browser sessions and the listener of changes."""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg

from careerflow_gateway.broker import BrokerLink
from careerflow_gateway.browser_sessions import BrowserSessions
from careerflow_gateway.limits import RateLimiter, StreamSlots
from careerflow_gateway.outbox import Outbox, OutboxRelay
from careerflow_gateway.passwords import PasswordHashing
from careerflow_gateway.profile_refine import ProfileRefiner
from careerflow_gateway.result_intake import ResultIntake
from careerflow_gateway.session_changes import SessionChanges
from careerflow_gateway.settings import GatewaySettings
from careerflow_messaging import Topology


@dataclass(frozen=True)
class GatewayState:
    settings: GatewaySettings
    topology: Topology
    pool: asyncpg.Pool
    relay: OutboxRelay
    outbox: Outbox
    refiner: ProfileRefiner
    intake: ResultIntake
    broker: BrokerLink
    limiter: RateLimiter
    stream_slots: StreamSlots
    passwords: PasswordHashing
    browser_sessions: BrowserSessions
    session_changes: SessionChanges
