"""``UserText``: every control character but tab and line breaks is refused, and nothing else."""

from __future__ import annotations

import re
import unicodedata
import uuid

import pytest
from pydantic import ValidationError

from careerflow_contracts.rest import USER_TEXT_PATTERN, AnswerCreate
from careerflow_contracts.text import unstorable_character

ALLOWED_CONTROLS = {"\t", "\n", "\r"}


def _should_refuse(character: str) -> bool:
    # The rule stated by Unicode's own categories: Cc (controls) and Cs (surrogates).
    return unicodedata.category(character) in {"Cc", "Cs"} and character not in ALLOWED_CONTROLS


def test_the_rule_matches_the_unicode_categories_for_every_code_point() -> None:
    wrong = [
        f"U+{code:04X}"
        for code in range(0x110000)
        if (unstorable_character(chr(code)) is not None) != _should_refuse(chr(code))
    ]
    assert wrong == []


def test_the_reason_names_the_first_character_and_where_it_is() -> None:
    reason = unstorable_character("ok\tfine\nthen\x1bthen\x00")
    assert reason is not None
    assert "U+001B" in reason and "position 12" in reason
    assert unstorable_character("Ünïcødé, emoji 🙂, CJK 漢字, RTL עברית\r\n") is None


def test_an_answer_with_a_control_character_names_its_text_field() -> None:
    with pytest.raises(ValidationError) as caught:
        AnswerCreate(question_id=uuid.uuid4(), text="an answer\x00")
    (error,) = caught.value.errors()
    assert error["loc"] == ("text",)
    assert error["type"] == "unstorable_character"
    assert "U+0000" in error["msg"]


def test_the_schema_pattern_says_the_same_for_every_writable_code_point() -> None:
    pattern = re.compile(USER_TEXT_PATTERN)
    schema = AnswerCreate.model_json_schema()["properties"]["text"]
    assert schema["pattern"] == USER_TEXT_PATTERN
    for code in [*range(0x00, 0xA1), 0xD7FF, 0xE000, 0xFFFF, 0x1F642]:
        character = chr(code)
        assert (pattern.fullmatch(character) is None) == _should_refuse(character), f"{code:04X}"
