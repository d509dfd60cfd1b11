"""A circuit breaker for model calls, after resilience4j's count-based breaker.

States::

    CLOSED --(failure rate or slow-call rate >= threshold, over >= minimum_calls)--> OPEN
    OPEN --(wait_open_s passed; read on the next look at ``state``)--> HALF_OPEN
    HALF_OPEN --(the half_open_calls probes' rates both below threshold)--> CLOSED (window reset)
    HALF_OPEN --(otherwise)--> OPEN

CLOSED keeps the outcomes of the last ``window_size`` calls: whether each failed, and whether it
was slow, successful or not (a hanging model shows itself as slow calls before it shows as
failures). Who records an outcome says whether the call was slow: the Ollama client judges it by
the wait for the first token and by stalls, never by the time spent writing (see
:mod:`careerflow_llm.pace`). An outcome recorded with a duration only is slow when it took more
than ``slow_call_duration_s``. OPEN refuses every call. HALF_OPEN lets ``half_open_calls`` probes
through and refuses the rest until the probes have answered.

A configuration error (the model is missing, the request is refused as malformed) says nothing
about the model's health: it is counted and remembered for ``/health`` but never enters the window.

Use under asyncio: ``try_acquire()`` before the awaited call, then exactly one of ``on_success``,
``on_failure``, ``on_config_error`` or ``release`` after it. Every method is synchronous and short,
so no lock is ever held across the call itself; a threading lock still guards the state so that a
breaker shared with a thread (a health endpoint in another thread, say) reads consistently.

An outcome that arrives while OPEN (a call let in before the breaker opened) is counted in the
totals but changes nothing; one that arrives while HALF_OPEN is taken as a probe's outcome: either
way it is the model's latest behaviour.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any


class BreakerState(StrEnum):
    """Where the breaker is: letting calls through, refusing them, or probing."""

    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


@dataclass(frozen=True)
class BreakerConfig:
    """The breaker's thresholds; rates are fractions in (0, 1]."""

    window_size: int = 20
    minimum_calls: int = 5
    failure_rate_threshold: float = 0.5
    slow_call_rate_threshold: float = 0.8
    slow_call_duration_s: float = 20.0
    """A first token later than this (and than half its limit, see careerflow_llm.pace) makes a
    call slow; for an outcome recorded with a duration only, a call longer than this is slow."""
    wait_open_s: float = 30.0
    half_open_calls: int = 2

    def __post_init__(self) -> None:
        if self.window_size < 1 or self.minimum_calls < 1 or self.half_open_calls < 1:
            raise ValueError("window_size, minimum_calls and half_open_calls must be >= 1")
        for name in ("failure_rate_threshold", "slow_call_rate_threshold"):
            if not 0.0 < getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be in (0, 1]")
        if self.slow_call_duration_s <= 0 or self.wait_open_s < 0:
            raise ValueError("slow_call_duration_s must be > 0 and wait_open_s >= 0")


