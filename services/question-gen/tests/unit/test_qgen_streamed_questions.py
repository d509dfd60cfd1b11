"""Reading the model's questions while it writes them: for every prefix of real answers, the
questions handed out are the usable questions of the whole answer, in the model's order, each
once, and complete (never lost, never invented, never half-written)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from qgen_answers import (
    BEHAVIORAL,
    POINTS,
    TECHNICAL,
    behavioral,
    good_answer,
    partly_good_answer,
    request_payload,
    technical,
    useless_answer,
)

from careerflow_llm import parse_output
from careerflow_question_gen.drafts import QuestionDraft
from careerflow_question_gen.model_output import ModelQuestionSet
from careerflow_question_gen.plan import QuestionPlan, plan_questions
from careerflow_question_gen.screening import Screener
from careerflow_question_gen.streamed_questions import QuestionStream
from careerflow_testing.fake_ollama import THINKING_TEXT, as_text
from careerflow_testing.schema_instance import minimal_instance

PLAN = plan_questions(request_payload(), "session:1")


def _hand_written(*, not_a_question: bool = False) -> dict[str, Any]:
    """Escapes, unicode, brackets and braces inside strings, nested arrays (in a field the model
    was not asked for), a question the screening refuses; with ``not_a_question``, an item that
    is not a question at all."""
    odd = {"kind": "technical", "skill": "Python", "text": 42, "expected_points": [[1, [2]]]}
    return {
        "questions": [
            technical(
                "Python",
                'How would you find why a "worker\\pool" in Python leaks — step by step?',
                expected_points=["tracemalloc [snapshots]", "gc.get_referrers()", "a → b, c"],
                notes=[[1, [2, []]], {"x": ["]", "}"]}, None],
            ),
            *([odd] if not_a_question else []),
            behavioral(
                "Erzählen Sie von einem Konflikt im Team: was taten Sie, und was kam heraus?",
                expected_points=["die Lage", "Ihr Handeln", "das Ergebnis 🎯"],
            ),
            technical("PostgreSQL", "How do you read {plan} output when a query is slow again?"),
            behavioral("Tell me about a time you\nchanged your\tmind after a code review."),
        ]
    }


FAKE_ANSWERS = {
    "good": good_answer(),
    "partly good": partly_good_answer(),
    "useless": useless_answer(),
    "hand written": _hand_written(),
    "minimal instance": minimal_instance(ModelQuestionSet.model_json_schema()),
}
"""The contents a test gives the fake Ollama, and the one it makes from the schema itself."""


def _as_the_fake_writes(content: dict[str, Any], wrapping: str) -> str:
    """The text of the fake Ollama's answer: its own JSON, in a code fence or after reasoning
    when its script says so (``Behaviour.CODE_FENCE``, ``THINK_PREFIX``)."""
    valid = as_text(content)
    return {
        "plain": valid,
        "fence": f"```json\n{valid}\n```",
        "think": THINKING_TEXT + valid,
        "pretty": json.dumps(content, indent=2, ensure_ascii=False),
    }[wrapping]


def _usable_in_order(text: str, plan: QuestionPlan) -> list[QuestionDraft]:
    answer = parse_output(text, ModelQuestionSet)
    screener = Screener(plan)
    return [d for q in answer.questions if (d := screener.take(q)) is not None]


def _stream_every_prefix(text: str, plan: QuestionPlan = PLAN) -> list[QuestionDraft]:
    expected = _usable_in_order(text, plan)
    stream = QuestionStream(plan)
    handed: list[QuestionDraft] = []
    for end in range(len(text) + 1):
        handed += stream.read(text[:end])
        assert handed == expected[: len(handed)], f"a question not in the answer at {end}"
    handed += stream.finish(parse_output(text, ModelQuestionSet))
    assert handed == expected, "a usable question of the answer was not handed out"
    assert stream.kept == handed
    # The same verdicts as the whole answer's screening, kind by kind.
    whole = QuestionStream(plan)
    whole.finish(parse_output(text, ModelQuestionSet))
    assert (stream.screening.technical, stream.screening.behavioral) == (
        whole.screening.technical,
        whole.screening.behavioral,
    )
    return handed


@pytest.mark.parametrize("wrapping", ["plain", "fence", "think", "pretty"])
@pytest.mark.parametrize("answer", FAKE_ANSWERS, ids=list(FAKE_ANSWERS))
def test_every_prefix_of_the_fakes_answers_hands_out_each_usable_question_once(
    answer: str, wrapping: str
) -> None:
    content = FAKE_ANSWERS[answer]
    text = _as_the_fake_writes(content, wrapping)
    handed = _stream_every_prefix(text)
    counts = {"good": 10, "partly good": 6, "useless": 0, "hand written": 3, "minimal instance": 0}
    assert len(handed) == counts[answer]


def test_a_question_that_is_not_one_is_refused_and_the_others_are_still_read() -> None:
    """An answer with one malformed item is not valid as a whole, but the questions before and
    after it are read as they come (only the whole answer's rest is unused)."""
    text = as_text(_hand_written(not_a_question=True))
    with pytest.raises(ValueError, match="does not fit the schema"):
        parse_output(text, ModelQuestionSet)
    stream = QuestionStream(PLAN)
    handed: list[QuestionDraft] = []
    for end in range(len(text) + 1):
        handed += stream.read(text[:end])
    # The whole answer is not a valid ModelQuestionSet: the model call falls back.
    handed += stream.finish(None)
    assert [d.text[:12] for d in handed] == ["How would yo", "Erzählen Sie", "Tell me abou"]
    assert (
        handed[0].text == 'How would you find why a "worker\\pool" in Python leaks — step by step?'
    )
    assert handed[0].expected_points == (
        "tracemalloc [snapshots]",
        "gc.get_referrers()",
        "a → b, c",
    )
    assert handed[2].text == "Tell me about a time you changed your mind after a code review."
    assert stream.screening.rejected == {"schema": 1, "template": 1}


def test_the_last_question_waits_for_the_end_of_the_array() -> None:
    text = as_text(good_answer())
    stream = QuestionStream(PLAN)
    before_close = text[: text.rindex("]")]
    assert len(stream.read(before_close)) == 9
    assert stream.read(before_close + "]") == []  # the object has not ended either
    assert len(stream.read(text)) == 1


def test_a_failed_model_ends_the_stream_where_it_stopped() -> None:
    text = as_text(good_answer())
    stream = QuestionStream(PLAN)
    cut = text[: len(text) // 2]
    handed = stream.read(cut)
    assert 0 < len(handed) < 10
    assert stream.finish(None) == []
    assert [d.text for d in handed] == [t for _, t in TECHNICAL][: len(handed)]


def test_a_whole_answer_that_does_not_go_on_from_the_stream_adds_nothing() -> None:
    stream = QuestionStream(PLAN)
    text = as_text(good_answer())
    assert len(stream.read(text[: text.index(BEHAVIORAL[0])])) == 5
    other = ModelQuestionSet.model_validate(
        {"questions": [behavioral(t) for t in BEHAVIORAL] + [technical(s, t) for s, t in TECHNICAL]}
    )
    assert stream.finish(other) == []


_words = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)


@settings(max_examples=40, deadline=None)
@given(
    texts=st.lists(_words, min_size=0, max_size=4),
    kinds=st.lists(st.sampled_from(["technical", "behavioral"]), min_size=4, max_size=4),
    indent=st.sampled_from([None, 1]),
)
def test_any_question_texts_are_read_whole(
    texts: list[str], kinds: list[str], indent: int | None
) -> None:
    questions = []
    for index, words in enumerate(texts):
        text = f"Tell me, in your own words, about case {index}: {words}"
        if kinds[index] == "technical":
            questions.append(technical("Python", text, expected_points=[*POINTS, words or "x"]))
        else:
            questions.append(behavioral(text))
    _stream_every_prefix(json.dumps({"questions": questions}, indent=indent))
