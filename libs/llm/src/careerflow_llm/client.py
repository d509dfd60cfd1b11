"""The model client every worker uses: one call, one result, never an exception for a model fault.

``LLMClient.chat`` streams a chat request asking for JSON of the expected output's schema, in
the API of the service's model server (an adapter of :mod:`careerflow_llm.chat_api`: Ollama's
native ``/api/chat`` by default, or the OpenAI-compatible ``/chat/completions``), and holds the
call to three limits (see :mod:`careerflow_llm.pace`): the time to
the first token, the longest silence between tokens once they flow, and the budget of the whole
call, ``min(settings.budget_s, time left before the event's deadline - settings.publish_reserve_s)``
(the reserve leaves the caller time to write its fallback and publish the result before the
event's deadline, even when the model hangs to the last moment). The first two adapt to the speed
the model showed on earlier calls, which is kept in ``client.speed``. It returns an
:class:`LLMResult`: the validated output, or the reason to fall back. The limits, the breaker,
the output guards and the reasons below are the same whichever the API: only the wire is the
adapter's.

How each failure is classified (and whether the breaker counts it as a failure):

=========================================================  ====================  ==============
what happened                                              fallback_reason       breaker
=========================================================  ====================  ==============
``settings.enabled`` is false                              ``disabled``          not asked
less than ``min_time_left_s`` before the event deadline    ``deadline_exceeded`` not asked
the breaker refuses the call (no request is sent)          ``breaker_open``      rejected
connection refused or not made in ``connect_timeout_s``,   ``connection_error``  failure
or dropped before the answer was complete
no first token within its limit, a stall between tokens,   ``timeout``           failure
the budget or the event's deadline, the write or pool
timeout
HTTP 5xx (503 busy included), 408, 429 (rate limited)     ``model_error``       failure
an error line in the middle of the stream                  ``model_error``       failure
a stream line the adapter cannot read                      ``model_error``       failure
other HTTP 4xx (404 model missing, 400, 401 bad key)       ``model_error``       config error
the stream ended before its end and before a finish        ``invalid_output``    failure
the model stopped at the token limit (``length``)          ``invalid_output``    failure
not JSON, not the schema, or ``check`` raised ValueError   ``invalid_output``    failure
=========================================================  ====================  ==============

A truncated stream and a length-cut answer are ``invalid_output`` because the server answered
and the answer is unusable; a mid-stream ``error`` line is ``model_error`` because the server
said that it failed. Whatever the outcome, the breaker is also told whether the call was *slow*:
cut for want of a first token or by a stall, or a first token later than the pace's slow mark.
A long answer written at a steady speed is never slow.

A caller's cancellation is not a model failure: it propagates, and the breaker forgets the call.
Logs carry the model, the reason, the duration and the short detail, never the prompt, the answer
or the API key (a detail that would hold it is masked).
"""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, Literal, TypeVar

import httpx
from pydantic import BaseModel, ConfigDict

from careerflow_contracts import FallbackDetail, FallbackReason, utc_now
from careerflow_llm.breaker import CircuitBreaker
from careerflow_llm.chat_api import (
    ChatAPI,
    Measured,
    StreamLine,
    UnreadableLine,
    Usage,
    error_text,
)
from careerflow_llm.ollama_api import OllamaAPI
from careerflow_llm.openai_api import OpenAIAPI
from careerflow_llm.output import InvalidOutput, parse_output
from careerflow_llm.pace import (
    CallFigures,
    CallPace,
    Cut,
    Limit,
    ModelSpeed,
    estimate_prompt_tokens,
    first_token_limit,
    stall_limit,
)
from careerflow_llm.settings import LLMSettings, Provider

T = TypeVar("T", bound=BaseModel)

_log = logging.getLogger(__name__)


_APIS: dict[Provider, Callable[[], ChatAPI]] = {"ollama": OllamaAPI, "openai": OpenAIAPI}


class ChatMessage(BaseModel):
    """One message of the conversation sent to the model."""

    model_config = ConfigDict(frozen=True)

    role: Literal["system", "user", "assistant"]
    content: str


@dataclass(frozen=True)
class LLMResult(Generic[T]):
    """The validated output, or why there is none; ``detail`` is short and never the prompt."""

    value: T | None
    fallback_reason: FallbackReason | None
    model: str
    duration_ms: int
    detail: str | None = None
    figures: CallFigures | None = None
    """What the model spent on this call, by its own account; ``None`` when it never ended an
    answer (refused, cut, failed before its last line)."""
    fallback_detail: FallbackDetail | None = None
    """What the reason leaves unsaid, as data for a result payload's ``fallback_detail``: the
    limit that cut the call and its seconds, or that the connection was lost mid-answer. The
    words a person reads are ``careerflow_contracts.fallback_words``'."""

    @property
    def ok(self) -> bool:
        """Whether the model's output can be used."""
        return self.fallback_reason is None and self.value is not None

    @property
    def source(self) -> Literal["ai", "fallback"]:
        """The ``source`` a result payload carries for this call."""
        return "ai" if self.ok else "fallback"


