"""Errors as problem documents: validation errors name the field a client can act on, and each
of the domain's exceptions answers its status, type and words."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel

from careerflow_gateway.errors import (
    AlreadyAnswered,
    CannotRegenerate,
    EmailTaken,
    FollowupSkipped,
    GatewayError,
    InvalidValue,
    NotAFollowup,
    QuestionNotFound,
    QuestionNotWrittenYet,
    ReportNotReady,
    SessionNotFound,
    SessionNotReady,
    SignInFailed,
)
from careerflow_gateway.problems import PROBLEM_JSON, install_problem_handlers, problem_of

# Each status's reason phrase, written out rather than worked out as the gateway does.
TITLES = {401: "Unauthorized", 404: "Not Found", 409: "Conflict"}


class Answer(BaseModel):
    text: str


def _app() -> FastAPI:
    """An app with the gateway's problem handlers and one route that reads an ``Answer``."""
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/answers")
    async def answer(body: Answer) -> dict[str, str]:
        return {"text": body.text}

    return app


def _client(app: FastAPI | None = None) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app or _app()), base_url="http://gw")


@pytest.mark.parametrize(
    "body", [b'{"text": ', b"not json", b"[1, 2", b'{"text": "a"', b'{"text": "a"}}']
)
async def test_a_body_that_is_not_json_names_the_body(body: bytes) -> None:
    async with _client() as client:
        response = await client.post(
            "/answers", content=body, headers={"Content-Type": "application/json"}
        )
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM_JSON
    problem = response.json()
    # Not the position of the error ("10"), which no client could take for a field.
    (param,) = problem["invalid_params"]
    assert param["name"] == "body"
    assert param["reason"].startswith("not valid JSON")
    assert "at character" in param["reason"]
    assert problem["detail"] == "invalid: body"


async def test_a_field_error_still_names_the_field() -> None:
    async with _client() as client:
        response = await client.post("/answers", json={"text": 10})
    assert response.status_code == 422
    assert [p["name"] for p in response.json()["invalid_params"]] == ["text"]


def _domain_errors(cls: type[GatewayError] = GatewayError) -> list[type[GatewayError]]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_domain_errors(sub)]
    return found


def test_every_domain_error_answers_a_problem() -> None:
    # A new exception left out of the table would be a 500: the table must name it or a base.
    for cls in _domain_errors():
        sample = next((error for error in DOMAIN_ERRORS if type(error) is cls), None)
        if sample is None and cls.__subclasses__():
            continue  # a base, answered through its subclasses
        assert sample is not None, f"add a {cls.__name__} to DOMAIN_ERRORS"
        assert problem_of(sample).status in {401, 404, 409, 422}, cls


DOMAIN_ERRORS: list[GatewayError] = [
    SessionNotFound(),
    QuestionNotFound(),
    SessionNotReady("parsing"),
    QuestionNotWrittenYet(),
    AlreadyAnswered(),
    FollowupSkipped(),
    NotAFollowup(),
    CannotRegenerate("in_progress"),
    ReportNotReady("in_progress", numbers_shown=True),
    EmailTaken(),
    SignInFailed(),
    InvalidValue("cursor", "not a cursor this API returned"),
]


@pytest.mark.parametrize(
    ("error", "status", "slug", "detail"),
    [
        (SessionNotFound(), 404, "not-found", "no such session"),
        (QuestionNotFound(), 404, "not-found", "no such question in this session"),
        (SessionNotReady("parsing"), 409, "session-not-ready", "the session is parsing, not ready"),
        (
            QuestionNotWrittenYet(),
            409,
            "session-not-ready",
            "the session's questions are still being written",
        ),
        (AlreadyAnswered(), 409, "already-answered", "this question has already been answered"),
        (FollowupSkipped(), 409, "skipped", "this follow-up question was skipped"),
        (
            NotAFollowup(),
            409,
            "not-a-followup",
            "only a follow-up question can be skipped; answer this one",
        ),
        (
            CannotRegenerate("in_progress"),
            409,
            "cannot-regenerate",
            "the session is in_progress: questions can be asked again only before answering begins",
        ),
        (
            ReportNotReady("generating", numbers_shown=False),
            409,
            "report-not-ready",
            "the session is generating, not completed",
        ),
        (
            ReportNotReady("in_progress", numbers_shown=True),
            409,
            "report-not-ready",
            "the session is in_progress, not completed; the report's numbers are in the session "
            "view (report_numbers) while its words are written",
        ),
        (EmailTaken(), 409, "email-taken", "an account with this email exists: sign in instead"),
        (SignInFailed(), 401, "sign-in-failed", "the email or the password is not right"),
    ],
)
async def test_a_domain_error_is_answered_as_its_problem(
    error: GatewayError, status: int, slug: str, detail: str
) -> None:
    app = _app()

    @app.get("/refused")
    async def refused() -> None:
        raise error

    async with _client(app) as client:
        response = await client.get("/refused")
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json() == {
        "type": f"https://careerflow.dev/problems/{slug}",
        "title": TITLES[status],
        "status": status,
        "detail": detail,
        "instance": "/refused",
    }


async def test_an_unreadable_value_names_its_field() -> None:
    problem = problem_of(InvalidValue("cursor", "not a cursor this API returned"))
    assert problem.status == 422
    assert problem.slug == "invalid-request"
    assert problem.detail == "cursor: not a cursor this API returned"
    assert [(p.name, p.reason) for p in problem.invalid_params or []] == [
        ("cursor", "not a cursor this API returned")
    ]
