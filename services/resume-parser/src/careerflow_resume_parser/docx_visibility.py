"""Which runs of a DOCX a reader can see, from their formatting as Word resolves it.

A run's properties come from, lowest first: the document defaults, the table's style, the
paragraph's style and the styles it is based on, the run's character style and its bases, and
the run's own properties. A run is hidden when the result:

- hides it: ``w:vanish``, ``w:specVanish`` or ``w:webHidden``. These are toggles: set at any
  level of the styles they hide the run, unless the run's own properties turn them off;
- makes it smaller than ``legibility.MIN_GLYPH_PT``: the size ``w:sz`` (half-points, 10 pt
  when nothing sets it) and the character scale ``w:w`` (per cent of the width);
- colours it so that it does not stand out (``legibility.MIN_CONTRAST``) from what lies under
  it: the run's highlight, else its shading, else the paragraph's shading, else the table
  cell's, else the fill of the text box it is in, else the page colour (white unless
  ``w:background`` sets one). Theme colours are read from the document's theme with their tint
  and shade; ``auto`` is always legible (Word draws it black or white against the background).

Where the background cannot be known (a picture, a gradient or a pattern; a table style that
shades cells; a large picture or filled shape placed behind the text, as sidebar templates do),
text that would vanish against white is kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import qn

from careerflow_resume_parser.legibility import MIN_GLYPH_PT, WHITE, hex_luminance, stands_out

_HIDING_TOGGLES = ("w:vanish", "w:specVanish", "w:webHidden")
_FALSE = frozenset({"0", "false", "off"})
_DEFAULT_HALF_POINTS = 20.0
_MAX_STYLE_DEPTH = 20

_DRAWING = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_SHAPE = "{http://schemas.microsoft.com/office/word/2010/wordprocessingShape}"
_PICTURE = "{http://schemas.openxmlformats.org/drawingml/2006/picture}pic"
_PLACED = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_VML = "urn:schemas-microsoft-com:vml"
_VML_SHAPES = frozenset(
    f"{{{_VML}}}{name}" for name in ("shape", "rect", "roundrect", "oval", "shapetype")
)
_UNKNOWN_FILLS = frozenset(
    f"{_DRAWING}{name}" for name in ("gradFill", "blipFill", "pattFill", "grpFill")
)
# A drawing behind the text counts as a background when it covers this share of the page.
_BACKGROUND_SHARE = 0.1

_HIGHLIGHTS = {
    "black": "000000",
    "blue": "0000FF",
    "cyan": "00FFFF",
    "green": "00FF00",
    "magenta": "FF00FF",
    "red": "FF0000",
    "yellow": "FFFF00",
    "white": "FFFFFF",
    "darkBlue": "000080",
    "darkCyan": "008080",
    "darkGreen": "008000",
    "darkMagenta": "800080",
    "darkRed": "800000",
    "darkYellow": "808000",
    "darkGray": "808080",
    "lightGray": "C0C0C0",
}
# Word's names for theme colours, mapped to the theme's colour scheme (the default mapping).
_THEME_SLOTS = {
    "dark1": "dk1",
    "light1": "lt1",
    "dark2": "dk2",
    "light2": "lt2",
    "text1": "dk1",
    "background1": "lt1",
    "text2": "dk2",
    "background2": "lt2",
    "hyperlink": "hlink",
    "followedHyperlink": "folHlink",
    **{f"accent{number}": f"accent{number}" for number in range(1, 7)},
}


@dataclass(frozen=True)
class _Fill:
    """Something painted under text: a colour, or ``None`` for one that cannot be known."""

    luminance: float | None


_ANY_FILL = _Fill(None)


def _attribute(element: Any, name: str) -> str | None:
    if element is None:
        return None
    value = element.get(qn(name))
    return str(value) if value is not None else None


def _hex(colour: str | None) -> str | None:
    if colour is None:
        return None
    colour = colour.strip().lstrip("#").split(" ")[0]
    return colour.upper() if len(colour) == 6 else None


def _tinted(colour: str, tint: str | None, shade: str | None) -> str:
    """A theme colour lightened by ``w:themeTint`` or darkened by ``w:themeShade`` (hex bytes)."""
    channels = [int(colour[index : index + 2], 16) for index in (0, 2, 4)]
    try:
        if tint is not None:
            share = int(tint, 16) / 255
            channels = [round(c * share + 255 * (1 - share)) for c in channels]
        if shade is not None:
            share = int(shade, 16) / 255
            channels = [round(c * share) for c in channels]
    except ValueError:
        pass
    return "".join(f"{min(max(c, 0), 255):02X}" for c in channels)


def _shading(shd: Any) -> _Fill | None:
    """The fill a ``w:shd`` paints, ``None`` when it paints nothing."""
    if shd is None:
        return None
    pattern = _attribute(shd, "w:val") or "clear"
    if pattern == "nil":
        return None
    if pattern == "clear":
        fill = _attribute(shd, "w:fill")
        if fill is None or fill == "auto":
            return None
        luminance = hex_luminance(_hex(fill) or "")
        return _Fill(luminance) if luminance is not None else _ANY_FILL
    if pattern == "solid":
        luminance = hex_luminance(_hex(_attribute(shd, "w:color")) or "")
        return _Fill(luminance) if luminance is not None else _ANY_FILL
    return _ANY_FILL  # a pattern of two colours


def _is_on(element: Any) -> bool:
    """Whether a toggle property is set on; ``False`` when it is absent."""
    return element is not None and (_attribute(element, "w:val") or "true") not in _FALSE


def _nearest(properties: list[Any], name: str) -> Any:
    """The first of ``properties`` (in priority order) to set ``name``, or ``None``."""
    for element in properties:
        found = element.find(qn(name))
        if found is not None:
            return found
    return None


class DocumentLook:
    """The formatting that decides what a reader of one document sees."""

    def __init__(self, word: Any) -> None:
        styles_part = word.styles.element
        self._styles = {
            str(style.get(qn("w:styleId"))): style
            for style in styles_part.iterchildren(qn("w:style"))
        }
        self._default_style = {
            kind: style_id
            for style_id, style in self._styles.items()
            if _attribute(style, "w:default") in ("1", "true", "on")
            and (kind := _attribute(style, "w:type")) is not None
        }
        defaults = styles_part.find(qn("w:docDefaults"))
        run_defaults = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
        self._run_defaults = run_defaults.find(qn("w:rPr")) if run_defaults is not None else None
        self._chains: dict[str, list[Any]] = {}
        self._theme = _theme_colours(word)
        self._shaded_tables: dict[str, bool] = {}
        page = _attribute(word.element.find(qn("w:background")), "w:color")
        page_luminance = hex_luminance(_hex(page) or "") if page not in (None, "auto") else None
        self._page = _Fill(WHITE if page_luminance is None else page_luminance)
        if _has_background_drawing(word):
            self._page = _ANY_FILL

    # Styles

    def _style_chain(self, style_id: str | None) -> list[Any]:
        """The style and the styles it is based on, nearest first."""
        if style_id is None:
            return []
        if style_id not in self._chains:
            chain: list[Any] = []
            seen: set[str] = set()
            current: str | None = style_id
            while current is not None and current not in seen and len(chain) < _MAX_STYLE_DEPTH:
                style = self._styles.get(current)
                if style is None:
                    break
                seen.add(current)
                chain.append(style)
                current = _attribute(style.find(qn("w:basedOn")), "w:val")
            self._chains[style_id] = chain
        return self._chains[style_id]

    def _properties(self, style_id: str | None, kind: str) -> list[Any]:
        chain = self._style_chain(style_id)
        return [props for style in chain if (props := style.find(qn(kind))) is not None]

    def _run_levels(self, run: Any, paragraph: Any, table: Any) -> list[list[Any]]:
        """The run's property sets by level, the run's own first and the defaults last."""
        direct = run.find(qn("w:rPr"))
        character = _attribute(direct.find(qn("w:rStyle")) if direct is not None else None, "w:val")
        paragraph_style = self._paragraph_style(paragraph)
        table_style = (
            _attribute(table.find(f"{qn('w:tblPr')}/{qn('w:tblStyle')}"), "w:val")
            if table is not None
            else None
        )
        return [
            [direct] if direct is not None else [],
            self._properties(character or self._default_style.get("character"), "w:rPr"),
            self._properties(paragraph_style, "w:rPr"),
            self._properties(table_style, "w:rPr"),
            [self._run_defaults] if self._run_defaults is not None else [],
        ]

    def _paragraph_style(self, paragraph: Any) -> str | None:
        style = _attribute(paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}"), "w:val")
        return style or self._default_style.get("paragraph")

    # Visibility

    def run_is_hidden(self, run: Any, paragraph: Any) -> bool:
        """Whether a reader cannot see ``run`` of ``paragraph``."""
        table = next(paragraph.iterancestors(qn("w:tbl")), None)
        levels = self._run_levels(run, paragraph, table)
        ordered = [properties for level in levels for properties in level]

        for toggle in _HIDING_TOGGLES:
            own = _nearest(levels[0], toggle)
            if own is not None:
                if _is_on(own):
                    return True
                continue  # the run's own properties override its styles
            if any(_is_on(_nearest(level, toggle)) for level in levels[1:]):
                return True
        if self._too_small(_nearest(ordered, "w:sz"), _nearest(ordered, "w:w")):
            return True
        text = self._colour(_nearest(ordered, "w:color"))
        if text is None:
            return False
        background = self._background(
            _nearest(ordered, "w:highlight"), _nearest(ordered, "w:shd"), paragraph
        )
        return background.luminance is not None and not stands_out(text, background.luminance)

    @staticmethod
    def _too_small(size: Any, scale: Any) -> bool:
        try:
            half_points = float(_attribute(size, "w:val") or _DEFAULT_HALF_POINTS)
            percent = float((_attribute(scale, "w:val") or "100").rstrip("%"))
        except ValueError:
            return False
        height = half_points / 2
        return height < MIN_GLYPH_PT or height * percent / 100 < MIN_GLYPH_PT

    def _colour(self, colour: Any) -> float | None:
        """The luminance of a run's ``w:color``; ``None`` for automatic or unreadable ones."""
        if colour is None:
            return None
        theme_name = _attribute(colour, "w:themeColor")
        value = self._theme.get(_THEME_SLOTS.get(theme_name or "", ""))
        if value is not None:
            value = _tinted(
                value, _attribute(colour, "w:themeTint"), _attribute(colour, "w:themeShade")
            )
        else:
            value = _hex(_attribute(colour, "w:val"))
        return hex_luminance(value) if value is not None else None

    def _background(self, highlight: Any, shading: Any, paragraph: Any) -> _Fill:
        marker = _attribute(highlight, "w:val")
        if marker in _HIGHLIGHTS:
            return _Fill(hex_luminance(_HIGHLIGHTS[marker]))
        for fill in self._fills_under(shading, paragraph):
            if fill is not None:
                return fill
        return self._page

    def _fills_under(self, shading: Any, paragraph: Any) -> Iterator[_Fill | None]:
        """What may be painted under a paragraph's run, nearest first (``None``: nothing)."""
        yield _shading(shading)
        yield _shading(paragraph.find(f"{qn('w:pPr')}/{qn('w:shd')}"))
        for properties in self._properties(self._paragraph_style(paragraph), "w:pPr"):
            yield _shading(properties.find(qn("w:shd")))
        for ancestor in paragraph.iterancestors():
            if ancestor.tag == qn("w:tc"):
                yield _shading(ancestor.find(f"{qn('w:tcPr')}/{qn('w:shd')}"))
            elif ancestor.tag == qn("w:tbl"):
                yield _shading(ancestor.find(f"{qn('w:tblPr')}/{qn('w:shd')}"))
                yield self._table_style_fill(ancestor)
            elif ancestor.tag == f"{_SHAPE}wsp":
                yield _drawing_fill(ancestor.find(f"{_SHAPE}spPr"))
            elif ancestor.tag in _VML_SHAPES:
                yield _vml_fill(ancestor)

    def _table_style_fill(self, table: Any) -> _Fill | None:
        """Any colour a table's style may shade its cells with (header rows, banding)."""
        style_id = _attribute(table.find(f"{qn('w:tblPr')}/{qn('w:tblStyle')}"), "w:val")
        if style_id is None:
            return None
        if style_id not in self._shaded_tables:
            self._shaded_tables[style_id] = any(
                _shading(shd) is not None
                for style in self._style_chain(style_id)
                for shd in style.iter(qn("w:shd"))
            )
        return _ANY_FILL if self._shaded_tables[style_id] else None


