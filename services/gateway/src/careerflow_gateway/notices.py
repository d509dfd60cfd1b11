"""Notices on a session: why a stage used its fallback, said so that a person understands it.

A fallback result becomes one notice naming the stage and the reason in plain words ("The AI
service could not be reached; default questions were used."). This module is where a reason is
put in words: a worker sends the reason and its detail as data (``fallback_detail``: which limit
cut the model's call and at how many seconds, or what its own checks found wrong with an
unusable answer), and the gateway says it ("The AI model stopped writing for 30 s part way
through its answer; ..."). Notices a worker sent in its result (its own wording, from workers of
an earlier release too) are kept as they are. A notice already on the session (same stage, code
and message) is not repeated: ten answers scored by the fallback give one notice, not ten.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from careerflow_contracts import FallbackDetail, FallbackReason, Notice, ResultPayload
from careerflow_contracts.common import Stage

_CONSEQUENCE: dict[Stage, str] = {
    "resume": "your resume was read with the basic parser, which finds fewer details",
    "questions": "default questions were used",
    "evaluation": "the answer was scored with the standard rubric and generic feedback",
    "followup": "follow-up questions were built from the points your answers left out",
    "report": "the report's summary was written from a template",
    "session": "the session continued without it",
}


def _cut_in_words(detail: FallbackDetail) -> str | None:
    """Which limit ended the model's call, said as what the model did, not as a slow call."""
    if detail.limit is None or detail.seconds is None:
        return None
    seconds, answering = f"{round(detail.seconds, 1):g}", bool(detail.answering)
    if detail.limit == "first_token":
        return f"The AI model did not begin its answer within {seconds} s"
    if detail.limit == "stall":
        return f"The AI model stopped writing for {seconds} s part way through its answer"
    if detail.limit == "deadline":
        done = "finished" if answering else "begun its answer"
        return f"The AI model had not {done} when the time for this step ran out ({seconds} s)"
    doing = "still writing" if answering else "still silent"
    return f"The AI model was {doing} after {seconds} s, the longest this step may take"


def reason_in_words(
    reason: FallbackReason, detail: FallbackDetail | None = None, duration_ms: int = 0
) -> str:
    """Why the model was not used, as the start of a sentence a person reads.

    ``detail`` says more where a worker sent it: the limit that cut the call, or what the
    worker's own checks found wrong with an unusable answer (quoted, at most 200 characters).
    Without it (a worker of an earlier release), a timeout is said over the call's whole time.
    """
    if detail is not None:
        if reason == "timeout" and (cut := _cut_in_words(detail)):
            return cut
        if reason == "connection_error" and detail.answering:
            return "The connection to the AI service was lost during its answer"
        if reason == "invalid_output" and detail.found:
            return f"The AI's answer could not be used ({detail.found})"
    seconds = round(duration_ms / 1000)
    if reason == "timeout" and seconds >= 1:
        return f"The AI service did not answer within {seconds} s"
    return {
        "breaker_open": "The AI service is paused after repeated failures",
        "connection_error": "The AI service could not be reached",
        "invalid_output": "The AI's answer could not be used",
        "model_error": "The AI model reported an error",
        "deadline_exceeded": "There was no time left to ask the AI",
        "disabled": "The AI is turned off",
        "unreadable_input": "There was no readable text to give the AI",
        "deferred": "The AI was kept free for work a candidate waits for",
        "timeout": "The AI service did not answer in time",
    }[reason]


def fallback_notice(stage: Stage, payload: ResultPayload) -> Notice | None:
    """The notice that tells why ``stage`` fell back, or ``None`` for an AI result."""
    if payload.source != "fallback" or payload.fallback_reason is None:
        return None
    reason = payload.fallback_reason
    words = reason_in_words(reason, payload.fallback_detail, payload.duration_ms)
    message = f"{words}; {_CONSEQUENCE[stage]}."[:500]
    # Turned off on purpose, or put off for a candidate's work, is not a fault to warn of.
    level = "info" if reason in ("disabled", "deferred") else "warning"
    return Notice(level=level, stage=stage, code=f"ai_{reason}", message=message)


def result_notices(stage: Stage, payload: ResultPayload) -> list[Notice]:
    """Every notice a result brings: the fallback explanation first, then the worker's own.

    A worker that explained its own fallback (a notice coded ``ai_…``, or any warning) knows
    more than the gateway does (the model's own words, which part was topped up, that the
    resume was a scan), so its explanation stands alone: one reason, said once.
    """
    if any(own.code.startswith("ai_") or own.level == "warning" for own in payload.notices):
        return list(payload.notices)
    notice = fallback_notice(stage, payload)
    return ([notice] if notice is not None else []) + list(payload.notices)


def merge_notices(
    existing: Iterable[dict[str, Any]],
    new: Iterable[Notice],
    *,
    replace_stage: Stage | None = None,
) -> list[dict[str, Any]]:
    """The session's notices with ``new`` merged in: one per stage and code, the newest wording.

    Ten answers scored by the fallback give one notice, not ten; it says the latest reason
    (say, "paused after repeated failures" after "could not be reached"). ``replace_stage``
    drops that stage's old notices: a stage done again (questions regenerated) is described
    afresh.
    """
    merged = [dict(item) for item in existing if item.get("stage") != replace_stage]
    for notice in new:
        fresh = notice.model_dump(mode="json")
        key = (notice.stage, notice.code)
        for index, item in enumerate(merged):
            if (item.get("stage"), item.get("code")) == key:
                merged[index] = fresh
                break
        else:
            merged.append(fresh)
    return merged
