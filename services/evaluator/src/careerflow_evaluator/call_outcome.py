"""How a step's model call went, said as its result says it: the model's output was used, or
why not (the reason and its detail, as data).

Every step (scoring, a follow-up, the report) takes the model's output only when the call's
outcome gives no reason (``model_output``), and ends the same way: its result payload carries
``source``, ``fallback_reason``, ``fallback_detail``, ``model`` and ``duration_ms`` from the call
(``result_fields``), and the gateway's notice says the reason. A fallback's own text (the
feedback of an answer scored without the model, a report's summary written from the scores)
says the same reason in the same words (``in_words``: ``careerflow_contracts.fallback_words``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel

from careerflow_contracts import FallbackDetail, FallbackReason
from careerflow_contracts.common import Stage
from careerflow_contracts.fallback_words import reason_in_words
from careerflow_llm import LLMResult

_FOUND_CHARS = 120

T = TypeVar("T", bound=BaseModel)


@dataclass(frozen=True)
class CallOutcome:
    """The model's output used (``reason`` None), or why not, with the call's model and time."""

    reason: FallbackReason | None
    detail: FallbackDetail | None
    model: str
    duration_ms: int

    def result_fields(self) -> dict[str, Any]:
        """The fields of a result payload that say how it was made."""
        return {
            "source": "ai" if self.reason is None else "fallback",
            "fallback_reason": self.reason,
            "fallback_detail": self.detail,
            "model": self.model,
            "duration_ms": self.duration_ms,
        }

    def in_words(self, stage: Stage) -> str:
        """Why the model was not used, as a clause ("the AI evaluator is unreachable")."""
        if self.reason is None:
            raise ValueError("the model's output was used: there is no reason to say")
        return reason_in_words(self.reason, self.detail, stage=stage)


def call_outcome(result: LLMResult[Any]) -> CallOutcome:
    """How ``result`` went.

    An unusable answer's detail is what our own checks found wrong with it (the client's
    parsing and the step's ``check``: "rejected by check: the summary gives a score not one of
    the answers'"), shown to the candidate. Any other reason's detail from the client (a model
    server's own error text, an HTTP status, the breaker's state) means nothing to a candidate
    and may quote the server's internals: it stays in the client's log. A cut call's limit and
    a connection lost during the answer come as the client's data.
    """
    if result.value is not None and result.fallback_reason is None:
        return CallOutcome(None, None, result.model, result.duration_ms)
    reason = result.fallback_reason or "invalid_output"
    detail = result.fallback_detail
    if reason == "invalid_output" and result.detail:
        detail = FallbackDetail(found=result.detail[:_FOUND_CHARS])
    return CallOutcome(reason, detail, result.model, result.duration_ms)


def model_output(result: LLMResult[T]) -> tuple[T | None, CallOutcome]:
    """The model's output if the step uses it (``None``: the step falls back), and how the call
    went."""
    outcome = call_outcome(result)
    return (result.value if outcome.reason is None else None), outcome
