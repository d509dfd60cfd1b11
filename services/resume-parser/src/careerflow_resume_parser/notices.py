"""What a person is told about how their resume was read. Never quotes the resume."""

from __future__ import annotations

from careerflow_contracts import FallbackReason, Notice
from careerflow_resume_parser.extracted import ExtractedText

_GENERIC = "questions will be generic."

_UNREAD: dict[str, tuple[str, str]] = {
    "encrypted": (
        "encrypted_document",
        f"Your resume is password-protected and could not be read; {_GENERIC}",
    ),
    "unreadable": (
        "unreadable_document",
        f"Your resume file could not be read (it may be damaged or incomplete); {_GENERIC}",
    ),
    "zip_bomb": (
        "unsafe_document",
        f"Your resume file unpacks to an unsafe size and was not read; {_GENERIC}",
    ),
    "timeout": (
        "extraction_timeout",
        f"Reading your resume took too long and was stopped; {_GENERIC}",
    ),
}


def extraction_notices(extracted: ExtractedText) -> list[Notice]:
    """The notices an extraction outcome calls for: why nothing was read, or what was left out."""
    if extracted.status == "no_text":
        if extracted.document_type == "pdf":
            code, message = (
                "no_text_layer",
                (f"Your resume has no readable text (is it a scan?); {_GENERIC}"),
            )
        else:
            code, message = "no_text", f"Your resume has no text; {_GENERIC}"
        return [Notice(level="warning", stage="resume", code=code, message=message)]
    if extracted.status in _UNREAD:
        code, message = _UNREAD[extracted.status]
        return [Notice(level="warning", stage="resume", code=code, message=message)]
    notices: list[Notice] = []
    if extracted.pages_skipped:
        message = (
            f"Only the first {extracted.pages_read} of your resume's {extracted.page_count} "
            "pages were read."
        )
        notices.append(Notice(level="info", stage="resume", code="too_many_pages", message=message))
    if extracted.truncated:
        message = "Your resume is very long; only its beginning was read."
        notices.append(Notice(level="info", stage="resume", code="text_truncated", message=message))
    if extracted.hidden_chars_dropped:
        message = (
            "Some text in your resume cannot be seen (hidden, too small, off the page or the "
            "colour of its background) and was ignored."
        )
        notices.append(
            Notice(level="info", stage="resume", code="hidden_text_dropped", message=message)
        )
    return notices


_BASIC = "your resume was read with the basic parser, which finds fewer details"


def deferred_notice() -> Notice:
    """The resume was read without the model first, so that the questions start at once."""
    return Notice(
        level="info",
        stage="resume",
        code="ai_deferred",
        message=(
            "Your resume was first read with the basic parser, so that your questions could "
            "start at once; the AI reads it as soon as it is free."
        ),
    )


def model_fallback_notice(reason: FallbackReason, why: str) -> Notice:
    """Why the model did not read the resume, in the call's plain words (``LLMResult.why``:
    "the AI model stopped writing for 30 s part way through its answer"), and what was used."""
    return Notice(
        # Turned off on purpose is not a fault to warn of.
        level="info" if reason == "disabled" else "warning",
        stage="resume",
        code=f"ai_{reason}",
        message=f"{why[0].upper()}{why[1:]}; {_BASIC}."[:500],
    )