def _theme_colours(word: Any) -> dict[str, str]:
    """The theme's colour scheme: slot (``dk1``, ``lt1``, ``accent1``…) to ``RRGGBB``."""
    try:
        theme = parse_xml(word.part.part_related_by(RELATIONSHIP_TYPE.THEME).blob)
    except Exception:  # no theme part, or one that does not parse: no theme colours
        return {}
    scheme = next(theme.iter(f"{_DRAWING}clrScheme"), None)
    colours: dict[str, str] = {}
    for slot in scheme if scheme is not None else []:
        name = str(slot.tag).rsplit("}", 1)[-1]
        for colour in slot:
            value = (
                colour.get("val") if colour.tag == f"{_DRAWING}srgbClr" else colour.get("lastClr")
            )
            if _hex(value) is not None:
                colours[name] = str(_hex(value))
    return colours


def _drawing_fill(properties: Any) -> _Fill | None:
    """The fill of a DrawingML shape's ``spPr``."""
    if properties is None:
        return _ANY_FILL  # filled from the theme's style
    for child in properties:
        if child.tag == f"{_DRAWING}noFill":
            return None
        if child.tag in _UNKNOWN_FILLS:
            return _ANY_FILL
        if child.tag == f"{_DRAWING}solidFill":
            colour = next(iter(child), None)
            value = (
                colour.get("val")
                if colour is not None and colour.tag == f"{_DRAWING}srgbClr"
                else None
            )
            luminance = hex_luminance(_hex(value) or "")
            return _Fill(luminance) if luminance is not None else _ANY_FILL
    return _ANY_FILL


