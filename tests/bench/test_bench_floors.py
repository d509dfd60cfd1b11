"""``make bench``'s floors and its file: the floors count tokens as the fake Ollama does, a
question's floor ends where the streaming reader takes it, and a partial run keeps the other
scenarios' sections.

The token counts are checked against what the fake itself reports (``prompt_eval_count``,
``eval_count``) for the same request, so a change in how the fake counts breaks this test, not
silently the benchmark's floors.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from model_answers import realistic_answer

from careerflow_llm import streamed_items
from careerflow_testing.fake_ollama import FakeOllama, RecordedRequest, SpeedProfile

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from bench import compose  # noqa: E402
from bench_cpu import TICKS_PER_S, tree_cpu_s  # noqa: E402
from bench_model_speed import (  # noqa: E402
    Interview,
    SpeedScenario,
    answer_tokens,
    first_item_end,
    floors_of,
    model_answer,
    prompt_tokens,
    target_checks,
    work_s,
)

LAPTOP = SpeedProfile(load_s=4.0, prompt_tokens_per_s=60.0, output_tokens_per_s=15.0)
QUESTION_SCHEMA = {"type": "object", "properties": {"questions": {"type": "array"}}}
RUBRIC_SCHEMA = {"type": "object", "properties": {"rubric": {"type": "object"}}}
PROFILE_SCHEMA = {"type": "object", "properties": {"skills": {"type": "array"}}}


def _body(schema: dict[str, Any], prompt: str) -> dict[str, Any]:
    return {
        "model": "llama3.2:3b",
        "messages": [
            {"role": "system", "content": "Answer in JSON."},
            {"role": "user", "content": prompt},
        ],
        "format": schema,
        "stream": False,
    }


@pytest.mark.parametrize(
    "schema",
    [QUESTION_SCHEMA, RUBRIC_SCHEMA, PROFILE_SCHEMA],
    ids=["questions", "evaluation", "profile"],
)
def test_token_counts_are_those_the_fake_reports(schema: dict[str, Any]) -> None:
    prompt = "Write 3 technical and 2 behavioral questions, skills chosen only from: Python, Go\n"
    body = _body(schema, prompt * 7 + "Python Django FastAPI Computer Science")
    instant = SpeedProfile(load_s=0.0, prompt_tokens_per_s=1e9, output_tokens_per_s=1e9)
    with FakeOllama(profile=instant) as fake:
        fake.set_responder(realistic_answer)
        reply = httpx.post(f"{fake.url}/api/chat", json=body, timeout=10.0).json()

    assert reply["prompt_eval_count"] == prompt_tokens(body)
    assert reply["eval_count"] == answer_tokens(model_answer(body))
    assert reply["message"]["content"] == model_answer(body)


@pytest.mark.parametrize("indent", [None, 2], ids=["compact", "pretty"])
def test_the_first_question_ends_where_the_streaming_reader_takes_it(indent: int | None) -> None:
    written = json.loads(model_answer(_body(QUESTION_SCHEMA, "3 technical")))
    answer = json.dumps(written, indent=indent)

    end = first_item_end(answer, "questions")

    assert len(streamed_items(answer[:end], "questions")) == 1
    assert streamed_items(answer[: end - 1], "questions") == []


def test_a_single_item_is_taken_only_with_the_whole_answer() -> None:
    answer = json.dumps({"questions": [{"text": "Why?"}]})

    assert first_item_end(answer, "questions") == len(answer)


def test_work_is_the_load_unless_loaded_then_reading_then_writing() -> None:
    assert work_s(LAPTOP, loaded=False, prompt=120, output=30) == pytest.approx(4 + 2 + 2)
    assert work_s(LAPTOP, loaded=True, prompt=120, output=30) == pytest.approx(2 + 2)


def _call(schema: dict[str, Any], prompt: str, at: float) -> RecordedRequest:
    """A recorded chat call whose prompt is ``prompt`` alone (its length over 4 tokens)."""
    body = {**_body(schema, prompt), "messages": [{"role": "user", "content": prompt}]}
    return RecordedRequest("POST", "/api/chat", body, received_at=at)


def test_floors_of_an_interview_from_its_calls() -> None:
    questions_prompt = "x" * 600  # 150 tokens
    calls = [
        _call(PROFILE_SCHEMA, "y" * 240, at=100.0),  # loads the model
        _call(QUESTION_SCHEMA, questions_prompt, at=101.0),
        _call(RUBRIC_SCHEMA, "z" * 120, at=150.0),
        _call(RUBRIC_SCHEMA, "w" * 240, at=170.0),
        _call(QUESTION_SCHEMA, "v" * 40, at=300.0),  # another interview's
    ]
    answer = model_answer(calls[1].body or {})
    first = answer_tokens(answer[: first_item_end(answer, "questions")])

    floors = floors_of(
        LAPTOP, calls, cold=True, window=(99.0, 200.0), answers_at=[149.0, 160.0, 190.0]
    )

    assert floors.profile_s == pytest.approx(
        4 + 60 / 60 + answer_tokens(model_answer(calls[0].body or {})) / 15
    )
    assert floors.first_question_s == pytest.approx(4 + 150 / 60 + first / 15)
    assert floors.all_questions_s == pytest.approx(4 + 150 / 60 + answer_tokens(answer) / 15)
    rubric = answer_tokens(model_answer(calls[2].body or {})) / 15
    # Each answer is matched with the first evaluation call after it; the third had none.
    assert floors.evaluations_s == [
        pytest.approx(30 / 60 + rubric),
        pytest.approx(60 / 60 + rubric),
        None,
    ]


def test_a_warm_interview_has_no_load_in_its_question_floors() -> None:
    calls = [_call(PROFILE_SCHEMA, "y" * 240, at=1.0), _call(QUESTION_SCHEMA, "x" * 600, at=2.0)]

    cold = floors_of(LAPTOP, calls, cold=True, window=(0.0, 9.0), answers_at=[])
    warm = floors_of(LAPTOP, calls, cold=False, window=(0.0, 9.0), answers_at=[])

    assert cold.first_question_s is not None and warm.first_question_s is not None
    assert cold.first_question_s - warm.first_question_s == pytest.approx(LAPTOP.load_s)


def _interview(first: float, floor: float, *, from_model: int, notices: list[str]) -> Interview:
    interview = Interview(cold=False, first_answerable_s=first, from_model=from_model)
    interview.questions, interview.profile_source, interview.notices = 10, "ai", notices
    interview.floors.first_question_s = floor
    return interview


def test_the_laptop_targets_are_judged_on_every_interview() -> None:
    laptop = SpeedProfile(4.0, 60.0, 15.0, name="laptop-cpu")
    scenario = SpeedScenario("laptop", laptop)
    scenario.interviews = [
        _interview(14.0, 10.0, from_model=10, notices=[]),
        _interview(16.0, 10.0, from_model=9, notices=["ai_timeout (questions)"]),
    ]

    checks = dict(target_checks(scenario))

    assert checks == {
        "the profile from the model": True,
        "at least 9 of 10 questions from the model": True,
        "no ai_timeout": False,
        "first question answerable within 1.5x its floor": False,
    }


def test_no_interview_meets_no_target() -> None:
    scenario = SpeedScenario("gpu", SpeedProfile(2.0, 1500.0, 60.0, 4, name="gpu"))

    assert not any(ok for _what, ok in target_checks(scenario))


def test_a_partial_run_rewrites_its_sections_and_keeps_the_others() -> None:
    before = compose(None, {"burst": "## Bursts\n\nold burst", "gpu": "## GPU\n\nold gpu"})

    after = compose(before, {"laptop": "## Laptop\n\nnew laptop", "gpu": "## GPU\n\nnew gpu"})

    assert "old burst" in after and "new laptop" in after and "new gpu" in after
    assert "old gpu" not in after
    assert after.index("old burst") < after.index("new laptop") < after.index("new gpu")
    assert after.startswith("# Benchmarks\n")
    assert compose(after, {}) == after


def test_a_sections_notes_stay_after_it_when_it_is_rerun() -> None:
    before = compose(None, {"laptop": "## Laptop\n\nold", "gpu": "## GPU\n\nold gpu"})
    before = before.replace(
        "<!-- /bench:laptop -->",
        "<!-- /bench:laptop -->\n\n<!-- bench:laptop-notes -->\nRead on 30 November.\n"
        "<!-- /bench:laptop-notes -->",
    )

    after = compose(before, {"laptop": "## Laptop\n\nnew"})

    assert after.index("new") < after.index("Read on 30 November.") < after.index("old gpu")
    assert "\nold\n" not in after


def test_a_process_trees_cpu_counts_every_process_below_it_and_nothing_else() -> None:
    # pid: (parent, ticks): 10 runs 11, which runs 12; 20 is another tree; 11 also runs 13.
    table = {10: (1, 100), 11: (10, 50), 12: (11, 25), 13: (11, 5), 20: (1, 1000)}
    assert tree_cpu_s(10, table) == 180 / TICKS_PER_S
    assert tree_cpu_s(11, table) == 80 / TICKS_PER_S
    assert tree_cpu_s(99, table) == 0.0  # gone: nothing
