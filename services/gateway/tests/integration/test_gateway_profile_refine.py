"""What the candidate waits for goes first (issue 12, item 4), in the gateway, on a real
Postgres: the questions are asked for with the basic reading at once; the model's reading is
asked for only when no work a candidate waits for is pending, one at a time; a candidate's
request made while it is asked for puts it back; its answer refines the profile, or says why
not, and the text it read is erased."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from gateway_testkit import (
    PROFILE_SKILLS,
    SESSION_FORM,
    fallback_questions,
    gateway_settings,
    outbox_events,
    quiet_outbox,
    result_for,
)

from careerflow_contracts import (
    CandidateProfile,
    Notice,
    ProfileRefined,
    ProfileRefinedPayload,
    ProfileRequested,
    QuestionsGenerated,
    QuestionsGeneratedPayload,
    QuestionsRequested,
    ResumeParsed,
    ResumeParsedPayload,
    ResumeProfile,
    ResumeSubmitted,
    routing,
)
from careerflow_gateway.db.pool import Pool
from careerflow_gateway.profile_refine import request_next_refine
from careerflow_gateway.result_handlers import apply_result
from careerflow_gateway.sessions import create_session, delete_session, submit_answer
from careerflow_gateway.settings import GatewaySettings
from careerflow_gateway.views import get_session_view

pytestmark = [pytest.mark.database]

RESUME_TEXT = "Ann Lee\nBackend Engineer\nPython, Django, PostgreSQL"
DEFERRED = Notice(
    level="info",
    stage="resume",
    code="ai_deferred",
    message="Your resume was first read with the basic parser; the AI reads it when free.",
)
MODEL_PROFILE = CandidateProfile(
    skills=["Python", "Django", "PostgreSQL"],
    titles=["Backend Engineer"],
    summary="A backend engineer.",
    source="ai",
)


def _deferred(submitted: ResumeSubmitted) -> ResumeParsed:
    """resume-parser's answer to a request that takes the model's reading later."""
    return submitted.reply(
        ResumeParsed,
        ResumeParsedPayload(
            source="fallback",
            fallback_reason="deferred",
            notices=[DEFERRED],
            profile=ResumeProfile(skills=PROFILE_SKILLS, titles=["Backend Engineer"]),
            resume_text=RESUME_TEXT,
        ),
    )


async def _read_basic(pool: Pool, settings: GatewaySettings) -> QuestionsRequested:
    """A new session whose resume the basic parser read: the request for its questions."""
    created = await create_session(quiet_outbox(pool), "alice", SESSION_FORM, settings)
    [submitted] = await outbox_events(pool, created.view.id, routing.RESUME_SUBMITTED)
    assert isinstance(submitted, ResumeSubmitted)
    assert submitted.payload.profile_later is True
    assert await apply_result(pool, _deferred(submitted), settings) == "applied"
    [request] = await outbox_events(pool, created.view.id, routing.QUESTIONS_REQUESTED)
    assert isinstance(request, QuestionsRequested)
    return request


def _whole_set(request: QuestionsRequested) -> QuestionsGenerated:
    return request.reply(
        QuestionsGenerated,
        QuestionsGeneratedPayload(
            source="ai",
            questions=fallback_questions(1, request.payload.count),
            generation=request.payload.generation,
        ),
    )


def _refined(request: ProfileRequested, **payload: Any) -> ProfileRefined:
    values: dict[str, Any] = {"source": "ai", "model": "m", "profile": MODEL_PROFILE}
    values.update(payload)
    return request.reply(ProfileRefined, ProfileRefinedPayload(**values))


async def _ready_for_refine(pool: Pool, settings: GatewaySettings) -> QuestionsRequested:
    request = await _read_basic(pool, settings)
    assert await apply_result(pool, _whole_set(request), settings) == "applied"
    return request


async def _refine_asked(pool: Pool, settings: GatewaySettings) -> ProfileRequested:
    """A session whose questions are written and whose model's reading the gateway asked for:
    that request."""
    request = await _ready_for_refine(pool, settings)
    await request_next_refine(pool, settings)
    [refine] = await outbox_events(pool, request.session_id, routing.PROFILE_REQUESTED)
    assert isinstance(refine, ProfileRequested)
    return refine


async def test_the_questions_are_asked_for_at_once_and_the_refine_waits_for_them(
    pool: Pool, settings: GatewaySettings
) -> None:
    request = await _read_basic(pool, settings)
    sid = request.session_id
    # The basic reading feeds the questions: nothing waits for the model's reading.
    assert request.payload.profile.skills == PROFILE_SKILLS
    view = await get_session_view(pool, sid, "alice")
    assert view.status == "generating"
    assert view.profile is not None and view.profile.source == "fallback"
    assert [(n.stage, n.code) for n in view.notices] == [("resume", "ai_deferred")]
    assert ("resume", "The AI reads your resume as soon as it is free") in [
        (a.stage, a.message) for a in view.activity
    ]
    # While the questions are written, the model is not asked to read the resume.
    assert await request_next_refine(pool, settings) is None
    assert await outbox_events(pool, sid, routing.PROFILE_REQUESTED) == []

    assert await apply_result(pool, _whole_set(request), settings) == "applied"
    assert await request_next_refine(pool, settings) == sid
    [refine] = await outbox_events(pool, sid, routing.PROFILE_REQUESTED)
    assert isinstance(refine, ProfileRequested)
    assert refine.payload.resume_text == RESUME_TEXT
    assert refine.payload.profile.skills == PROFILE_SKILLS
    assert refine.deadline is not None
    # One at a time: asked for, not answered yet.
    assert await request_next_refine(pool, settings) is None


async def test_an_answer_puts_a_requested_refine_back_and_is_scored_first(
    pool: Pool, settings: GatewaySettings
) -> None:
    request = await _ready_for_refine(pool, settings)
    sid = request.session_id
    assert await request_next_refine(pool, settings) == sid
    [first_ask] = await outbox_events(pool, sid, routing.PROFILE_REQUESTED)

    view = await get_session_view(pool, sid, "alice")
    await submit_answer(
        quiet_outbox(pool), "alice", sid, view.questions[0].id, "My answer.", settings
    )
    [answer] = await outbox_events(pool, sid, routing.ANSWER_SUBMITTED)
    # Made after the refine's request: resume-parser gives the reading up for it.
    assert answer.occurred_at > first_ask.occurred_at
    state = await pool.fetchval("SELECT state FROM profile_refines WHERE session_id = $1", sid)
    assert state == "pending"
    # Not asked again while the answer waits for its score.
    assert await request_next_refine(pool, settings) is None

    assert await apply_result(pool, result_for(answer), settings) == "applied"
    assert await request_next_refine(pool, settings) == sid
    [_, second_ask] = await outbox_events(pool, sid, routing.PROFILE_REQUESTED)
    assert second_ask.event_id != first_ask.event_id
    assert second_ask.occurred_at > answer.occurred_at
    attempts = await pool.fetchval(
        "SELECT attempts FROM profile_refines WHERE session_id = $1", sid
    )
    assert attempts == 2


async def test_another_sessions_questions_hold_the_refine_off_too(
    pool: Pool, settings: GatewaySettings
) -> None:
    """One model serves every session: a new session's questions go before an older refine."""
    first = await _ready_for_refine(pool, settings)
    second = await _read_basic(pool, settings)
    assert await request_next_refine(pool, settings) is None
    assert await apply_result(pool, _whole_set(second), settings) == "applied"
    # The oldest refine first.
    assert await request_next_refine(pool, settings) == first.session_id


