"""Questions in batches (``questions.generated`` v2): each batch is applied once, in any order,
however often it comes; the session is answerable from its first question; the whole set of
version 1 is still applied as before."""

from __future__ import annotations

import json
import random
import uuid
from typing import Any

import pytest
from gateway_testkit import (
    SESSION_FORM,
    fallback_questions,
    gateway_settings,
    outbox_events,
    quiet_outbox,
    result_for,
)

from careerflow_contracts import (
    Notice,
    QuestionsGenerated,
    QuestionsGeneratedPayload,
    QuestionsRequested,
    parse_event,
    routing,
)
from careerflow_gateway.db.pool import Pool
from careerflow_gateway.errors import CannotRegenerate, QuestionNotFound
from careerflow_gateway.result_handlers import apply_result
from careerflow_gateway.session_events import session_event_stream
from careerflow_gateway.sessions import create_session, regenerate_questions, submit_answer
from careerflow_gateway.settings import GatewaySettings
from careerflow_gateway.views import get_session_view

pytestmark = [pytest.mark.database]

PARTIAL = Notice(
    level="info",
    stage="questions",
    code="ai_partial",
    message="The AI wrote 7 of 10 questions; the other 3 are default questions.",
)
BOUNDS = [(1, 1), (2, 3), (4, 7), (8, 10)]
"""The batches of a set of ten, as a model writing at a steady pace might publish them."""


async def _generating(pool: Pool, settings: GatewaySettings) -> QuestionsRequested:
    """A session whose resume is read: the request for its questions, from the outbox."""
    created = await create_session(quiet_outbox(pool), "alice", SESSION_FORM, settings)
    submitted = (await outbox_events(pool, created.view.id))[0]
    assert await apply_result(pool, result_for(submitted), settings) == "applied"
    request = (await outbox_events(pool, created.view.id, routing.QUESTIONS_REQUESTED))[-1]
    assert isinstance(request, QuestionsRequested)
    return request


def _batch(
    request: QuestionsRequested, first: int, last: int, *, words: str = "Question"
) -> QuestionsGenerated:
    """The batch of positions ``first..last``; the final one carries the set's notice."""
    total = request.payload.count
    final = last == total
    questions = [
        q.model_copy(update={"text": f"{words} {q.position}: tell me about it, please."})
        for q in fallback_questions(request.payload.generation, total)[first - 1 : last]
    ]
    payload = QuestionsGeneratedPayload(
        source="fallback" if final else "ai",
        fallback_reason="invalid_output" if final else None,
        notices=[PARTIAL] if final else [],
        questions=questions,
        generation=request.payload.generation,
        total=total,
        final=final,
    )
    part = uuid.uuid5(request.event_id, f"questions.generated:{first}-{last}:{words}")
    return request.reply(QuestionsGenerated, payload, version=2, event_id=part)


def _comparable(view: dict[str, Any]) -> dict[str, Any]:
    """The view without what differs between two sessions by construction (ids and times)."""
    view = {k: v for k, v in view.items() if k not in {"id", "created_at", "updated_at"}}
    view["questions"] = [{k: v for k, v in q.items() if k != "id"} for q in view["questions"]]
    return view


async def test_the_request_asks_for_batches_and_the_set_size(
    pool: Pool, settings: GatewaySettings
) -> None:
    request = await _generating(pool, settings)
    assert request.payload.batches is True
    view = await get_session_view(pool, request.session_id, "alice")
    assert view.status == "generating"
    assert (view.progress.total, view.progress.written) == (10, 0)
    assert [a.message for a in view.activity] == ["Writing questions, 0 of 10"]

    off = gateway_settings(settings.database_url, settings.amqp_url, questions_in_batches=False)
    assert (await _generating(pool, off)).payload.batches is False


