"""Why the model was not used for a step: the reason and its detail, as data for the result and
in words for the fallback's own text.

The result carries the reason and its detail (``fallback_reason``, ``fallback_detail``) and the
gateway's notice says them; the fallback's feedback and a report's summary say the same words
("Automatic estimate: the AI evaluator is unreachable, ..."), from the one wording of
``careerflow_contracts.fallback_words``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from careerflow_contracts import FallbackDetail, FallbackReason
from careerflow_contracts.common import Stage
from careerflow_contracts.fallback_words import reason_in_words
from careerflow_llm import LLMResult

_FOUND_CHARS = 120


@dataclass(frozen=True)
class ModelNotUsed:
    """Why a step fell back: the reason, and its detail as data."""

    reason: FallbackReason
    detail: FallbackDetail | None

    def in_words(self, stage: Stage) -> str:
        """The reason as a clause ("the AI evaluator is unreachable")."""
        return reason_in_words(self.reason, self.detail, stage=stage)


def model_not_used(result: LLMResult[Any]) -> ModelNotUsed:
    """Why ``result`` gave nothing to use.

    An unusable answer's detail is what our own checks found wrong with it (the client's
    parsing and the step's ``check``: "rejected by check: the summary gives a score not one of
    the answers'"), shown to the candidate. Any other reason's detail from the client (a model
    server's own error text, an HTTP status, the breaker's state) means nothing to a candidate
    and may quote the server's internals: it stays in the client's log. A cut call's limit and
    a connection lost during the answer come as the client's data.
    """
    reason = result.fallback_reason or "invalid_output"
    if reason == "invalid_output" and result.detail:
        return ModelNotUsed(reason, FallbackDetail(found=result.detail[:_FOUND_CHARS]))
    return ModelNotUsed(reason, result.fallback_detail)
