"""Text a reader cannot see never reaches the profile; text a reader can see always does.

Each case hides the skills "Haskell, Erlang, Fortran" one way in the skills section of a resume
whose other skills are drawn plainly, then checks the extracted text, the count of dropped
characters and the skills of the deterministic profile. Each "kept" case draws the same words in
an unusual but visible way, so the filter cannot pass by dropping too much.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from careerflow_resume_parser.docx_text import extract_docx
from careerflow_resume_parser.extracted_text import ExtractedText, ExtractionLimits
from careerflow_resume_parser.fallback import fallback_profile
from careerflow_resume_parser.pdf_text import extract_pdf
from careerflow_resume_parser.pdf_visibility import drop_hidden_text
from careerflow_testing.hostile_text import time_bound

LIMITS = ExtractionLimits()
HIDDEN = "Haskell, Erlang, Fortran"
HIDDEN_SKILLS = {"Haskell", "Erlang", "Fortran"}
VISIBLE_SKILLS = {"Python", "Go", "Kubernetes", "Docker", "Terraform"}

# The words as a PDF text-showing operation, at a place on the page where nothing else is.
SHOW = b"(" + HIDDEN.encode() + b") Tj"
TEXT_AT = b"BT /F1 11 Tf 72 560 Td " + SHOW + b" ET"
# A thin black rule at the foot of the page: "something has been painted" before the text.
RULE = b"0 g 72 60 468 1 re f "
DARK_BOX = b"0.1 0.1 0.3 rg 60 550 400 30 re f "
# The resume down to its first skills line; the hidden words follow, then "Docker, Terraform".
RESUME_HEAD = [
    "Jane Smith",
    "jane.smith@example.com",
    "EXPERIENCE",
    "Software Engineer, Globex Corporation",
    "Mar 2019 - Present",
    "SKILLS",
    "Python, Go, Kubernetes",
]


def _resume_pdf(snippet: bytes) -> bytes:
    """The resume's content stream with ``snippet`` drawn, in its own state, inside SKILLS."""
    shown = b" T* ".join(b"(" + line.encode() + b") Tj" for line in RESUME_HEAD)
    return (
        b"BT /F1 11 Tf 14 TL 72 740 Td " + shown + b" ET\n"
        b"q " + snippet + b" Q\n"
        b"BT /F1 11 Tf 72 500 Td (Docker, Terraform) Tj ET"
    )


def _assert_hidden(result: ExtractedText) -> None:
    assert result.status == "ok"
    for word in HIDDEN_SKILLS:
        assert word not in result.text
    assert "Python, Go, Kubernetes" in result.text and "Docker, Terraform" in result.text
    skills = set(fallback_profile(result.text).skills)
    assert skills.isdisjoint(HIDDEN_SKILLS)
    assert skills >= VISIBLE_SKILLS
    assert result.hidden_chars_dropped == len(HIDDEN)


def _assert_kept(result: ExtractedText) -> None:
    assert result.status == "ok"
    assert HIDDEN in result.text
    assert set(fallback_profile(result.text).skills) >= HIDDEN_SKILLS | VISIBLE_SKILLS
    assert result.hidden_chars_dropped == 0


def _inside_form(content: bytes) -> dict[str, Any]:
    return {"forms": {"Fm1": content}}


