"""The model's reading of a resume, asked for when the model is free, given up for a candidate.

The gateway sends ``profile.requested`` only when no work a candidate waits for is pending
(questions being written, an answer being scored, a report being written), and one at a time.
The model may still be wanted meanwhile: a candidate answers a question while the model reads
a resume. With one model slot that answer's evaluation would wait behind the reading, which
nobody waits for. So this worker watches the requests a candidate waits for
(``routing.CANDIDATE_WORK``, through a ``careerflow_messaging.Watch``) and gives the reading up
for any made after the ``profile.requested`` was: before its call (it is not made) or during it
(the call is cancelled, which closes the stream and frees the model's slot). A reading given up
is settled with no result; the gateway, which made the candidate's request, already put the
refine back in its queue in that same transaction, and asks again when the model is free.

The two sides agree without talking: both compare the times the gateway gave the two events.
A watch message lost (a reconnection) only means the reading runs to its end, as it would have
without the watch.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from datetime import datetime

from careerflow_contracts import (
    ProfileRefined,
    ProfileRefinedPayload,
    ProfileRequested,
)
from careerflow_llm import OllamaClient
from careerflow_resume_parser.ai_profile import ai_profile, model_profile

log = logging.getLogger(__name__)


class CandidateDemand:
    """The time of the latest request a candidate waits for that this process has seen."""

    def __init__(self) -> None:
        self.latest: datetime | None = None
        self._changed = asyncio.Event()

    def saw(self, routing_key: str, made_at: datetime) -> None:  # noqa: ARG002 - a Watch's callback
        """Take in one such request (the ``Watch``'s callback)."""
        if self.latest is None or made_at > self.latest:
            self.latest = made_at
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()

    def after(self, moment: datetime) -> bool:
        """Whether a request a candidate waits for was made after ``moment``."""
        return self.latest is not None and self.latest > moment

    async def wait_after(self, moment: datetime) -> None:
        """Return once a request a candidate waits for, made after ``moment``, is seen."""
        while not self.after(moment):
            await self._changed.wait()


async def handle_profile_requested(
    event: ProfileRequested, *, llm: OllamaClient, demand: CandidateDemand
) -> ProfileRefined | None:
    """The model's profile of the resume, or why there is none; ``None`` when given up for a
    candidate's request (see the module docstring)."""
    started = time.monotonic()
    if demand.after(event.occurred_at):
        log.info(
            "profile of session %s: given up before the call, for a candidate", event.session_id
        )
        return None
    payload = event.payload
    call = asyncio.ensure_future(ai_profile(payload.resume_text, llm=llm, deadline=event.deadline))
    wanted = asyncio.ensure_future(demand.wait_after(event.occurred_at))
    try:
        await asyncio.wait({call, wanted}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        wanted.cancel()
        if not call.done():
            call.cancel()  # closes the stream: the model stops and its slot is free
            with contextlib.suppress(asyncio.CancelledError):
                await call
    if call.cancelled():
        log.info("profile of session %s: given up part way, for a candidate", event.session_id)
        return None
    ai = call.result()
    duration_ms = int((time.monotonic() - started) * 1000)
    if ai.profile is None:
        reason = ai.result.fallback_reason or "invalid_output"
        # Not the client's detail: for invalid output it may quote the model, which may quote
        # the resume.
        log.info("profile of session %s: the model's fell back (%s)", event.session_id, reason)
        result = ProfileRefinedPayload(
            source="fallback",
            fallback_reason=reason,
            # The reason's detail as data (the limit that cut the call): the gateway words it.
            fallback_detail=ai.result.fallback_detail,
            model=ai.result.model,
            duration_ms=duration_ms,
            profile=payload.profile,
        )
    else:
        log.info(
            "profile of session %s: read by the model, dropped_claims=%d",
            event.session_id,
            ai.profile.dropped_claims,
        )
        result = ProfileRefinedPayload(
            source="ai",
            model=ai.result.model,
            duration_ms=duration_ms,
            profile=model_profile(ai.profile, payload.profile.years_experience),
            dropped_claims=ai.profile.dropped_claims,
        )
    return event.reply(ProfileRefined, result)