async def test_a_reports_words_being_written_hold_the_refine_off(
    pool: Pool, settings: GatewaySettings
) -> None:
    request = await _ready_for_refine(pool, settings)
    sid = request.session_id
    view = await get_session_view(pool, sid, "alice")
    for question in view.questions:
        await submit_answer(quiet_outbox(pool), "alice", sid, question.id, "An answer.", settings)
    for answer in await outbox_events(pool, sid, routing.ANSWER_SUBMITTED):
        assert await apply_result(pool, result_for(answer), settings) == "applied"
    [report] = await outbox_events(pool, sid, routing.REPORT_REQUESTED)
    assert await request_next_refine(pool, settings) is None
    assert await apply_result(pool, result_for(report), settings) == "applied"
    assert await request_next_refine(pool, settings) == sid


async def test_the_models_reading_refines_the_profile_and_its_text_is_erased(
    pool: Pool, settings: GatewaySettings
) -> None:
    refine = await _refine_asked(pool, settings)
    sid = refine.session_id

    assert await apply_result(pool, _refined(refine), settings) == "applied"
    view = await get_session_view(pool, sid, "alice")
    assert view.profile is not None
    assert (view.profile.source, view.profile.skills) == ("ai", MODEL_PROFILE.skills)
    assert view.profile.summary == "A backend engineer."
    assert [n for n in view.notices if n.stage == "resume"] == []  # the deferral is over
    assert [a for a in view.activity if a.stage == "resume"] == []
    assert await pool.fetchval("SELECT count(*) FROM profile_refines") == 0
    # The questions already written stay as they are; another answer to the request is stale.
    assert [q.source for q in view.questions] == ["fallback"] * 10
    again = _refined(refine).model_copy(update={"event_id": uuid.uuid4()})
    assert await apply_result(pool, again, settings) == "stale"


