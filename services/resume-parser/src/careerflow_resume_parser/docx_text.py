"""The visible text of a DOCX, read with python-docx after a zip-bomb check.

Reading order: page headers, then the body in document order (paragraphs, and tables cell by
cell, nested tables included), then text boxes, then page footers. A table used for layout (a
two-column resume) gives each cell's paragraphs on their own lines, so columns do not run into
each other.

Runs a reader cannot see (``docx_visibility`` says which) are left out and counted in
``hidden_chars_dropped``.

The zip check reads only the central directory's declared sizes: a DOCX whose members would
inflate beyond the limits is refused before anything is inflated. Declared sizes cannot lie to
us afterwards either, because ``zipfile`` stops a member at its declared size.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any

import docx
from docx.oxml.ns import qn

from careerflow_resume_parser.docx_visibility import DocumentLook
from careerflow_resume_parser.extracted_text import ExtractedText, ExtractionLimits, finish_text

_RUN_PATHS = (
    "./w:r | ./w:hyperlink/w:r | ./w:ins/w:r | ./w:smartTag/w:r | ./w:sdt/w:sdtContent/w:r"
    " | ./w:fldSimple/w:r"
)
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def zip_bomb_reason(document: bytes, limits: ExtractionLimits) -> str | None:
    """Why the zip's declared sizes refuse it, or ``None``; raises ``zipfile.BadZipFile``."""
    with zipfile.ZipFile(io.BytesIO(document)) as archive:
        members = archive.infolist()
    if len(members) > limits.max_zip_entries:
        return "too many entries"
    if sum(member.file_size for member in members) > limits.max_unzipped_bytes:
        return "declared uncompressed size over the limit"
    for member in members:
        if member.file_size <= limits.ratio_checked_above_bytes:
            continue
        ratio = member.file_size / max(member.compress_size, 1)
        if ratio > limits.max_compression_ratio:
            return "compression ratio over the limit"
    return None


def extract_docx(document: bytes, limits: ExtractionLimits) -> ExtractedText:
    """Read the visible text of a DOCX: headers, body, tables, text boxes and footers."""
    try:
        if zip_bomb_reason(document, limits) is not None:
            return ExtractedText(status="zip_bomb", document_type="docx")
        word = docx.Document(io.BytesIO(document))
    except Exception:  # not a zip, no document part, broken XML: python-docx has no one type
        return ExtractedText(status="unreadable", document_type="docx")
    try:
        lines, hidden = _document_lines(word)
    except Exception:
        return ExtractedText(status="unreadable", document_type="docx")
    return finish_text("\n".join(lines), "docx", limits, hidden_chars_dropped=hidden)


class _Reading:
    """Collects lines and counts the hidden characters it leaves out."""

    def __init__(self, look: DocumentLook) -> None:
        self.look = look
        self.lines: list[str] = []
        self.hidden = 0

    def paragraph(self, paragraph: Any) -> None:
        parts: list[str] = []
        for run in paragraph.xpath(_RUN_PATHS):
            text = _run_text(run)
            if self.look.run_is_hidden(run, paragraph):
                self.hidden += len(text)
            else:
                parts.append(text)
        line = "".join(parts).strip()
        if line:
            self.lines.append(line)

    def block(self, element: Any) -> None:
        if element.tag == qn("w:p"):
            self.paragraph(element)
        elif element.tag == qn("w:tbl"):
            self.table(element)
        elif element.tag == qn("w:sdt"):
            for child in element.xpath("./w:sdtContent/*"):
                self.block(child)

    def table(self, table: Any) -> None:
        for row in table.xpath("./w:tr"):
            for cell in row.xpath("./w:tc"):
                for child in cell.iterchildren():
                    self.block(child)

    def blocks(self, parent: Any) -> None:
        for child in parent.iterchildren():
            self.block(child)


def _document_lines(word: Any) -> tuple[list[str], int]:
    reading = _Reading(DocumentLook(word))
    headers = list(_unique_parts(_header_footer_parts(word, "header")))
    footers = list(_unique_parts(_header_footer_parts(word, "footer")))
    for part in headers:
        reading.blocks(part)
    body = word.element.body
    reading.blocks(body)
    for box in _text_boxes(body):
        reading.blocks(box)
    for part in footers:
        reading.blocks(part)
    return reading.lines, reading.hidden


def _header_footer_parts(word: Any, kind: str) -> Iterator[Any]:
    for section in word.sections:
        for name in (kind, f"first_page_{kind}", f"even_page_{kind}"):
            part = getattr(section, name)
            if not part.is_linked_to_previous:
                yield part._element  # the w:hdr / w:ftr element; python-docx has no public one


def _unique_parts(parts: Iterable[Any]) -> Iterator[Any]:
    seen: set[int] = set()
    for part in parts:
        if id(part) not in seen:
            seen.add(id(part))
            yield part


def _text_boxes(body: Any) -> Iterator[Any]:
    # A text box is stored twice (DrawingML and a VML fallback): read the first only.
    for box in body.iter(qn("w:txbxContent")):
        if not any(ancestor.tag == _MC_FALLBACK for ancestor in box.iterancestors()):
            yield box


def _run_text(run: Any) -> str:
    parts: list[str] = []
    for child in run.iterchildren():
        if child.tag == qn("w:t"):
            parts.append(child.text or "")
        elif child.tag == qn("w:tab"):
            parts.append("\t")
        elif child.tag in (qn("w:br"), qn("w:cr")):
            parts.append("\n")
    return "".join(parts)
