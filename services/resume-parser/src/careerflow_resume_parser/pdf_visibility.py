"""Which text of a PDF page a reader can see, and the removal of the rest before extraction.

A walk over the page's content stream, and over the form XObjects it draws, keeps the graphics
state a viewer keeps and removes every text-showing operation a reader could not see. Text is
hidden when:

- its render mode is 3 or 7 (not painted), its colour is the Separation colourant ``/None``,
  its opacity is 0, or it lies in an optional-content layer that is off in the default view;
- its glyphs come out under ``MIN_GLYPH_PT`` tall or wide once the font size, the horizontal
  scaling (``Tz``), the text matrix, the CTM and the form matrices are applied;
- less than a quarter of a glyph of it lies in the visible part of the page: the MediaBox cut
  by the CropBox, by clipping paths (their bounding boxes) and by the BBoxes of forms;
- its colour does not stand out (``legibility.MIN_CONTRAST``) against anything that may lie
  under it: what was painted there before it, top down to the first opaque rectangle that
  covers it, and the white page unless such a rectangle hides the page.

pypdf's ``extract_text`` visitors report a CTM and a text matrix, but not enough to judge this:
text inside a form XObject comes with the CTM reset to the identity (the caller's CTM and the
form's ``/Matrix`` are dropped), the text matrix does not advance over the glyphs shown, the
colour and ``Tz`` are not reported, and one reported piece can join text drawn in different
colours. So the walk keeps its own state, and pypdf extracts what the walk kept.

Where the walk cannot tell, text is kept: colours in pattern, Indexed or tinted spaces, text
under a soft mask, and any text over an image, a shading or a pattern-filled area.

Bounds: forms nest at most ``MAX_FORM_DEPTH`` deep and are drawn at most ``MAX_FORM_DRAWS`` times
a page; a form past either bound, or one that draws itself, is left out, text and all.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from copy import copy
from dataclasses import dataclass, replace
from typing import Any

from pypdf import PageObject, PdfReader
from pypdf.generic import (
    ArrayObject,
    ContentStream,
    DictionaryObject,
    IndirectObject,
    NameObject,
    StreamObject,
)

from careerflow_resume_parser.legibility import MIN_GLYPH_PT, WHITE, stands_out
from careerflow_resume_parser.pdf_fonts import DEFAULT_GLYPH_WIDTH, FontMetrics, codes, font_metrics
from careerflow_resume_parser.pdf_geometry import (
    IDENTITY,
    Box,
    Matrix,
    area,
    axis_aligned,
    box_through,
    covers,
    intersection,
    multiply,
    translate,
    union,
)
from careerflow_resume_parser.pdf_objects import NUMBER_TYPES, entry, numbers, resolved
from careerflow_resume_parser.pdf_paint import (
    BLACK,
    CMYK,
    GRAY,
    OTHER,
    RGB,
    ColourSpace,
    Paint,
    colour_space,
)

MAX_FORM_DEPTH = 12
MAX_FORM_DRAWS = 1_000

Operation = tuple[Any, bytes]

_LETTER: Box = (0.0, 0.0, 612.0, 792.0)
_NOTHING: Box = (0.0, 0.0, 0.0, 0.0)
_INVISIBLE_MODES = frozenset({3, 7})
_FILLED_MODES = frozenset({0, 2, 4, 6})
_STROKED_MODES = frozenset({1, 2, 5, 6})
# A glyph's box runs from a fifth of an em below the baseline to four fifths above it.
_DESCENT, _ASCENT = -0.2, 0.8
# An opacity this low leaves nothing a reader could see.
_CLEAR = 0.02
_STREAM_ONLY_KEYS = frozenset({"/Length", "/Filter", "/DecodeParms"})


# What has been painted on the page, to tell what lies under a piece of text.


@dataclass(frozen=True)
class _Backdrop:
    box: Box
    luminance: float | None  # None: an image, a shading or a pattern, any colour
    opaque: bool  # an opaque rectangle: nothing painted under it shows through


class _Backdrops:
    """Areas painted on one page, in painting order, in a coarse grid for quick lookups."""

    def __init__(self, page_box: Box) -> None:
        self._page = page_box
        self._cell = max(72.0, (page_box[2] - page_box[0]) / 16, (page_box[3] - page_box[1]) / 16)
        self._cells: dict[tuple[int, int], list[_Backdrop]] = {}

    def _cell_range(self, box: Box) -> Iterator[tuple[int, int]]:
        columns = range(int(box[0] // self._cell), int(box[2] // self._cell) + 1)
        for row in range(int(box[1] // self._cell), int(box[3] // self._cell) + 1):
            for column in columns:
                yield column, row

    def paint(self, box: Box | None, luminance: float | None, *, opaque: bool = False) -> None:
        on_page = intersection(box, self._page) if box is not None else None
        if on_page is None:
            return  # text off the page is hidden whatever lies under it
        backdrop = _Backdrop(on_page, luminance, opaque)
        for cell in self._cell_range(on_page):
            self._cells.setdefault(cell, []).append(backdrop)

    def under(self, box: Box) -> list[float | None]:
        """What may show under ``box``, top down: backdrops and, unless covered, the page."""
        x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        found: list[float | None] = []
        for backdrop in reversed(self._cells.get((int(x // self._cell), int(y // self._cell)), [])):
            painted = backdrop.box
            if not (painted[0] <= x <= painted[2] and painted[1] <= y <= painted[3]):
                continue
            found.append(backdrop.luminance)
            if backdrop.opaque and covers(painted, box):
                return found
        found.append(WHITE)
        return found


# The graphics state, and one content stream's walk.


@dataclass(slots=True)
class _State:
    """The parts of the graphics state that decide what a reader sees; ``q`` saves a copy."""

    ctm: Matrix = IDENTITY
    clip: Box = _LETTER
    clip_exact: bool = True  # the clip is an intersection of axis-aligned rectangles
    fill_space: ColourSpace = GRAY
    stroke_space: ColourSpace = GRAY
    fill: Paint = BLACK
    stroke: Paint = BLACK
    fill_alpha: float = 1.0
    stroke_alpha: float = 1.0
    soft_mask: bool = False
    line_width: float = 1.0
    render_mode: int = 0
    font: Any = None
    font_size: float = 12.0
    scale: float = 1.0  # Tz / 100
    leading: float = 0.0
    char_spacing: float = 0.0
    word_spacing: float = 0.0
    rise: float = 0.0


class _Page:
    """What one page's walk shares across its content stream and the forms it draws."""

    def __init__(self, reader: PdfReader, page_box: Box, user_unit: float) -> None:
        self.reader = reader
        self.page_box = page_box
        self.min_glyph = MIN_GLYPH_PT / user_unit
        self.backdrops = _Backdrops(page_box)
        self.layers = _Layers(reader)
        self.fonts: dict[int, FontMetrics] = {}
        self.form_draws = 0
        self.hidden_chars = 0
        self.new_names = 0

    def metrics(self, font: Any) -> FontMetrics:
        key = id(font)
        if key not in self.fonts:
            self.fonts[key] = font_metrics(font)
        return self.fonts[key]


