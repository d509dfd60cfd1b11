"""The handler of ``resume.submitted``: extract, read the profile, answer ``resume.parsed``.

Everything that runs over the resume's text without the model (extraction, setting aside
instruction lines, the deterministic reading) happens in the extractor's process pool, within
its time limit: no document, however hostile, can hold the event loop.

The model reads the profile when it can; otherwise the deterministic reader does, and the result
says so (``source: fallback`` and the reason). A document with no readable text still gets an
answer: an empty profile with a notice saying why, so the interview goes on.
"""

from __future__ import annotations

import logging
import time
from datetime import date

from careerflow_contracts import (
    CandidateProfile,
    FallbackReason,
    ResumeParsed,
    ResumeParsedPayload,
    ResumeSubmitted,
)
from careerflow_llm import OllamaClient
from careerflow_resume_parser.ai_profile import ai_profile
from careerflow_resume_parser.extractor import Extractor
from careerflow_resume_parser.instructions import instructions_notices
from careerflow_resume_parser.notices import extraction_notices

log = logging.getLogger(__name__)

# The one reason that is not the model's: the document gave no text to ask the model about.
NO_TEXT_REASON: FallbackReason = "unreadable_input"


async def handle_resume_submitted(
    event: ResumeSubmitted,
    *,
    llm: OllamaClient,
    extractor: Extractor,
    today: date | None = None,
) -> ResumeParsed:
    """Answer one submitted resume with its profile, from the model or the fallback."""
    started = time.monotonic()
    read = await extractor.read(event.payload.document, event.payload.document_type, today=today)
    extracted = read.extracted
    notices = extraction_notices(extracted)
    # Figures only: the text and the contact details are never logged.
    log.info(
        "resume extracted: status=%s type=%s pages=%d/%d chars=%d hidden=%d",
        extracted.status,
        extracted.document_type,
        extracted.pages_read,
        extracted.page_count,
        len(extracted.text),
        extracted.hidden_chars_dropped,
    )
    if read.aside is None or read.reading is None:  # no text: see the extraction's status
        payload = ResumeParsedPayload(
            source="fallback",
            fallback_reason=NO_TEXT_REASON,
            duration_ms=_ms_since(started),
            notices=notices,
            profile=CandidateProfile(source="fallback"),
        )
        return _answer(event, payload)

    # Lines that speak to an AI reader are not facts about the author: neither reader saw them.
    aside, reading = read.aside, read.reading
    notices += instructions_notices(aside)
    ai = await ai_profile(aside.text, llm=llm, deadline=event.deadline)
    if ai.profile is None:
        # Not the client's detail: for invalid output it may quote the model, which may quote
        # the resume.
        log.info("resume read by the fallback: reason=%s", ai.result.fallback_reason)
        payload = ResumeParsedPayload(
            source="fallback",
            fallback_reason=ai.result.fallback_reason or "invalid_output",
            model=ai.result.model,
            duration_ms=_ms_since(started),
            notices=notices,
            # The reading has the contact details; the payload keeps its CandidateProfile part.
            profile=reading.profile,
        )
        return _answer(event, payload)

    guarded = ai.profile
    profile = CandidateProfile(
        skills=guarded.skills,
        # Years are a total over dates the resume states: computed, not taken from the model,
        # unless the resume has no dates the reader understood.
        years_experience=reading.profile.years_experience
        if reading.profile.years_experience is not None
        else guarded.years_experience,
        titles=guarded.titles,
        education=guarded.education,
        summary=guarded.summary,
        source="ai",
    )
    log.info("resume read by the model: dropped_claims=%d", guarded.dropped_claims)
    payload = ResumeParsedPayload(
        source="ai",
        model=ai.result.model,
        duration_ms=_ms_since(started),
        notices=notices,
        profile=profile,
        dropped_claims=guarded.dropped_claims,
    )
    return _answer(event, payload)


def _answer(event: ResumeSubmitted, payload: ResumeParsedPayload) -> ResumeParsed:
    return ResumeParsed(
        event_id=event.result_event_id("resume.parsed"),
        session_id=event.session_id,
        causation_id=event.event_id,
        payload=payload,
    )


def _ms_since(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