async def test_batches_in_any_order_and_repeated_give_the_same_session(
    pool: Pool, settings: GatewaySettings
) -> None:
    views = []
    for seed in range(4):
        rng = random.Random(seed)
        request = await _generating(pool, settings)
        deliveries = [_batch(request, first, last) for first, last in BOUNDS] * (1 + seed % 3)
        rng.shuffle(deliveries)
        outcomes = [await apply_result(pool, event, settings) for event in deliveries]
        assert outcomes.count("applied") == len(BOUNDS), (seed, outcomes)
        assert outcomes.count("duplicate") == len(deliveries) - len(BOUNDS)
        view = await get_session_view(pool, request.session_id, "alice")
        assert view.status == "ready"
        assert [q.position for q in view.questions] == list(range(1, 11))
        assert (view.progress.total, view.progress.written) == (10, 10)
        assert view.activity == []
        # Said once, by the final batch, whenever it came.
        assert view.notices[-1:] == [PARTIAL]
        assert [n.stage for n in view.notices].count("questions") == 1
        views.append(_comparable(view.model_dump(mode="json")))
    assert all(view == views[0] for view in views[1:])


async def test_the_first_question_is_answerable_while_the_others_are_written(
    pool: Pool, settings: GatewaySettings
) -> None:
    request = await _generating(pool, settings)
    sid = request.session_id
    # The third batch comes first: the questions there are answerable, the others not yet.
    assert await apply_result(pool, _batch(request, 4, 7), settings) == "applied"
    view = await get_session_view(pool, sid, "alice")
    assert view.status == "generating"
    assert [q.position for q in view.questions] == [4, 5, 6, 7]
    assert [a.message for a in view.activity] == ["Writing questions, 4 of 10"]
    fourth = view.questions[0]

    answered = await submit_answer(
        quiet_outbox(pool), "alice", sid, fourth.id, "My answer.", settings
    )
    assert answered.status == "in_progress"
    assert answered.progress.answered == 1
    # An id the set has not reached yet is refused, as any unknown question is.
    with pytest.raises(QuestionNotFound):
        await submit_answer(quiet_outbox(pool), "alice", sid, uuid.uuid4(), "Too early.", settings)
    # Once answering has begun, the questions are not asked again.
    with pytest.raises(CannotRegenerate):
        await regenerate_questions(quiet_outbox(pool), "alice", sid, settings)

    # Its evaluation lands while the model still writes: the interview is not over.
    answer_request = (await outbox_events(pool, sid, routing.ANSWER_SUBMITTED))[0]
    assert await apply_result(pool, result_for(answer_request), settings) == "applied"
    assert not await _report_requested(pool, sid)

    for first, last in ((8, 10), (1, 1), (2, 3)):
        assert await apply_result(pool, _batch(request, first, last), settings) == "applied"
    view = await get_session_view(pool, sid, "alice")
    # The set is whole, and answering had begun: in progress, not back to ready.
    assert view.status == "in_progress"
    assert (view.progress.written, view.progress.answered, view.progress.evaluated) == (10, 1, 1)
    assert view.activity == []
    assert not await _report_requested(pool, sid)


async def _report_requested(pool: Pool, session_id: uuid.UUID) -> bool:
    count = await pool.fetchval(
        "SELECT count(*) FROM outbox WHERE session_id = $1 AND routing_key = 'report.requested'",
        session_id,
    )
    return bool(count)


async def test_a_position_keeps_its_first_question(pool: Pool, settings: GatewaySettings) -> None:
    """A request redelivered after a crash is written again, in other words and other batches:
    what was stored (and perhaps answered) stays; only new positions are added."""
    request = await _generating(pool, settings)
    assert await apply_result(pool, _batch(request, 1, 3), settings) == "applied"
    again = [_batch(request, 1, 2, words="Again"), _batch(request, 3, 5, words="Again")]
    assert [await apply_result(pool, event, settings) for event in again] == ["stale", "applied"]
    view = await get_session_view(pool, request.session_id, "alice")
    assert [q.text.split(" ")[0] for q in view.questions] == ["Question"] * 3 + ["Again"] * 2


