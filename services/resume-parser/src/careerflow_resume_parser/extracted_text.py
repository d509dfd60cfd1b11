"""What text extraction gives back, and the limits it works within.

Extraction never raises for a bad document: every outcome is an ``ExtractedText`` whose
``status`` names it, so the handler can always answer with a profile and a notice.

- ``ok``: text was read (perhaps truncated, perhaps only the first pages: see the flags);
- ``encrypted``: a PDF that needs a password to open;
- ``unreadable``: a corrupt, truncated or mislabelled file the parsers could not read;
- ``no_text``: the document opened but holds no readable text (for a PDF, a scan);
- ``zip_bomb``: a DOCX whose declared sizes or compression ratio are out of bounds;
- ``timeout``: reading took longer than the per-file time limit.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal

ExtractionStatus = Literal["ok", "encrypted", "unreadable", "no_text", "zip_bomb", "timeout"]
DocumentType = Literal["pdf", "docx"]


@dataclass(frozen=True)
class ExtractionLimits:
    """Bounds on the work one document may cause."""

    max_pages: int = 10
    max_chars: int = 40_000
    # Fewer visible characters than this over the whole document means a scan.
    min_text_chars: int = 40
    # A DOCX is a zip: refuse it before inflating when its declared sizes say it is a bomb.
    max_unzipped_bytes: int = 64 * 1024 * 1024
    max_zip_entries: int = 2_000
    max_compression_ratio: float = 100.0
    # The ratio is checked only on members that inflate to more than this: small XML parts
    # legitimately compress very well.
    ratio_checked_above_bytes: int = 1024 * 1024


@dataclass(frozen=True)
class ExtractedText:
    """The visible text of one document and how reading it went."""

    status: ExtractionStatus
    document_type: DocumentType
    text: str = ""
    page_count: int = 0
    pages_read: int = 0
    truncated: bool = False
    hidden_chars_dropped: int = 0

    @property
    def pages_skipped(self) -> int:
        return max(0, self.page_count - self.pages_read)


def finish_text(
    text: str,
    document_type: DocumentType,
    limits: ExtractionLimits,
    *,
    page_count: int = 0,
    pages_read: int = 0,
    hidden_chars_dropped: int = 0,
) -> ExtractedText:
    """Apply the length limit and the no-text rule to freshly extracted text."""
    # NFKC: ligatures ("ﬁ") and compatibility forms become plain letters for every reader.
    text = unicodedata.normalize("NFKC", text).replace("\x00", "").strip()
    visible = sum(1 for char in text if not char.isspace())
    if visible < limits.min_text_chars:
        return ExtractedText(
            status="no_text",
            document_type=document_type,
            text=text,
            page_count=page_count,
            pages_read=pages_read,
            hidden_chars_dropped=hidden_chars_dropped,
        )
    truncated = len(text) > limits.max_chars
    return ExtractedText(
        status="ok",
        document_type=document_type,
        text=text[: limits.max_chars] if truncated else text,
        page_count=page_count,
        pages_read=pages_read,
        truncated=truncated,
        hidden_chars_dropped=hidden_chars_dropped,
    )