PDF_HIDDEN: dict[str, tuple[bytes, dict[str, Any]]] = {
    "near-white gray after a paint": (RULE + b"0.99 g " + TEXT_AT, {}),
    "near-white RGB after a paint": (RULE + b"0.99 0.99 0.99 rg " + TEXT_AT, {}),
    "near-white CMYK after a paint": (RULE + b"0 0 0 0.01 k " + TEXT_AT, {}),
    "near-white sc in DeviceRGB": (RULE + b"/DeviceRGB cs 0.99 0.99 0.99 sc " + TEXT_AT, {}),
    "near-white scn in DeviceGray": (RULE + b"/DeviceGray cs 0.995 scn " + TEXT_AT, {}),
    "near-white on a white box over a dark box": (
        DARK_BOX + b"1 g 60 550 400 30 re f 0.99 g " + TEXT_AT,
        {},
    ),
    "black on a black box": (b"0 g 60 550 400 30 re f 0.02 g " + TEXT_AT, {}),
    "font size 0.5": (b"BT /F1 0.5 Tf 72 560 Td " + SHOW + b" ET", {}),
    "tiny through the text matrix": (b"BT /F1 11 Tf 0.05 0 0 0.05 72 560 Tm " + SHOW + b" ET", {}),
    "tiny through the CTM": (b"0.05 0 0 0.05 72 560 cm BT /F1 11 Tf " + SHOW + b" ET", {}),
    "0 Tz": (b"BT /F1 11 Tf 0 Tz 72 560 Td " + SHOW + b" ET", {}),
    "below the MediaBox": (b"BT /F1 11 Tf 72 -300 Td " + SHOW + b" ET", {}),
    "left of the MediaBox": (b"BT /F1 11 Tf -3000 560 Td " + SHOW + b" ET", {}),
    "pushed off the page inside a TJ": (
        b"BT /F1 11 Tf 72 560 Td [(Go) -900000 (" + HIDDEN.encode() + b")] TJ ET",
        {},
    ),
    "outside the CropBox": (
        b"BT /F1 11 Tf 72 100 Td " + SHOW + b" ET",
        {"crop_box": (0, 300, 612, 792)},
    ),
    "clipped away": (b"0 0 1 1 re W n " + TEXT_AT, {}),
    "render mode 7": (b"BT 7 Tr /F1 11 Tf 72 560 Td " + SHOW + b" ET", {}),
    "fill opacity 0": (b"/GS0 gs " + TEXT_AT, {"fill_alphas": {"GS0": 0.0}}),
    "in a layer that is off": (b"/OC /L1 BDC " + TEXT_AT + b" EMC", {"layers": {"L1": False}}),
    "form XObject with render mode 3": (
        b"/Fm1 Do",
        _inside_form(b"BT 3 Tr /F1 11 Tf 72 560 Td " + SHOW + b" ET"),
    ),
    "form XObject with near-white text": (b"/Fm1 Do", _inside_form(RULE + b"0.99 g " + TEXT_AT)),
    "form XObject inheriting a near-white fill": (
        RULE + b"0.99 g /Fm1 Do",
        _inside_form(TEXT_AT),
    ),
    "form XObject inheriting 0 Tz": (b"BT 0 Tz ET /Fm1 Do", _inside_form(TEXT_AT)),
    "form XObject made tiny by its matrix": (
        b"/Fm1 Do",
        {
            "forms": {"Fm1": b"BT /F1 11 Tf " + SHOW + b" ET"},
            "form_matrices": {"Fm1": (0.05, 0, 0, 0.05, 72, 560)},
        },
    ),
    "form XObject moved off the page by its matrix": (
        b"/Fm1 Do",
        {"forms": {"Fm1": TEXT_AT}, "form_matrices": {"Fm1": (1, 0, 0, 1, 0, -2000)}},
    ),
    "form XObject moved off the page by the CTM": (
        b"1 0 0 1 5000 0 cm /Fm1 Do",
        _inside_form(TEXT_AT),
    ),
    "form XObject clipped by its BBox": (
        b"/Fm1 Do",
        {"forms": {"Fm1": TEXT_AT}, "form_boxes": {"Fm1": (0, 0, 1, 1)}},
    ),
    "form XObject inside a form XObject": (
        RULE + b"/Fm1 Do",
        {"forms": {"Fm1": b"0.99 g /Fm2 Do", "Fm2": TEXT_AT}},
    ),
}

PDF_KEPT: dict[str, tuple[bytes, dict[str, Any]]] = {
    "white on a dark box painted before it": (DARK_BOX + b"1 g " + TEXT_AT, {}),
    "near-white on a dark box inside a form XObject": (
        b"/Fm1 Do",
        _inside_form(DARK_BOX + b"0.99 0.99 0.99 rg " + TEXT_AT),
    ),
    "black on a white box over a dark box": (
        DARK_BOX + b"1 g 60 550 400 30 re f 0 g " + TEXT_AT,
        {},
    ),
    "white on an image": (
        b"q 400 0 0 30 60 550 cm BI /W 1 /H 1 /CS /G /BPC 8 ID \x00 EI Q 1 g " + TEXT_AT,
        {},
    ),
    "light grey": (b"0.6 g " + TEXT_AT, {}),
    "small print at 6 pt": (b"BT /F1 6 Tf 72 560 Td " + SHOW + b" ET", {}),
    "size set by the text matrix": (b"BT /F1 1 Tf 11 0 0 11 72 560 Tm " + SHOW + b" ET", {}),
    "condensed to 80 Tz": (b"BT /F1 11 Tf 80 Tz 72 560 Td " + SHOW + b" ET", {}),
    "half transparent": (b"/GS0 gs " + TEXT_AT, {"fill_alphas": {"GS0": 0.5}}),
    "clip around the text": (b"60 550 400 30 re W n " + TEXT_AT, {}),
    "in a layer that is on": (b"/OC /L1 BDC " + TEXT_AT + b" EMC", {"layers": {"L1": True}}),
    "form XObject moved onto the page": (
        b"/Fm1 Do",
        {
            "forms": {"Fm1": b"BT /F1 11 Tf " + SHOW + b" ET"},
            "form_matrices": {"Fm1": (1, 0, 0, 1, 72, 560)},
        },
    ),
}


