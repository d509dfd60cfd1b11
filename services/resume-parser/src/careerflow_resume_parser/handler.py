"""The handler of ``resume.submitted``: extract, read the profile, answer ``resume.parsed``.

Everything that runs over the resume's text without the model (extraction, setting aside
instruction lines, the deterministic reading) happens in the extractor's process pool, within
its time limit: no document, however hostile, can hold the event loop.

The model reads the profile when it can; otherwise the deterministic reader does, and the result
says so (``source: fallback`` and the reason). A requester that asked for ``profile_later`` gets
the deterministic reading at once, ``deferred``, with the text for the model, which reads it
later (``refine``), when no work a candidate waits for is pending. A document with no readable
text still gets an answer: an empty profile with a notice saying why, so the interview goes on.
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
from careerflow_resume_parser.ai_profile import ai_profile, model_profile
from careerflow_resume_parser.contact import without_contact_details
from careerflow_resume_parser.extraction_pool import Extractor
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
        return event.reply(ResumeParsed, payload)

    # Lines that speak to an AI reader are not facts about the author: neither reader saw them.
    aside, reading = read.aside, read.reading
    notices += instructions_notices(aside)
    if event.payload.profile_later and llm.settings.enabled and aside.text.strip():
        # The questions must not wait for the model's reading: the deterministic one goes now,
        # with the text the model reads when the gateway finds it free (profile.requested).
        log.info("resume read by the fallback first; the model's reading is deferred")
        payload = ResumeParsedPayload(
            source="fallback",
            fallback_reason="deferred",
            duration_ms=_ms_since(started),
            notices=notices,
            profile=reading.profile,
            # The text leaves the parser (the gateway keeps it until the model is free): the
            # contact details stay here.
            resume_text=without_contact_details(aside.text, reading.profile.full_name),
        )
        return event.reply(ResumeParsed, payload)
    ai = await ai_profile(aside.text, llm=llm, deadline=event.deadline)
    if ai.profile is None:
        # Not the client's detail: for invalid output it may quote the model, which may quote
        # the resume.
        reason = ai.result.fallback_reason or "invalid_output"
        log.info("resume read by the fallback: reason=%s", reason)
        payload = ResumeParsedPayload(
            source="fallback",
            fallback_reason=reason,
            # The reason's detail as data (the limit that cut the call): the gateway words it.
            fallback_detail=ai.result.fallback_detail,
            model=ai.result.model,
            duration_ms=_ms_since(started),
            notices=notices,
            # The reading has the contact details; the payload keeps its CandidateProfile part.
            profile=reading.profile,
        )
        return event.reply(ResumeParsed, payload)

    guarded = ai.profile
    profile = model_profile(guarded, reading.profile.years_experience)
    log.info("resume read by the model: dropped_claims=%d", guarded.dropped_claims)
    payload = ResumeParsedPayload(
        source="ai",
        model=ai.result.model,
        duration_ms=_ms_since(started),
        notices=notices,
        profile=profile,
        dropped_claims=guarded.dropped_claims,
    )
    return event.reply(ResumeParsed, payload)


def _ms_since(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
