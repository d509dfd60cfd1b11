"""What a person is told about the resume file itself: why nothing was read, or what was left
out. Never quotes the resume. Why the model did not read it is said by the gateway, from the
result's ``fallback_reason`` and ``fallback_detail``."""

from __future__ import annotations

from careerflow_contracts import Notice
from careerflow_resume_parser.extracted_text import ExtractedText

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
