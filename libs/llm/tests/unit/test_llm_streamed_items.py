"""``streamed_items``: the complete items of an array while the answer is still being written.

The property: for every prefix of an answer, the items read are the first items of the whole
answer's array, unchanged (nothing invented, nothing half-written), their number never goes
down as the prefix grows, and the whole answer gives exactly the array ``parse_output`` reads
(nothing lost).
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from careerflow_llm import parse_output, streamed_items


class Answer(BaseModel):
    questions: list[Any]


def _check_every_prefix(text: str) -> list[object]:
    whole = parse_output(text, Answer).questions
    read: list[object] = []
    for end in range(len(text) + 1):
        items = streamed_items(text[:end], "questions")
        assert len(items) >= len(read), f"items went back at {end}"
        assert items == whole[: len(items)], f"an item not in the answer at {end}"
        read = items
    assert read == whole, "the whole answer's items were not all read"
    return read


_strings = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
_question = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["technical", "behavioral"]),
        "skill": st.none() | _strings,
        "text": _strings,
        "expected_points": st.lists(_strings, max_size=4),
    },
    optional={
        "difficulty": st.sampled_from(["easy", "medium", "hard"]),
        "weight": st.integers(-1000, 100_000) | st.floats(allow_nan=False, allow_infinity=False),
        "tags": st.lists(st.lists(st.integers(0, 9) | st.booleans() | st.none(), max_size=3)),
    },
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    questions=st.lists(_question, max_size=5),
    indent=st.sampled_from([None, 2]),
    ascii_only=st.booleans(),
    wrapping=st.sampled_from(["none", "fence", "think", "sentence", "trailing"]),
)
def test_every_prefix_reads_only_whole_items_of_the_answer(
    questions: list[dict[str, Any]], indent: int | None, ascii_only: bool, wrapping: str
) -> None:
    body = json.dumps({"questions": questions}, indent=indent, ensure_ascii=ascii_only)
    text = {
        "none": body,
        "fence": f"```json\n{body}\n```",
        "think": f"<think>\nThe user wants {{JSON}}. [ok]\n</think>\n\n{body}",
        "sentence": f"Here are the questions: {body}",
        "trailing": f"{body}\nI hope these help.",
    }[wrapping]
    _check_every_prefix(text)


def test_escapes_unicode_and_nested_arrays_written_by_hand() -> None:
    text = (
        '{"questions": [\n'
        '  {"kind": "technical", "skill": "C++", "text": "Say \\"why\\" \\\\ not \\u00e9t\\u00e9, '
        'or \\ud83d\\ude00?", "expected_points": ["a [b]", "{c}", "d, e"]},\n'
        '  {"kind": "behavioral", "skill": null, "text": "Über ein Projekt: 日本語で話して",'
        ' "expected_points": [["nested"], [], [1, 2.5e3, -0.0, true, false, null]]},\n'
        '  {"kind": "technical", "skill": "SQL", "text": "Tab\\tand NUL\\u0000 and line\\nbreak",'
        ' "expected_points": []}\n'
        "]}"
    )
    read = _check_every_prefix(text)
    assert len(read) == 3
    first, second, third = read
    assert isinstance(first, dict) and first["text"] == 'Say "why" \\ not été, or 😀?'
    assert isinstance(second, dict) and second["expected_points"][2][1] == 2500.0
    # A NUL cannot be stored: it goes, as parse_output removes it from the whole answer.
    assert isinstance(third, dict) and third["text"] == "Tab\tand NUL and line\nbreak"


def test_the_last_item_waits_until_the_array_ends() -> None:
    prefix = '{"questions": [{"text": "one"}, {"text": "two", "n": 12'
    assert streamed_items(prefix, "questions") == [{"text": "one"}]
    # Looks whole, but the number may go on ("123") or another field may follow.
    assert streamed_items(prefix + "}", "questions") == [{"text": "one"}]
    two = [{"text": "one"}, {"text": "two", "n": 12}]
    assert streamed_items(prefix + "}, {", "questions") == two
    assert len(streamed_items(prefix + "}]}", "questions")) == 2


def test_nothing_is_read_from_reasoning_or_an_unreadable_prefix() -> None:
    assert streamed_items('<think>{"questions": [{"a": 1}, {"b": 2}', "questions") == []
    assert streamed_items("", "questions") == []
    assert streamed_items('{"other": [1, 2, 3]', "questions") == []
    assert streamed_items('["questions", 1, 2]', "questions") == []
