"""``StorableText``: the text of a worker's result loses what Postgres or UTF-8 cannot store,
and nothing else, so a result is never refused (and its work lost) for a stray character."""

from __future__ import annotations

import json
import unicodedata
import uuid

from careerflow_contracts import (
    AnswerEvaluated,
    QuestionsGenerated,
    ReportGenerated,
    ResumeParsed,
    parse_event,
)
from careerflow_contracts.text import remove_unstorable, unstorable_character

ALLOWED_CONTROLS = {"\t", "\n", "\r"}
# Every kind of control character the rule is about (C0, DEL, C1) and the three that stay.
# Lone surrogates are not here: a JSON body with one is refused by pydantic's parser before any
# field is read, and no worker can write one (pydantic will not serialise it either).
DIRTY = "a\x00b\x01\x08\x0b\x0c\x0e\x1f\x7f\x80\x9fc\t\n\r"
CLEAN = "abc\t\n\r"


def test_removal_agrees_with_the_refusal_for_every_code_point() -> None:
    # One definition of "unstorable": what REST input refuses is exactly what results lose.
    wrong = [
        f"U+{code:04X}"
        for code in range(0x110000)
        if (remove_unstorable(chr(code)) == "") != (unstorable_character(chr(code)) is not None)
    ]
    assert wrong == []


def test_removal_keeps_everything_else() -> None:
    assert remove_unstorable(DIRTY) == CLEAN
    # A surrogate of either half on its own goes; a character outside the BMP stays.
    assert remove_unstorable("a\udfff\ud800b\U000103ff") == "ab\U000103ff"
    text = "Ünïcødé, emoji 🙂, CJK 漢字, RTL עברית, math ∑\r\n"
    assert remove_unstorable(text) == text
    assert all(
        unicodedata.category(c) not in {"Cc", "Cs"} or c in ALLOWED_CONTROLS
        for c in remove_unstorable("".join(map(chr, range(0x20000))))
    )


def _envelope(event_type: str, payload: dict[str, object], version: int = 1) -> bytes:
    body = {"type": event_type, "version": version, "session_id": str(uuid.uuid4())}
    # json.dumps writes NUL as the escape \u0000, as any JSON writer would.
    return json.dumps({**body, "payload": payload}).encode()


NOTICE = {"stage": "questions", "code": "model\x00_code", "message": "Fell\x00 back" + DIRTY}
RUBRIC = {"relevance": 5, "depth": 5, "structure": 5, "specificity": 5}


def test_every_text_of_a_questions_result_is_cleaned() -> None:
    question = {
        "position": 1,
        "kind": "technical",
        "skill": "Py\x00thon",
        "text": "Tell me about\x00 a hard bug." + DIRTY,
        "expected_points": ["root\x00 cause", DIRTY],
        "source": "ai",
    }
    payload = {"source": "ai", "questions": [question], "notices": [NOTICE]}
    event = parse_event(_envelope("questions.generated", payload))
    assert isinstance(event, QuestionsGenerated)
    (read,) = event.payload.questions
    assert read.skill == "Python"
    assert read.text == "Tell me about a hard bug." + CLEAN
    assert read.expected_points == ["root cause", CLEAN]
    (notice,) = event.payload.notices
    assert (notice.code, notice.message) == ("model_code", "Fell back" + CLEAN)


def test_every_text_of_an_evaluation_is_cleaned() -> None:
    evaluation = {
        "score": 5,
        "rubric": RUBRIC,
        "feedback": "Good\x00 start" + DIRTY,
        "strengths": ["clear\x00"],
        "improvements": ["\x7fdepth"],
        "reference_answer": "A reference\x00",
        "source": "ai",
        "flags": [{"code": "score_capped\x00", "message": "Capped\x00 at 5"}],
    }
    payload = {"source": "ai", "question_id": str(uuid.uuid4()), "evaluation": evaluation}
    event = parse_event(_envelope("answer.evaluated", payload))
    assert isinstance(event, AnswerEvaluated)
    read = event.payload.evaluation
    assert read.feedback == "Good start" + CLEAN
    assert (read.strengths, read.improvements) == (["clear"], ["depth"])
    assert read.reference_answer == "A reference"
    assert [(flag.code, flag.message) for flag in read.flags] == [("score_capped", "Capped at 5")]


def test_every_text_of_a_report_and_of_a_profile_is_cleaned() -> None:
    report = {
        "source": "ai",
        "summary": "A solid\x00 interview" + DIRTY,
        "strengths": ["\x00clarity"],
        "improvements": ["depth\x9f"],
    }
    event = parse_event(_envelope("report.generated", report))
    assert isinstance(event, ReportGenerated)
    assert event.payload.summary == "A solid interview" + CLEAN
    assert (event.payload.strengths, event.payload.improvements) == (["clarity"], ["depth"])

    profile = {
        "skills": ["Pyth\x00on", "SQL"],
        "titles": ["Back\x00end Engineer"],
        "education": ["BSc\x01 Physics"],
        "summary": "Ten years\x00 of work" + DIRTY,
        "years_experience": 10,
        "source": "ai",
    }
    parsed = parse_event(_envelope("resume.parsed", {"source": "ai", "profile": profile}, 2))
    assert isinstance(parsed, ResumeParsed)
    read = parsed.payload.profile
    assert (read.skills, read.titles, read.education) == (
        ["Python", "SQL"],
        ["Backend Engineer"],
        ["BSc Physics"],
    )
    assert read.summary == "Ten years of work" + CLEAN


def test_text_built_in_python_is_cleaned_too() -> None:
    # A worker builds its result from Python strings, where a lone surrogate can be (pydantic
    # could not even serialise it to publish): the model cleans it on construction.
    event = ReportGenerated(
        session_id=uuid.uuid4(),
        payload={"source": "ai", "summary": "Broken \ud83d text\x00"},
    )
    assert event.payload.summary == "Broken  text"
    assert "\\u0000" not in event.model_dump_json()


def test_length_limits_count_the_cleaned_text() -> None:
    # A question of 1000 characters plus a stray NUL is within its limit once cleaned.
    question = {"position": 1, "kind": "behavioral", "text": "x" * 1000 + "\x00"}
    event = parse_event(_envelope("questions.generated", {"source": "ai", "questions": [question]}))
    assert isinstance(event, QuestionsGenerated)
    assert event.payload.questions[0].text == "x" * 1000
