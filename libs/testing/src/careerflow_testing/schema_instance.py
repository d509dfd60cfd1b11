"""A small valid instance of a JSON Schema, so the fake Ollama can answer a ``format`` request.

Services send Ollama the JSON Schema of the output they expect (pydantic's
``model_json_schema()``). With nothing scripted, the fake answers with the value
:func:`minimal_instance` builds: every required property and nothing more, numbers at their
lowest allowed value, arrays with exactly ``minItems`` items (distinct from each other, so
``uniqueItems`` holds), the first ``enum`` value, ``const``, and ``$ref`` into ``$defs`` /
``definitions``. ``pattern`` and ``multipleOf`` are not honoured: script the content instead
when a schema relies on them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

_SAMPLE_TEXT = "sample text"

# A string of these formats must look like one, or pydantic rejects it.
_FORMATTED_STRINGS = {
    "date-time": "2024-01-01T00:00:00Z",
    "date": "2024-01-01",
    "time": "00:00:00",
    "email": "candidate@example.com",
    "uri": "https://example.com/",
    "url": "https://example.com/",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "ipv4": "192.0.2.1",
}


class UnsupportedSchema(ValueError):
    """The schema uses something the generator cannot satisfy (an unresolvable ``$ref``)."""


def minimal_instance(schema: Mapping[str, Any]) -> Any:
    """A small value that validates against ``schema``."""
    return _instance(schema, schema, variant=0)


def _instance(schema: Mapping[str, Any], root: Mapping[str, Any], variant: int) -> Any:
    # ``variant`` makes sibling array items differ, so ``uniqueItems`` and readers that
    # deduplicate (ten questions with the same text) are not surprised.
    if "$ref" in schema:
        return _instance(_resolve(schema["$ref"], root), root, variant)
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        values = list(schema["enum"])
        return values[variant % len(values)] if variant else values[0]
    for combinator in ("anyOf", "oneOf"):
        if combinator in schema:
            return _instance(_first_non_null(schema[combinator]), root, variant)
    if "allOf" in schema:
        return _instance(_merged(schema, root), root, variant)

    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind is None:
        if "properties" in schema or "required" in schema:
            kind = "object"
        elif "items" in schema or "prefixItems" in schema:
            kind = "array"

    if kind == "object":
        return _object(schema, root, variant)
    if kind == "array":
        return _array(schema, root, variant)
    if kind == "string":
        return _string(schema, variant)
    if kind == "integer":
        return _integer(schema, variant)
    if kind == "number":
        return _number(schema, variant)
    if kind == "boolean":
        return variant % 2 == 1
    # "null", or an empty schema that accepts anything.
    return None


def _resolve(reference: str, root: Mapping[str, Any]) -> Mapping[str, Any]:
    if not reference.startswith("#"):
        raise UnsupportedSchema(f"only local $ref is supported, not {reference!r}")
    node: Any = root
    for part in reference.lstrip("#").strip("/").split("/"):
        if not part:
            continue
        key = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, Mapping) or key not in node:
            raise UnsupportedSchema(f"$ref {reference!r} does not resolve")
        node = node[key]
    if not isinstance(node, Mapping):
        raise UnsupportedSchema(f"$ref {reference!r} is not a schema")
    return node


def _first_non_null(options: list[Mapping[str, Any]]) -> Mapping[str, Any]:
    # pydantic writes ``X | None`` as anyOf [X, {"type": "null"}]: prefer the real value.
    for option in options:
        if option.get("type") != "null":
            return option
    return options[0] if options else {}


def _merged(schema: Mapping[str, Any], root: Mapping[str, Any]) -> dict[str, Any]:
    merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
    for part in schema["allOf"]:
        resolved = _resolve(part["$ref"], root) if "$ref" in part else part
        for key, value in resolved.items():
            if key == "properties":
                merged["properties"] = {**merged.get("properties", {}), **value}
            elif key == "required":
                merged["required"] = [*merged.get("required", []), *value]
            else:
                merged.setdefault(key, value)
    return merged


def _object(schema: Mapping[str, Any], root: Mapping[str, Any], variant: int) -> dict[str, Any]:
    properties: Mapping[str, Any] = schema.get("properties", {})
    result: dict[str, Any] = {}
    for name in schema.get("required", []):
        result[name] = _instance(properties.get(name, {}), root, variant)
    return result


def _array(schema: Mapping[str, Any], root: Mapping[str, Any], variant: int) -> list[Any]:
    count = int(schema.get("minItems", 0))
    prefix: list[Mapping[str, Any]] = list(schema.get("prefixItems", []))
    items = schema.get("items")
    item_schema: Mapping[str, Any] = items if isinstance(items, Mapping) else {}
    values = []
    for index in range(count):
        part = prefix[index] if index < len(prefix) else item_schema
        values.append(_instance(part, root, variant * 100 + index))
    return values


def _string(schema: Mapping[str, Any], variant: int) -> str:
    formatted = _FORMATTED_STRINGS.get(str(schema.get("format", "")))
    if formatted is not None:
        return formatted
    text = _SAMPLE_TEXT if variant == 0 else f"{_SAMPLE_TEXT} {variant}"
    min_length = int(schema.get("minLength", 0))
    while len(text) < min_length:
        text = f"{text} {_SAMPLE_TEXT}"
    if "maxLength" in schema:
        limit = int(schema["maxLength"])
        # Keep the variant's suffix when cutting, so short distinct items stay distinct.
        text = text[-limit:] if variant and limit < len(text) else text[:limit]
        if len(text) < min_length:
            text = text.ljust(min_length, "x")
    return text


def _bounds(schema: Mapping[str, Any]) -> tuple[float | None, float | None, bool, bool]:
    low, high = schema.get("minimum"), schema.get("maximum")
    low_open = high_open = False
    if "exclusiveMinimum" in schema and isinstance(schema["exclusiveMinimum"], int | float):
        low, low_open = schema["exclusiveMinimum"], True
    if "exclusiveMaximum" in schema and isinstance(schema["exclusiveMaximum"], int | float):
        high, high_open = schema["exclusiveMaximum"], True
    return low, high, low_open, high_open


def _integer(schema: Mapping[str, Any], variant: int) -> int:
    low, high, low_open, high_open = _bounds(schema)
    first = 0
    if low is not None:
        first = math.floor(low) + 1 if low_open else math.ceil(low)
    last = None
    if high is not None:
        last = math.ceil(high) - 1 if high_open else math.floor(high)
        if low is None:
            first = min(0, last)
    value = first + variant
    return min(value, last) if last is not None else value


def _number(schema: Mapping[str, Any], variant: int) -> float:
    low, high, low_open, high_open = _bounds(schema)
    if low is None:
        base = 0.0 if high is None or high > 0 else float(high) - 1.0
    elif low_open:
        base = (low + high) / 2 if high is not None else float(low) + 1.0
    else:
        base = float(low)
    candidate = base + variant
    if high is not None and (candidate > high or (high_open and candidate >= high)):
        return base
    return candidate
