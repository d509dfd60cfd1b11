"""Whether a reader can make out text: its colour against what lies under it, and its size.

Both extractors (PDF and DOCX) judge hidden text with these rules, so "hidden" means the same
for either kind of document:

- colour: WCAG 2's contrast ratio between the text's relative luminance and its background's.
  Below ``MIN_CONTRAST`` the text is taken as invisible. 1.2 sits well under any colour a
  designer picks for text (light grey ``#BBBBBB`` on white is 1.9) and well over the near-white
  tricks (``#FEFEFE`` is 1.01, gray 0.99 is 1.02);
- size: a glyph narrower or shorter than ``MIN_GLYPH_PT`` points cannot be read (footnotes are
  5–6 pt; 2 pt letters are 0.7 mm tall).
"""

from __future__ import annotations

MIN_CONTRAST = 1.2
MIN_GLYPH_PT = 2.0
WHITE = 1.0


def _linear(channel: float) -> float:
    """An sRGB channel (0–1) in linear light."""
    channel = min(max(channel, 0.0), 1.0)
    if channel <= 0.04045:
        return channel / 12.92
    return float(((channel + 0.055) / 1.055) ** 2.4)


def rgb_luminance(red: float, green: float, blue: float) -> float:
    """WCAG relative luminance of an sRGB colour with channels from 0 to 1."""
    return 0.2126 * _linear(red) + 0.7152 * _linear(green) + 0.0722 * _linear(blue)


def hex_luminance(colour: str) -> float | None:
    """Relative luminance of an ``RRGGBB`` hex colour, or ``None`` when it is not one."""
    if len(colour) != 6:
        return None
    try:
        red, green, blue = (int(colour[index : index + 2], 16) / 255 for index in (0, 2, 4))
    except ValueError:
        return None
    return rgb_luminance(red, green, blue)


def contrast(first: float, second: float) -> float:
    """WCAG contrast ratio of two relative luminances: 1 (the same) to 21 (black on white)."""
    lighter, darker = max(first, second), min(first, second)
    return (lighter + 0.05) / (darker + 0.05)


def stands_out(text: float, background: float) -> bool:
    """Whether text of luminance ``text`` can be told from a ``background`` of luminance."""
    return contrast(text, background) >= MIN_CONTRAST
