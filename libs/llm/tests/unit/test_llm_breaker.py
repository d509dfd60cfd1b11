"""The breaker's state machine, driven by a fake clock."""

from __future__ import annotations

import pytest

from careerflow_llm.breaker import BreakerConfig, BreakerState, CircuitBreaker
from careerflow_testing.clock import FakeClock

CONFIG = BreakerConfig(
    window_size=10,
    minimum_calls=4,
    failure_rate_threshold=0.5,
    slow_call_rate_threshold=0.75,
    slow_call_duration_s=5.0,
    wait_open_s=30.0,
    half_open_calls=2,
)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def breaker(clock: FakeClock) -> CircuitBreaker:
    return CircuitBreaker(CONFIG, clock=clock)


def call(breaker: CircuitBreaker, *, ok: bool, duration_s: float = 0.1) -> None:
    assert breaker.try_acquire()
    if ok:
        breaker.on_success(duration_s)
    else:
        breaker.on_failure(duration_s)


def open_breaker(breaker: CircuitBreaker) -> None:
    for _ in range(CONFIG.minimum_calls):
        call(breaker, ok=False)
    assert breaker.state is BreakerState.OPEN


def take_every_probe_place(breaker: CircuitBreaker, clock: FakeClock) -> None:
    """Open the breaker, wait it out, and take every probe place: the next call is refused."""
    open_breaker(breaker)
    clock.advance(CONFIG.wait_open_s)
    for _ in range(CONFIG.half_open_calls):
        assert breaker.try_acquire()
    assert not breaker.try_acquire()


def test_starts_closed_and_lets_calls_through(breaker: CircuitBreaker) -> None:
    assert breaker.state is BreakerState.CLOSED
    assert breaker.try_acquire()
    snapshot = breaker.snapshot()
    assert (snapshot.calls, snapshot.failure_rate, snapshot.rejected) == (0, 0.0, 0)


def test_stays_closed_below_minimum_calls_even_if_all_fail(breaker: CircuitBreaker) -> None:
    for _ in range(CONFIG.minimum_calls - 1):
        call(breaker, ok=False)
    assert breaker.state is BreakerState.CLOSED
    assert breaker.snapshot().failure_rate == 1.0


def test_opens_when_failure_rate_reaches_threshold(breaker: CircuitBreaker) -> None:
    call(breaker, ok=True)
    call(breaker, ok=True)
    call(breaker, ok=False)
    assert breaker.state is BreakerState.CLOSED  # 1/3, below minimum calls anyway
    call(breaker, ok=False)  # 2/4 = 0.5 >= 0.5
    assert breaker.snapshot().state is BreakerState.OPEN
    snapshot = breaker.snapshot()
    assert snapshot.times_opened == 1
    assert snapshot.remaining_wait_s == pytest.approx(30.0)


def test_stays_closed_when_failure_rate_below_threshold(breaker: CircuitBreaker) -> None:
    for ok in (True, True, False, True, True, False, True):
        call(breaker, ok=ok)
    assert breaker.state is BreakerState.CLOSED
    assert breaker.snapshot().failure_rate == pytest.approx(2 / 7)


def test_window_forgets_old_outcomes(breaker: CircuitBreaker) -> None:
    # Three failures spread among successes never reach half of the last ten calls.
    for _ in range(3):
        call(breaker, ok=False)
        for _ in range(3):
            call(breaker, ok=True)
    assert breaker.state is BreakerState.CLOSED
    snapshot = breaker.snapshot()
    assert snapshot.calls == CONFIG.window_size
    assert snapshot.failed_calls == 2  # the first failure slid out of the window


def test_opens_on_slow_successes(breaker: CircuitBreaker) -> None:
    call(breaker, ok=True, duration_s=6.0)
    call(breaker, ok=True, duration_s=6.0)
    call(breaker, ok=True, duration_s=1.0)
    call(breaker, ok=True, duration_s=6.0)  # 3/4 slow = 0.75 >= 0.75, no failure at all
    assert breaker.state is BreakerState.OPEN
    snapshot = breaker.snapshot()
    assert (snapshot.successes, snapshot.failures, snapshot.slow) == (4, 0, 3)


def test_a_call_exactly_at_the_slow_duration_is_not_slow(breaker: CircuitBreaker) -> None:
    for _ in range(4):
        call(breaker, ok=True, duration_s=CONFIG.slow_call_duration_s)
    assert breaker.state is BreakerState.CLOSED
    assert breaker.snapshot().slow_call_rate == 0.0


def test_open_rejects_and_counts_rejections(breaker: CircuitBreaker, clock: FakeClock) -> None:
    open_breaker(breaker)
    clock.advance(29.9)
    assert not breaker.try_acquire()
    assert not breaker.try_acquire()
    snapshot = breaker.snapshot()
    assert snapshot.state is BreakerState.OPEN
    assert snapshot.rejected == 2
    assert snapshot.remaining_wait_s == pytest.approx(0.1)


def test_turns_half_open_after_wait_and_allows_only_the_probes(
    breaker: CircuitBreaker, clock: FakeClock
) -> None:
    take_every_probe_place(breaker, clock)
    assert breaker.state is BreakerState.HALF_OPEN
    assert breaker.snapshot().rejected == 1