async def test_a_failed_reading_keeps_the_basic_profile_and_says_why(
    pool: Pool, settings: GatewaySettings
) -> None:
    refine = await _refine_asked(pool, settings)
    sid = refine.session_id
    stalled = Notice(
        stage="resume",
        code="ai_timeout",
        message="The AI model stopped writing for 30 s part way through its answer; your "
        "resume was read with the basic parser, which finds fewer details.",
    )
    failed = _refined(
        refine,
        source="fallback",
        fallback_reason="timeout",
        profile=refine.payload.profile,
        notices=[stalled],
    )
    assert await apply_result(pool, failed, settings) == "applied"
    view = await get_session_view(pool, sid, "alice")
    assert view.profile is not None
    assert (view.profile.source, view.profile.skills) == ("fallback", PROFILE_SKILLS)
    assert [n for n in view.notices if n.stage == "resume"] == [stalled]
    assert await pool.fetchval("SELECT count(*) FROM profile_refines") == 0


async def test_an_older_requests_failure_does_not_end_the_refine(
    pool: Pool, settings: GatewaySettings
) -> None:
    """A request past its deadline is asked again; the first one, answered late with
    ``deadline_exceeded``, does not decide: the newer one's answer does."""
    request = await _ready_for_refine(pool, settings)
    sid = request.session_id
    await request_next_refine(pool, settings)
    await pool.execute(
        "UPDATE profile_refines SET deadline = clock_timestamp() - interval '1 second'"
    )
    assert await request_next_refine(pool, settings) == sid
    old, new = await outbox_events(pool, sid, routing.PROFILE_REQUESTED)
    assert isinstance(old, ProfileRequested) and isinstance(new, ProfileRequested)
    late = _refined(
        old, source="fallback", fallback_reason="deadline_exceeded", profile=old.payload.profile
    )
    assert await apply_result(pool, late, settings) == "stale"
    assert await apply_result(pool, _refined(new), settings) == "applied"
    view = await get_session_view(pool, sid, "alice")
    assert view.profile is not None and view.profile.source == "ai"


async def test_erasing_a_session_erases_the_text_waiting_for_the_model(
    pool: Pool, settings: GatewaySettings
) -> None:
    request = await _read_basic(pool, settings)
    assert await pool.fetchval("SELECT count(*) FROM profile_refines") == 1
    await delete_session(pool, "alice", request.session_id)
    assert await pool.fetchval("SELECT count(*) FROM profile_refines") == 0


async def test_without_profile_later_the_parser_is_asked_as_before(
    pool: Pool, settings: GatewaySettings
) -> None:
    earlier = gateway_settings(settings.database_url, settings.amqp_url, profile_later=False)
    created = await create_session(quiet_outbox(pool), "alice", SESSION_FORM, earlier)
    [submitted] = await outbox_events(pool, created.view.id, routing.RESUME_SUBMITTED)
    assert isinstance(submitted, ResumeSubmitted)
    assert submitted.payload.profile_later is False
    # A parser's answer with no text for the model (an earlier release's) stores no refine.
    assert await apply_result(pool, result_for(submitted), earlier) == "applied"
    assert await pool.fetchval("SELECT count(*) FROM profile_refines") == 0


async def test_a_stuck_stage_does_not_hold_refines_off_past_its_deadline(
    pool: Pool, settings: GatewaySettings
) -> None:
    """The question writer never answered: once its request's deadline has passed, the model
    is not taken to be busy with it."""
    request = await _read_basic(pool, settings)
    assert await request_next_refine(pool, settings) is None
    stale = timedelta(seconds=settings.questions_budget_s + 1)
    await pool.execute(
        "UPDATE sessions SET updated_at = clock_timestamp() - $1::interval WHERE id = $2",
        stale,
        request.session_id,
    )
    assert await request_next_refine(pool, settings) == request.session_id
