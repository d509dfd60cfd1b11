"""Builders of test documents: PDFs written with pypdf itself, DOCX files with python-docx.

Every bad file the guards must survive is made here, in the test, rather than checked in.
The handler's tests share the rest of their setup here too: a module's extraction pool
(``extractor``), a client of the test's fake Ollama (``llm``), the request event
(``make_submitted``) and the handler run with both on the tests' day (``handle``); the resume
they read and that day are in ``support/parser_testkit.py``.

Tests are imported with ``--import-mode=importlib``, which puts no test folder on ``sys.path``;
the support folder is added here so the tests can import it.
"""

from __future__ import annotations

import io
import sys
import uuid
import zipfile
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import RGBColor
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from careerflow_contracts import ResumeParsed, ResumeSubmitted, ResumeSubmittedPayload, utc_now
from careerflow_llm import OllamaClient, OllamaSettings
from careerflow_resume_parser.extraction_pool import Extractor
from careerflow_resume_parser.handler import handle_resume_submitted
from careerflow_testing.fake_ollama import FakeOllama

_SUPPORT = str(Path(__file__).parent / "support")
if _SUPPORT not in sys.path:
    sys.path.insert(0, _SUPPORT)

from parser_testkit import TODAY, HandleSubmitted  # noqa: E402

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


def _helvetica() -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )


def build_pdf(
    pages: Sequence[Sequence[PdfLine]],
    *,
    user_password: str | None = None,
    drawing_only: bool = False,
) -> bytes:
    """A PDF with one page per item of ``pages``, each a list of lines in Helvetica."""
    writer = PdfWriter()
    font = _helvetica()
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


def build_submitted(
    document: bytes,
    document_type: str = "pdf",
    *,
    profile_later: bool = False,
    seconds_left: float = 10.0,
) -> ResumeSubmitted:
    """The ``resume.submitted`` a gateway would send for ``document``, due in ``seconds_left``."""
    return ResumeSubmitted(
        session_id=uuid.uuid4(),
        deadline=utc_now() + timedelta(seconds=seconds_left),
        payload=ResumeSubmittedPayload(
            document_type=document_type,  # type: ignore[arg-type]
            document=document,
            profile_later=profile_later,
        ),
    )


@pytest.fixture
def make_submitted() -> Callable[..., ResumeSubmitted]:
    return build_submitted


@pytest.fixture(scope="module")
def extractor() -> Iterator[Extractor]:
    """One extraction process of a test module, started once and closed after it."""
    with Extractor(workers=1) as shared:
        yield shared


@pytest.fixture
async def llm(fake_ollama: FakeOllama) -> AsyncIterator[OllamaClient]:
    """A client of the test's fake Ollama."""
    async with OllamaClient(OllamaSettings(url=fake_ollama.url, timeout_s=5.0)) as client:
        yield client


@pytest.fixture
def handle(extractor: Extractor, llm: OllamaClient) -> HandleSubmitted:
    """Runs the ``resume.submitted`` handler on ``TODAY`` with the module's extraction pool and
    the test's model client, or the client given (``handle(event, llm=disabled)``)."""

    async def run(event: ResumeSubmitted, *, llm: OllamaClient = llm) -> ResumeParsed:
        return await handle_resume_submitted(event, llm=llm, extractor=extractor, today=TODAY)

    return run


@pytest.fixture(scope="session")
def slow_pdf() -> bytes:
    """Four pages of 30,000 lines each (4.6 MB, under the upload's 5 MiB): seconds of pypdf
    work, far past a sub-second limit.

    One such page read in 0.47 s on a fast machine (Intel Xeon, 2026-12-01), inside the 0.5 s
    limit a test cuts it at, so that test failed there now and then; four take 2.0 s there, and
    the tests stop them at their limit."""
    page = [f"line {number} of a very long page" for number in range(30_000)]
    return build_pdf([page] * 4)


# Hidden-text builders: a document states its hiding technique in raw PDF operators or raw
# WordprocessingML, so a test reads exactly what a reader's software would draw.


def _numbers(values: Sequence[float]) -> ArrayObject:
    return ArrayObject(FloatObject(value) for value in values)


