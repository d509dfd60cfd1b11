"""The minimal instance the fake Ollama answers with validates against the schema it came from."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

import pytest
from pydantic import BaseModel, Field

from careerflow_testing.schema_instance import UnsupportedSchema, minimal_instance


class Kind(StrEnum):
    TECHNICAL = "technical"
    BEHAVIORAL = "behavioral"


class Rubric(BaseModel):
    relevance: int = Field(ge=0, le=10)
    depth: int = Field(gt=2, lt=10)
    weight: float = Field(gt=0.5, le=1.0)
    offset: float = Field(lt=0)


class DraftQuestion(BaseModel):
    kind: Kind
    skill: str | None
    text: str = Field(min_length=20, max_length=200)
    points: list[str] = Field(min_length=2)


class QuestionSet(BaseModel):
    questions: list[DraftQuestion] = Field(min_length=10, max_length=10)
    rubric: Rubric
    version: Literal[2]
    identifier: uuid.UUID
    written_at: datetime
    final: bool
    optional_note: str = "left out: not required"


class Tags(BaseModel):
    tags: set[str] = Field(min_length=3)
    code: str = Field(min_length=2, max_length=4)


@pytest.mark.parametrize("model", [Rubric, DraftQuestion, QuestionSet, Tags])
def test_instance_validates_against_pydantic_schema(model: type[BaseModel]) -> None:
    instance = minimal_instance(model.model_json_schema())
    model.model_validate(instance)


def test_only_required_properties_are_filled() -> None:
    instance = minimal_instance(QuestionSet.model_json_schema())
    assert "optional_note" not in instance
    assert len(instance["questions"]) == 10


def test_array_items_differ_from_each_other() -> None:
    instance = minimal_instance(QuestionSet.model_json_schema())
    texts = [q["text"] for q in instance["questions"]]
    assert len(set(texts)) == len(texts)


def test_numbers_sit_within_their_bounds() -> None:
    rubric = minimal_instance(Rubric.model_json_schema())
    assert rubric == {"relevance": 0, "depth": 3, "weight": 0.75, "offset": -1.0}


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"const": "fixed"}, "fixed"),
        ({"enum": ["a", "b"]}, "a"),
        ({"type": ["null", "integer"], "minimum": 4}, 4),
        ({"type": "null"}, None),
        ({}, None),
        ({"type": "boolean"}, False),
        ({"type": "string", "format": "email"}, "candidate@example.com"),
        ({"type": "array", "items": {"type": "integer"}}, []),
        ({"anyOf": [{"type": "null"}, {"type": "string", "maxLength": 3}]}, "sam"),
        (
            {
                "allOf": [
                    {"properties": {"a": {"type": "integer"}}, "required": ["a"]},
                    {"properties": {"b": {"type": "string"}}, "required": ["b"]},
                ]
            },
            {"a": 0, "b": "sample text"},
        ),
    ],
)
def test_keywords(schema: dict[str, Any], expected: Any) -> None:
    assert minimal_instance(schema) == expected


def test_an_unresolvable_ref_is_reported() -> None:
    with pytest.raises(UnsupportedSchema):
        minimal_instance({"$ref": "#/$defs/Missing"})
    with pytest.raises(UnsupportedSchema):
        minimal_instance({"$ref": "https://example.com/schema.json"})
