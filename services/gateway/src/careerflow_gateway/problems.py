"""Errors as ``application/problem+json`` (RFC 9457), for every failure the API answers.

The service layer raises the domain's exceptions (``errors.py``); ``problem_of`` gives each
its status and ``type`` here, in one table, with the exception's message as ``detail``. The
edge (authentication, the upload's reading, the request guard, the per-user limits) raises
``Problem`` itself: what it refuses is the HTTP request. The handlers here also translate
FastAPI's validation errors (422, naming each field) and plain HTTP errors (404 for an unknown
path, 405, ...) into the same body.
"""

from __future__ import annotations

from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from careerflow_contracts.rest import InvalidParam, ProblemDetails
from careerflow_gateway.db.pool import PoolExhausted
from careerflow_gateway.errors import (
    AlreadyAnswered,
    CannotRegenerate,
    EmailTaken,
    FollowupSkipped,
    GatewayError,
    InvalidValue,
    NotAFollowup,
    NotFound,
    ReportNotReady,
    SessionNotReady,
    SignInFailed,
)

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://careerflow.dev/problems/"


class Problem(Exception):
    """A client-visible error with its status, a stable ``type`` slug and a human ``detail``."""

    def __init__(
        self,
        status: int,
        slug: str,
        detail: str | None = None,
        *,
        invalid_params: Sequence[InvalidParam] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or slug)
        self.status = status
        self.slug = slug
        self.detail = detail
        self.invalid_params = list(invalid_params) if invalid_params is not None else None
        self.headers = headers or {}

    def details(self, instance: str | None = None) -> ProblemDetails:
        return ProblemDetails(
            type=TYPE_BASE + self.slug,
            title=HTTPStatus(self.status).phrase,
            status=self.status,
            detail=self.detail,
            instance=instance,
            invalid_params=self.invalid_params,
        )


def problem_response(problem: Problem, instance: str | None = None) -> JSONResponse:
    """The HTTP response for ``problem``."""
    body = problem.details(instance).model_dump(mode="json", exclude_none=True)
    return JSONResponse(
        body, status_code=problem.status, media_type=PROBLEM_JSON, headers=problem.headers
    )


def invalid_field(name: str, reason: str) -> Problem:
    """A 422 naming one bad field."""
    return Problem(
        422,
        "invalid-request",
        f"{name}: {reason}",
        invalid_params=[InvalidParam(name=name, reason=reason)],
    )


_DOMAIN_PROBLEMS: dict[type[GatewayError], tuple[int, str]] = {
    NotFound: (404, "not-found"),
    SessionNotReady: (409, "session-not-ready"),
    AlreadyAnswered: (409, "already-answered"),
    FollowupSkipped: (409, "skipped"),
    NotAFollowup: (409, "not-a-followup"),
    CannotRegenerate: (409, "cannot-regenerate"),
    ReportNotReady: (409, "report-not-ready"),
    EmailTaken: (409, "email-taken"),
    SignInFailed: (401, "sign-in-failed"),
}
"""Each domain exception's status and ``type`` slug; a subclass answers as its nearest listed
class (``QuestionNotWrittenYet`` as ``SessionNotReady``)."""


def problem_of(error: GatewayError) -> Problem:
    """The problem a domain exception answers."""
    if isinstance(error, InvalidValue):
        return invalid_field(error.field, error.reason)
    for cls in type(error).__mro__:
        if cls in _DOMAIN_PROBLEMS:
            status, slug = _DOMAIN_PROBLEMS[cls]
            return Problem(status, slug, str(error))
    raise LookupError(f"{type(error).__name__} has no problem: add it to _DOMAIN_PROBLEMS")


def _field_name(location: Sequence[Any]) -> str:
    # ("body", "text") -> "text"; ("query", "limit") -> "limit"; keep nested paths dotted.
    parts = [str(part) for part in location]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie"} and len(parts) > 1:
        parts = parts[1:]
    return ".".join(parts) or "body"


async def _on_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Problem)
    return problem_response(exc, request.url.path)


async def _on_domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, GatewayError)
    return problem_response(problem_of(exc), request.url.path)


def _invalid_param(error: dict[str, Any]) -> InvalidParam:
    location = error.get("loc", ())
    if error.get("type") == "json_invalid":
        # FastAPI puts the offset of a JSON syntax error where a field name goes ("body", 10):
        # the field a client can act on is the body itself.
        position = location[-1] if len(location) > 1 else None
        cause = (error.get("ctx") or {}).get("error")
        reason = "not valid JSON" + (f" ({cause!s})" if cause else "")
        if isinstance(position, int):
            reason += f" at character {position}"
        return InvalidParam(name="body", reason=reason)
    return InvalidParam(name=_field_name(location), reason=str(error.get("msg", "")))


async def _on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    params = [_invalid_param(error) for error in exc.errors()]
    names = ", ".join(dict.fromkeys(param.name for param in params))
    problem = Problem(422, "invalid-request", f"invalid: {names}", invalid_params=params)
    return problem_response(problem, request.url.path)


async def _on_pool_exhausted(request: Request, exc: Exception) -> JSONResponse:
    problem = Problem(
        503,
        "database-busy",
        f"the service is busy ({exc}); try again shortly",
        headers={"Retry-After": "1"},
    )
    return problem_response(problem, request.url.path)


async def _on_http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else None
    slug = HTTPStatus(exc.status_code).phrase.lower().replace(" ", "-")
    problem = Problem(exc.status_code, slug, detail, headers=dict(exc.headers or {}))
    return problem_response(problem, request.url.path)


def install_problem_handlers(app: FastAPI) -> None:
    """Make every error the app answers a problem document."""
    app.add_exception_handler(Problem, _on_problem)
    app.add_exception_handler(GatewayError, _on_domain_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(PoolExhausted, _on_pool_exhausted)


PROBLEM_RESPONSE_SCHEMA: dict[str, Any] = {
    "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/ProblemDetails"}}}
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries documenting problem bodies for ``statuses``."""
    return {
        status: {"description": HTTPStatus(status).phrase, **PROBLEM_RESPONSE_SCHEMA}
        for status in statuses
    }
