"""Enough of a PDF font's metrics to place each shown string on the page.

Simple fonts give their ``/Widths``, CID fonts their ``/W`` array (codes of two bytes), Type 3
fonts their ``/FontMatrix`` as well. Without metrics a glyph is taken as half an em wide.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pypdf.generic import ArrayObject, DictionaryObject

from careerflow_resume_parser.pdf_objects import entry, numbers, resolved

DEFAULT_GLYPH_WIDTH = 0.5


@dataclass(frozen=True)
class FontMetrics:
    """Glyph widths by character code, in em, and how many bytes a code takes."""

    bytes_per_code: int = 1
    widths: dict[int, float] = field(default_factory=dict)  # in em
    default_width: float = DEFAULT_GLYPH_WIDTH
    # A Type 3 font's FontMatrix scales its glyphs away from the 1000-unit em.
    x_scale: float = 1.0
    y_scale: float = 1.0


_MAX_WIDTH_ENTRIES = 65_536


def _simple_widths(font: DictionaryObject, unit: float) -> dict[int, float]:
    first = resolved(font.get("/FirstChar"))
    widths = resolved(font.get("/Widths"))
    if not isinstance(first, int) or not isinstance(widths, ArrayObject):
        return {}
    listed = numbers(list(widths[:256]), min(len(widths), 256)) or []
    return {first + index: width * unit for index, width in enumerate(listed)}


def _cid_widths(descendant: DictionaryObject) -> dict[int, float]:
    """A CID font's ``/W`` array: ``c [w1 w2 …]`` and ``c_first c_last w`` entries."""
    entries = resolved(descendant.get("/W"))
    widths: dict[int, float] = {}
    if not isinstance(entries, ArrayObject):
        return widths
    items = [resolved(item) for item in entries[:_MAX_WIDTH_ENTRIES]]
    index = 0
    while index + 1 < len(items) and len(widths) < _MAX_WIDTH_ENTRIES:
        start, following = items[index], items[index + 1]
        if isinstance(start, int) and isinstance(following, ArrayObject):
            for offset, width in enumerate(numbers(following, len(following)) or []):
                widths[start + offset] = width / 1000
            index += 2
        elif index + 2 < len(items) and isinstance(start, int) and isinstance(following, int):
            same = numbers([items[index + 2]], 1)
            last = min(following, start + _MAX_WIDTH_ENTRIES)
            for code in range(start, last + 1):
                widths[code] = same[0] / 1000 if same else DEFAULT_GLYPH_WIDTH
            index += 3
        else:
            break
    return widths


def font_metrics(font: Any) -> FontMetrics:
    """The metrics of a font dictionary; defaults for anything missing or malformed."""
    font = resolved(font)
    if not isinstance(font, DictionaryObject):
        return FontMetrics()
    if font.get("/Subtype") == "/Type0":
        descendants = entry(font, "/DescendantFonts")
        descendant = resolved(descendants[0]) if isinstance(descendants, ArrayObject) else None
        if not isinstance(descendant, DictionaryObject):
            return FontMetrics(bytes_per_code=2)
        default = numbers([resolved(descendant.get("/DW", 1000))], 1)
        return FontMetrics(
            bytes_per_code=2,
            widths=_cid_widths(descendant),
            default_width=default[0] / 1000 if default else 1.0,
        )
    matrix = numbers(entry(font, "/FontMatrix"), 6) if font.get("/Subtype") == "/Type3" else None
    unit = matrix[0] if matrix else 0.001
    missing = numbers([entry(entry(font, "/FontDescriptor"), "/MissingWidth")], 1)
    return FontMetrics(
        widths=_simple_widths(font, unit),
        default_width=missing[0] * unit if missing and missing[0] > 0 else DEFAULT_GLYPH_WIDTH,
        x_scale=abs(matrix[0]) * 1000 if matrix else 1.0,
        y_scale=abs(matrix[3]) * 1000 if matrix else 1.0,
    )


def codes(text: Any, bytes_per_code: int) -> list[int]:
    """The character codes of a shown string (its bytes as written in the file)."""
    raw = text.original_bytes if hasattr(text, "original_bytes") else text
    if isinstance(raw, str):
        raw = raw.encode("latin-1", "replace")
    if bytes_per_code == 2:
        return [raw[index] << 8 | raw[index + 1] for index in range(0, len(raw) - 1, 2)]
    return list(raw)