@pytest.mark.parametrize(("snippet", "options"), PDF_HIDDEN.values(), ids=PDF_HIDDEN.keys())
def test_pdf_text_a_reader_cannot_see_is_dropped(
    make_raw_pdf: Callable[..., bytes], snippet: bytes, options: dict[str, Any]
) -> None:
    _assert_hidden(extract_pdf(make_raw_pdf(_resume_pdf(snippet), **options), LIMITS))


@pytest.mark.parametrize(("snippet", "options"), PDF_KEPT.values(), ids=PDF_KEPT.keys())
def test_pdf_text_a_reader_can_see_is_kept(
    make_raw_pdf: Callable[..., bytes], snippet: bytes, options: dict[str, Any]
) -> None:
    result = extract_pdf(make_raw_pdf(_resume_pdf(snippet), **options), LIMITS)
    _assert_kept(result)
    assert result.text.count(HIDDEN) == 1


def test_pdf_form_drawn_twice_keeps_the_copy_a_reader_sees(
    make_raw_pdf: Callable[..., bytes],
) -> None:
    # The same form drawn off the page, then on it: only the first drawing is hidden.
    snippet = b"q 1 0 0 1 0 -5000 cm /Fm1 Do Q /Fm1 Do"
    result = extract_pdf(make_raw_pdf(_resume_pdf(snippet), forms={"Fm1": TEXT_AT}), LIMITS)
    assert result.text.count(HIDDEN) == 1
    assert result.hidden_chars_dropped == len(HIDDEN)
    assert set(fallback_profile(result.text).skills) >= HIDDEN_SKILLS


def test_pdf_text_in_a_font_without_widths_is_kept(make_raw_pdf: Callable[..., bytes]) -> None:
    # Broken metrics give every glyph a width of 0; the text still shows on the page.
    pdf = make_raw_pdf(_resume_pdf(TEXT_AT), font_widths=[0] * 95)
    _assert_kept(extract_pdf(pdf, LIMITS))


def _run(text: str, properties: str = "") -> str:
    return f"<w:r><w:rPr>{properties}</w:rPr><w:t>{text}</w:t></w:r>"


def _paragraph(text: str, properties: str = "", paragraph_properties: str = "") -> str:
    return f"<w:p><w:pPr>{paragraph_properties}</w:pPr>{_run(text, properties)}</w:p>"


def _style(kind: str, style_id: str, run_properties: str, based_on: str | None = None) -> str:
    base = f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
    return (
        f'<w:style w:type="{kind}" w:styleId="{style_id}"><w:name w:val="{style_id}"/>'
        f"{base}<w:rPr>{run_properties}</w:rPr></w:style>"
    )


def _cell(text: str, cell_properties: str) -> str:
    return f"<w:tc><w:tcPr>{cell_properties}</w:tcPr>{_paragraph(text, WHITE)}</w:tc>"


WHITE = '<w:color w:val="FFFFFF"/>'
DARK_SHADING = '<w:shd w:val="clear" w:color="auto" w:fill="1F3864"/>'
VANISH_STYLE = [_style("character", "Secret", "<w:vanish/>")]

# (the hidden paragraph, styles, document defaults' run properties)
DocxCase = tuple[str, list[str], str | None]


def _in_paragraph_style(style_id: str, run_properties: str) -> DocxCase:
    """The words in a paragraph of their own style, which gives its runs ``run_properties``."""
    paragraph = _paragraph(HIDDEN, paragraph_properties=f'<w:pStyle w:val="{style_id}"/>')
    return paragraph, [_style("paragraph", style_id, run_properties)], None