@dataclass(frozen=True)
class BreakerSnapshot:
    """The breaker at one instant, for ``/health`` and ``/metrics``.

    Rates and ``calls`` describe the current window (the probes while half-open); the counts
    (``successes`` … ``transitions``) are totals since the breaker was made.
    """

    state: BreakerState
    failure_rate: float
    slow_call_rate: float
    calls: int
    failed_calls: int
    slow_calls: int
    open_for_s: float | None
    remaining_wait_s: float | None
    successes: int
    failures: int
    slow: int
    rejected: int
    config_errors: int
    last_config_error: str | None
    transitions: int
    times_opened: int

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values (the state as its string)."""
        values = asdict(self)
        values["state"] = str(self.state)
        return values


# One call's outcome in the window: (failed, slow).
_Outcome = tuple[bool, bool]


class CircuitBreaker:
    """A count-based circuit breaker with slow-call detection and an injectable clock."""

    def __init__(
        self,
        config: BreakerConfig = BreakerConfig(),  # noqa: B008 - frozen, so sharing it is safe
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.config = config
        self._clock = clock
        self._lock = threading.Lock()
        self._state = BreakerState.CLOSED
        self._window: deque[_Outcome] = deque(maxlen=config.window_size)
        self._probes: list[_Outcome] = []
        self._probes_permitted = 0
        self._opened_at: float | None = None
        self._successes = self._failures = self._slow = self._rejected = 0
        self._config_errors = self._transitions = self._times_opened = 0
        self._last_config_error: str | None = None

    @property
    def state(self) -> BreakerState:
        """The current state; OPEN turns HALF_OPEN here once the wait has passed."""
        with self._lock:
            return self._current_state()

    def try_acquire(self) -> bool:
        """Whether a call may go to the model now; a refusal is counted as rejected."""
        with self._lock:
            state = self._current_state()
            if state is BreakerState.CLOSED:
                return True
            probes_left = self._probes_permitted < self.config.half_open_calls
            if state is BreakerState.HALF_OPEN and probes_left:
                self._probes_permitted += 1
                return True
            self._rejected += 1
            return False

    def on_success(self, duration_s: float, *, slow: bool | None = None) -> None:
        """Record a call that returned a usable answer after ``duration_s`` seconds; ``slow``
        is the caller's verdict (None: slow when longer than ``slow_call_duration_s``)."""
        self._record(failed=False, slow=self._is_slow(duration_s, slow))

    def on_failure(self, duration_s: float, *, slow: bool | None = None) -> None:
        """Record a call that failed (timeout, connection, 5xx, invalid output); ``slow`` as
        for :meth:`on_success`."""
        self._record(failed=True, slow=self._is_slow(duration_s, slow))

    def on_config_error(self, detail: str | None = None) -> None:
        """Record a configuration error: counted and reported, never a failure in the window."""
        with self._lock:
            self._config_errors += 1
            self._last_config_error = detail or "configuration error"
            self._give_back_probe()

    def release(self) -> None:
        """Forget a permitted call that ended without an outcome (its caller was cancelled)."""
        with self._lock:
            self._give_back_probe()

    def snapshot(self) -> BreakerSnapshot:
        """The state, the window's rates and the totals, read consistently."""
        with self._lock:
            state = self._current_state()
            outcomes = self._probes if state is BreakerState.HALF_OPEN else list(self._window)
            calls = len(outcomes)
            failed = sum(1 for f, _ in outcomes if f)
            slow = sum(1 for _, s in outcomes if s)
            open_for = remaining = None
            if state is BreakerState.OPEN and self._opened_at is not None:
                open_for = self._clock() - self._opened_at
                remaining = max(0.0, self.config.wait_open_s - open_for)
            return BreakerSnapshot(
                state=state,
                failure_rate=failed / calls if calls else 0.0,
                slow_call_rate=slow / calls if calls else 0.0,
                calls=calls,
                failed_calls=failed,
                slow_calls=slow,
                open_for_s=open_for,
                remaining_wait_s=remaining,
                successes=self._successes,
                failures=self._failures,
                slow=self._slow,
                rejected=self._rejected,
                config_errors=self._config_errors,
                last_config_error=self._last_config_error,
                transitions=self._transitions,
                times_opened=self._times_opened,
            )

    def _is_slow(self, duration_s: float, verdict: bool | None) -> bool:
        return duration_s > self.config.slow_call_duration_s if verdict is None else verdict

    # The methods below run with the lock held.

    def _current_state(self) -> BreakerState:
        if (
            self._state is BreakerState.OPEN
            and self._opened_at is not None
            and self._clock() - self._opened_at >= self.config.wait_open_s
        ):
            self._move_to(BreakerState.HALF_OPEN)
        return self._state

    def _record(self, *, failed: bool, slow: bool) -> None:
        with self._lock:
            if failed:
                self._failures += 1
            else:
                self._successes += 1
            self._slow += slow
            state = self._current_state()
            if state is BreakerState.CLOSED:
                self._window.append((failed, slow))
                minimum = min(self.config.minimum_calls, self.config.window_size)
                if len(self._window) >= minimum and self._over_threshold(self._window):
                    self._move_to(BreakerState.OPEN)
            elif state is BreakerState.HALF_OPEN:
                self._probes.append((failed, slow))
                if len(self._probes) >= self.config.half_open_calls:
                    healthy = not self._over_threshold(self._probes)
                    self._move_to(BreakerState.CLOSED if healthy else BreakerState.OPEN)

    def _over_threshold(self, outcomes: deque[_Outcome] | list[_Outcome]) -> bool:
        calls = len(outcomes)
        failure_rate = sum(1 for f, _ in outcomes if f) / calls
        slow_rate = sum(1 for _, s in outcomes if s) / calls
        return (
            failure_rate >= self.config.failure_rate_threshold
            or slow_rate >= self.config.slow_call_rate_threshold
        )

    def _give_back_probe(self) -> None:
        # A probe without a health outcome frees its place so that another call can probe.
        if self._state is BreakerState.HALF_OPEN and self._probes_permitted > len(self._probes):
            self._probes_permitted -= 1

    def _move_to(self, state: BreakerState) -> None:
        self._state = state
        self._transitions += 1
        self._probes.clear()
        self._probes_permitted = 0
        if state is BreakerState.OPEN:
            self._opened_at = self._clock()
            self._times_opened += 1
        else:
            self._opened_at = None
        if state is BreakerState.CLOSED:
            self._window.clear()
