"""Screening the model's questions one by one against the request."""

import pytest
from qgen_answers import (
    BEHAVIORAL,
    TECHNICAL,
    behavioral,
    good_answer,
    partly_good_answer,
    request_payload,
    technical,
    useless_answer,
)

from careerflow_question_gen.model_output import ModelQuestionSet
from careerflow_question_gen.plan import QuestionPlan, plan_questions
from careerflow_question_gen.screening import Screening
from careerflow_question_gen.streamed_questions import QuestionStream

PLAN = plan_questions(request_payload(), "seed")


def screen(answer: ModelQuestionSet, plan: QuestionPlan) -> Screening:
    """The screening of a whole answer, as the handler gets it when nothing was streamed."""
    stream = QuestionStream(plan)
    stream.finish(answer)
    return stream.screening


def test_a_good_answer_is_kept_whole_in_order() -> None:
    result = screen(ModelQuestionSet.model_validate(good_answer()), PLAN)
    assert [d.text for d in result.technical] == [t for _, t in TECHNICAL]
    assert [d.text for d in result.behavioral] == BEHAVIORAL
    assert all(d.source == "ai" for d in result.technical + result.behavioral)
    assert not result.rejected


def test_skills_are_named_canonically_and_behavioral_ones_carry_none() -> None:
    answer = good_answer()
    answer["questions"][3]["skill"] = "kafka"
    answer["questions"][5]["skill"] = "Leadership"
    result = screen(ModelQuestionSet.model_validate(answer), PLAN)
    assert result.technical[3].skill == "Apache Kafka"
    assert result.behavioral[0].skill is None


def test_bad_questions_are_dropped_and_counted_by_reason() -> None:
    result = screen(ModelQuestionSet.model_validate(partly_good_answer()), PLAN)
    assert len(result.technical) == 3 and len(result.behavioral) == 3
    assert result.rejected == {"skill": 1, "length": 1, "duplicate": 1, "expected_points": 1}


def test_a_technical_question_needs_a_skill_of_the_job_or_the_resume() -> None:
    answer = {
        "questions": [
            technical("Docker", TECHNICAL[0][1]),  # resume only: allowed
            technical("Terraform", TECHNICAL[1][1]),  # neither: not allowed
            technical(None, TECHNICAL[2][1]),  # type: ignore[arg-type]
        ]
    }
    result = screen(ModelQuestionSet.model_validate(answer), PLAN)
    assert [d.skill for d in result.technical] == ["Docker"]
    assert result.rejected == {"skill": 2}


def test_without_any_job_or_resume_skill_the_role_defaults_are_allowed() -> None:
    plan = plan_questions(
        request_payload(job_description="A nice team.", profile={"skills": []}), "s"
    )
    answer = {"questions": [technical("System design", TECHNICAL[0][1])]}
    assert len(screen(ModelQuestionSet.model_validate(answer), plan).technical) == 1


def test_extra_points_are_trimmed_and_surplus_questions_ignored() -> None:
    answer = good_answer()
    answer["questions"][0]["expected_points"] = [f"point {n}" for n in range(8)]
    answer["questions"].append(behavioral("Tell me about the proudest moment of your career."))
    result = screen(ModelQuestionSet.model_validate(answer), PLAN)
    assert len(result.technical[0].expected_points) == 5
    assert len(result.behavioral) == 5
    assert not result.rejected


def test_the_check_refuses_an_answer_with_nothing_usable() -> None:
    partly_good = ModelQuestionSet.model_validate(partly_good_answer())
    stream = QuestionStream(PLAN)
    assert stream.check(partly_good) is partly_good
    assert len(stream.rest) == 6  # the usable questions, screened by the check, once
    with pytest.raises(ValueError, match=r"no usable question \(.*\d+ length"):
        QuestionStream(PLAN).check(ModelQuestionSet.model_validate(useless_answer()))
