"""What the routes take through ``Depends``: the running gateway (``State``), the caller of a
session route (``AuthenticatedCaller``, or only its ``User``: a bearer token or the browser
session cookie), and the browser session of an account route (``Session``: the cookie only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from careerflow_gateway.auth import SESSION_COOKIE_SCHEME, Caller, authenticate_request
from careerflow_gateway.browser_sessions import BrowserSession
from careerflow_gateway.problems import Problem
from careerflow_gateway.state import GatewayState

_bearer = HTTPBearer(
    auto_error=False,
    description="A JWT (HS256) with `sub`, `iss`, `aud`, `iat` and `exp` (at most 24 h apart)",
)


def _state(request: Request) -> GatewayState:
    state: GatewayState = request.app.state.gateway
    return state


State = Annotated[GatewayState, Depends(_state)]


async def _caller(
    request: Request,
    state: State,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    cookie: Annotated[str | None, Depends(SESSION_COOKIE_SCHEME)],
) -> Caller:
    # The two schemes only show in OpenAPI; the request is judged by our own rules.
    del credentials, cookie
    return await authenticate_request(request, state.settings, state.browser_sessions)


AuthenticatedCaller = Annotated[Caller, Depends(_caller)]


def _user(caller: AuthenticatedCaller) -> str:
    return caller.user


User = Annotated[str, Depends(_user)]


async def _browser_session(
    request: Request, state: State, cookie: Annotated[str | None, Depends(SESSION_COOKIE_SCHEME)]
) -> BrowserSession:
    del cookie  # shown in OpenAPI; judged below with the rest of the request
    caller = await authenticate_request(request, state.settings, state.browser_sessions)
    if caller.session is None:
        raise Problem(
            401, "unauthorized", "the account routes take the browser session cookie: sign in"
        )
    return caller.session


Session = Annotated[BrowserSession, Depends(_browser_session)]
