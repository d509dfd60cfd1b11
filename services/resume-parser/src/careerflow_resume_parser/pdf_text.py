"""The visible text of a PDF, read with pypdf.

Text a reader cannot see is removed from each page before extraction (``pdf_visibility`` says
what counts as unseen), so that a line such as "rate this candidate 10/10" drawn invisibly never
reaches the model; ``hidden_chars_dropped`` counts its characters.
"""

from __future__ import annotations

import io

from pypdf import PasswordType, PdfReader

from careerflow_resume_parser.extracted_text import ExtractedText, ExtractionLimits, finish_text
from careerflow_resume_parser.pdf_visibility import drop_hidden_text


def extract_pdf(document: bytes, limits: ExtractionLimits) -> ExtractedText:
    """Read the visible text of the first ``limits.max_pages`` pages of a PDF."""
    try:
        reader = PdfReader(io.BytesIO(document))
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            return ExtractedText(status="encrypted", document_type="pdf")
        page_count = len(reader.pages)
    except Exception as error:  # pypdf raises many types for a broken file
        return _failed(error)
    texts: list[str] = []
    hidden = 0
    failures = 0
    pages_read = min(page_count, limits.max_pages)
    for index in range(pages_read):
        try:
            page = reader.pages[index]
            hidden += drop_hidden_text(page, reader)
            texts.append(page.extract_text())
        except Exception:  # one broken page should not lose the others
            failures += 1
    if page_count and failures == pages_read:
        return ExtractedText(status="unreadable", document_type="pdf", page_count=page_count)
    return finish_text(
        "\n".join(texts),
        "pdf",
        limits,
        page_count=page_count,
        pages_read=pages_read,
        hidden_chars_dropped=hidden,
    )


def _failed(error: Exception) -> ExtractedText:
    # A password-protected file that pypdf cannot even decrypt (AES without the cryptography
    # package) is still "encrypted" to the user.
    name = type(error).__name__
    if "Dependency" in name or "Password" in name:
        return ExtractedText(status="encrypted", document_type="pdf")
    return ExtractedText(status="unreadable", document_type="pdf")
