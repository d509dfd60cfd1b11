"""Text a reader cannot see never reaches the profile; text a reader can see always does.

Each case hides the skills "Haskell, Erlang, Fortran" one way in the skills section of a resume
whose other skills are drawn plainly, then checks the extracted text, the count of dropped
characters and the skills of the deterministic profile. Each "kept" case draws the same words in
an unusual but visible way, so the filter cannot pass by dropping too much.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from careerflow_resume_parser.extracted import ExtractedText, ExtractionLimits
from careerflow_resume_parser.fallback import fallback_profile
from careerflow_resume_parser.pdf_text import extract_pdf

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


def _resume_pdf(snippet: bytes) -> bytes:
    """The resume's content stream with ``snippet`` drawn, in its own state, inside SKILLS."""
    lines = [
        "Jane Smith",
        "jane.smith@example.com",
        "EXPERIENCE",
        "Software Engineer, Globex Corporation",
        "Mar 2019 - Present",
        "SKILLS",
        "Python, Go, Kubernetes",
    ]
    shown = b" T* ".join(b"(" + line.encode() + b") Tj" for line in lines)
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