async def test_the_whole_set_of_version_1_is_applied_as_before(
    pool: Pool, settings: GatewaySettings
) -> None:
    request = await _generating(pool, settings)
    # As release 1 wrote it: version 1, no total, no final.
    whole = json.loads(result_for(request).model_dump_json())
    for field in ("total", "final"):
        del whole["payload"][field]
    event = parse_event(json.dumps(whole))
    assert isinstance(event, QuestionsGenerated) and event.version == 1
    assert await apply_result(pool, event, settings) == "applied"
    view = await get_session_view(pool, request.session_id, "alice")
    assert view.status == "ready"
    assert (view.progress.total, view.progress.written) == (10, 10)
    assert [n.code for n in view.notices if n.stage == "questions"] == ["ai_connection_error"]

    # The whole set after some batches (an earlier release's generator answered a redelivery):
    # the batches' questions stay, the rest is filled in.
    request = await _generating(pool, settings)
    assert await apply_result(pool, _batch(request, 1, 3), settings) == "applied"
    assert await apply_result(pool, result_for(request), settings) == "applied"
    view = await get_session_view(pool, request.session_id, "alice")
    assert view.status == "ready"
    assert ["please" in q.text for q in view.questions] == [True] * 3 + [False] * 7


async def test_an_empty_whole_set_still_fails_the_session(
    pool: Pool, settings: GatewaySettings
) -> None:
    request = await _generating(pool, settings)
    empty = result_for(request)
    assert isinstance(empty, QuestionsGenerated)
    empty = empty.model_copy(update={"payload": empty.payload.model_copy(update={"questions": []})})
    assert await apply_result(pool, empty, settings) == "applied"
    view = await get_session_view(pool, request.session_id, "alice")
    assert view.status == "failed"
    assert view.progress.total == 0


async def test_batches_of_an_older_generation_are_ignored(
    pool: Pool, settings: GatewaySettings
) -> None:
    older = await _generating(pool, settings)
    assert await apply_result(pool, _batch(older, 1, 1), settings) == "applied"
    await regenerate_questions(quiet_outbox(pool), "alice", older.session_id, settings)
    view = await get_session_view(pool, older.session_id, "alice")
    assert (view.status, view.progress.written) == ("generating", 0)
    assert await apply_result(pool, _batch(older, 2, 3), settings) == "stale"
    newer = (await outbox_events(pool, older.session_id, routing.QUESTIONS_REQUESTED))[-1]
    assert isinstance(newer, QuestionsRequested) and newer.payload.generation == 2
    for first, last in BOUNDS:
        assert await apply_result(pool, _batch(newer, first, last), settings) == "applied"
    view = await get_session_view(pool, older.session_id, "alice")
    assert view.status == "ready"
    assert view.progress.written == 10


async def test_the_event_stream_says_how_many_questions_are_written(
    pool: Pool, settings: GatewaySettings
) -> None:
    request = await _generating(pool, settings)
    pending = [_batch(request, first, last) for first, last in BOUNDS]

    polls = 0

    async def apply_next(_: float) -> None:
        # Each poll of the stream finds the next batch applied.
        nonlocal polls
        polls += 1
        assert polls <= len(BOUNDS) + 2, "the stream did not send a view for each batch"
        if pending:
            await apply_result(pool, pending.pop(0), settings)

    async def connected() -> bool:
        return False

    first = await get_session_view(pool, request.session_id, "alice")
    messages: list[str] = []
    async for text in session_event_stream(
        pool,
        "alice",
        request.session_id,
        first,
        is_disconnected=connected,
        poll_interval_s=1.0,
        heartbeat_s=1000.0,
        sleep=apply_next,
    ):
        messages.append(text)
        if len(messages) == 2 + len(BOUNDS):
            break
    views = [json.loads(m.split("data: ", 1)[1]) for m in messages if m.startswith("event:")]
    said = [[a["message"] for a in view["activity"]] for view in views]
    assert said == [
        ["Writing questions, 0 of 10"],
        ["Writing questions, 1 of 10"],
        ["Writing questions, 3 of 10"],
        ["Writing questions, 7 of 10"],
        [],
    ]
    assert [view["status"] for view in views] == ["generating"] * 4 + ["ready"]
    assert [view["progress"]["written"] for view in views] == [0, 1, 3, 7, 10]
