"""The model's pace: its measured speed, and the limits that tell a working model from a stuck one.

Ollama ends every answer with a line of what the model itself spent on it (``load_duration``,
``prompt_eval_count``/``_duration``, ``eval_count``/``_duration``, in nanoseconds).
:class:`ModelSpeed` keeps those figures from earlier calls; :class:`CallPace` holds one call to
three limits derived from them:

first token
    From sending the request to the first streamed line: loading the model, waiting for a free
    slot and reading the prompt. Before the model's speed is measured it is ``first_token_s``,
    generous enough for a 7-8B model to load and read a resume on a CPU. Once measured it is
    ``FIRST_TOKEN_FACTOR x (load + prompt tokens / prompt rate)`` plus the time the model takes
    to write one answer of the longest size known (``busy_answer_tokens``, or a longer answer
    this client measured) at its writing rate, kept within [``first_token_floor_s``,
    ``first_token_s``]. That allowance is for a model busy with another service's call: with
    one slot, this call waits inside Ollama until that answer is written, and no line of
    another process's call reaches this client. A call waiting while another call of the same
    client receives lines is queued behind it, not stuck: its first-token clock starts again at
    the other call's latest line.
stall
    The longest silence between two lines once the first has come: ``stall_s`` before any
    measurement, then ``STALL_FACTOR x`` the longest pause a working model makes (the gap between
    two tokens, or reading one 512-token batch of another call's prompt when Ollama serves several
    calls at once), kept within [``stall_floor_s``, ``stall_s``]. A model that keeps writing is
    never cut by it, however long its answer.
budget
    The whole call: ``min(budget_s, time left before the event's deadline)``. It bounds the two
    others, and the event's deadline wins over every other limit.

A call is *slow* for the circuit breaker when it was cut by the first-token or the stall limit,
or when it waited for its first token longer than both the breaker's ``slow_call_duration_s``
and half its first-token limit. The time spent writing never makes a call slow: a long answer at
a steady speed is a healthy one.

Everything here is synchronous and reads time only from the clock it is given, so that the rules
are tested with a fake clock.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

FIRST_TOKEN_FACTOR = 3.0
"""Margin over the expected time to the first token. The expectation already takes the slowest
rate of the recent calls, the largest load seen and an over-estimate of the prompt's tokens; three
times that lets the machine get three times slower than its slowest recent call (another program
on the CPU, a bigger resume) before a call is called stuck."""

STALL_FACTOR = 3.0
"""Margin over the longest pause a working model makes between two lines, for the same reason."""

SLOW_SHARE = 0.5
"""A first token that took more than this share of its limit makes the call slow: the model is
still working, but it is nearer to being cut than to its usual pace."""

PROMPT_BATCH_TOKENS = 512
"""Ollama's default ``num_batch``: a model serving several calls reads another call's prompt this
many tokens at a time, and every answer being written pauses meanwhile."""

CHARS_PER_TOKEN = 3.0
"""For estimating a prompt's tokens before sending it. English text runs near four characters a
token in the tokenizers of the usual models; three over-estimates, on the side of patience."""

RECENT_CALLS = 5
"""How many measured calls the expected rates are taken from (the slowest of them)."""

MIN_PROMPT_TOKENS = 32
"""A prompt read in fewer tokens (mostly cached by Ollama) says little about the reading rate."""

MIN_OUTPUT_TOKENS = 4
"""An answer shorter than this says little about the writing rate."""

BUSY_ANSWER_TOKENS = 2048
"""The longest answer another call sharing the model may be writing ahead of this one: the
largest ``num_predict`` any worker asks for (question-gen's ten questions). A client cannot see
the other services' settings, and its own ``num_predict`` (1024 for the evaluator) is shorter
than the answer it queues behind, so the figure is a setting of its own; the longest answer this
client has measured raises it, never lowers it. One answer, not several: a call queued behind
more than one full answer on a one-slot model is given up and falls back."""

_NS = 1e-9


class Limit(StrEnum):
    """Which limit ended a call."""

    FIRST_TOKEN = "first_token"
    STALL = "stall"
    BUDGET = "budget"
    DEADLINE = "deadline"


@dataclass(frozen=True)
class PaceLimits:
    """One service's limits before the model is measured, and the floors of the adaptive ones."""

    first_token_s: float
    first_token_floor_s: float
    stall_s: float
    stall_floor_s: float
    busy_answer_tokens: int = BUSY_ANSWER_TOKENS


@dataclass(frozen=True)
class CallFigures:
    """What the model spent on one answer (seconds, tokens): its own account on Ollama's last
    line, or what the client measured where the API gives none (then ``load_s`` is None: the
    load, if any, is in ``prompt_s``)."""

    load_s: float | None
    prompt_tokens: int
    prompt_s: float
    output_tokens: int
    output_s: float

    @classmethod
    def from_done_line(cls, line: Mapping[str, Any]) -> CallFigures | None:
        """The figures of a ``done: true`` line; None when they are missing or nonsense.

        Ollama leaves out a counter that is zero, so a missing one reads as 0.
        """
        try:
            values = [
                int(line.get(key) or 0)
                for key in (
                    "load_duration",
                    "prompt_eval_count",
                    "prompt_eval_duration",
                    "eval_count",
                    "eval_duration",
                )
            ]
        except (TypeError, ValueError):
            return None
        if any(value < 0 for value in values) or not any(values):
            return None
        load_ns, prompt_tokens, prompt_ns, output_tokens, output_ns = values
        return cls(load_ns * _NS, prompt_tokens, prompt_ns * _NS, output_tokens, output_ns * _NS)

    @property
    def prompt_tokens_per_s(self) -> float | None:
        """The reading rate, when enough of the prompt was read to tell."""
        if self.prompt_tokens < MIN_PROMPT_TOKENS or self.prompt_s <= 0:
            return None
        return self.prompt_tokens / self.prompt_s

    @property
    def output_tokens_per_s(self) -> float | None:
        """The writing rate, when the answer was long enough to tell."""
        if self.output_tokens < MIN_OUTPUT_TOKENS or self.output_s <= 0:
            return None
        return self.output_tokens / self.output_s

    def as_dict(self) -> dict[str, Any]:
        values: dict[str, Any] = {key: _round(value) for key, value in asdict(self).items()}
        values["prompt_tokens_per_s"] = _round(self.prompt_tokens_per_s)
        values["output_tokens_per_s"] = _round(self.output_tokens_per_s)
        return values


class ModelSpeed:
    """The model's speed as measured on earlier calls; safe to read from another thread.

    The expected rates are the slowest of the last ``RECENT_CALLS`` measurements, and the load is
    the largest ever seen (a model unloaded after its ``keep_alive`` loads again): the limits are
    meant to be generous to a working model.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._prompt_rates: deque[float] = deque(maxlen=RECENT_CALLS)
        self._output_rates: deque[float] = deque(maxlen=RECENT_CALLS)
        self._load_s: float | None = None
        self._longest_answer_tokens = 0
        self._last: CallFigures | None = None
        self._measured_calls = 0

    def record(self, figures: CallFigures) -> None:
        """Take in one answer's figures."""
        with self._lock:
            self._measured_calls += 1
            self._last = figures
            self._longest_answer_tokens = max(self._longest_answer_tokens, figures.output_tokens)
            if figures.load_s is not None:
                self._load_s = max(self._load_s or 0.0, figures.load_s)
            if (rate := figures.prompt_tokens_per_s) is not None:
                self._prompt_rates.append(rate)
            if (rate := figures.output_tokens_per_s) is not None:
                self._output_rates.append(rate)

    @property
    def last(self) -> CallFigures | None:
        """The latest call's own figures."""
        with self._lock:
            return self._last

    def expected_first_token_s(self, prompt_tokens: int) -> float | None:
        """Load plus reading ``prompt_tokens`` at the slowest recent rate; None before measured."""
        with self._lock:
            if not self._prompt_rates:
                return None
            return (self._load_s or 0.0) + prompt_tokens / min(self._prompt_rates)

    def busy_allowance_s(self, answer_tokens: int) -> float | None:
        """Writing one answer of ``answer_tokens`` (or the longest measured, if longer) at the
        slowest recent rate; None before the writing rate is measured."""
        with self._lock:
            if not self._output_rates:
                return None
            tokens = max(answer_tokens, self._longest_answer_tokens)
            return tokens / min(self._output_rates)

    def longest_pause_s(self) -> float | None:
        """The longest silence a working model makes between two lines; None before measured."""
        with self._lock:
            pauses = []
            if self._output_rates:
                pauses.append(1.0 / min(self._output_rates))
            if self._prompt_rates:
                pauses.append(PROMPT_BATCH_TOKENS / min(self._prompt_rates))
            return max(pauses) if pauses else None

    def snapshot(self) -> dict[str, Any]:
        """The measured figures, JSON-ready, for ``/health``."""
        with self._lock:
            return {
                "measured_calls": self._measured_calls,
                "load_s": _round(self._load_s),
                "prompt_tokens_per_s": _round(min(self._prompt_rates, default=None)),
                "output_tokens_per_s": _round(min(self._output_rates, default=None)),
                "last": None if self._last is None else self._last.as_dict(),
            }


def estimate_prompt_tokens(texts: list[str]) -> int:
    """A generous estimate of the tokens the model reads for these messages."""
    # A few tokens of the chat template around every message.
    return round(sum(len(text) for text in texts) / CHARS_PER_TOKEN) + 8 * len(texts)


def first_token_limit(limits: PaceLimits, speed: ModelSpeed, prompt_tokens: int) -> float:
    """The longest wait for the first line of a call that reads ``prompt_tokens``.

    Its own expected wait, with margin, plus one answer of the longest size known that another
    service's call may be writing ahead of it (not multiplied: the writing rate is the slowest
    recent one already, and the margin of the own part covers a slower machine). Until both
    rates are measured, the ceiling.
    """
    expected = speed.expected_first_token_s(prompt_tokens)
    busy = speed.busy_allowance_s(limits.busy_answer_tokens)
    if expected is None or busy is None:
        return limits.first_token_s
    return _clamp(
        FIRST_TOKEN_FACTOR * expected + busy, limits.first_token_floor_s, limits.first_token_s
    )


def stall_limit(limits: PaceLimits, speed: ModelSpeed) -> float:
    """The longest silence between two lines once the first has come."""
    pause = speed.longest_pause_s()
    if pause is None:
        return limits.stall_s
    return _clamp(STALL_FACTOR * pause, limits.stall_floor_s, limits.stall_s)


@dataclass(frozen=True)
class Cut:
    """Why a call was ended: the limit, a short detail for logs, and whether the breaker counts
    it as slow; the limit's seconds and whether the model was answering are the data a result
    carries (``careerflow_contracts.fallback_words`` says them: a stall as the model stopping,
    not as the call taking too long)."""

    limit: Limit
    detail: str
    slow: bool
    seconds: float = 0.0
    """The limit that was reached, in seconds."""
    answering: bool = False
    """Whether the model had begun its answer."""


class CallPace:
    """One call's timeline against its limits, in the seconds of the client's clock.

    ``queued_since`` (the latest line any other call of the client received) moves the start of
    the first-token clock: see the module docstring.
    """

    def __init__(
        self,
        *,
        started: float,
        first_token_s: float,
        stall_s: float,
        budget_s: float,
        budget_limit: Limit = Limit.BUDGET,
        slow_call_s: float,
    ) -> None:
        self.started = started
        self.first_token_s = first_token_s
        self.stall_s = stall_s
        self.budget_s = budget_s
        self.budget_limit = budget_limit
        self.slow_after_s = max(slow_call_s, SLOW_SHARE * first_token_s)
        self.first_token_wait_s: float | None = None
        self.last_line_at: float | None = None
        self.lines = 0
        self.figures: CallFigures | None = None  # the model's own account, once it answered

    def _waiting_since(self, queued_since: float | None) -> float:
        if queued_since is None:
            return self.started
        return max(self.started, queued_since)

    def due(self, queued_since: float | None = None) -> tuple[float, Limit]:
        """When the call is to be cut if no line comes before, and by which limit."""
        budget_end = self.started + self.budget_s
        if self.last_line_at is None:
            phase = (self._waiting_since(queued_since) + self.first_token_s, Limit.FIRST_TOKEN)
        else:
            phase = (self.last_line_at + self.stall_s, Limit.STALL)
        return (budget_end, self.budget_limit) if budget_end <= phase[0] else phase

    def on_line(self, now: float, queued_since: float | None = None) -> Cut | None:
        """Take in a line received at ``now``; the cut if it came after its limit."""
        when, limit = self.due(queued_since)
        if now > when:
            return self.cut(now, limit, queued_since)
        if self.last_line_at is None:
            self.first_token_wait_s = now - self._waiting_since(queued_since)
        self.last_line_at = now
        self.lines += 1
        return None

    def cut(self, now: float, limit: Limit, queued_since: float | None = None) -> Cut:
        """The call ended by ``limit`` at ``now``."""
        limit_s = {Limit.FIRST_TOKEN: self.first_token_s, Limit.STALL: self.stall_s}.get(
            limit, self.budget_s
        )
        seconds = _seconds(limit_s)
        if limit is Limit.FIRST_TOKEN:
            detail = f"no first token within {seconds} s"
        elif limit is Limit.STALL:
            detail = f"the model went silent for {seconds} s after {self.lines} tokens"
        elif limit is Limit.DEADLINE:
            detail = f"no answer before the event's deadline ({seconds} s)"
        else:
            detail = f"no answer within the stage budget of {seconds} s"
        stuck = limit in (Limit.FIRST_TOKEN, Limit.STALL)
        slow = stuck or self.is_slow(now, queued_since)
        return Cut(limit, detail, slow, round(limit_s, 1), self.lines > 0)

    def is_slow(self, now: float, queued_since: float | None = None) -> bool:
        """Whether the wait for the first token (so far, if none came) makes the call slow."""
        waited = self.first_token_wait_s
        if waited is None:
            waited = now - self._waiting_since(queued_since)
        return waited > self.slow_after_s

    def as_dict(self) -> dict[str, Any]:
        """The call's limits and what it did, JSON-ready, for ``/health``."""
        return {
            "first_token_limit_s": _round(self.first_token_s),
            "stall_limit_s": _round(self.stall_s),
            "budget_s": _round(self.budget_s),
            "first_token_s": _round(self.first_token_wait_s),
            "lines": self.lines,
        }


def _clamp(value: float, low: float, high: float) -> float:
    # The ceiling wins over the floor, so a tiny ``first_token_s`` (a test's) is obeyed.
    return min(high, max(low, value))


def _seconds(value: float) -> str:
    return f"{round(value, 1):g}"


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)
