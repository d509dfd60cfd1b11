"""A worker shows its model's measured speed on /metrics and /health once a call has told it.

The worker runs on the real broker and calls the fake Ollama, working at a profile's pace.
"""

from __future__ import annotations

import math
import re
from functools import partial

import httpx
import pytest
from pydantic import BaseModel
from service_worker_events import questions_requested

from careerflow_contracts import (
    QuestionsGenerated,
    QuestionsGeneratedPayload,
    QuestionsRequested,
    routing,
)
from careerflow_llm import OllamaClient, OllamaSettings
from careerflow_messaging import Topology
from careerflow_service import Worker, WorkerSettings, worker_app
from careerflow_testing.fake_ollama import Behaviour, FakeOllama, SpeedProfile
from careerflow_testing.results import open_gateway_side
from careerflow_testing.settings import topology_settings

pytestmark = [pytest.mark.broker]

SERVICE = "speed-worker"
PROFILE = SpeedProfile(load_s=0.3, prompt_tokens_per_s=300.0, output_tokens_per_s=40.0)
PROMPT = "Write interview questions for a backend engineer who knows Python and SQL. " * 3


class Skills(BaseModel):
    skills: list[str]


async def _ask_the_model(event: QuestionsRequested, *, llm: OllamaClient) -> QuestionsGenerated:
    result = await llm.chat([{"role": "user", "content": PROMPT}], Skills)
    return event.reply(
        QuestionsGenerated,
        QuestionsGeneratedPayload(
            questions=[], source=result.source, fallback_reason=result.fallback_reason
        ),
    )


def _metric(text: str, name: str) -> float:
    match = re.search(rf'^{name}\{{service="{SERVICE}"\}} (\S+)$', text, re.MULTILINE)
    assert match, f"{name} for {SERVICE} is not on /metrics"
    return float(match.group(1))


async def test_metrics_and_health_show_the_models_tokens_per_second(
    amqp_url: str, topology: Topology
) -> None:
    with FakeOllama(profile=PROFILE) as fake:
        fake.set_behaviour(Behaviour.HEALTHY, content={"skills": ["Python", "SQL"] * 10})
        settings = WorkerSettings(amqp_url=amqp_url, **topology_settings(topology))
        llm = OllamaClient(OllamaSettings(url=fake.url))
        handlers = {routing.QUESTION_GEN: partial(_ask_the_model, llm=llm)}
        async with Worker(SERVICE, settings, handlers, llm=llm) as w:
            async with httpx.AsyncClient(
                transport=httpx.ASGITransport(app=worker_app(w)), base_url="http://w"
            ) as http:
                before = (await http.get("/metrics")).text
                assert math.isnan(_metric(before, "careerflow_model_output_tokens_per_second"))

                request = questions_requested(deadline_s=60)
                async with open_gateway_side(amqp_url, topology) as gateway:
                    await gateway.publish(request)
                    (result,) = await gateway.results(1, 30)
                assert isinstance(result, QuestionsGenerated)
                assert result.payload.source == "ai"

                metrics = (await http.get("/metrics")).text
                health = (await http.get("/health")).json()

    output_rate = _metric(metrics, "careerflow_model_output_tokens_per_second")
    prompt_rate = _metric(metrics, "careerflow_model_prompt_tokens_per_second")
    assert output_rate == pytest.approx(40.0, rel=0.35)
    assert prompt_rate == pytest.approx(300.0, rel=0.35)
    assert _metric(metrics, "careerflow_model_load_seconds") >= 0.3
    assert _metric(metrics, "careerflow_model_first_token_seconds") >= 0.3
    model = health["checks"]["model"][0]["observedValue"]
    assert model["speed"]["measured_calls"] == 1
    assert model["speed"]["last"]["output_tokens_per_s"] == pytest.approx(output_rate, rel=0.01)
    assert model["speed"]["prompt_tokens_per_s"] == pytest.approx(prompt_rate, rel=0.01)
    assert model["limits"] == {"budget_s": 600.0, "first_token_s": 300.0, "stall_s": 10.0}
    assert model["last_call"]["first_token_limit_s"] == 300.0  # set before the measurement