class _Layers:
    """Which optional-content groups the document's default view turns off."""

    def __init__(self, reader: PdfReader) -> None:
        config = entry(entry(reader.trailer.get("/Root"), "/OCProperties"), "/D")
        self._base_off = entry(config, "/BaseState") == "/OFF"
        self._off = self._keys(entry(config, "/OFF"))
        self._on = self._keys(entry(config, "/ON"))

    @staticmethod
    def _key(value: Any) -> Any:
        return (value.idnum, value.generation) if isinstance(value, IndirectObject) else id(value)

    def _keys(self, values: Any) -> set[Any]:
        return {self._key(value) for value in values} if isinstance(values, ArrayObject) else set()

    def _group_off(self, group: Any) -> bool:
        key = self._key(group)
        return key in self._off or (self._base_off and key not in self._on)

    def hidden(self, value: Any) -> bool:
        """Whether an OCG or OCMD (as referenced) is off in the default view."""
        content = resolved(value)
        if not isinstance(content, DictionaryObject):
            return False
        if content.get("/Type") != "/OCMD":
            return self._group_off(value)
        groups = content.get("/OCGs")
        members = list(resolved(groups)) if isinstance(resolved(groups), ArrayObject) else [groups]
        on = [not self._group_off(group) for group in members if group is not None]
        if not on:
            return False
        policy = content.get("/P")
        policy = policy if isinstance(policy, str) else "/AnyOn"
        shown = {
            "/AllOn": all(on),
            "/AnyOff": not all(on),
            "/AllOff": not any(on),
        }.get(policy, any(on))
        return not shown


