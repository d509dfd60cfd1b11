"""Cleaning and validating a model's answer text."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, Field

from careerflow_llm.output import InvalidOutput, clean_model_text, parse_output


class Profile(BaseModel):
    skills: list[str]
    years: float = Field(ge=0)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ('{"a": 1}', '{"a": 1}'),
        ('  {"a": 1}\n', '{"a": 1}'),
        ('<think>let me see</think>{"a": 1}', '{"a": 1}'),
        ('<THINK>\nmulti\nline\n</THINK>\n{"a": 1}', '{"a": 1}'),
        ('```json\n{"a": 1}\n```', '{"a": 1}'),
        ('```\n{"a": 1}\n```', '{"a": 1}'),
        ('Here it is:\n```json\n{"a": 1}\n```\nHope it helps', '{"a": 1}'),
        ('<think>plan</think>\n```json\n{"a": 1}\n```', '{"a": 1}'),
        ('```json\n{"a": 1}', '{"a": 1}'),  # fence never closed
        ("<think>never finished reasoning", ""),
    ],
)
def test_clean_model_text(raw: str, clean: str) -> None:
    assert clean_model_text(raw) == clean


def test_parse_output_validates_into_the_model() -> None:
    profile = parse_output(
        '<think>x</think>```json\n{"skills": ["Python"], "years": 3}\n```', Profile
    )
    assert profile == Profile(skills=["Python"], years=3)


def test_parse_output_tolerates_a_sentence_around_the_object() -> None:
    assert parse_output('Sure! {"skills": [], "years": 1} Done.', Profile).years == 1


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "empty answer"),
        ("<think>only thoughts</think>", "empty answer"),
        ("not json at all", "not JSON"),
        ('{"skills": ["Python"], "years": ', "not JSON"),
        ('{"skills": "Python", "years": -1}', "does not fit the schema"),
        ("[1, 2]", "does not fit the schema"),
    ],
)
def test_parse_output_rejects(raw: str, message: str) -> None:
    with pytest.raises(InvalidOutput, match=message):
        parse_output(raw, Profile)


def test_schema_errors_name_fields_but_never_values() -> None:
    secret = "jane.doe@example.com"
    with pytest.raises(InvalidOutput) as caught:
        parse_output(f'{{"skills": "{secret}", "years": "{secret}"}}', Profile)
    text = str(caught.value)
    assert "skills" in text and "years" in text
    assert secret not in text
