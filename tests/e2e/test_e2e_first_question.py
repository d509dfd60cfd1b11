"""The interview starts at the first question (issue 12): against a model at a laptop CPU's speed
(the fake Ollama's laptop profile: 4 s load, 60 tokens/s reading, 15 tokens/s writing, one
slot), the first question is answerable, and an answer to it accepted, while the model is still
writing the others; the rest arrive in the same session, all the model's.

Kept short in wall time: the model writes short questions (``brief_answer``), six of them, and
only the question generator asks it (the parser and the evaluator use their fallbacks); every
token is still written at the profile's rate, with the workers' default limits.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from candidate import answer_text, create_session
from model_answers import brief_answer

from careerflow_testing.fake_ollama import LAPTOP_CPU, FakeOllama
from careerflow_testing.waiting import wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.broker, pytest.mark.database, pytest.mark.slow]

QUESTIONS = 6
CHARS_PER_TOKEN = 4
"""What the fake counts as a token, of the prompt and of the answer."""


async def _first_question(client: httpx.AsyncClient, session_id: str) -> dict[str, Any]:
    """The session view as soon as it holds a question (polled, as a client without the event
    stream would)."""
    last: dict[str, Any] = {}

    async def with_a_question() -> dict[str, Any] | None:
        last.update((await client.get(f"/v1/sessions/{session_id}")).json())
        return dict(last) if last["questions"] or last["status"] == "failed" else None

    return await wait_until(
        with_a_question,
        timeout_s=180,
        interval_s=0.1,
        message=lambda: f"a question (status {last.get('status')!r})",
    )


async def _whole_set(client: httpx.AsyncClient, session_id: str) -> dict[str, Any]:
    last: dict[str, Any] = {}

    async def complete() -> dict[str, Any] | None:
        last.update((await client.get(f"/v1/sessions/{session_id}")).json())
        progress = last["progress"]
        return dict(last) if progress["written"] == progress["total"] > 0 else None

    return await wait_until(
        complete,
        timeout_s=120,
        interval_s=0.2,
        message=lambda: f"the whole set (progress {last.get('progress')})",
    )


async def test_the_first_question_is_answerable_before_the_model_has_written_the_set(
    start_system: Any,
) -> None:
    with FakeOllama(profile=LAPTOP_CPU) as fake:
        fake.set_responder(brief_answer)
        system = await start_system(
            fake.url,
            service_env={
                "gateway": {"QUESTION_COUNT": str(QUESTIONS)},
                "resume-parser": {"OLLAMA_ENABLED": "false"},
                "evaluator": {"OLLAMA_ENABLED": "false"},
            },
        )
        async with system.client() as client:
            created = await create_session(client)
            sid = created["id"]
            early = await _first_question(client, sid)
            assert early["status"] == "generating", early["status"]
            progress = early["progress"]
            assert 0 < progress["written"] < progress["total"] == QUESTIONS
            assert early["activity"] == [
                {
                    "stage": "questions",
                    "message": f"Writing questions, {progress['written']} of {QUESTIONS}",
                    "done": progress["written"],
                    "total": QUESTIONS,
                }
            ]
            first = min(early["questions"], key=lambda q: q["position"])
            assert (first["position"], first["source"]) == (1, "ai")

            answered = await client.post(
                f"/v1/sessions/{sid}/answers",
                json={"question_id": first["id"], "text": answer_text(first)},
            )
            assert answered.status_code == 202, answered.text
            assert answered.json()["status"] == "in_progress"
            [writing] = fake.chat_requests()
            assert writing.finished_at is None, "the model had finished the set already"

            done = await _whole_set(client, sid)

        assert done["status"] == "in_progress"
        assert [q["position"] for q in done["questions"]] == list(range(1, QUESTIONS + 1))
        assert {q["source"] for q in done["questions"]} == {"ai"}
        assert not [n for n in done["notices"] if n["stage"] == "questions"]
        assert done["activity"] == []
        assert done["questions"][0]["answer"]["text"] == answer_text(first)

        # The model really wrote at the profile's pace: its answer took at least the profile's
        # own time for it (load, reading the prompt, writing every token).
        body = writing.body
        assert body is not None and writing.finished_at is not None
        prompt = "".join(m["content"] for m in body["messages"])
        answer = json.dumps(brief_answer(body))
        floor_s = (
            LAPTOP_CPU.load_s
            + len(prompt) // CHARS_PER_TOKEN / LAPTOP_CPU.prompt_tokens_per_s
            + len(answer) / CHARS_PER_TOKEN / LAPTOP_CPU.output_tokens_per_s
        )
        assert writing.finished_at - writing.received_at >= 0.95 * floor_s