_PATH_POINTS = {b"m": 2, b"l": 2, b"c": 6, b"v": 4, b"y": 4}
_FILLS = frozenset({b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"})
_STROKES = frozenset({b"S", b"s", b"B", b"B*", b"b", b"b*"})
_PATH_ENDS = _FILLS | _STROKES | {b"n"}


class _Walk:
    """One content stream (the page's or a form's) walked with the state a viewer keeps."""

    def __init__(
        self,
        page: _Page,
        resources: Any,
        state: _State,
        *,
        hidden_layer: bool = False,
        forms_open: tuple[int, ...] = (),
    ) -> None:
        self.page = page
        resources = resolved(resources)
        self.resources = (
            resources if isinstance(resources, DictionaryObject) else DictionaryObject()
        )
        self.state = state
        self.saved: list[_State] = []
        self.hidden_layer = hidden_layer
        self.layer_marks: list[bool] = []
        self.forms_open = forms_open
        self.text_matrix = self.line_matrix = IDENTITY
        self.path: Box | None = None
        self.path_rectangles = 0
        self.path_curved = False
        self.clip_pending = False
        self.changed = False

    def run(self, operations: list[Operation]) -> list[Operation]:
        kept: list[Operation] = []
        for operands, operator in operations:
            replacement = self.step(operator, operands)
            if replacement is None:
                kept.append((operands, operator))
            else:
                self.changed = True
                kept.extend(replacement)
        return kept

    def step(self, operator: bytes, operands: Any) -> list[Operation] | None:
        """Follow one operation; return what replaces it, or ``None`` to keep it."""
        handler = _HANDLERS.get(operator)
        return handler(self, operands) if handler is not None else None

    # Graphics state

    def save(self, _operands: Any) -> None:
        self.saved.append(copy(self.state))

    def restore(self, _operands: Any) -> None:
        if self.saved:
            self.state = self.saved.pop()

    def concat(self, operands: Any) -> None:
        matrix = numbers(operands, 6)
        if matrix is not None:
            self.state.ctm = multiply(tuple(matrix), self.state.ctm)  # type: ignore[arg-type]

    def line_width(self, operands: Any) -> None:
        width = numbers(operands, 1)
        if width is not None:
            self.state.line_width = width[0]

    def graphics_state(self, operands: Any) -> None:
        parameters = entry(entry(self.resources, "/ExtGState"), operands[0]) if operands else None
        if not isinstance(parameters, DictionaryObject):
            return
        state = self.state
        for key, name in (("/ca", "fill_alpha"), ("/CA", "stroke_alpha"), ("/LW", "line_width")):
            value = numbers([resolved(parameters.get(key))], 1)
            if value is not None:
                setattr(state, name, value[0])
        if "/SMask" in parameters:
            state.soft_mask = resolved(parameters["/SMask"]) != "/None"
        font = resolved(parameters.get("/Font"))
        if isinstance(font, ArrayObject) and len(font) == 2:
            size = numbers([resolved(font[1])], 1)
            state.font = resolved(font[0])
            state.font_size = size[0] if size else state.font_size

    # Colour

    def fill_space(self, operands: Any) -> None:
        space = colour_space(operands[0], self.resources) if operands else OTHER
        self.state.fill_space, self.state.fill = space, space.initial()

    def stroke_space(self, operands: Any) -> None:
        space = colour_space(operands[0], self.resources) if operands else OTHER
        self.state.stroke_space, self.state.stroke = space, space.initial()

    def fill_colour(self, operands: Any) -> None:
        self.state.fill = self.state.fill_space.paint(operands)

    def stroke_colour(self, operands: Any) -> None:
        self.state.stroke = self.state.stroke_space.paint(operands)

    def device_colour(self, space: ColourSpace, *, stroke: bool, operands: Any) -> None:
        paint = space.paint(operands)
        if stroke:
            self.state.stroke_space, self.state.stroke = space, paint
        else:
            self.state.fill_space, self.state.fill = space, paint

    # Paths, clips and painting

    def _extend_path(self, points: list[float]) -> None:
        box = box_through((points[0], points[1], points[0], points[1]), self.state.ctm)
        for index in range(2, len(points), 2):
            x, y = points[index], points[index + 1]
            box = union(box, box_through((x, y, x, y), self.state.ctm))
        self.path = box if self.path is None else union(self.path, box)

    def path_segment(self, operator: bytes, operands: Any) -> None:
        points = numbers(operands, _PATH_POINTS[operator])
        if points is not None:
            self._extend_path(points)
            self.path_curved = True

    def rectangle(self, operands: Any) -> None:
        values = numbers(operands, 4)
        if values is None:
            return
        x, y, width, height = values
        self._extend_path([x, y, x + width, y + height])
        self.path_rectangles += 1

    def clip(self, _operands: Any) -> None:
        self.clip_pending = True

    def end_path(self, operator: bytes) -> None:
        state = self.state
        exact = self.path_rectangles == 1 and not self.path_curved and axis_aligned(state.ctm)
        if self.path is not None:
            painted = intersection(self.path, state.clip)
            if operator in _FILLS and state.fill.inked and state.fill_alpha > _CLEAR:
                luminance = _blend(state.fill.luminance, state.fill_alpha)
                opaque = (
                    exact and state.clip_exact and state.fill_alpha >= 1.0 and not state.soft_mask
                )
                self.page.backdrops.paint(
                    painted, luminance, opaque=opaque and luminance is not None
                )
            if operator in _STROKES and state.stroke.inked and state.stroke_alpha > _CLEAR:
                reach = state.line_width * math.hypot(state.ctm[0], state.ctm[1]) / 2
                grown = (
                    self.path[0] - reach,
                    self.path[1] - reach,
                    self.path[2] + reach,
                    self.path[3] + reach,
                )
                stroked = intersection(grown, state.clip)
                self.page.backdrops.paint(
                    stroked, _blend(state.stroke.luminance, state.stroke_alpha)
                )
        if self.clip_pending:
            clip = intersection(state.clip, self.path) if self.path is not None else None
            state.clip = clip or _NOTHING
            state.clip_exact = state.clip_exact and exact
        self.path, self.path_rectangles, self.path_curved = None, 0, False
        self.clip_pending = False

    def shading(self, _operands: Any) -> None:
        self.page.backdrops.paint(self.state.clip, None)

    def image(self, _operands: Any) -> None:
        placed = box_through((0.0, 0.0, 1.0, 1.0), self.state.ctm)
        self.page.backdrops.paint(intersection(placed, self.state.clip), None)

    # Optional content

    def begin_marked(self, operands: Any) -> None:
        hidden = False
        if len(operands) >= 2 and operands[0] == "/OC":
            properties = operands[1]
            if isinstance(properties, NameObject):
                named = entry(self.resources, "/Properties")
                properties = named.get(properties) if isinstance(named, DictionaryObject) else None
            hidden = properties is not None and self.page.layers.hidden(properties)
        self.layer_marks.append(hidden)

    def end_marked(self, _operands: Any) -> None:
        if self.layer_marks:
            self.layer_marks.pop()

    # Text state and position

    def text_parameter(self, name: str, operands: Any, factor: float = 1.0) -> None:
        value = numbers(operands, 1)
        if value is not None:
            setattr(self.state, name, value[0] * factor)

    def render_mode(self, operands: Any) -> None:
        value = numbers(operands, 1)
        if value is not None:
            self.state.render_mode = int(value[0])

    def font(self, operands: Any) -> None:
        if len(operands) < 2:
            return
        size = numbers(operands[1:2], 1)
        self.state.font = entry(entry(self.resources, "/Font"), operands[0])
        if size is not None:
            self.state.font_size = size[0]

    def begin_text(self, _operands: Any) -> None:
        self.text_matrix = self.line_matrix = IDENTITY

    def move(self, operands: Any) -> None:
        offset = numbers(operands, 2)
        if offset is not None:
            self.line_matrix = translate(self.line_matrix, offset[0], offset[1])
            self.text_matrix = self.line_matrix

    def move_setting_leading(self, operands: Any) -> None:
        offset = numbers(operands, 2)
        if offset is not None:
            self.state.leading = -offset[1]
            self.move(operands)

    def set_matrix(self, operands: Any) -> None:
        matrix = numbers(operands, 6)
        if matrix is not None:
            self.text_matrix = self.line_matrix = tuple(matrix)  # type: ignore[assignment]

    def next_line(self, _operands: Any = None) -> None:
        self.line_matrix = translate(self.line_matrix, 0.0, -self.state.leading)
        self.text_matrix = self.line_matrix

    # Text showing

    def _advance(self, shown: list[int]) -> float:
        """How far the glyphs ``shown`` move the text position, in text-matrix units."""
        state = self.state
        metrics = self.page.metrics(state.font)
        widths, default = metrics.widths, metrics.default_width
        em = sum(widths.get(code, default) for code in shown)
        spaces = shown.count(32) if metrics.bytes_per_code == 1 else 0
        spacing = len(shown) * state.char_spacing + spaces * state.word_spacing
        return (em * state.font_size + spacing) * state.scale

    def _seen(self, advance: float, glyphs: int) -> bool:
        """Whether a reader sees ``glyphs`` glyphs moving the text position by ``advance``."""
        state, page = self.state, self.page
        if state.render_mode in _INVISIBLE_MODES or self.hidden_layer or any(self.layer_marks):
            return False
        metrics = page.metrics(state.font)
        device = multiply(self.text_matrix, state.ctm)
        size = abs(state.font_size)
        height = size * metrics.y_scale * math.hypot(device[2], device[3])
        width = size * metrics.x_scale * abs(state.scale) * math.hypot(device[0], device[1])
        if height < page.min_glyph or width < page.min_glyph:
            return False
        low, high = sorted(
            (state.rise + _DESCENT * state.font_size, state.rise + _ASCENT * state.font_size)
        )
        if advance == 0:
            # Glyphs a font gives no width (broken metrics) still take room on the page.
            advance = glyphs * DEFAULT_GLYPH_WIDTH * state.font_size * state.scale
        box = box_through((min(0.0, advance), low, max(0.0, advance), high), device)
        shown = intersection(box, state.clip)
        if shown is None or area(shown) < min(area(box), height * width) / 4:
            return False
        return self._colour_seen(shown)

    def _colour_seen(self, box: Box) -> bool:
        state = self.state
        if state.soft_mask:
            return True
        paints = []
        if state.render_mode in _FILLED_MODES:
            paints.append((state.fill, state.fill_alpha))
        if state.render_mode in _STROKED_MODES:
            paints.append((state.stroke, state.stroke_alpha))
        backgrounds = self.page.backdrops.under(box)
        for paint, alpha in paints:
            if not paint.inked or alpha <= _CLEAR:
                continue
            if paint.luminance is None or None in backgrounds:
                return True
            for background in backgrounds:
                assert background is not None
                shown = alpha * paint.luminance + (1 - alpha) * background
                if stands_out(shown, background):
                    return True
        return False

    def _show(self, text: Any) -> bool:
        """Place ``text`` at the text position and move past it; return whether it is seen."""
        if not isinstance(text, (str, bytes)) or isinstance(text, NameObject):
            return True
        shown = codes(text, self.page.metrics(self.state.font).bytes_per_code)
        advance = self._advance(shown)
        seen = not shown or self._seen(advance, len(shown))
        self.text_matrix = translate(self.text_matrix, advance, 0.0)
        if not seen:
            self.page.hidden_chars += len(shown)  # glyphs, whatever bytes each code takes
        return seen

    def show(self, operands: Any) -> list[Operation] | None:
        if not operands or self._show(operands[0]):
            return None
        return []

    def show_on_next_line(self, operands: Any) -> list[Operation] | None:
        self.next_line()
        return self.show(operands)

    def show_spaced(self, operands: Any) -> list[Operation] | None:
        if len(operands) < 3:
            return None
        self.text_parameter("word_spacing", operands[0:1])
        self.text_parameter("char_spacing", operands[1:2])
        self.next_line()
        if self._show(operands[2]):
            return None
        return [([operands[0]], b"Tw"), ([operands[1]], b"Tc"), ([], b"T*")]

    def show_array(self, operands: Any) -> list[Operation] | None:
        if not operands or not isinstance(operands[0], list):
            return None
        kept = ArrayObject()
        dropped = False
        for part in operands[0]:
            if type(part) in NUMBER_TYPES:
                move = -float(part) / 1000 * self.state.font_size * self.state.scale
                if math.isfinite(move):
                    self.text_matrix = translate(self.text_matrix, move, 0.0)
                kept.append(part)
            elif self._show(part):
                kept.append(part)
            else:
                dropped = True
        if not dropped:
            return None
        has_text = any(isinstance(part, (str, bytes)) for part in kept)
        return [([kept], b"TJ")] if has_text else []

    # Form XObjects and images

    def draw(self, operands: Any) -> list[Operation] | None:
        if not operands:
            return None
        xobject = entry(entry(self.resources, "/XObject"), operands[0])
        if not isinstance(xobject, StreamObject):
            return None
        subtype = xobject.get("/Subtype")
        if subtype == "/Image":
            self.image(operands)
            return None
        if subtype != "/Form":
            return None
        drawn = self._draw_form(xobject)
        if drawn is xobject:
            return None
        if drawn is None:
            return []
        return [([self._register(drawn)], b"Do")]

    def _draw_form(self, form: StreamObject) -> StreamObject | None:
        """The form as a reader would see it here: itself, a filtered copy, or ``None``."""
        page = self.page
        key = id(form)
        if key in self.forms_open or len(self.forms_open) >= MAX_FORM_DEPTH:
            return None
        if page.form_draws >= MAX_FORM_DRAWS:
            return None
        page.form_draws += 1
        matrix = numbers(entry(form, "/Matrix"), 6)
        ctm = multiply(tuple(matrix), self.state.ctm) if matrix else self.state.ctm  # type: ignore[arg-type]
        bounds = numbers(entry(form, "/BBox"), 4)
        clip = self.state.clip
        if bounds is not None:
            box = (
                min(bounds[0], bounds[2]),
                min(bounds[1], bounds[3]),
                max(bounds[0], bounds[2]),
                max(bounds[1], bounds[3]),
            )
            clip = intersection(clip, box_through(box, ctm)) or _NOTHING
        resources = entry(form, "/Resources")
        walk = _Walk(
            page,
            resources if resources is not None else self.resources,
            replace(
                self.state,
                ctm=ctm,
                clip=clip,
                clip_exact=self.state.clip_exact and axis_aligned(ctm),
            ),
            hidden_layer=self.hidden_layer
            or any(self.layer_marks)
            or ("/OC" in form and page.layers.hidden(form.raw_get("/OC"))),
            forms_open=(*self.forms_open, key),
        )
        stream = ContentStream(form, page.reader, "bytes")
        operations = walk.run(stream.operations)
        if not walk.changed:
            return form
        for name, value in form.items():
            if name not in _STREAM_ONLY_KEYS:
                stream[NameObject(name)] = value
        stream.operations = operations
        return stream

    def _register(self, form: StreamObject) -> NameObject:
        """Add ``form`` to this stream's XObject resources under a fresh name."""
        xobjects = entry(self.resources, "/XObject")
        assert isinstance(xobjects, DictionaryObject)  # draw() found the original there
        while True:
            self.page.new_names += 1
            name = NameObject(f"/CareerFlowSeen{self.page.new_names}")
            if name not in xobjects:
                xobjects[name] = form
                return name


def _blend(luminance: float | None, alpha: float) -> float | None:
    """A translucent paint's luminance over white paper."""
    if luminance is None:
        return None
    return alpha * luminance + (1 - alpha) * WHITE if alpha < 1.0 else luminance


_HANDLERS: dict[bytes, Any] = {
    b"q": _Walk.save,
    b"Q": _Walk.restore,
    b"cm": _Walk.concat,
    b"w": _Walk.line_width,
    b"gs": _Walk.graphics_state,
    b"cs": _Walk.fill_space,
    b"CS": _Walk.stroke_space,
    b"sc": _Walk.fill_colour,
    b"scn": _Walk.fill_colour,
    b"SC": _Walk.stroke_colour,
    b"SCN": _Walk.stroke_colour,
    b"g": lambda walk, operands: walk.device_colour(GRAY, stroke=False, operands=operands),
    b"G": lambda walk, operands: walk.device_colour(GRAY, stroke=True, operands=operands),
    b"rg": lambda walk, operands: walk.device_colour(RGB, stroke=False, operands=operands),
    b"RG": lambda walk, operands: walk.device_colour(RGB, stroke=True, operands=operands),
    b"k": lambda walk, operands: walk.device_colour(CMYK, stroke=False, operands=operands),
    b"K": lambda walk, operands: walk.device_colour(CMYK, stroke=True, operands=operands),
    b"re": _Walk.rectangle,
    b"W": _Walk.clip,
    b"W*": _Walk.clip,
    b"sh": _Walk.shading,
    b"INLINE IMAGE": _Walk.image,
    b"BDC": _Walk.begin_marked,
    b"BMC": lambda walk, _operands: walk.layer_marks.append(False),
    b"EMC": _Walk.end_marked,
    b"Tc": lambda walk, operands: walk.text_parameter("char_spacing", operands),
    b"Tw": lambda walk, operands: walk.text_parameter("word_spacing", operands),
    b"Tz": lambda walk, operands: walk.text_parameter("scale", operands, 0.01),
    b"TL": lambda walk, operands: walk.text_parameter("leading", operands),
    b"Ts": lambda walk, operands: walk.text_parameter("rise", operands),
    b"Tr": _Walk.render_mode,
    b"Tf": _Walk.font,
    b"BT": _Walk.begin_text,
    b"Td": _Walk.move,
    b"TD": _Walk.move_setting_leading,
    b"Tm": _Walk.set_matrix,
    b"T*": _Walk.next_line,
    b"Tj": _Walk.show,
    b"'": _Walk.show_on_next_line,
    b'"': _Walk.show_spaced,
    b"TJ": _Walk.show_array,
    b"Do": _Walk.draw,
}
for _operator in _PATH_POINTS:
    _HANDLERS[_operator] = lambda walk, operands, operator=_operator: walk.path_segment(
        operator, operands
    )
for _operator in _PATH_ENDS:
    _HANDLERS[_operator] = lambda walk, _operands, operator=_operator: walk.end_path(operator)


def _page_box(page: PageObject) -> Box:
    """The visible part of the page: its MediaBox cut by its CropBox."""
    try:
        media = page.mediabox
        crop = page.cropbox
        boxes = [
            (float(box.left), float(box.bottom), float(box.right), float(box.top))
            for box in (media, crop)
        ]
    except Exception:  # a malformed box: read the page as Letter
        return _LETTER
    media_box, crop_box = (
        (min(b[0], b[2]), min(b[1], b[3]), max(b[0], b[2]), max(b[1], b[3])) for b in boxes
    )
    return intersection(media_box, crop_box) or _NOTHING


def drop_hidden_text(page: PageObject, reader: PdfReader) -> int:
    """Remove the text a reader cannot see from ``page``; return how many characters it had.

    The page keeps its parsed content stream, so pypdf's extraction does not parse it again.
    """
    contents = page.get_contents()
    if contents is None:
        return 0
    stream = ContentStream(contents, reader, "bytes")
    user_unit = numbers([resolved(page.get("/UserUnit", 1.0))], 1)
    page_box = _page_box(page)
    context = _Page(reader, page_box, user_unit[0] if user_unit and user_unit[0] > 0 else 1.0)
    walk = _Walk(context, page.get_inherited("/Resources"), _State(clip=page_box))
    operations = walk.run(stream.operations)
    if walk.changed:
        stream.operations = operations
    # The page belongs to a reader, where pypdf refuses replace_contents(); a direct content
    # stream is read the same way by extract_text().
    page[NameObject("/Contents")] = stream
    return context.hidden_chars
