"""A whole interview through the running system, with the model healthy, down, hanging, slow and
returning garbage: upload, ten questions, ten answers, the report.

Each run checks what the person sees in the session view: who wrote each part (``source``), and
the notices that say why a part is a fallback, stage by stage: the fallback reason each notice
names, by its code (``ai_<reason>``) or in its words.

The tests share running systems (``shared_system``): one on a healthy fake model, one on a fake
that fails (hanging or writing garbage, as each test sets it), and the model-down system of the
end-to-end tests. Each test is a user of its own; the fake's recorded calls are reset once the
system is idle, so they are the test's. A failing model opens the evaluator's breaker, so the
failing tests first wait until no breaker is open (``BREAKER_WAIT_OPEN_S`` below) and check that
the breaker opened during their own interview.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from candidate import SKILLS, answer_every_question, create_session
from model_answers import realistic_answer
from system import RunningSystem, SharedSystems, wait_for_status

from careerflow_contracts import FALLBACK_REASONS
from careerflow_testing.fake_ollama import Behaviour, FakeOllama, RecordedRequest
from careerflow_testing.waiting import wait_until

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.broker,
    pytest.mark.database,
    pytest.mark.slow,
    pytest.mark.asyncio(loop_scope="session"),
]

MODEL_TIMEOUT_S = 1.5
"""Each worker's whole-call budget here; production's is 30 s. Hangs are cut at this."""

FAST_WORKERS = {
    "OLLAMA_TIMEOUT_S": str(MODEL_TIMEOUT_S),
    "OLLAMA_READ_TIMEOUT_S": str(MODEL_TIMEOUT_S),
    "OLLAMA_CONNECT_TIMEOUT_S": "1",
}
FAILING_WORKERS = {
    **FAST_WORKERS,
    # The breaker a test opened lets calls through again (half-open) this soon, so the next
    # test on the failing model waits at most this long for it; production's is 30 s.
    "BREAKER_WAIT_OPEN_S": "5",
}


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def healthy_model(shared_system: SharedSystems) -> AsyncIterator[FakeOllama]:
    with FakeOllama() as fake:
        yield fake
        await shared_system.release(fake.url)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def failing_model(shared_system: SharedSystems) -> AsyncIterator[FakeOllama]:
    with FakeOllama() as fake:
        yield fake
        await shared_system.release(fake.url)


async def _on_healthy_model(shared_system: SharedSystems, fake: FakeOllama) -> RunningSystem:
    """The shared system on the healthy fake, idle, with the fake's record of calls reset."""
    system = await shared_system(fake.url, worker_env=FAST_WORKERS)
    fake.reset()
    fake.set_responder(realistic_answer)
    return system


async def _on_failing_model(
    shared_system: SharedSystems, fake: FakeOllama, behaviour: Behaviour
) -> tuple[RunningSystem, int]:
    """The shared system on the fake failing as ``behaviour`` says, idle, every breaker letting
    calls through; and how many times the evaluator's breaker has opened so far."""
    system = await shared_system(fake.url, worker_env=FAILING_WORKERS)
    fake.reset()
    fake.set_behaviour(behaviour)
    return system, await _breakers_let_calls_through(system)


async def _breakers_let_calls_through(system: RunningSystem) -> int:
    """Wait until no breaker is open (a previous test's may be); how many times the evaluator's
    has opened so far."""
    await system.wait_until_breakers_let_calls_through()
    return int((await system.breaker("evaluator"))["times_opened"])


async def _interview(
    system: RunningSystem, user: str
) -> tuple[dict[str, Any], dict[str, Any], float]:
    """Run one interview to the end as ``user``; return the ready view, the completed view once
    the model has had its turn to read the resume, and the seconds from upload to ready."""
    async with system.client(user) as client:
        started = time.monotonic()
        created = await create_session(client)
        ready = await wait_for_status(client, created["id"], {"ready", "failed"}, timeout_s=30)
        to_ready = time.monotonic() - started
        assert ready["status"] == "ready", ready
        assert len(ready["questions"]) == 10
        await answer_every_question(client, ready)
        done = await wait_for_status(client, created["id"], {"completed", "failed"}, timeout_s=45)
        assert done["status"] == "completed", done
        report = await client.get(f"/v1/sessions/{created['id']}/report")
        assert report.status_code == 200, report.text
        assert report.json() == done["report"]
        # The questions were written from the basic reading; the model reads the resume when
        # nothing a candidate waits for is pending, at the latest once the report is written.
        done = await _resume_read_by_the_model(client, created["id"])
    return ready, done, to_ready


async def _resume_read_by_the_model(client: httpx.AsyncClient, session_id: str) -> dict[str, Any]:
    """The view once the model's reading of the resume has come (or why it has not)."""

    async def read() -> dict[str, Any] | None:
        view: dict[str, Any] = (await client.get(f"/v1/sessions/{session_id}")).json()
        return None if [a for a in view["activity"] if a["stage"] == "resume"] else view

    return await wait_until(read, timeout_s=30, message="the model's reading of the resume")


def _asks_for(call: RecordedRequest) -> str:
    """What a chat call asks the model for, by its output schema's properties."""
    schema = call.output_schema
    properties = set(schema.get("properties", {})) if isinstance(schema, dict) else set()
    for name, key in (
        ("questions", "questions"),
        ("evaluation", "rubric"),
        ("profile", "skills"),
        ("report", "summary"),
    ):
        if key in properties:
            return name
    return "other"


def _sources(view: dict[str, Any]) -> dict[str, set[str]]:
    """The ``source`` of every part of a completed session, by stage."""
    return {
        "resume": {view["profile"]["source"]},
        "questions": {q["source"] for q in view["questions"]},
        "evaluation": {q["answer"]["evaluation"]["source"] for q in view["questions"]},
        "report": {view["report"]["source"]},
    }


