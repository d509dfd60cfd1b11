"""A fallback's reason in plain words: the one place the words for a reason are written.

A worker sends the reason and its detail as data (``fallback_reason``, ``fallback_detail``);
the gateway's notices say them, and the evaluator says them again in the feedback of an answer
it scored without the model and in a report's summary written from the scores. Both read them
here, so a person reads one reason in one wording wherever it appears.

What is said depends on the detail (a call cut by one of its limits is said as what the model
did: "the AI model stopped writing for 30 s part way through its answer", not "did not answer
in time") and on the stage: the evaluator's stages name "the AI evaluator", as they always
have. Never a model server's own error text: the only detail quoted is ``found``, what a
worker's own checks found wrong with an unusable answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from careerflow_contracts.common import CutLimit, FallbackDetail, FallbackReason, Stage


@dataclass(frozen=True)
class _Wording:
    """How one kind of stage says each reason."""

    reasons: dict[FallbackReason, str]
    connection_lost: str
    """A connection that dropped once the model had begun its answer."""


_THE_AI = _Wording(
    reasons={
        "breaker_open": "the AI service is paused after repeated failures",
        "timeout": "the AI service did not answer in time",
        "connection_error": "the AI service could not be reached",
        "invalid_output": "the AI's answer could not be used",
        "model_error": "the AI model reported an error",
        "deadline_exceeded": "there was no time left to ask the AI",
        "disabled": "the AI is turned off",
        "unreadable_input": "there was no readable text to give the AI",
        "deferred": "the AI was kept free for work a candidate waits for",
    },
    connection_lost="the connection to the AI service was lost during its answer",
)

_THE_AI_EVALUATOR = _Wording(
    reasons={
        "breaker_open": "the AI evaluator is paused after repeated failures",
        # A timeout is said in the call's words at every stage (see ``_timeout``).
        "timeout": "the AI service did not answer in time",
        "connection_error": "the AI evaluator is unreachable",
        "invalid_output": "the AI evaluator returned an unusable answer",
        "model_error": "the AI evaluator reported an error",
        "deadline_exceeded": "there was no time left to ask the AI evaluator",
        "disabled": "the AI evaluator is turned off",
        "unreadable_input": "there was no readable text to give the AI evaluator",
        "deferred": "the AI evaluator was kept free for work a candidate waits for",
    },
    connection_lost="the AI evaluator is unreachable",
)

_EVALUATOR_STAGES: frozenset[Stage] = frozenset({"evaluation", "followup", "report"})


def reason_in_words(
    reason: FallbackReason,
    detail: FallbackDetail | None = None,
    *,
    stage: Stage,
    duration_ms: int = 0,
) -> str:
    """Why the model was not used at ``stage``, as a clause ("the AI service could not be
    reached"); :func:`sentence` makes it the start of a sentence.

    ``detail`` says more where the worker sent it: the limit that cut the call, a connection
    lost during the answer, what its checks found wrong with an unusable answer (quoted).
    ``duration_ms`` is used only for a timeout without any detail, from a worker of an earlier
    release: it is said over the call's whole time.
    """
    if reason == "timeout":
        return _timeout(detail, duration_ms)
    wording = _THE_AI_EVALUATOR if stage in _EVALUATOR_STAGES else _THE_AI
    words = wording.reasons[reason]
    if detail is not None:
        if reason == "connection_error" and detail.answering:
            return wording.connection_lost
        if reason == "invalid_output" and detail.found:
            return f"{words} ({detail.found})"
    return words


def sentence(clause: str) -> str:
    """``clause`` with its first letter in upper case, to open a sentence."""
    return f"{clause[:1].upper()}{clause[1:]}"


def _timeout(detail: FallbackDetail | None, duration_ms: int) -> str:
    """A timeout, said as what the model did when the limit that cut it is known."""
    if detail is None:
        seconds = round(duration_ms / 1000)
        if seconds >= 1:
            return f"the AI service did not answer within {seconds} s"
    elif detail.limit is not None and detail.seconds is not None:
        return _cut(detail.limit, f"{round(detail.seconds, 1):g}", bool(detail.answering))
    return _THE_AI.reasons["timeout"]


def _cut(limit: CutLimit, seconds: str, answering: bool) -> str:
    if limit == "first_token":
        return f"the AI model did not begin its answer within {seconds} s"
    if limit == "stall":
        return f"the AI model stopped writing for {seconds} s part way through its answer"
    if limit == "deadline":
        done = "finished" if answering else "begun its answer"
        return f"the AI model had not {done} when the time for this step ran out ({seconds} s)"
    doing = "still writing" if answering else "still silent"
    return f"the AI model was {doing} after {seconds} s, the longest this step may take"
