"""The three limits and the slow rule, on a clock of plain numbers (no waiting, no wall clock)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from careerflow_llm.pace import (
    CallFigures,
    CallPace,
    Limit,
    ModelSpeed,
    PaceLimits,
    estimate_prompt_tokens,
    first_token_limit,
    stall_limit,
)

DEFAULTS = PaceLimits(
    first_token_s=300.0, first_token_floor_s=20.0, stall_s=30.0, stall_floor_s=10.0
)
PROMPT_TOKENS = 3000  # a resume, a job description and the instructions
LAPTOP_BUSY_S = 2048 / 15  # another service's longest answer at 15 tokens/s: 136.5 s
GPU_LIMIT_S = 3 * (2 + 3000 / 1500) + 2048 / 60  # 12 s + 34.1 s


def laptop_figures(output_tokens: int = 300) -> CallFigures:
    """What Ollama reports for a 3B model on a laptop CPU: 4 s load, reading 60 tokens/s,
    writing 15 tokens/s."""
    return CallFigures(
        load_s=4.0,
        prompt_tokens=PROMPT_TOKENS,
        prompt_s=PROMPT_TOKENS / 60,
        output_tokens=output_tokens,
        output_s=output_tokens / 15,
    )


def gpu_figures() -> CallFigures:
    return CallFigures(
        load_s=2.0, prompt_tokens=PROMPT_TOKENS, prompt_s=2.0, output_tokens=300, output_s=5.0
    )


def measured(*figures: CallFigures) -> ModelSpeed:
    speed = ModelSpeed()
    for one in figures:
        speed.record(one)
    return speed


def pace_for(
    speed: ModelSpeed,
    *,
    started: float = 0.0,
    budget_s: float = 600.0,
    budget_limit: Limit = Limit.BUDGET,
    slow_call_s: float = 20.0,
) -> CallPace:
    return CallPace(
        started=started,
        first_token_s=first_token_limit(DEFAULTS, speed, PROMPT_TOKENS),
        stall_s=stall_limit(DEFAULTS, speed),
        budget_s=budget_s,
        budget_limit=budget_limit,
        slow_call_s=slow_call_s,
    )


def stream_steadily(
    pace: CallPace, *, first_at: float, rate: float, seconds: float
) -> tuple[float, list[object]]:
    """Lines at ``rate`` a second from ``first_at`` for ``seconds``; the last time and the cuts."""
    cuts: list[object] = []
    tokens = round(seconds * rate)
    now = first_at
    for index in range(tokens + 1):
        now = first_at + index / rate
        cuts.append(pace.on_line(now))
    return now, [cut for cut in cuts if cut is not None]


# -- before any measurement: generous defaults ----------------------------------------------


def test_before_any_measurement_the_limits_are_the_generous_defaults() -> None:
    speed = ModelSpeed()
    assert first_token_limit(DEFAULTS, speed, PROMPT_TOKENS) == 300.0
    assert stall_limit(DEFAULTS, speed) == 30.0


def test_slow_but_steady_at_15_tokens_a_second_for_3_minutes_is_never_cut() -> None:
    # An 8B-like first token after almost three minutes, then three minutes of writing.
    for speed in (ModelSpeed(), measured(laptop_figures())):
        pace = pace_for(speed)
        first_at = 54.0 if speed.last else 140.0
        end, cuts = stream_steadily(pace, first_at=first_at, rate=15.0, seconds=180.0)
        assert cuts == []
        assert pace.lines == 15 * 180 + 1
        assert end - first_at == pytest.approx(180.0)
        assert not pace.is_slow(end), "writing time never makes a call slow"


def test_silent_after_some_tokens_is_cut_by_the_stall_limit() -> None:
    pace = pace_for(ModelSpeed())
    last, cuts = stream_steadily(pace, first_at=5.0, rate=15.0, seconds=2.0)
    assert cuts == []
    assert pace.due() == (pytest.approx(last + 30.0), Limit.STALL)
    assert pace.on_line(last + 29.9) is None  # a long pause, but within the limit
    cut = pace.on_line(last + 29.9 + 30.1)
    assert cut is not None
    assert (cut.limit, cut.slow) == (Limit.STALL, True)
    assert cut.detail == "the model went silent for 30 s after 32 tokens"


def test_no_first_token_within_its_limit_is_cut_and_slow() -> None:
    pace = pace_for(ModelSpeed())
    assert pace.due() == (300.0, Limit.FIRST_TOKEN)
    cut = pace.on_line(300.5)
    assert cut is not None
    assert (cut.limit, cut.slow, cut.detail) == (
        Limit.FIRST_TOKEN,
        True,
        "no first token within 300 s",
    )
    assert pace.lines == 0


def test_a_first_token_just_within_its_limit_is_taken() -> None:
    pace = pace_for(ModelSpeed(), started=1000.0)
    assert pace.on_line(1299.9) is None
    assert pace.first_token_wait_s == pytest.approx(299.9)
    assert pace.due() == (pytest.approx(1329.9), Limit.STALL)


# -- the stage budget and the event's deadline win ------------------------------------------


def test_the_stage_budget_bounds_a_model_that_keeps_writing() -> None:
    pace = pace_for(ModelSpeed(), budget_s=120.0)
    _, cuts = stream_steadily(pace, first_at=10.0, rate=15.0, seconds=109.0)
    assert cuts == []
    assert pace.due() == (120.0, Limit.BUDGET)
    cut = pace.on_line(120.05)
    assert cut is not None
    assert cut.limit is Limit.BUDGET
    assert cut.detail == "no answer within the stage budget of 120 s"
    assert (cut.seconds, cut.answering) == (120.0, True)
    # Cut for want of time, not for being stuck: failed, but not slow.
    assert cut.slow is False


def test_each_cut_carries_what_the_words_need_the_limit_and_whether_the_model_had_begun() -> None:
    """A person reads these (``careerflow_contracts.fallback_words``): a stall is the model
    stopping, a budget or deadline cut says whether the model had begun at all."""
    silent = pace_for(ModelSpeed(), budget_s=90.0)
    for limit, at, seconds in [
        (Limit.BUDGET, 90.0, 90.0),
        (Limit.DEADLINE, 90.0, 90.0),
        (Limit.FIRST_TOKEN, 300.0, 300.0),
    ]:
        cut = silent.cut(at, limit)
        assert (cut.limit, cut.seconds, cut.answering) == (limit, seconds, False)
    writing = pace_for(ModelSpeed(), budget_s=90.0)
    last, _ = stream_steadily(writing, first_at=5.0, rate=15.0, seconds=2.0)
    stalled = writing.cut(last + 30.5, Limit.STALL)
    assert (stalled.limit, stalled.seconds, stalled.answering) == (Limit.STALL, 30.0, True)
    late = writing.cut(90.0, Limit.DEADLINE)
    assert (late.limit, late.seconds, late.answering) == (Limit.DEADLINE, 90.0, True)


def test_the_budget_wins_over_the_first_token_limit() -> None:
    pace = pace_for(ModelSpeed(), budget_s=90.0)
    assert pace.due() == (90.0, Limit.BUDGET)


def test_the_events_deadline_wins_over_every_limit() -> None:
    pace = pace_for(measured(gpu_figures()), budget_s=4.5, budget_limit=Limit.DEADLINE)
    assert pace.first_token_s == pytest.approx(GPU_LIMIT_S)
    assert pace.due() == (4.5, Limit.DEADLINE)
    cut = pace.cut(4.5, Limit.DEADLINE)
    assert cut.detail == "no answer before the event's deadline (4.5 s)"


# -- adaptive limits after a measurement ----------------------------------------------------


def test_the_laptop_models_measured_speed_sets_its_limits() -> None:
    speed = measured(laptop_figures())
    # 3 x (4 s load + 3000 tokens at 60 tokens/s) + 2048 tokens at 15 tokens/s, near the ceiling
    assert first_token_limit(DEFAULTS, speed, PROMPT_TOKENS) == pytest.approx(162 + LAPTOP_BUSY_S)
    assert first_token_limit(DEFAULTS, speed, 600) == pytest.approx(3 * (4 + 10) + LAPTOP_BUSY_S)
    # 3 x reading one 512-token batch at 60 tokens/s: longer than 3 x a token's gap
    assert stall_limit(DEFAULTS, speed) == pytest.approx(3 * 512 / 60)


def test_a_fast_models_limits_stop_at_their_floors() -> None:
    speed = measured(gpu_figures())
    assert first_token_limit(DEFAULTS, speed, PROMPT_TOKENS) == pytest.approx(GPU_LIMIT_S)
    alone = replace(DEFAULTS, busy_answer_tokens=0)
    # 3 x 4 s + its own 300-token answer at 60 tokens/s = 17 s
    assert first_token_limit(alone, speed, PROMPT_TOKENS) == 20.0
    assert stall_limit(DEFAULTS, speed) == 10.0


def test_a_very_slow_models_limits_stop_at_the_defaults() -> None:
    crawl = CallFigures(
        load_s=30.0, prompt_tokens=3000, prompt_s=600.0, output_tokens=40, output_s=80.0
    )
    speed = measured(crawl)
    assert first_token_limit(DEFAULTS, speed, PROMPT_TOKENS) == 300.0
    assert stall_limit(DEFAULTS, speed) == 30.0


def test_a_hanging_model_is_caught_sooner_once_measured() -> None:
    before = pace_for(ModelSpeed())
    after = pace_for(measured(gpu_figures()))
    assert before.due()[0] == 300.0
    assert after.due() == (pytest.approx(GPU_LIMIT_S), Limit.FIRST_TOKEN)
    cut = after.on_line(GPU_LIMIT_S + 1.0)
    assert cut is not None and cut.limit is Limit.FIRST_TOKEN


def test_expected_rates_are_the_slowest_recent_and_the_load_the_largest_seen() -> None:
    warm = CallFigures(
        load_s=0.01, prompt_tokens=3000, prompt_s=25.0, output_tokens=300, output_s=10.0
    )
    speed = measured(laptop_figures(), warm)
    snapshot = speed.snapshot()
    assert snapshot["load_s"] == 4.0  # a reload after keep_alive costs the cold load again
    assert snapshot["prompt_tokens_per_s"] == 60.0  # slower of 60 and 120
    assert snapshot["output_tokens_per_s"] == 15.0
    assert snapshot["measured_calls"] == 2
    assert snapshot["last"]["prompt_tokens_per_s"] == 120.0
    for _ in range(5):  # the slow call slides out of the recent window
        speed.record(warm)
    assert speed.snapshot()["prompt_tokens_per_s"] == 120.0


def test_a_mostly_cached_prompt_or_a_tiny_answer_measures_no_rate() -> None:
    cached = CallFigures(load_s=0.0, prompt_tokens=5, prompt_s=0.01, output_tokens=2, output_s=0.1)
    assert (cached.prompt_tokens_per_s, cached.output_tokens_per_s) == (None, None)
    speed = measured(cached)
    assert first_token_limit(DEFAULTS, speed, PROMPT_TOKENS) == 300.0
    assert stall_limit(DEFAULTS, speed) == 30.0


# -- a call queued behind another call of the same client -----------------------------------


def test_a_call_queued_behind_a_writing_call_is_not_cut_while_that_one_writes() -> None:
    speed = measured(laptop_figures())
    waiting = pace_for(speed)  # sent at 0; its own first token is due by 298.5 s
    # Another call of the client writes from 54 s to 250 s, beyond the waiting call's limit.
    for other_line_at in (54.0, 150.0, 250.0):
        due, limit = waiting.due(queued_since=other_line_at)
        assert (due, limit) == (
            pytest.approx(other_line_at + 162 + LAPTOP_BUSY_S),
            Limit.FIRST_TOKEN,
        )
    assert waiting.on_line(300.0, queued_since=250.0) is None
    assert waiting.first_token_wait_s == pytest.approx(50.0)  # counted from the queue's end
    assert not waiting.is_slow(300.0)


EVALUATION_PROMPT_TOKENS = 440  # an answer and its question's expected points


def test_a_call_queued_behind_another_services_full_answer_is_not_cut() -> None:
    # Issue 12: on a one-slot laptop model an evaluation waits inside Ollama while question-gen
    # writes ten questions (1 500 tokens at 15 tokens/s = 100 s). That call belongs to another
    # process, so no line of it moves this call's clock: the limit itself must allow for it.
    speed = measured(laptop_figures())
    limit = first_token_limit(DEFAULTS, speed, EVALUATION_PROMPT_TOKENS)
    # 3 x (4 s + 440 / 60 tokens/s) = 34 s of its own, plus 2 048 tokens / 15 tokens/s = 136.5 s.
    assert limit == pytest.approx(3 * (4 + 440 / 60) + 2048 / 15)
    queued = CallPace(
        started=0.0, first_token_s=limit, stall_s=30.0, budget_s=600.0, slow_call_s=20.0
    )
    assert queued.on_line(120.0) is None
    hanging = CallPace(
        started=0.0, first_token_s=limit, stall_s=30.0, budget_s=600.0, slow_call_s=20.0
    )
    cut = hanging.on_line(limit + 1.0)
    assert cut is not None and cut.limit is Limit.FIRST_TOKEN and cut.slow


def test_the_allowance_for_a_busy_model_is_the_longest_answer_known() -> None:
    small = replace(DEFAULTS, busy_answer_tokens=300)
    speed = measured(laptop_figures())
    assert first_token_limit(small, speed, 600) == pytest.approx(3 * (4 + 10) + 300 / 15)
    # An answer longer than the configured one was measured: it is the longest known.
    speed.record(laptop_figures(output_tokens=900))
    assert first_token_limit(small, speed, 600) == pytest.approx(3 * (4 + 10) + 900 / 15)


# -- the slow rule --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first_token_at", "slow"),
    [(54.0, False), (150.0, False), (151.0, True)],
)
def test_a_first_token_after_half_its_limit_is_slow(first_token_at: float, slow: bool) -> None:
    pace = pace_for(ModelSpeed())  # limit 300 s, so slow after 150 s
    assert pace.on_line(first_token_at) is None
    assert pace.is_slow(first_token_at + 600.0) is slow


def test_the_breakers_slow_call_duration_is_the_least_wait_that_is_slow() -> None:
    pace = pace_for(measured(gpu_figures()), slow_call_s=30.0)  # limit 46.1 s; half is 23.1 s
    assert pace.on_line(25.0) is None
    assert not pace.is_slow(25.0)
    quick = pace_for(measured(gpu_figures()), slow_call_s=5.0)
    assert quick.on_line(25.0) is None
    assert quick.is_slow(25.0)


def test_a_call_that_failed_fast_before_its_first_token_is_not_slow() -> None:
    pace = pace_for(ModelSpeed())
    assert not pace.is_slow(0.2)  # connection refused, say
    assert pace.is_slow(151.0)  # a 500 after keeping us waiting


# -- Ollama's figures -----------------------------------------------------------------------


def test_figures_are_read_from_a_done_line_in_nanoseconds() -> None:
    line = {
        "done": True,
        "total_duration": 79_000_000_000,
        "load_duration": 4_000_000_000,
        "prompt_eval_count": 3000,
        "prompt_eval_duration": 50_000_000_000,
        "eval_count": 300,
        "eval_duration": 20_000_000_000,
    }
    figures = CallFigures.from_done_line(line)
    assert figures == laptop_figures()
    assert figures is not None
    assert (figures.prompt_tokens_per_s, figures.output_tokens_per_s) == (60.0, 15.0)


def test_figures_missing_or_nonsense_are_none_or_zero() -> None:
    assert CallFigures.from_done_line({"done": True}) is None
    assert CallFigures.from_done_line({"eval_count": "many"}) is None
    assert CallFigures.from_done_line({"eval_count": -3, "eval_duration": 5}) is None
    # Ollama leaves a zero counter out.
    only_output = CallFigures.from_done_line({"eval_count": 10, "eval_duration": 1_000_000_000})
    assert only_output == CallFigures(0.0, 0, 0.0, 10, 1.0)


def test_a_prompts_tokens_are_over_estimated() -> None:
    text = "Senior Python developer with six years of Django and PostgreSQL. " * 40
    # About four characters a token in English; the estimate counts three, plus the template.
    assert estimate_prompt_tokens([text]) > len(text) / 4
    assert estimate_prompt_tokens([text, "Answer in JSON."]) == round((len(text) + 15) / 3) + 16