class _Fallback(Exception):
    """Internal: one classified failure of a call; ``counts`` says what the breaker records, and
    ``slow``, when known here, whether it counts the call as slow."""

    def __init__(
        self,
        reason: FallbackReason,
        detail: str,
        counts: Literal["failure", "config_error"] = "failure",
        *,
        slow: bool | None = None,
        data: FallbackDetail | None = None,
    ) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail
        self.counts = counts
        self.slow = slow
        self.data = data


class _LiveCall:
    """One call on its way: its pace, and the timer that cuts it when no line comes in time."""

    def __init__(self, pace: CallPace) -> None:
        self.pace = pace
        self.timer: asyncio.Timeout | None = None


class LLMClient:
    """One service's client of its model server, with its own circuit breaker. Safe for
    concurrent calls."""

    def __init__(
        self,
        settings: LLMSettings,
        *,
        breaker: CircuitBreaker | None = None,
        clock: Callable[[], float] = time.monotonic,
        transport: httpx.AsyncBaseTransport | None = None,
        now: Callable[[], datetime] = utc_now,
    ) -> None:
        self.settings = settings
        self.breaker = breaker or CircuitBreaker(settings.breaker, clock=clock)
        self.speed = ModelSpeed()
        self._clock = clock
        self._now = now
        self._api = _APIS[settings.provider]()
        headers = {}
        if settings.api_key is not None:
            headers["Authorization"] = f"Bearer {settings.api_key.get_secret_value()}"
        self._http = httpx.AsyncClient(
            base_url=settings.url,
            headers=headers,
            transport=transport,
            # The pace's limits cut a silent model; httpx's read timeout is only a backstop.
            timeout=httpx.Timeout(
                connect=settings.connect_timeout_s,
                read=settings.budget_s,
                write=settings.write_timeout_s,
                pool=settings.pool_timeout_s,
            ),
        )
        self._outcomes: dict[str, int] = {}
        self._last_probe: dict[str, Any] | None = None
        self._live: set[_LiveCall] = set()
        # When any call of this client last received a line: a call still waiting for its first
        # token is queued behind the others in Ollama, not stuck (see careerflow_llm.pace).
        self._last_line_at: float | None = None
        self.last_call: dict[str, Any] | None = None

    async def __aenter__(self) -> LLMClient:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    async def chat(
        self,
        messages: Sequence[ChatMessage | dict[str, Any]],
        output: type[T],
        *,
        deadline: datetime | None = None,
        check: Callable[[T], T] | None = None,
        on_text: Callable[[str], None] | None = None,
    ) -> LLMResult[T]:
        """Ask the model for ``output``; return it validated (and checked), or the fallback reason.

        ``deadline`` is the event's deadline (timezone-aware); ``check`` validates the output
        against the input and may raise ValueError, which makes the result ``invalid_output``.
        ``on_text``, if given, is called with the answer's text so far each time the stream
        adds to it, so a caller can use the part already written (``careerflow_question_gen``
        publishes each question once it is complete). It runs on the stream's loop between two
        lines: it must be quick and must not block. The limits and the result are as without it.
        """
        started = self._clock()
        if not self.settings.enabled:
            return self._fallback(started, "disabled", "the model is turned off by configuration")
        budget, budget_limit = self.settings.budget_s, Limit.BUDGET
        if deadline is not None:
            left = (deadline - self._now()).total_seconds() - self.settings.publish_reserve_s
            if left < self.settings.min_time_left_s:
                detail = f"{max(left, 0.0):.1f} s left before the deadline"
                return self._fallback(started, "deadline_exceeded", detail)
            if left < budget:
                budget, budget_limit = left, Limit.DEADLINE
        # Built before the breaker is asked: a malformed message is the caller's bug, raised.
        request = self._chat_request(messages, output)
        if not self.breaker.try_acquire():
            return self._fallback(started, "breaker_open", self._open_detail())

        prompt_tokens = estimate_prompt_tokens([m["content"] for m in request["messages"]])
        limits = self.settings.pace_limits()
        pace = CallPace(
            started=started,
            first_token_s=first_token_limit(limits, self.speed, prompt_tokens),
            stall_s=stall_limit(limits, self.speed),
            budget_s=budget,
            budget_limit=budget_limit,
            slow_call_s=self.breaker.config.slow_call_duration_s,
        )
        try:
            value = await self._answer(request, output, check, pace, on_text)
        except _Fallback as fallback:
            self.last_call = pace.as_dict()
            if fallback.counts == "config_error":
                self.breaker.on_config_error(fallback.detail)
            else:
                slow = fallback.slow
                if slow is None:
                    slow = pace.is_slow(self._clock(), self._last_line_at)
                self.breaker.on_failure(self._clock() - started, slow=slow)
            return self._fallback(
                started,
                fallback.reason,
                fallback.detail,
                pace.figures,
                data=fallback.data,
            )
        except BaseException:
            # Cancelled by the caller, or a bug in ``check``: no verdict on the model.
            self.breaker.release()
            raise
        self.last_call = pace.as_dict()
        duration = self._clock() - started
        self.breaker.on_success(duration, slow=pace.is_slow(self._clock()))
        self._count("ok")
        return LLMResult(value, None, self.settings.model, _ms(duration), None, pace.figures)

    async def _answer(
        self,
        request: dict[str, Any],
        output: type[T],
        check: Callable[[T], T] | None,
        pace: CallPace,
        on_text: Callable[[str], None] | None = None,
    ) -> T:
        """The checked output, or a classified :class:`_Fallback`."""
        try:
            text = await self._stream_answer(request, pace, on_text)
            value = parse_output(text, output)
        except httpx.ConnectError as error:
            raise _Fallback("connection_error", _connect_detail(error)) from None
        except httpx.ConnectTimeout:
            raise _Fallback("connection_error", "no connection within the timeout") from None
        # httpx's own timeouts are no limit of the pace: the detail says only that this release
        # sent it (a timeout without any detail is said over the call's whole time).
        except httpx.ReadTimeout:
            detail = f"no data from the model for {self.settings.budget_s:g} s"
            raise _Fallback("timeout", detail, data=FallbackDetail()) from None
        except httpx.WriteTimeout:
            detail = f"request not sent within {self.settings.write_timeout_s:g} s"
            raise _Fallback("timeout", detail, data=FallbackDetail()) from None
        except httpx.PoolTimeout:
            detail = f"no free connection within {self.settings.pool_timeout_s:g} s"
            raise _Fallback("timeout", detail, data=FallbackDetail()) from None
        except (httpx.NetworkError, httpx.RemoteProtocolError):
            raise _Fallback(
                "connection_error",
                "connection dropped during the answer",
                data=FallbackDetail(answering=True),
            ) from None
        except httpx.HTTPError as error:
            raise _Fallback("model_error", f"HTTP error: {type(error).__name__}") from None
        except InvalidOutput as error:
            raise _Fallback("invalid_output", str(error)) from None
        except UnicodeDecodeError:
            raise _Fallback("model_error", "unreadable bytes in the stream") from None
        if check is None:
            return value
        try:
            return check(value)
        except ValueError as error:
            raise _Fallback("invalid_output", _short(f"rejected by check: {error}", 200)) from None

    def health(self) -> dict[str, Any]:
        """The API, model, URL, limits, measured speed, breaker and outcome counts, for
        ``/health``; whether an API key is set, never the key."""
        snapshot = self.breaker.snapshot()
        limits = self.settings.pace_limits()
        return {
            "provider": self.settings.provider,
            "model": self.settings.model,
            "url": self.settings.shown_url(),
            "api_key_set": self.settings.api_key is not None,
            "enabled": self.settings.enabled,
            "breaker": snapshot.as_dict(),
            "config_errors": snapshot.config_errors,
            "last_config_error": snapshot.last_config_error,
            "outcomes": dict(self._outcomes),
            "last_probe": self._last_probe,
            "speed": self.speed.snapshot(),
            "limits": {
                "budget_s": self.settings.budget_s,
                "first_token_s": self.settings.first_token_s,
                "stall_s": round(stall_limit(limits, self.speed), 3),
            },
            "last_call": self.last_call,
        }

    async def probe(self) -> bool:
        """Whether the server lists its models quickly (Ollama's ``GET /api/tags``, the OpenAI
        API's ``GET <base>/models``); never raises, bypasses the breaker."""
        reachable, listed = False, None
        try:
            async with asyncio.timeout(self.settings.connect_timeout_s + 1.0):
                response = await self._http.get(self._api.models_path)
            reachable = response.status_code == 200
            if reachable:
                names = self._api.listed_models(response.json())
                listed = self.settings.model in names or f"{self.settings.model}:latest" in names
        except (TimeoutError, httpx.HTTPError, ValueError, AttributeError):
            reachable = False
        self._last_probe = {
            "reachable": reachable,
            "model_listed": listed,
            "at": self._now().isoformat(),
        }
        return reachable

    def _chat_request(
        self, messages: Sequence[ChatMessage | dict[str, Any]], output: type[BaseModel]
    ) -> dict[str, Any]:
        checked = [ChatMessage.model_validate(m).model_dump() for m in messages]
        return self._api.chat_request(self.settings, checked, output)

    async def _stream_answer(
        self,
        request: dict[str, Any],
        pace: CallPace,
        on_text: Callable[[str], None] | None = None,
    ) -> str:
        """The streamed answer's text, each line held to the pace's limits.

        A timer cuts the call when the next limit passes with no line; it is moved on at every
        line of this call, and of any other call while this one still waits for its first token.
        A line that comes after its limit (seen only with a clock that jumps) is cut the same.
        """
        live = _LiveCall(pace)
        self._live.add(live)
        try:
            async with asyncio.timeout_at(self._timer_at(live)) as timer:
                live.timer = timer
                return await self._read_stream(request, live, on_text)
        except TimeoutError:
            _, limit = pace.due(self._last_line_at)
            cut = pace.cut(self._clock(), limit, self._last_line_at)
            raise _Fallback("timeout", cut.detail, slow=cut.slow, data=_data(cut)) from None
        finally:
            self._live.discard(live)

    async def _read_stream(
        self,
        request: dict[str, Any],
        live: _LiveCall,
        on_text: Callable[[str], None] | None = None,
    ) -> str:
        async with self._http.stream("POST", self._api.chat_path, json=request) as response:
            if response.status_code >= 400:
                await response.aread()
                raise self._http_failure(response)
            answer = _StreamedAnswer()
            async for raw in response.aiter_lines():
                try:
                    line = self._api.read_line(raw)
                except UnreadableLine as error:
                    self._on_line(live)
                    raise _Fallback("model_error", str(error)) from None
                if line is None:
                    continue  # nothing that shows the model working: no clock moves
                self._on_line(live)
                if line.error is not None:
                    raise _Fallback("model_error", f"model error: {_short(line.error)}")
                answer.take(line, self._clock())
                if on_text is not None and line.text:
                    on_text(answer.text)
                if line.done:
                    return self._finish(request, live, answer)
        if answer.finish_reason is None:
            raise _Fallback("invalid_output", "stream ended before done")
        # The model said why it stopped and the server closed the stream: only the end marker
        # is missing (an OpenAI-compatible server that sends no [DONE]), not the answer.
        return self._finish(request, live, answer)

    def _finish(self, request: dict[str, Any], live: _LiveCall, answer: _StreamedAnswer) -> str:
        """The answer's text, once the server has ended it; its figures are recorded first."""
        if live.timer is not None:
            live.timer.reschedule(None)  # answered: closing the stream is not cut
        writing_s = None
        if answer.first_at is not None and answer.last_text_at is not None:
            writing_s = answer.last_text_at - answer.first_at
        measured = Measured(
            prompt_tokens=estimate_prompt_tokens([m["content"] for m in request["messages"]]),
            first_token_s=live.pace.first_token_wait_s,
            writing_s=writing_s,
            lines=answer.text_lines,
        )
        figures = self._api.figures(answer.told(), measured)
        live.pace.figures = figures
        if figures is not None:
            # Measured whatever becomes of the answer: it is the model's pace.
            self.speed.record(figures)
        if answer.finish_reason == "length":
            raise _Fallback("invalid_output", self._api.length_detail)
        if answer.finish_reason == "content_filter":
            raise _Fallback("invalid_output", "answer withheld by the server's content filter")
        return answer.text

    def _on_line(self, live: _LiveCall) -> None:
        """Hold a line to its call's limits, then move its timer on, and the timers of the
        calls still waiting for their first token."""
        now = self._clock()
        cut = live.pace.on_line(now, self._last_line_at)
        if cut is not None:
            raise _Fallback("timeout", cut.detail, slow=cut.slow, data=_data(cut))
        self._last_line_at = now
        for call in self._live:
            waiting = call.pace.last_line_at is None
            if (call is live or waiting) and call.timer is not None and not call.timer.expired():
                call.timer.reschedule(self._timer_at(call))

    def _timer_at(self, live: _LiveCall) -> float:
        """The event loop's time at which ``live`` is due to be cut."""
        due, _ = live.pace.due(self._last_line_at)
        return asyncio.get_running_loop().time() + (due - self._clock())

    def _http_failure(self, response: httpx.Response) -> _Fallback:
        status = response.status_code
        try:
            message = _short(error_text(response.json()))
        except ValueError:
            message = ""
        if status == 404:
            detail = self._api.not_found_detail(self.settings.model)
            return _Fallback("model_error", detail, "config_error")
        if status in (401, 403):
            # The server's text may quote part of the key: it is not repeated.
            return _Fallback(
                "model_error",
                f"request refused (HTTP {status}): the API key was not accepted",
                "config_error",
            )
        if status < 500 and status not in _TRANSIENT_4XX:
            detail = f"request refused (HTTP {status})" + (f": {message}" if message else "")
            return _Fallback("model_error", detail, "config_error")
        busy = " (busy)" if status in (429, 503) else ""
        detail = f"HTTP {status}{busy}" + (f": {message}" if message else "")
        return _Fallback("model_error", detail)

    def _open_detail(self) -> str:
        remaining = self.breaker.snapshot().remaining_wait_s
        if remaining is None:
            return "circuit breaker open (probes in flight)"
        return f"circuit breaker open; next try in {remaining:.1f} s"

    def _fallback(
        self,
        started: float,
        reason: FallbackReason,
        detail: str,
        figures: CallFigures | None = None,
        *,
        data: FallbackDetail | None = None,
    ) -> LLMResult[Any]:
        duration = self._clock() - started
        key = self.settings.api_key
        if key is not None and key.get_secret_value():
            # No detail is built from the key; this keeps any server text that quotes it out of
            # the logs and the result.
            detail = detail.replace(key.get_secret_value(), "**********")
        self._count(reason)
        # Refusals are expected while the breaker is open or the model is off: keep them quiet.
        level = logging.INFO if reason in ("breaker_open", "disabled") else logging.WARNING
        _log.log(
            level,
            "model call fell back: %s (%s)",
            reason,
            detail,
            extra={
                "model": self.settings.model,
                "fallback_reason": reason,
                "duration_ms": _ms(duration),
                "detail": detail,
            },
        )
        model = self.settings.model
        return LLMResult(None, reason, model, _ms(duration), detail, figures, data)

    def _count(self, outcome: str) -> None:
        self._outcomes[outcome] = self._outcomes.get(outcome, 0) + 1