DOCX_HIDDEN: dict[str, DocxCase] = {
    "colour FEFEFE": (_paragraph(HIDDEN, '<w:color w:val="FEFEFE"/>'), [], None),
    "1 pt run": (_paragraph(HIDDEN, '<w:sz w:val="2"/>'), [], None),
    "1 % character scale": (_paragraph(HIDDEN, '<w:w w:val="1"/>'), [], None),
    "webHidden": (_paragraph(HIDDEN, "<w:webHidden/>"), [], None),
    "specVanish": (_paragraph(HIDDEN, "<w:specVanish/>"), [], None),
    "hidden character style": (
        _paragraph(HIDDEN, '<w:rStyle w:val="Secret"/>'),
        VANISH_STYLE,
        None,
    ),
    "based on a hidden character style": (
        _paragraph(HIDDEN, '<w:rStyle w:val="Quiet"/>'),
        [*VANISH_STYLE, _style("character", "Quiet", "", based_on="Secret")],
        None,
    ),
    "hidden paragraph style": _in_paragraph_style("Gone", "<w:vanish/>"),
    "paragraph style in near-white": _in_paragraph_style("Pale", '<w:color w:val="FDFDFD"/>'),
    "paragraph style with a 1 pt size": _in_paragraph_style("Speck", '<w:sz w:val="2"/>'),
    "near-white from the document defaults": (
        _paragraph(HIDDEN, paragraph_properties='<w:pStyle w:val="Bare"/>'),
        # "Bare" is based on no style, so it takes the document defaults' colour; the other
        # paragraphs use Normal, which sets black.
        [
            '<w:style w:type="paragraph" w:styleId="Bare"><w:name w:val="Bare"/></w:style>',
            '<w:style w:type="paragraph" w:default="1" w:styleId="Normal">'
            '<w:name w:val="Normal"/><w:rPr><w:color w:val="000000"/></w:rPr></w:style>',
        ],
        '<w:rPr><w:color w:val="FEFEFE"/></w:rPr>',
    ),
    "theme colour background1": (
        _paragraph(HIDDEN, '<w:color w:val="000000" w:themeColor="background1"/>'),
        [],
        None,
    ),
    "white on white shading over dark paragraph shading": (
        _paragraph(
            HIDDEN,
            WHITE + '<w:shd w:val="clear" w:color="auto" w:fill="FFFFFF"/>',
            DARK_SHADING,
        ),
        [],
        None,
    ),
}

DOCX_KEPT: dict[str, DocxCase] = {
    "white on dark paragraph shading": (_paragraph(HIDDEN, WHITE, DARK_SHADING), [], None),
    "white on a dark highlight": (
        _paragraph(HIDDEN, WHITE + '<w:highlight w:val="darkBlue"/>'),
        [],
        None,
    ),
    "white in a dark table cell": (
        f"<w:tbl><w:tr>{_cell(HIDDEN, DARK_SHADING)}</w:tr></w:tbl>",
        [],
        None,
    ),
    "white in a text box with a dark fill": (
        '<w:p><w:r><w:pict><v:shape fillcolor="#1F3864"><v:textbox><w:txbxContent>'
        f"{_paragraph(HIDDEN, WHITE)}</w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>",
        [],
        None,
    ),
    "white over a dark shape placed behind the text": (
        # A sidebar template: a page-high dark rectangle behind the text, anchored in the body.
        '<w:p><w:r><w:drawing><wp:anchor behindDoc="1"><wp:extent cx="2286000" cy="10058400"/>'
        '<a:graphic><a:graphicData><wps:wsp><wps:spPr><a:solidFill><a:srgbClr val="1F3864"/>'
        "</a:solidFill></wps:spPr></wps:wsp></a:graphicData></a:graphic></wp:anchor>"
        f"</w:drawing></w:r>{_run(HIDDEN, WHITE)}</w:p>",
        [],
        None,
    ),
    "white in a table whose style shades it": (
        '<w:tbl><w:tblPr><w:tblStyle w:val="Banded"/></w:tblPr>'
        f"<w:tr><w:tc>{_paragraph(HIDDEN, WHITE)}</w:tc></w:tr></w:tbl>",
        [
            '<w:style w:type="table" w:styleId="Banded"><w:name w:val="Banded"/>'
            '<w:tblStylePr w:type="firstRow"><w:tcPr><w:shd w:val="clear" w:color="auto"'
            ' w:fill="1F3864"/></w:tcPr></w:tblStylePr></w:style>'
        ],
        None,
    ),
    "grey 999999": (_paragraph(HIDDEN, '<w:color w:val="999999"/>'), [], None),
    "automatic colour": (_paragraph(HIDDEN, '<w:color w:val="auto"/>'), [], None),
    "8 pt": (_paragraph(HIDDEN, '<w:sz w:val="16"/>'), [], None),
    "hidden style undone by direct formatting": (
        _paragraph(HIDDEN, '<w:rStyle w:val="Secret"/><w:vanish w:val="0"/>'),
        VANISH_STYLE,
        None,
    ),
    "theme colour text1": (
        _paragraph(HIDDEN, '<w:color w:val="FFFFFF" w:themeColor="text1"/>'),
        [],
        None,
    ),
}


