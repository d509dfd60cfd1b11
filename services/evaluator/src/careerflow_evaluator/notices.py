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


def fallback_reason_text(reason: FallbackReason, detail: str | None) -> str:
    """A short clause saying why the model was not used, with the client's detail if any."""
    why = _WHY[reason]
    return f"{why} ({detail[:120]})" if detail else why


def fallback_notice(stage: Stage, reason: FallbackReason, detail: str | None, used: str) -> Notice:
    """A warning notice: why the model was not used and what was used instead."""
    why = fallback_reason_text(reason, detail)
    message = f"{why[0].upper()}{why[1:]}; {used}."
    return Notice(level="warning", stage=stage, code=f"ai_{reason}", message=message[:500])