OllamaClient = LLMClient
"""The client's name before it spoke more than Ollama's API."""

_TRANSIENT_4XX = frozenset({408, 429})
"""Client errors that say the server is busy (a timeout, rate limiting), not misconfigured."""


class _StreamedAnswer:
    """What the stream has said so far of one answer: its text, why the model stopped, the
    figures and token counts the server gave, and when the lines came (the client's clock)."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self.finish_reason: str | None = None
        self.figures: CallFigures | None = None
        self.usage: Usage | None = None
        self.first_at: float | None = None
        self.last_text_at: float | None = None
        self.text_lines = 0

    def take(self, line: StreamLine, now: float) -> None:
        if self.first_at is None:
            self.first_at = now
        if line.text:
            self._parts.append(line.text)
            self.last_text_at = now
            self.text_lines += 1
        self.finish_reason = line.finish_reason or self.finish_reason
        self.figures = line.figures or self.figures
        self.usage = line.usage or self.usage

    @property
    def text(self) -> str:
        return "".join(self._parts)

    def told(self) -> StreamLine:
        """All the stream said, as one line."""
        return StreamLine(
            text=self.text,
            finish_reason=self.finish_reason,
            done=True,
            figures=self.figures,
            usage=self.usage,
        )


def _data(cut: Cut) -> FallbackDetail:
    return FallbackDetail(limit=cut.limit.value, seconds=cut.seconds, answering=cut.answering)


def _ms(seconds: float) -> int:
    return max(0, round(seconds * 1000))


def _short(text: object, limit: int = 120) -> str:
    return str(text).strip()[:limit]


def _connect_detail(error: httpx.ConnectError) -> str:
    # httpx wraps the socket error (anyio even says only "All connection attempts failed"):
    # the cause chain holds the OSError that names what happened.
    causes = list(_causes(error))
    if any(isinstance(cause, ConnectionRefusedError) for cause in causes):
        return "connection refused"
    if any(isinstance(cause, socket.gaierror) for cause in causes):
        return "host name not found"
    text = " ".join(str(cause).lower() for cause in causes)
    if "refused" in text:
        return "connection refused"
    if "name or service not known" in text or "name resolution" in text:
        return "host name not found"
    return "connection failed"


def _causes(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        pending += [current.__cause__, current.__context__]
        if isinstance(current, BaseExceptionGroup):
            pending += current.exceptions