def test_successful_probes_close_and_reset_the_window(
    breaker: CircuitBreaker, clock: FakeClock
) -> None:
    open_breaker(breaker)
    clock.advance(30.0)
    call(breaker, ok=True)
    assert breaker.state is BreakerState.HALF_OPEN  # one probe answered out of two
    call(breaker, ok=True)
    assert breaker.snapshot().state is BreakerState.CLOSED
    snapshot = breaker.snapshot()
    assert snapshot.calls == 0
    # closed -> open -> half_open -> closed
    assert snapshot.transitions == 3
    # A fresh window: a single failure does not reopen it.
    call(breaker, ok=False)
    assert breaker.snapshot().state is BreakerState.CLOSED


def test_failed_probe_reopens_for_another_wait(breaker: CircuitBreaker, clock: FakeClock) -> None:
    open_breaker(breaker)
    clock.advance(30.0)
    call(breaker, ok=True)
    call(breaker, ok=False)  # 1/2 failed = 0.5 >= 0.5
    assert breaker.state is BreakerState.OPEN
    assert breaker.snapshot().times_opened == 2
    clock.advance(29.0)
    assert not breaker.try_acquire()
    clock.advance(1.0)
    assert breaker.snapshot().state is BreakerState.HALF_OPEN


def test_slow_probes_reopen(breaker: CircuitBreaker, clock: FakeClock) -> None:
    open_breaker(breaker)
    clock.advance(30.0)
    call(breaker, ok=True, duration_s=9.0)
    call(breaker, ok=True, duration_s=9.0)
    assert breaker.state is BreakerState.OPEN


def test_config_errors_are_counted_but_never_open_the_breaker(breaker: CircuitBreaker) -> None:
    for _ in range(10):
        assert breaker.try_acquire()
        breaker.on_config_error("model 'x' not found")
    snapshot = breaker.snapshot()
    assert snapshot.state is BreakerState.CLOSED
    assert snapshot.calls == 0
    assert snapshot.config_errors == 10
    assert snapshot.last_config_error == "model 'x' not found"
    assert (snapshot.failures, snapshot.successes) == (0, 0)


def test_config_error_during_half_open_frees_the_probe_place(
    breaker: CircuitBreaker, clock: FakeClock
) -> None:
    take_every_probe_place(breaker, clock)
    breaker.on_config_error("bad request")
    assert breaker.try_acquire()  # the place came back
    breaker.on_success(0.1)
    breaker.on_success(0.1)
    assert breaker.state is BreakerState.CLOSED


def test_release_frees_a_probe_place_without_an_outcome(
    breaker: CircuitBreaker, clock: FakeClock
) -> None:
    take_every_probe_place(breaker, clock)
    breaker.release()
    assert breaker.try_acquire()
    assert breaker.state is BreakerState.HALF_OPEN


def test_outcome_arriving_while_open_is_counted_but_changes_nothing(
    breaker: CircuitBreaker,
) -> None:
    # Five calls let in while closed; four fail and open the breaker; the fifth answers late.
    for _ in range(5):
        assert breaker.try_acquire()
    for _ in range(4):
        breaker.on_failure(0.1)
    assert breaker.state is BreakerState.OPEN
    breaker.on_success(0.1)
    snapshot = breaker.snapshot()
    assert snapshot.state is BreakerState.OPEN
    assert (snapshot.successes, snapshot.failures) == (1, 4)


def test_minimum_calls_above_window_size_uses_the_window(clock: FakeClock) -> None:
    breaker = CircuitBreaker(BreakerConfig(window_size=3, minimum_calls=10), clock=clock)
    for _ in range(3):
        call(breaker, ok=False)
    assert breaker.state is BreakerState.OPEN


def test_snapshot_as_dict_is_json_ready(breaker: CircuitBreaker, clock: FakeClock) -> None:
    open_breaker(breaker)
    clock.advance(10.0)
    values = breaker.snapshot().as_dict()
    assert values["state"] == "open"
    assert isinstance(values["state"], str) and not isinstance(values["state"], BreakerState)
    assert values["open_for_s"] == pytest.approx(10.0)
    assert values["remaining_wait_s"] == pytest.approx(20.0)
    assert values["failure_rate"] == 1.0
    assert {"successes", "failures", "slow", "rejected", "config_errors", "transitions"} <= set(
        values
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        {"window_size": 0},
        {"minimum_calls": 0},
        {"half_open_calls": 0},
        {"failure_rate_threshold": 0.0},
        {"slow_call_rate_threshold": 1.5},
        {"slow_call_duration_s": 0.0},
        {"wait_open_s": -1.0},
    ],
)
def test_config_rejects_nonsense(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        BreakerConfig(**kwargs)  # type: ignore[arg-type]


def test_the_callers_slow_verdict_wins_over_the_duration(breaker: CircuitBreaker) -> None:
    # The client's pace says whether a call was slow: ten minutes of steady writing is not,
    # a stall cut after 3 s is.
    for _ in range(CONFIG.minimum_calls):
        assert breaker.try_acquire()
        breaker.on_success(600.0, slow=False)
    assert breaker.state is BreakerState.CLOSED
    assert breaker.snapshot().slow == 0
    assert breaker.try_acquire()
    breaker.on_failure(3.0, slow=True)
    snapshot = breaker.snapshot()
    assert (snapshot.slow, snapshot.slow_calls, snapshot.failures) == (1, 1, 1)


def test_slow_verdicts_alone_open_the_breaker(breaker: CircuitBreaker) -> None:
    for _ in range(3):
        assert breaker.try_acquire()
        breaker.on_success(1.0, slow=True)
    assert breaker.try_acquire()
    breaker.on_success(1.0, slow=False)
    assert breaker.state is BreakerState.OPEN  # 3/4 slow >= 0.75, no failure at all
