"""The REST API (v1). Routes only translate HTTP to the session commands and views."""

from __future__ import annotations

import time
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.responses import StreamingResponse

from careerflow_contracts.rest import AnswerCreate, ReportView, SessionPage, SessionView
from careerflow_gateway import followups, sessions
from careerflow_gateway.dependencies import AuthenticatedCaller, State, User
from careerflow_gateway.problems import problem_responses
from careerflow_gateway.session_events import EventStreamResponse, session_event_stream
from careerflow_gateway.uploads import JOB_DESCRIPTION_MAX, TARGET_ROLE_MAX, read_session_form
from careerflow_gateway.views import get_session_view, list_sessions

router = APIRouter(prefix="/v1", tags=["sessions"])

_SESSION_FORM: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["resume", "job_description", "target_role"],
                    "properties": {
                        "resume": {
                            "type": "string",
                            "format": "binary",
                            "description": "PDF or DOCX (judged by content), at most 5 MiB",
                        },
                        "job_description": {
                            "type": "string",
                            "minLength": 1,
                            "maxLength": JOB_DESCRIPTION_MAX,
                        },
                        "target_role": {
                            "type": "string",
                            "minLength": 1,
                            "maxLength": TARGET_ROLE_MAX,
                        },
                        "followups": {
                            "type": "string",
                            "enum": ["true", "false"],
                            "description": (
                                "true: the client shows follow-up questions, and the "
                                "interviewer may ask them (absent: false, as before)"
                            ),
                        },
                    },
                }
            }
        },
    }
}


def _location(session_id: uuid.UUID) -> str:
    return f"/v1/sessions/{session_id}"


@router.post(
    "/sessions",
    status_code=202,
    response_model=SessionView,
    summary="Start a session from a resume, a job description and a target role",
    openapi_extra=_SESSION_FORM,
    responses={
        202: {"headers": {"Location": {"schema": {"type": "string"}}}},
        **problem_responses(400, 401, 403, 413, 415, 422, 429, 503),
    },
)
async def create_session(
    request: Request,
    response: Response,
    state: State,
    user: User,
    idempotency_key: Annotated[
        str | None, Header(alias="Idempotency-Key", min_length=1, max_length=200)
    ] = None,
) -> SessionView:
    # Counted before the upload is read: a user past the limit costs no upload and no model.
    await state.limiter.spend(user, "session_create")
    form = await read_session_form(
        request.headers.get("content-type"),
        request.headers.get("content-length"),
        request.stream(),
        max_file_bytes=state.settings.max_upload_bytes,
    )
    created = await sessions.create_session(
        state.outbox, user, form, state.settings, idempotency_key=idempotency_key
    )
    response.headers["Location"] = _location(created.view.id)
    return created.view


@router.get(
    "/sessions",
    response_model=SessionPage,
    summary="The caller's sessions, newest first",
    responses=problem_responses(401, 422),
)
async def list_my_sessions(
    state: State,
    user: User,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> SessionPage:
    return await list_sessions(state.pool, user, limit=limit, cursor=cursor)


@router.get(
    "/sessions/{session_id}",
    response_model=SessionView,
    summary="One session",
    responses=problem_responses(401, 404, 422),
)
async def get_session(session_id: uuid.UUID, state: State, user: User) -> SessionView:
    return await get_session_view(state.pool, session_id, user)


@router.get(
    "/sessions/{session_id}/events",
    summary="The session view as Server-Sent Events, each time it changes, until completed",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "`event: session` messages whose `data` is a SessionView",
            "content": {"text/event-stream": {"schema": {"type": "string"}}},
        },
        **problem_responses(401, 404, 422, 429, 503),
    },
)
async def session_events(
    session_id: uuid.UUID,
    request: Request,
    state: State,
    caller: AuthenticatedCaller,
) -> StreamingResponse:
    first = await get_session_view(state.pool, session_id, caller.user)  # 404 before streaming
    slot = await state.stream_slots.open(caller.user)  # 429 when all the user's are open
    # The token's exp is wall-clock time; the stream counts what is left on its own clock.
    lifetime_s = caller.expires_at + state.settings.jwt_leeway_s - time.time()
    # A browser's stream also ends when its browser session is signed out.
    browser_session = caller.session.id_digest if caller.session is not None else None
    stream = session_event_stream(
        state.pool,
        caller.user,
        session_id,
        first,
        is_disconnected=request.is_disconnected,
        poll_interval_s=state.settings.sse_poll_interval_s,
        heartbeat_s=state.settings.sse_heartbeat_s,
        lifetime_s=lifetime_s,
        slot=slot,
        watch=state.session_changes.watch(session_id, browser_session),
        safety_poll_s=state.settings.sse_safety_poll_s,
    )
    return EventStreamResponse(stream, slot)


@router.post(
    "/sessions/{session_id}/answers",
    status_code=202,
    response_model=SessionView,
    summary="Answer one question",
    responses=problem_responses(400, 401, 403, 404, 409, 413, 422),
)
async def answer_question(
    session_id: uuid.UUID, body: AnswerCreate, state: State, user: User
) -> SessionView:
    return await sessions.submit_answer(
        state.outbox, user, session_id, body.question_id, body.text, state.settings
    )


@router.post(
    "/sessions/{session_id}/questions/{question_id}/skip",
    response_model=SessionView,
    summary="Skip a follow-up question (recorded, not scored)",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def skip_followup(
    session_id: uuid.UUID, question_id: uuid.UUID, state: State, user: User
) -> SessionView:
    # The skip that ends the interview asks for the report.
    return await followups.skip_followup(
        state.outbox, user, session_id, question_id, state.settings
    )


@router.post(
    "/sessions/{session_id}/regenerate",
    status_code=202,
    response_model=SessionView,
    summary="Ask for the questions again (before answering begins)",
    responses=problem_responses(401, 403, 404, 409, 422, 429, 503),
)
async def regenerate(session_id: uuid.UUID, state: State, user: User) -> SessionView:
    await state.limiter.spend(user, "regenerate")  # each one is a call on the shared model
    return await sessions.regenerate_questions(state.outbox, user, session_id, state.settings)


@router.get(
    "/sessions/{session_id}/report",
    response_model=ReportView,
    summary="The report of a completed session",
    responses=problem_responses(401, 404, 409, 422),
)
async def get_report(session_id: uuid.UUID, state: State, user: User) -> ReportView:
    return await sessions.get_report(state.pool, user, session_id)


@router.delete(
    "/sessions/{session_id}",
    status_code=204,
    response_class=Response,
    summary="Erase the session and everything derived from it",
    responses=problem_responses(401, 403, 404, 422),
)
async def delete_session(session_id: uuid.UUID, state: State, user: User) -> Response:
    await sessions.delete_session(state.pool, user, session_id)
    return Response(status_code=204)
