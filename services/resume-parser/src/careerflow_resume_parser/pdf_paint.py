"""The colour a PDF paint operator sets, as the luminance a reader perceives.

Device, calibrated and ICC-based gray, RGB and CMYK colours and Lab colours are worked out;
a Separation or DeviceN tint of 0 leaves the paper showing, and the colourant ``/None`` never
marks the page. Any other colour (patterns, Indexed spaces, non-zero tints) is ``None``: one
the caller cannot judge.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pypdf.generic import ArrayObject, DictionaryObject, NameObject

from careerflow_resume_parser.legibility import WHITE, rgb_luminance
from careerflow_resume_parser.pdf_objects import entry, numbers, resolved


@dataclass(frozen=True)
class Paint:
    """A fill or stroke colour as a reader sees it."""

    luminance: float | None = 0.0  # None: a colour the walk cannot judge
    inked: bool = True  # False: the Separation colourant /None, which never marks the page


BLACK = Paint(0.0)
_UNKNOWN = Paint(None)
_NO_INK = Paint(None, inked=False)


def _lab_luminance(lightness: float) -> float:
    cube_root = (lightness + 16) / 116
    luminance = cube_root**3 if cube_root**3 > 0.008856 else lightness / 903.3
    return min(max(luminance, 0.0), 1.0)


@dataclass(frozen=True)
class ColourSpace:
    """A colour space, as far as telling the luminance of its colours goes."""

    kind: Literal["gray", "rgb", "cmyk", "lab", "tint", "none", "other"]

    def initial(self) -> Paint:
        """The colour that selecting this space sets (black, for the spaces worked out)."""
        if self.kind in ("gray", "rgb", "cmyk", "lab"):
            return BLACK
        return _NO_INK if self.kind == "none" else _UNKNOWN

    def paint(self, operands: Sequence[Any]) -> Paint:
        """The colour that ``sc``/``scn`` operands set in this space."""
        if self.kind == "none":
            return _NO_INK
        values = numbers(operands, len(operands)) if operands else None
        if values is None or self.kind == "other":
            return _UNKNOWN  # a pattern name, or a space whose colours are not worked out
        values = [min(max(value, 0.0), 1.0) if self.kind != "lab" else value for value in values]
        if self.kind == "tint":
            # A tint of 0 puts no colourant down: the paper shows.
            return Paint(WHITE) if all(value == 0 for value in values) else _UNKNOWN
        if self.kind == "gray" and len(values) == 1:
            return Paint(rgb_luminance(values[0], values[0], values[0]))
        if self.kind == "rgb" and len(values) == 3:
            return Paint(rgb_luminance(*values))
        if self.kind == "cmyk" and len(values) == 4:
            cyan, magenta, yellow, black = values
            return Paint(
                rgb_luminance(
                    (1 - cyan) * (1 - black),
                    (1 - magenta) * (1 - black),
                    (1 - yellow) * (1 - black),
                )
            )
        if self.kind == "lab" and len(values) == 3:
            return Paint(_lab_luminance(values[0]))
        return _UNKNOWN


GRAY = ColourSpace("gray")
RGB = ColourSpace("rgb")
CMYK = ColourSpace("cmyk")
OTHER = ColourSpace("other")
_DEVICE_SPACES = {
    "/DeviceGray": GRAY,
    "/G": GRAY,
    "/CalGray": GRAY,
    "/DeviceRGB": RGB,
    "/RGB": RGB,
    "/CalRGB": RGB,
    "/DeviceCMYK": CMYK,
    "/CMYK": CMYK,
    "/Lab": ColourSpace("lab"),
}
_ICC_SPACES = {1: GRAY, 3: RGB, 4: CMYK}


def colour_space(value: Any, resources: DictionaryObject, depth: int = 0) -> ColourSpace:
    """The colour space a ``cs``/``CS`` operand names, looked up in ``resources`` if need be."""
    value = resolved(value)
    if depth > 4:
        return OTHER
    if isinstance(value, NameObject):
        if value in _DEVICE_SPACES:
            return _DEVICE_SPACES[value]
        named = entry(entry(resources, "/ColorSpace"), value)
        return OTHER if named is None else colour_space(named, resources, depth + 1)
    if not isinstance(value, ArrayObject) or not value:
        return OTHER
    family = resolved(value[0])
    if not isinstance(family, str):
        return OTHER
    if family in _DEVICE_SPACES:
        return _DEVICE_SPACES[family]
    if family == "/ICCBased" and len(value) > 1:
        components = entry(value[1], "/N")
        return _ICC_SPACES.get(components, OTHER) if isinstance(components, int) else OTHER
    if family == "/Separation" and len(value) > 1:
        return ColourSpace("none" if resolved(value[1]) == "/None" else "tint")
    if family == "/DeviceN" and len(value) > 1:
        names = resolved(value[1])
        silent = isinstance(names, ArrayObject) and all(resolved(n) == "/None" for n in names)
        return ColourSpace("none" if silent else "tint")
    return OTHER