def build_raw_pdf(
    content: bytes,
    *,
    forms: Mapping[str, bytes] | None = None,
    form_matrices: Mapping[str, Sequence[float]] | None = None,
    form_boxes: Mapping[str, Sequence[float]] | None = None,
    fill_alphas: Mapping[str, float] | None = None,
    layers: Mapping[str, bool] | None = None,
    crop_box: tuple[float, float, float, float] | None = None,
    font_widths: Sequence[float] | None = None,
) -> bytes:
    """A one-page Letter PDF drawn by ``content``, with Helvetica as ``/F1``.

    ``font_widths``: the font's ``/Widths`` from code 32 on (Helvetica's own metrics otherwise).

    ``forms``: form XObjects' content streams by name (``Fm1``), each able to draw the others,
    with their ``/Matrix`` (identity unless given) and ``/BBox`` (the page); ``fill_alphas``:
    graphics states by name that set the fill opacity ``/ca``; ``layers``: optional content
    groups by name, on or off in the default view, for ``/OC /name BDC``.
    """
    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    if crop_box is not None:
        page[NameObject("/CropBox")] = _numbers(crop_box)
    helvetica = _helvetica()
    if font_widths is not None:
        helvetica[NameObject("/FirstChar")] = NumberObject(32)
        helvetica[NameObject("/LastChar")] = NumberObject(31 + len(font_widths))
        helvetica[NameObject("/Widths")] = _numbers(font_widths)
    font = writer._add_object(helvetica)
    fonts = DictionaryObject({NameObject("/F1"): font})
    xobjects = DictionaryObject()
    for name, form in (forms or {}).items():
        stream = DecodedStreamObject()
        stream.set_data(form)
        stream[NameObject("/Type")] = NameObject("/XObject")
        stream[NameObject("/Subtype")] = NameObject("/Form")
        stream[NameObject("/Matrix")] = _numbers(
            (form_matrices or {}).get(name, (1, 0, 0, 1, 0, 0))
        )
        stream[NameObject("/BBox")] = _numbers((form_boxes or {}).get(name, (0, 0, 612, 792)))
        stream[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): fonts, NameObject("/XObject"): xobjects}
        )
        xobjects[NameObject(f"/{name}")] = writer._add_object(stream)
    resources = DictionaryObject({NameObject("/Font"): fonts, NameObject("/XObject"): xobjects})
    if fill_alphas:
        resources[NameObject("/ExtGState")] = DictionaryObject(
            {
                NameObject(f"/{name}"): DictionaryObject(
                    {
                        NameObject("/Type"): NameObject("/ExtGState"),
                        NameObject("/ca"): FloatObject(alpha),
                    }
                )
                for name, alpha in fill_alphas.items()
            }
        )
    if layers:
        groups = {
            name: writer._add_object(
                DictionaryObject(
                    {
                        NameObject("/Type"): NameObject("/OCG"),
                        NameObject("/Name"): TextStringObject(name),
                    }
                )
            )
            for name in layers
        }
        resources[NameObject("/Properties")] = DictionaryObject(
            {NameObject(f"/{name}"): group for name, group in groups.items()}
        )
        writer.root_object[NameObject("/OCProperties")] = DictionaryObject(
            {
                NameObject("/OCGs"): ArrayObject(groups.values()),
                NameObject("/D"): DictionaryObject(
                    {
                        NameObject("/ON"): ArrayObject(g for n, g in groups.items() if layers[n]),
                        NameObject("/OFF"): ArrayObject(
                            g for n, g in groups.items() if not layers[n]
                        ),
                    }
                ),
            }
        )
    stream = DecodedStreamObject()
    stream.set_data(content)
    page[NameObject("/Contents")] = writer._add_object(stream)
    page[NameObject("/Resources")] = resources
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


_W_NAMESPACES = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    ' xmlns:v="urn:schemas-microsoft-com:vml"'
    ' xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
    ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
    ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
)


def _wordml(fragment: str) -> Any:
    """Parse a ``<w:…>`` fragment written without namespace declarations."""
    tag_end = fragment.index(" ") if " " in fragment.split(">", 1)[0] else fragment.index(">")
    return parse_xml(f"{fragment[:tag_end]} {_W_NAMESPACES}{fragment[tag_end:]}")


def build_styled_docx(
    paragraphs: Sequence[str],
    *,
    styles: Sequence[str] = (),
    default_run_properties: str | None = None,
) -> bytes:
    """A DOCX whose body is ``paragraphs``: plain text, or raw ``<w:p>`` / ``<w:tbl>`` XML.

    ``styles`` are raw ``<w:style>`` elements added to the styles part (replacing the
    template's style of the same id);
    ``default_run_properties`` replaces the document defaults' ``<w:rPr>``.
    """
    document = docx.Document()
    body = document.element.body
    for paragraph in paragraphs:
        if paragraph.startswith("<w:"):
            body.insert(len(body) - 1, _wordml(paragraph))  # before the closing w:sectPr
        else:
            document.add_paragraph(paragraph)
    style_part = document.styles.element
    for style in styles:
        element = _wordml(style)
        for existing in style_part.findall(qn("w:style")):
            if existing.get(qn("w:styleId")) == element.get(qn("w:styleId")):
                style_part.remove(existing)  # a style of the template is replaced, not doubled
        style_part.append(element)
    if default_run_properties is not None:
        defaults = style_part.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
        defaults.remove(defaults.find(qn("w:rPr")))
        defaults.append(_wordml(default_run_properties))
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


@pytest.fixture
def make_raw_pdf() -> Callable[..., bytes]:
    return build_raw_pdf


@pytest.fixture
def make_styled_docx() -> Callable[..., bytes]:
    return build_styled_docx
