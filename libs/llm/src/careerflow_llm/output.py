"""Turning a model's answer text into a validated pydantic model.

Small models add things around the JSON they were asked for even with ``format`` set: a
``<think>…</think>`` preamble, a Markdown code fence, a sentence before the object. These are
removed; anything that is still not JSON of the expected shape raises :class:`InvalidOutput`.

Every string of the answer (keys included) loses the characters Postgres or UTF-8 cannot store
(NUL, other control characters but tab and line breaks, lone surrogates) before it is validated:
a stray character is cleaned, never a reason to throw the answer away, and never reaches a
result the gateway would fail to store. They go from the text first, where a raw NUL inside a
string would make the JSON invalid, and from the decoded strings after, where JSON escapes
(``\\u0000``) have become characters.

Error texts name the fields and the kind of problem only, never the values: the values may be
parts of a resume.

``streamed_items`` reads an answer that is still being written: the items of one array that are
complete so far, cleaned exactly as ``parse_output`` cleans the whole answer.
"""

from __future__ import annotations

import json
import re
from typing import TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import from_json

from careerflow_contracts.text import remove_unstorable

T = TypeVar("T", bound=BaseModel)

_THINK_BLOCK = re.compile(r"<think>.*?(?:</think>|\Z)", re.DOTALL | re.IGNORECASE)
_FENCED = re.compile(r"```[\w+-]*[ \t]*\n?(.*?)(?:```|\Z)", re.DOTALL)


class InvalidOutput(ValueError):
    """The model's answer is not JSON of the expected shape; the message is safe to log."""


def clean_model_text(text: str) -> str:
    """The answer without reasoning blocks or a code fence around it, stripped."""
    # An unclosed <think> means the answer never got past its reasoning: drop it all.
    text = _THINK_BLOCK.sub("", text)
    fenced = _FENCED.search(text)
    if fenced is not None:
        text = fenced.group(1)
    return text.strip()


def parse_output(text: str, output: type[T]) -> T:
    """Clean ``text``, parse it as JSON and validate it as ``output``.

    Raises :class:`InvalidOutput` for empty text, text that is not JSON, or JSON that does not
    fit ``output``.
    """
    cleaned = remove_unstorable(clean_model_text(text))
    if not cleaned:
        raise InvalidOutput("empty answer")
    try:
        try:
            data = json.loads(cleaned)
        except json.JSONDecodeError:
            data = _outermost_object(cleaned)
        data = _storable(data)
    except RecursionError:
        raise InvalidOutput("answer is nested too deeply") from None
    try:
        return output.model_validate(data)
    except ValidationError as error:
        raise InvalidOutput(_describe(error)) from None


def streamed_items(text: str, field: str) -> list[object]:
    """The complete items of the array ``field`` of the JSON object an answer is writing.

    ``text`` is the answer so far. An item is complete once the next one has begun or the array
    has ended (the object went on to another field, or ended): the last item of an open array is
    left out, however complete it looks, since a string or a number may still grow. So the items
    of a longer prefix always begin with those of a shorter one, and once the answer is whole
    they are the array ``parse_output`` reads. A prefix with nothing readable yet gives none.
    """
    cleaned = remove_unstorable(clean_model_text(text))
    start = cleaned.find("{")
    if start < 0:
        return []
    try:
        data = from_json(cleaned[start:], allow_partial=True)
    except ValueError:
        return []  # the next line may make it readable; the whole answer is judged at the end
    if not isinstance(data, dict):
        return []
    items = data.get(field)
    if not isinstance(items, list):
        return []
    ended = list(data)[-1] != field or _whole_object(cleaned[start:])
    complete = items if ended else items[:-1]
    try:
        return [_storable(item) for item in complete]
    except RecursionError:
        return []


def _whole_object(text: str) -> bool:
    """Whether the object ``text`` begins has ended: up to its last brace it is whole JSON (what
    follows, a closing fence, a sentence, is ignored, as ``parse_output`` ignores it)."""
    end = text.rfind("}")
    if end < 0:
        return False
    try:
        from_json(text[: end + 1])
    except ValueError:
        return False
    return True


def _storable(data: object) -> object:
    """Decoded JSON with every string, keys included, cleaned of unstorable characters."""
    if isinstance(data, str):
        return remove_unstorable(data)
    if isinstance(data, list):
        return [_storable(item) for item in data]
    if isinstance(data, dict):
        return {_storable(key): _storable(value) for key, value in data.items()}
    return data


def _outermost_object(text: str) -> object:
    # A sentence around the object ("Here is the JSON: {...}") is tolerated; nothing else is.
    start, end = text.find("{"), text.rfind("}")
    if 0 <= start < end:
        try:
            return json.loads(text[start : end + 1])
        except json.JSONDecodeError:
            pass
    raise InvalidOutput("answer is not JSON")


def _describe(error: ValidationError) -> str:
    problems = error.errors(include_input=False, include_url=False)
    shown = "; ".join(
        f"{'.'.join(str(part) for part in problem['loc']) or '(root)'}: {problem['msg']}"
        for problem in problems[:3]
    )
    more = f" (+{len(problems) - 3} more)" if len(problems) > 3 else ""
    return f"answer does not fit the schema: {shown}{more}"
