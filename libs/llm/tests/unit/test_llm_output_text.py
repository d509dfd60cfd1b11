"""A model's answer loses the characters Postgres or UTF-8 cannot store (NUL, other control
characters, lone surrogates) before it is validated: cleaned, never refused, so a stray
character does not turn a good answer into a fallback, nor a result into a dead letter."""

from __future__ import annotations

import json

import httpx
from pydantic import BaseModel

from careerflow_llm import OllamaClient, OllamaSettings
from careerflow_llm.output import InvalidOutput, parse_output


class Point(BaseModel):
    label: str
    notes: list[str] = []


class Report(BaseModel):
    # Plain str fields: the guard cleans whatever the caller's model is.
    summary: str
    points: list[Point]
    extra: dict[str, str] = {}


def test_escaped_control_characters_in_every_string_are_removed() -> None:
    answer = json.dumps(
        {
            "summary": "A solid\u0000 interview\u001b\u0085",
            "points": [{"label": "clar\u0000ity", "notes": ["\u007fshort", "tab\tstays\r\n"]}],
            "extra": {"ke\u0000y": "val\u0001ue"},
        }
    )
    assert "\\u0000" in answer  # the model wrote the escape; json.loads turns it into NUL
    report = parse_output(answer, Report)
    assert report.summary == "A solid interview"
    assert report.points == [Point(label="clarity", notes=["short", "tab\tstays\r\n"])]
    assert report.extra == {"key": "value"}


def test_raw_control_characters_inside_a_string_are_removed_not_refused() -> None:
    # A NUL token streamed by Ollama arrives as a raw NUL inside the JSON text, which strict
    # JSON refuses: without cleaning, the answer would be invalid_output.
    answer = '{"summary": "A solid\x00 interview\x1b", "points": []}'
    assert parse_output(answer, Report).summary == "A solid interview"


def test_lone_surrogates_are_removed_and_pairs_kept() -> None:
    answer = '{"summary": "broken \\ud800 text \\ud83d\\ude42", "points": []}'
    assert parse_output(answer, Report).summary == "broken  text \U0001f642"


def test_an_answer_nested_past_the_recursion_limit_is_invalid_output() -> None:
    answer = '{"summary": "x", "points": [], "extra": ' + "[" * 100_000 + "]" * 100_000 + "}"
    try:
        parse_output(answer, Report)
    except InvalidOutput as error:
        assert "nested" in str(error)
    else:
        raise AssertionError("a 100 000-deep answer was accepted")


async def test_the_client_returns_the_cleaned_answer() -> None:
    content = '{"summary": "A solid\\u0000 interview\x00", "points": [{"label": "ok"}]}'
    lines = [
        {"message": {"role": "assistant", "content": content[:20]}, "done": False},
        {"message": {"role": "assistant", "content": content[20:]}, "done": False},
        {"message": {"role": "assistant", "content": ""}, "done": True, "done_reason": "stop"},
    ]
    body = b"".join(json.dumps(line).encode() + b"\n" for line in lines)

    async def answer(_: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body)

    async with OllamaClient(OllamaSettings(), transport=httpx.MockTransport(answer)) as client:
        result = await client.chat([{"role": "user", "content": "Report."}], Report)
    assert result.ok, result.detail
    assert result.value is not None
    assert result.value.summary == "A solid interview"