def _resume_docx(make_styled_docx: Callable[..., bytes], case: DocxCase) -> bytes:
    paragraph, styles, defaults = case
    return make_styled_docx(
        [*RESUME_HEAD, paragraph, "Docker, Terraform"],
        styles=styles,
        default_run_properties=defaults,
    )


@pytest.mark.parametrize("case", DOCX_HIDDEN.values(), ids=DOCX_HIDDEN.keys())
def test_docx_text_a_reader_cannot_see_is_dropped(
    make_styled_docx: Callable[..., bytes], case: DocxCase
) -> None:
    _assert_hidden(extract_docx(_resume_docx(make_styled_docx, case), LIMITS))


@pytest.mark.parametrize("case", DOCX_KEPT.values(), ids=DOCX_KEPT.keys())
def test_docx_text_a_reader_can_see_is_kept(
    make_styled_docx: Callable[..., bytes], case: DocxCase
) -> None:
    _assert_kept(extract_docx(_resume_docx(make_styled_docx, case), LIMITS))


def test_docx_without_section_properties_is_read(make_styled_docx: Callable[..., bytes]) -> None:
    # The page size for the behind-the-text check comes from the section, which may be absent.
    document = make_styled_docx(["Backend engineer with ten years of Python and PostgreSQL."])
    word = docx.Document(io.BytesIO(document))
    body = word.element.body
    body.remove(body.find(qn("w:sectPr")))
    output = io.BytesIO()
    word.save(output)
    result = extract_docx(output.getvalue(), LIMITS)
    assert result.status == "ok" and "ten years of Python" in result.text


_OPERATORS = (
    "q Q cm w gs cs CS sc scn SC SCN g G rg RG k K m l c v y re h W W* f F f* B B* b b* S s n sh "
    "BDC BMC EMC Tc Tw Tz TL Ts Tr Tf BT ET Td TD Tm T* Tj TJ ' \" Do"
).split()
_NUMBER = st.one_of(
    st.integers(-(10**9), 10**9).map(str),
    st.floats(-1e6, 1e6, allow_nan=False).map(lambda number: f"{number:.4f}"),
)
_NAME = st.sampled_from(
    ["/F1", "/Fm1", "/Fm2", "/GS0", "/L1", "/OC", "/DeviceRGB", "/DeviceCMYK", "/Pattern", "/Nope"]
)
_STRING = st.text(alphabet="abc ()\\", max_size=8).map(
    lambda text: "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"
)
_OPERAND = st.one_of(_NUMBER, _NAME, _STRING)
_ARRAY = st.lists(st.one_of(_NUMBER, _STRING), max_size=6).map(lambda items: f"[{' '.join(items)}]")
_OPERATION = st.tuples(
    st.lists(st.one_of(_OPERAND, _ARRAY), max_size=7), st.sampled_from(_OPERATORS)
).map(lambda operation: " ".join([*operation[0], operation[1]]))
_STREAM = st.lists(_OPERATION, max_size=60).map(lambda ops: "\n".join(ops).encode())


# The fixture only hands out a builder function, so sharing it across examples is safe.
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(page=_STREAM, form=_STREAM)
def test_pdf_any_operator_soup_is_walked_without_error(
    make_raw_pdf: Callable[..., bytes], page: bytes, form: bytes
) -> None:
    # Operands of the wrong type or count, unbalanced q/Q and BT/ET, forms that draw
    # themselves: the walk never raises (a raise would lose the page), stays bounded, and
    # leaves a content stream that serialises. (pypdf's own extract_text is not under test:
    # it raises on some of these, "[3] Tf" among them, and the page is then unreadable.)
    document = make_raw_pdf(
        page,
        forms={"Fm1": form, "Fm2": b"/Fm1 Do " + form},
        fill_alphas={"GS0": 0.0},
        layers={"L1": False},
    )
    reader = PdfReader(io.BytesIO(document))
    with time_bound():
        drop_hidden_text(reader.pages[0], reader)
        reader.pages[0]["/Contents"].get_data()
