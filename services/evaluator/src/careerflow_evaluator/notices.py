"""What a person is told when the model was not used: one phrase per fallback reason."""

from __future__ import annotations

from careerflow_contracts import FallbackReason, Notice
from careerflow_contracts.common import Stage

_WHY: dict[FallbackReason, str] = {
    "breaker_open": "the AI evaluator is paused after repeated failures",
    "timeout": "the AI evaluator did not answer in time",
    "connection_error": "the AI evaluator is unreachable",
    "invalid_output": "the AI evaluator returned an unusable answer",
    "model_error": "the AI evaluator reported an error",
    "deadline_exceeded": "there was no time left to ask the AI evaluator",
    "disabled": "the AI evaluator is turned off",
    "unreadable_input": "there was no readable text to give the AI evaluator",
    "deferred": "the AI evaluator was kept free for work a candidate waits for",
}


_SAID_BY_THE_CALL: tuple[FallbackReason, ...] = ("timeout",)
"""Reasons whose call says more, in plain words, than the reason does: which limit ended a
slow or stuck model ("the AI model stopped writing for 30 s part way through its answer", not
"did not answer in time" of a model that wrote for minutes)."""


_DETAIL_SHOWN: tuple[FallbackReason, ...] = ("invalid_output",)
"""Reasons whose detail is ours to show: what our own checks found wrong with the model's
answer. Any other reason's detail (a model server's own error text, an HTTP status, a refused
connection, the breaker's state) means nothing to a candidate and may quote the server's
internals; the client logs it with the call, for whoever runs the model."""


def fallback_reason_text(reason: FallbackReason, detail: str | None, why: str | None = None) -> str:
    """A short clause saying why the model was not used: the call's own plain words (the
    client's ``LLMResult.why``) where they say more than the reason, else the reason's, with
    the client's detail only where it says what was wrong with an unusable answer."""
    if why and reason in _SAID_BY_THE_CALL:
        return why
    text = _WHY[reason]
    return f"{text} ({detail[:120]})" if detail and reason in _DETAIL_SHOWN else text


def fallback_notice(
    stage: Stage, reason: FallbackReason, detail: str | None, used: str, *, why: str | None = None
) -> Notice:
    """A warning notice: why the model was not used and what was used instead."""
    why = fallback_reason_text(reason, detail, why)
    message = f"{why[0].upper()}{why[1:]}; {used}."
    return Notice(level="warning", stage=stage, code=f"ai_{reason}", message=message[:500])