def _fallback_reasons(view: dict[str, Any]) -> dict[str, set[str]]:
    """The fallback reasons the session view shows, by stage: every service codes the notice
    that explains a fallback ``ai_<reason>``."""
    reasons: dict[str, set[str]] = defaultdict(set)
    for notice in view["notices"]:
        reason = notice["code"].removeprefix("ai_")
        if reason in FALLBACK_REASONS:
            reasons[notice["stage"]].add(reason)
    return dict(reasons)


def _check_complete(view: dict[str, Any]) -> None:
    questions = view["questions"]
    assert sorted(q["position"] for q in questions) == list(range(1, 11))
    assert len({q["text"] for q in questions}) == 10, "two questions are the same"
    assert sorted(q["kind"] for q in questions) == ["behavioral"] * 5 + ["technical"] * 5
    counts = {key: view["progress"][key] for key in ("answered", "evaluated", "total", "written")}
    assert counts == {"answered": 10, "evaluated": 10, "total": 10, "written": 10}
    for question in questions:
        evaluation = question["answer"]["evaluation"]
        assert 0 <= evaluation["score"] <= 10 and evaluation["feedback"]
    report = view["report"]
    assert 0 <= report["overall_score"] <= 100 and report["summary"]
    # The numbers shown before the words came are the whole report's own.
    numbers = {key: report[key] for key in ("overall_score", "by_kind", "skill_match", "followups")}
    assert view["report_numbers"] == numbers
    written = "ready" if report["source"] == "ai" else "fallback"
    assert view["report_narrative"] == {"status": written, "expected_by": None}


async def _check_fell_back_everywhere(
    system: RunningSystem, view: dict[str, Any], reason: str, opened_before: int
) -> None:
    """Every part of a completed session is a fallback, and its notices name ``reason``, stage by
    stage; the evaluator's breaker opened on the way (it had opened ``opened_before`` times
    before the interview)."""
    _check_complete(view)
    assert _sources(view) == {stage: {"fallback"} for stage in _sources(view)}
    reasons = _fallback_reasons(view)
    assert reasons["resume"] == {reason}
    assert reasons["questions"] == {reason}
    # The evaluator's breaker opens after its first failures: later answers do not wait on it.
    # The session keeps one notice per stage and reason: the first failures, then the open breaker.
    assert reasons["evaluation"] == {reason, "breaker_open"}
    assert (await system.breaker("evaluator"))["times_opened"] > opened_before
    assert reasons["report"] <= {reason, "breaker_open"}


async def test_healthy_model_writes_every_part(
    shared_system: SharedSystems, healthy_model: FakeOllama, user: str
) -> None:
    fake = healthy_model
    system = await _on_healthy_model(shared_system, fake)
    _, done, _ = await _interview(system, user)

    _check_complete(done)
    assert _sources(done) == {stage: {"ai"} for stage in _sources(done)}
    assert _fallback_reasons(done) == {}
    assert set(done["profile"]["skills"]) <= set(SKILLS) and done["profile"]["skills"]
    assert {q["skill"] for q in done["questions"] if q["kind"] == "technical"} <= set(SKILLS)
    # One question set, ten evaluations, one report: nothing asked twice. The profile's
    # reading is asked for while nothing else is pending, so it may have been given up for
    # an answer and asked again; one reading went to its end.
    asked = Counter(_asks_for(call) for call in fake.chat_requests())
    assert (asked["questions"], asked["evaluation"], asked["report"]) == (1, 10, 1)
    assert asked["profile"] >= 1 and sum(asked.values()) == 12 + asked["profile"]
    # The evaluator's measure of the model reached the view.
    assert [speed["stage"] for speed in done["model_speed"]] == ["evaluation"]


async def test_model_down_falls_back_everywhere_and_says_why(
    model_down_system: RunningSystem, user: str
) -> None:
    system = model_down_system
    opened_before = await _breakers_let_calls_through(system)
    _, done, to_ready = await _interview(system, user)

    await _check_fell_back_everywhere(system, done, "connection_error", opened_before)
    assert to_ready < 10, f"a refused model took {to_ready:.1f} s to ready"


async def test_hanging_model_is_cut_at_the_timeout(
    shared_system: SharedSystems, failing_model: FakeOllama, user: str
) -> None:
    system, opened_before = await _on_failing_model(shared_system, failing_model, Behaviour.HANG)
    _, done, to_ready = await _interview(system, user)

    await _check_fell_back_everywhere(system, done, "timeout", opened_before)
    # two stages, each cut at the timeout, plus the pipeline's own time
    assert to_ready < 2 * MODEL_TIMEOUT_S + 8, f"{to_ready:.1f} s to ready"


async def test_slow_model_within_its_budget_still_writes_every_part(
    shared_system: SharedSystems, healthy_model: FakeOllama, user: str
) -> None:
    system = await _on_healthy_model(shared_system, healthy_model)
    # about 0.7 s an answer, in seven pieces: slow, but inside the 1.5 s budget
    healthy_model.set_behaviour(Behaviour.SLOW_TOKENS, delay_s=0.1)
    _, done, _ = await _interview(system, user)

    _check_complete(done)
    assert _sources(done) == {stage: {"ai"} for stage in _sources(done)}
    assert _fallback_reasons(done) == {}


async def test_garbage_from_the_model_is_refused_and_labelled(
    shared_system: SharedSystems, failing_model: FakeOllama, user: str
) -> None:
    system, opened_before = await _on_failing_model(
        shared_system, failing_model, Behaviour.MALFORMED_JSON
    )
    _, done, _ = await _interview(system, user)

    await _check_fell_back_everywhere(system, done, "invalid_output", opened_before)