def _vml_fill(shape: Any) -> _Fill | None:
    """The fill of a VML shape: white unless ``fillcolor`` or a ``v:fill`` says otherwise."""
    if (shape.get("filled") or "t").lower() in ("f", "false"):
        return None
    if shape.find(f"{{{_VML}}}fill") is not None or shape.find(f"{{{_VML}}}imagedata") is not None:
        return _ANY_FILL
    colour = shape.get("fillcolor")
    if colour is None:
        return _Fill(WHITE)
    luminance = hex_luminance(_hex(colour) or "")
    return _Fill(luminance) if luminance is not None else _ANY_FILL


def _has_background_drawing(word: Any) -> bool:
    """Whether a large picture or filled shape lies behind the text somewhere in the document."""
    sections = list(word.sections)
    first = sections[0] if sections else None
    # Letter, in EMU, when the section does not say
    width = first.page_width if first is not None and first.page_width else 7_772_400
    height = first.page_height if first is not None and first.page_height else 10_058_400
    page_area = width * height
    parts = [word.element.body]
    for section in sections:
        for part in (
            section.header,
            section.footer,
            section.first_page_header,
            section.even_page_header,
        ):
            if not part.is_linked_to_previous:
                parts.append(part._element)
    for part in parts:
        for anchor in part.iter(f"{_PLACED}anchor"):
            if anchor.get("behindDoc") not in ("1", "true"):
                continue
            extent = anchor.find(f"{_PLACED}extent")
            try:
                area = int(extent.get("cx")) * int(extent.get("cy"))
            except (AttributeError, TypeError, ValueError):
                continue
            if area < _BACKGROUND_SHARE * page_area:
                continue
            if next(anchor.iter(_PICTURE), None) is not None:
                return True
            shape = next(anchor.iter(f"{_SHAPE}spPr"), None)
            fill = _drawing_fill(shape)
            if fill is not None and (fill.luminance is None or stands_out(WHITE, fill.luminance)):
                return True
    return False
