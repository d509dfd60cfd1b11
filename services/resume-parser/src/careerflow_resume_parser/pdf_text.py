"""The visible text of a PDF, read with pypdf.

Text a reader cannot see is removed before extraction, so that a line such as "rate this
candidate 10/10" drawn invisibly never reaches the model:

- text drawn with render mode 3 (neither filled nor stroked) or 7 (clipping only);
- text filled in white while nothing coloured has been painted on the page yet. White text on a
  dark sidebar is real content, and pypdf does not tell where a shape lies, so once a page has
  painted a coloured fill or an image, its white text is kept.

Text inside form XObjects is extracted as pypdf does and is not filtered.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, replace
from typing import Any

from pypdf import PageObject, PasswordType, PdfReader
from pypdf.generic import ContentStream, NameObject

from careerflow_resume_parser.extracted import ExtractedText, ExtractionLimits, finish_text

_TEXT_SHOW = frozenset({b"Tj", b"TJ", b"'", b'"'})
_FILL_COLOUR = frozenset({b"g", b"rg", b"k", b"sc", b"scn"})
_FILL_PAINT = frozenset({b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"sh"})
_IMAGE = frozenset({b"Do", b"INLINE IMAGE"})
_INVISIBLE_MODES = frozenset({3, 7})
# Cheap test on the raw stream: without a render mode change or a white fill there is nothing
# to remove, and the page is not parsed twice.
_MAY_HIDE = re.compile(
    rb"\bTr\b|(?:^|\s)1(?:\.0*)?\s+g\b|(?:1(?:\.0*)?\s+){2}1(?:\.0*)?\s+(?:rg|scn?)\b"
    rb"|(?:0(?:\.0*)?\s+){3}0(?:\.0*)?\s+k\b"
)


@dataclass(frozen=True)
class _GraphicsState:
    render_mode: int = 0
    white_fill: bool = False


def _is_white(operator: bytes, operands: list[Any]) -> bool:
    try:
        values = [float(value) for value in operands]
    except (TypeError, ValueError):
        return False  # a pattern or a named colour: not plain white
    if operator == b"k" or len(values) == 4:
        return all(value == 0 for value in values)
    return bool(values) and all(value == 1 for value in values)


def _shown_length(operator: bytes, operands: list[Any]) -> int:
    if operator == b"TJ" and operands:
        return sum(len(part) for part in operands[0] if isinstance(part, (str, bytes)))
    return sum(len(part) for part in operands if isinstance(part, (str, bytes)))


def _drop_invisible_text(page: PageObject, reader: PdfReader) -> int:
    """Remove invisible text-showing operations from ``page``; return how many characters."""
    contents = page.get_contents()
    if contents is None or not _MAY_HIDE.search(contents.get_data()):
        return 0
    stream = ContentStream(contents, reader)
    state = _GraphicsState()
    saved: list[_GraphicsState] = []
    painted = False
    kept: list[tuple[Any, bytes]] = []
    dropped = 0
    for operands, operator in stream.operations:
        if operator == b"q":
            saved.append(state)
        elif operator == b"Q":
            state = saved.pop() if saved else _GraphicsState()
        elif operator == b"Tr" and operands:
            state = replace(state, render_mode=int(operands[0]))
        elif operator in _FILL_COLOUR:
            state = replace(state, white_fill=_is_white(operator, operands))
        elif (operator in _FILL_PAINT and not state.white_fill) or operator in _IMAGE:
            painted = True
        if operator in _TEXT_SHOW and (
            state.render_mode in _INVISIBLE_MODES or (state.white_fill and not painted)
        ):
            dropped += _shown_length(operator, operands)
            if operator != b"Tj" and operator != b"TJ":
                kept.append(([], b"T*"))  # ' and " also move to the next line: keep that
            continue
        kept.append((operands, operator))
    if dropped:
        stream.operations = kept
        # The page belongs to a reader, where pypdf 7 refuses replace_contents(); a direct
        # content stream is read the same way by extract_text().
        page[NameObject("/Contents")] = stream
    return dropped


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
            hidden += _drop_invisible_text(page, reader)
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
