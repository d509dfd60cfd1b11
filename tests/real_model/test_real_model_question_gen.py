"""The question-gen worker against a real model: llama.cpp's OpenAI-compatible server running
SmolLM2-135M-Instruct, on a real RabbitMQ, through the ``openai`` provider.

A 135M model writes what it writes: whole questions, duplicates, fragments, skills from nowhere,
or an answer cut at ``max_tokens``. What must hold whatever it writes is asserted: the set is
whole (every position once), every question the model is credited with passes the
guards as the test checks them itself, and every other question is the fallback's, with the
set labelled with the reason. What the model did is recorded for the run's summary.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import timedelta

import pytest

from careerflow_contracts import (
    CandidateProfile,
    Question,
    QuestionsGenerated,
    QuestionsRequested,
    QuestionsRequestedPayload,
    utc_now,
)
from careerflow_messaging import Publisher, Topology, connect
from careerflow_question_gen.bootstrap import bootstrap
from careerflow_question_gen.drafts import normalised_text
from careerflow_question_gen.settings import QuestionGenSettings
from careerflow_service import Worker
from careerflow_skills import job_skills
from careerflow_testing.llama_server import REAL_MODEL_TIMEOUT_S, LlamaServer
from careerflow_testing.results import receive_results
from careerflow_testing.settings import worker_settings

pytestmark = [
    pytest.mark.broker,
    pytest.mark.slow,
    pytest.mark.real_model,
    pytest.mark.timeout(REAL_MODEL_TIMEOUT_S),
]

ANSWER_TOKENS = 768
"""``max_tokens`` of the call: a few questions' worth at the model's ~30 tokens/s, so the test
stays within a minute; a longer answer is cut there, which the worker must survive too."""
DEADLINE_S = 90.0
JOB = (
    "Senior backend engineer. You will build Python services on PostgreSQL, run them on "
    "Kubernetes and stream events through Kafka."
)
PROFILE = CandidateProfile(skills=["Python", "PostgreSQL", "Django", "Docker"], years_experience=6)


@asynccontextmanager
async def running_worker(
    amqp_url: str, topology: Topology, server: LlamaServer
) -> AsyncIterator[Worker]:
    settings = QuestionGenSettings(
        **worker_settings(amqp_url, topology, server.provider, server.url, model=server.model),
        llm_response_format=server.response_format,
        ollama_num_predict=ANSWER_TOKENS,
    )
    async with bootstrap(settings) as worker:
        yield worker


def _usable_by_the_guards(question: Question, allowed_skills: set[str]) -> list[str]:
    """What is wrong with a question credited to the model, checked here without the
    worker's screening code: the rules ``screening`` states."""
    problems = []
    text = question.text
    if not 25 <= len(text) <= 400 or len(text.split()) < 5:
        problems.append("length")
    if "{" in text or "}" in text:
        problems.append("template")
    if not 3 <= len(question.expected_points) <= 5:
        problems.append("expected_points")
    if question.kind == "technical" and (question.skill or "").casefold() not in allowed_skills:
        problems.append(f"skill {question.skill!r}")
    return problems


async def test_every_question_is_the_models_and_guarded_or_a_labelled_fallback(
    amqp_url: str,
    topology: Topology,
    llama_server: LlamaServer,
    caplog: pytest.LogCaptureFixture,
    record_property: Callable[[str, object], None],
) -> None:
    payload = QuestionsRequestedPayload(
        target_role="Senior Backend Engineer", job_description=JOB, profile=PROFILE, batches=True
    )
    request = QuestionsRequested(
        session_id=uuid.uuid4(),
        deadline=utc_now() + timedelta(seconds=DEADLINE_S),
        payload=payload,
    )
    connection = await connect(amqp_url, name="qgen-real-model-test")
    caplog.set_level(logging.INFO, logger="careerflow_question_gen.handler")
    batches: list[QuestionsGenerated] = []
    try:
        async with running_worker(amqp_url, topology, llama_server) as worker:
            publisher = Publisher(connection, topology)
            await publisher.start()
            await publisher.publish(request)
            await publisher.close()
            while not (batches and batches[-1].payload.final):
                (event,) = await receive_results(connection, topology, 1, DEADLINE_S + 5)
                assert isinstance(event, QuestionsGenerated)
                batches.append(event)
            speed = worker.llm.speed.snapshot()
    finally:
        await connection.close()

    assert all(batch.causation_id == request.event_id for batch in batches)
    questions = [question for batch in batches for question in batch.payload.questions]
    # Nothing lost: ten questions, at positions 1 to 10, each once.
    assert sorted(question.position for question in questions) == list(range(1, 11))
    final = batches[-1].payload
    from_model = [question for question in questions if question.source == "ai"]
    allowed = {
        skill.casefold()
        for skill in (*payload.profile.skills, *job_skills(payload.job_description))
    }
    for question in from_model:
        assert _usable_by_the_guards(question, allowed) == [], question
    texts = [normalised_text(question.text) for question in questions]
    assert len(set(texts)) == len(texts), "a duplicate question reached the set"
    if len(from_model) == 10:
        assert (final.source, final.fallback_reason, final.notices) == ("ai", None, [])
    else:
        # The rest is the fallback's, and the set says so and why, as data the gateway words
        # (how many are the model's, for a set topped up).
        assert all(q.source == "fallback" for q in questions if q not in from_model)
        assert final.source == "fallback"
        assert final.fallback_reason is not None
        assert final.notices == []
        if from_model:
            assert final.fallback_detail is not None
            assert final.fallback_detail.from_model == len(from_model)
    (outcome,) = [r for r in caplog.records if r.getMessage().startswith("questions for session")]
    rejected = outcome.args[-1] if isinstance(outcome.args, tuple) else {}
    last = speed["last"] or {}
    record_property(
        "real_model",
        f"{len(from_model)} of 10 questions from the model in {len(batches)} batch(es); "
        f"set {final.source}/{final.fallback_reason}; guards rejected {rejected}; "
        f"{last.get('output_tokens')} tokens at {speed['output_tokens_per_s']} tokens/s, "
        f"first token after {last.get('prompt_s')} s",
    )
