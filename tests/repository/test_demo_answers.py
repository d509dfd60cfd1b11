"""``make demo``'s answers file (issue 16): keyed answers go to the questions that name their
words, plain ones in turn, ``>`` lines to the follow-ups in turn (then skip), ``#`` comments."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from types import ModuleType

from careerflow_contracts.rest import QuestionView


def _question(text: str) -> QuestionView:
    return QuestionView(id=uuid.uuid4(), position=1, kind="technical", text=text, source="fallback")


def test_answers_are_keyed_in_turn_and_follow_ups_run_out_to_a_skip(
    load_script: Callable[[str], ModuleType],
) -> None:
    demo = load_script("demo")
    answers = demo.DemoAnswers(
        "# a comment\n"
        "[rolling update] Readiness probes and maxSurge.\n"
        "Thin one.\n"
        "> The follow-up's answer.\n"
        "Thin two.\n"
    )
    assert answers.for_question(_question("How do you do a ROLLING UPDATE?")) == (
        "Readiness probes and maxSurge."
    )
    plain = [answers.for_question(_question("Tell me about a time.")) for _ in range(3)]
    assert plain == ["Thin one.", "Thin two.", "Thin one."]
    followup = _question("Could you go further?")
    assert answers.for_followup(followup) == "The follow-up's answer."
    assert answers.for_followup(followup) is None  # none left: the demo skips it


def test_the_sample_file_keys_an_answer_to_each_of_the_sample_jobs_twenty_technical_questions(
    load_script: Callable[[str], ModuleType],
) -> None:
    demo = load_script("demo")
    answers = demo.DemoAnswers(demo.SAMPLE_ANSWERS.read_text(encoding="utf-8"))
    assert len(answers.keyed) == 20 and len(answers.followups) == 2
