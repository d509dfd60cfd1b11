"""What the candidate waits for goes first (issue 12, item 4), the whole system against a model
at a laptop CPU's speed (the fake Ollama's laptop profile: 4 s load, 60 tokens/s reading,
15 tokens/s writing, one slot), every service with its default settings:

- the first question is asked of the model, and answerable, before the model has been asked to
  read the resume: the questions are written from the basic parser's reading;
- the model reads the resume once nothing a candidate waits for is pending; an answer posted
  while it reads takes the model back (the reading is given up, its slot freed), the answer is
  scored by the model, and the reading is asked for again afterwards and refines the profile.

Kept short in wall time: two short questions (``brief_answer``); every token is still read and
written at the profile's rate.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from candidate import answer_text, create_session
from model_answers import brief_answer

from careerflow_testing.fake_ollama import LAPTOP_CPU, FakeOllama, RecordedRequest
from careerflow_testing.waiting import wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.broker, pytest.mark.database, pytest.mark.slow]

QUESTIONS = 2
READS_THE_RESUME = "The AI reads your resume as soon as it is free"


def _asks_for(call: RecordedRequest) -> str:
    """What a chat call asks the model for, by its output schema's properties."""
    schema = call.output_schema
    properties = set(schema.get("properties", {})) if isinstance(schema, dict) else set()
    for name, key in (("questions", "questions"), ("evaluation", "rubric"), ("profile", "skills")):
        if key in properties:
            return name
    return "other"


def _calls(fake: FakeOllama, kind: str) -> list[RecordedRequest]:
    return [call for call in fake.chat_requests() if _asks_for(call) == kind]


async def _view(client: httpx.AsyncClient, session_id: str) -> dict[str, Any]:
    response = await client.get(f"/v1/sessions/{session_id}")
    response.raise_for_status()
    view: dict[str, Any] = response.json()
    return view


async def test_the_candidates_work_goes_before_the_models_reading_of_the_resume(
    start_system: Any,
) -> None:
    with FakeOllama(profile=LAPTOP_CPU) as fake:
        fake.set_responder(brief_answer)
        system = await start_system(
            fake.url, service_env={"gateway": {"QUESTION_COUNT": str(QUESTIONS)}}
        )
        async with system.client() as client:
            sid = (await create_session(client))["id"]

            async def first_question() -> dict[str, Any] | None:
                view = await _view(client, sid)
                return view if view["questions"] else None

            early = await wait_until(first_question, timeout_s=180, interval_s=0.1)
            # The only call the model has had is the questions': the profile was not waited for.
            assert [_asks_for(call) for call in fake.chat_requests()] == ["questions"]
            assert early["profile"]["source"] == "fallback"
            assert ("resume", "ai_deferred") in [(n["stage"], n["code"]) for n in early["notices"]]
            assert READS_THE_RESUME in [a["message"] for a in early["activity"]]
            first = min(early["questions"], key=lambda q: q["position"])
            assert first["source"] == "ai"

            async def whole_set() -> dict[str, Any] | None:
                view = await _view(client, sid)
                return view if view["progress"]["written"] == QUESTIONS else None

            ready = await wait_until(whole_set, timeout_s=120, interval_s=0.2)
            # Nothing is pending now: the model is asked to read the resume, and starts on it.
            reading = await wait_until(
                lambda: (
                    [c for c in _calls(fake, "profile") if c.finished_at is None] and fake.in_flight
                ),
                timeout_s=30,
                message="the model reading the resume",
            )
            assert reading

            posted = await client.post(
                f"/v1/sessions/{sid}/answers",
                json={"question_id": first["id"], "text": answer_text(first)},
            )
            assert posted.status_code == 202, posted.text

            async def scored() -> dict[str, Any] | None:
                view = await _view(client, sid)
                question = next(q for q in view["questions"] if q["id"] == first["id"])
                return view if question["answer"]["evaluation"] else None

            evaluated = await wait_until(scored, timeout_s=120, interval_s=0.2)
            question = next(q for q in evaluated["questions"] if q["id"] == first["id"])
            assert question["answer"]["evaluation"]["source"] == "ai"

            async def refined() -> dict[str, Any] | None:
                view = await _view(client, sid)
                return view if view["profile"]["source"] == "ai" else None

            done = await wait_until(refined, timeout_s=120, interval_s=0.2)

    [evaluation] = _calls(fake, "evaluation")
    given_up, *again = _calls(fake, "profile")
    assert evaluation.finished_at is not None and given_up.finished_at is not None
    # The reading under way when the answer came was given up before the evaluation was done:
    # the evaluation did not wait for it to be read to its end.
    assert given_up.finished_at < evaluation.finished_at
    # ... and asked for again once the answer was scored, which refined the profile.
    assert again and again[0].received_at > evaluation.finished_at
    assert not [n for n in done["notices"] if n["stage"] == "resume"]
    assert READS_THE_RESUME not in [a["message"] for a in done["activity"]]
    assert ready["profile"]["source"] == "fallback"
