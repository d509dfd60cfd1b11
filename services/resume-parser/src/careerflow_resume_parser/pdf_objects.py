"""Values read out of PDF objects that may be malformed.

Every reader here answers ``None`` instead of raising, so that a hostile file cannot stop the
walk over a page.
"""

from __future__ import annotations

import math
from typing import Any

from pypdf.generic import DictionaryObject, FloatObject, IndirectObject, NumberObject

NUMBER_TYPES = frozenset({int, float, NumberObject, FloatObject})


def numbers(values: Any, count: int) -> list[float] | None:
    """``count`` finite numbers from a PDF array or operand list, or ``None``."""
    if not isinstance(values, (list, tuple)) or len(values) < count:
        return None
    values = values[:count]
    if not all(type(value) in NUMBER_TYPES for value in values):
        return None  # a string, a name, or a bool (not a number, although an int)
    floats = [float(value) for value in values]
    return floats if all(map(math.isfinite, floats)) else None


def resolved(value: Any) -> Any:
    """The object an indirect reference points to; any other value as it is."""
    return value.get_object() if isinstance(value, IndirectObject) else value


def entry(dictionary: Any, key: Any) -> Any:
    """``dictionary[key]`` resolved, or ``None`` when either is missing or malformed."""
    dictionary = resolved(dictionary)
    if not isinstance(dictionary, DictionaryObject) or not isinstance(key, str):
        return None  # a key from an operand may be an array or a number
    return resolved(dictionary.get(key))
