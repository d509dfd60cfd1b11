"""Builders of test documents: PDFs written with pypdf itself, DOCX files with python-docx.

Every bad file the guards must survive is made here, in the test, rather than checked in.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Sequence

import docx
import pytest
from docx.oxml import parse_xml
from docx.shared import RGBColor
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

# A line of a test PDF: plain text, or (style, text) with style "invisible" (render mode 3),
# "white" (white fill) or "white_on_dark" (white fill over a dark rectangle).
PdfLine = str | tuple[str, str]


def _pdf_string(text: str) -> bytes:
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return b"(" + escaped.encode("latin-1") + b")"


def _page_content(lines: Sequence[PdfLine]) -> bytes:
    ops = [b"BT /F1 11 Tf 14 TL 72 740 Td"]
    for line in lines:
        style, text = ("plain", line) if isinstance(line, str) else line
        if style == "invisible":
            ops += [b"3 Tr", _pdf_string(text) + b" Tj T*", b"0 Tr"]
        elif style == "white":
            ops += [b"1 1 1 rg", _pdf_string(text) + b" Tj T*", b"0 g"]
        elif style == "white_on_dark":
            ops += [b"ET 0.1 0.1 0.3 rg 0 0 200 792 re f BT /F1 11 Tf 14 TL 72 600 Td"]
            ops += [b"1 1 1 rg", _pdf_string(text) + b" Tj T*", b"0 g"]
        else:
            ops.append(_pdf_string(text) + b" Tj T*")
    ops.append(b"ET")
    return b"\n".join(ops)


def build_pdf(
    pages: Sequence[Sequence[PdfLine]],
    *,
    user_password: str | None = None,
    drawing_only: bool = False,
) -> bytes:
    """A PDF with one page per item of ``pages``, each a list of lines in Helvetica."""
    writer = PdfWriter()
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    for lines in pages:
        page = writer.add_blank_page(612, 792)
        stream = DecodedStreamObject()
        content = b"0.5 g 72 72 468 648 re f" if drawing_only else _page_content(lines)
        stream.set_data(content)
        page[NameObject("/Contents")] = writer._add_object(stream)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
    if user_password is not None:
        writer.encrypt(user_password, "owner-secret", algorithm="RC4-128")
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


RESUME_LINES: list[PdfLine] = [
    "Jane Smith",
    "jane.smith@example.com | (312) 555-0123",
    "EXPERIENCE",
    "Software Engineer, Globex Corporation",
    "Mar 2019 - Present",
    "Built billing services in Python and Go on Kubernetes.",
    "EDUCATION",
    "B.S. in Computer Science, Springfield State University",
    "SKILLS",
    "Python, Go, Kubernetes, PostgreSQL, Docker",
]


_TEXT_BOX = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    ' xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape><v:textbox><w:txbxContent>'
    "<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"
    "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
)


def build_docx(
    paragraphs: Sequence[str] = (),
    *,
    table: Sequence[Sequence[str]] = (),
    header: str | None = None,
    footer: str | None = None,
    text_box: str | None = None,
    hidden: str | None = None,
    white: str | None = None,
) -> bytes:
    """A DOCX with body paragraphs, an optional layout table (rows of cells, each cell's lines
    joined by newlines), header, footer, text box and hidden or white runs."""
    document = docx.Document()
    if header is not None:
        document.sections[0].header.paragraphs[0].text = header
    if footer is not None:
        document.sections[0].footer.paragraphs[0].text = footer
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, cells in zip(grid.rows, table, strict=True):
            for cell, text in zip(row.cells, cells, strict=True):
                lines = text.split("\n")
                cell.paragraphs[0].text = lines[0]
                for line in lines[1:]:
                    cell.add_paragraph(line)
    if text_box is not None:
        document.add_paragraph()._p.append(parse_xml(_TEXT_BOX.format(text=text_box)))
    if hidden is not None:
        document.add_paragraph().add_run(hidden).font.hidden = True
    if white is not None:
        document.add_paragraph().add_run(white).font.color.rgb = RGBColor(255, 255, 255)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def add_zip_member(document: bytes, name: str, data: bytes) -> bytes:
    """The same zip with one more (deflated) member."""
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(document)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            target.writestr(member, source.read(member.filename))
        target.writestr(name, data)
    return output.getvalue()


@pytest.fixture
def make_pdf() -> Callable[..., bytes]:
    return build_pdf


@pytest.fixture
def make_docx() -> Callable[..., bytes]:
    return build_docx


@pytest.fixture
def resume_pdf() -> bytes:
    return build_pdf([RESUME_LINES])


@pytest.fixture
def with_zip_member() -> Callable[[bytes, str, bytes], bytes]:
    return add_zip_member


@pytest.fixture(scope="session")
def slow_pdf() -> bytes:
    """A 1.4 MB page of 30,000 lines: seconds of pypdf work, far past a sub-second limit."""
    return build_pdf([[f"line {number} of a very long page" for number in range(30_000)]])
