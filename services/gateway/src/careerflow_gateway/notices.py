"""Notices on a session: why a stage used its fallback, said so that a person understands it.

A fallback result becomes one notice naming the stage and the reason in plain words ("The AI
service could not be reached; default questions were used."). Workers send the reason and its
detail as data (``fallback_reason``, ``fallback_detail``: which limit cut the model's call and at
how many seconds, what the worker's own checks found wrong with an unusable answer, how many of a
set the model wrote) and this module makes the notice, with the reason said in the words of
``careerflow_contracts.fallback_words`` (the evaluator says the same words in its fallback's
feedback). Notices a worker sent in its result are kept as they are; one that explains the
fallback itself (a worker of an earlier release) stands alone. A notice already on the session
(same stage and code) is replaced by the newest: ten answers scored by the fallback give one
notice, not ten. Each reason has a code of its own (``ai_<reason>``), so a stage keeps one notice
per reason: the evaluator's "could not be reached" (or "did not answer within 30 s") stays beside
the "paused after repeated failures" that followed it, so the cause is not hidden by the pause.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from careerflow_contracts import (
    FallbackDetail,
    FallbackReason,
    Notice,
    QuestionsGeneratedPayload,
    ResultPayload,
)
from careerflow_contracts.common import NoticeLevel, Stage
from careerflow_contracts.fallback_words import reason_in_words, sentence

_MAX_MESSAGE = 500


@dataclass(frozen=True)
class _StageNotice:
    """What a stage's notice says after the reason, and which reasons it tells calmly."""

    consequence: str
    calm: frozenset[FallbackReason] = frozenset()
    """Reasons told as ``info``, not a fault to warn of: turned off on purpose, or put off for
    a candidate's work. The evaluator has always warned of every reason."""


_CALM: frozenset[FallbackReason] = frozenset({"disabled", "deferred"})

_STAGES: dict[Stage, _StageNotice] = {
    "resume": _StageNotice(
        "your resume was read with the basic parser, which finds fewer details", _CALM
    ),
    "questions": _StageNotice("default questions were used", _CALM),
    "evaluation": _StageNotice(
        "answers it could not score were given an automatic estimate (marked on each answer)"
    ),
    "followup": _StageNotice(
        "follow-up questions were built from the points your answers left out"
    ),
    "report": _StageNotice("the report's summary was written from the scores alone"),
    "session": _StageNotice("the session continued without it", _CALM),
}

_OWN_SENTENCE: dict[tuple[Stage, FallbackReason], str] = {
    ("resume", "deferred"): (
        "Your resume was first read with the basic parser, so that your questions could start "
        "at once; the AI reads it as soon as it is free."
    ),
}
"""Reasons a stage says in a sentence of their own rather than reason and consequence."""


def fallback_notice(stage: Stage, payload: ResultPayload) -> Notice | None:
    """The notice that tells why ``stage`` fell back, or ``None`` for an AI result."""
    reason = payload.fallback_reason
    if payload.source != "fallback" or reason is None:
        return None
    detail = payload.fallback_detail
    if isinstance(payload, QuestionsGeneratedPayload) and detail and detail.from_model:
        return _partial_set(payload, reason, detail, detail.from_model)
    said = _STAGES[stage]
    message = _OWN_SENTENCE.get((stage, reason))
    if message is None:
        words = reason_in_words(reason, detail, stage=stage, duration_ms=payload.duration_ms)
        message = f"{sentence(words)}; {said.consequence}."
    level: NoticeLevel = "info" if reason in said.calm else "warning"
    return Notice(level=level, stage=stage, code=f"ai_{reason}", message=message[:_MAX_MESSAGE])


def _partial_set(
    payload: QuestionsGeneratedPayload,
    reason: FallbackReason,
    detail: FallbackDetail,
    from_model: int,
) -> Notice:
    """The questions the model wrote, topped up from the fallback: how many are whose, and why."""
    total = payload.set_size
    if reason == "invalid_output":
        message = (
            f"The AI wrote {from_model} of {total} questions; "
            f"{total - from_model} default questions were added in place of unusable ones."
        )
        return Notice(level="info", stage="questions", code="ai_partial", message=message)
    # The model failed part way (cut by a limit, the connection lost): why, briefly.
    words = reason_in_words(reason, detail, stage="questions", duration_ms=payload.duration_ms)
    why = f" ({words})"
    message = (
        f"The AI wrote {from_model} of {total} questions before it stopped{why}; "
        f"the other {total - from_model} are default questions."
    )
    if len(message) > _MAX_MESSAGE:
        message = message.replace(why, "")
    return Notice(level="warning", stage="questions", code="ai_partial", message=message)


def result_notices(stage: Stage, payload: ResultPayload) -> list[Notice]:
    """Every notice a result brings: the fallback explanation first, then the worker's own.

    A worker of an earlier release explained its own fallback (a notice coded ``ai_…``), and
    resume-parser explains a resume that gave no text (a warning that says what was wrong with
    the file: a scan, encrypted, damaged): that explanation stands alone, one reason said once.
    """
    own = list(payload.notices)
    explained = any(notice.code.startswith("ai_") for notice in own) or (
        payload.fallback_reason == "unreadable_input"
        and any(notice.level == "warning" for notice in own)
    )
    notice = None if explained else fallback_notice(stage, payload)
    return ([notice] if notice is not None else []) + own


def merge_notices(
    existing: Iterable[dict[str, Any]],
    new: Iterable[Notice],
    *,
    replace_stage: Stage | None = None,
) -> list[dict[str, Any]]:
    """The session's notices with ``new`` merged in: one per stage and code, the newest wording.

    Ten answers scored by the fallback for the same reason give one notice, not ten; another
    reason (say, "paused after repeated failures" after "could not be reached") is a notice of
    its own, beside the first. ``replace_stage``
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
