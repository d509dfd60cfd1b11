"""The account routes (``/v1/auth``): sign up, sign in, sign out, who am I, erase me.

Routes only translate HTTP to ``accounts.py`` and set or clear the session cookies. Signing up
and in need no credential and are rate-limited before any password is hashed: sign-ups per
client address, sign-in attempts per client address and per email. The other routes take the
browser session cookie only (a bearer token names a user of scripts, not an account), with the
CSRF rule on the unsafe ones.
"""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response

from careerflow_contracts.rest import AccountCreate, AccountView, SignIn
from careerflow_gateway import accounts
from careerflow_gateway.browser_sessions import clear_session_cookies, set_session_cookies
from careerflow_gateway.dependencies import Session, State
from careerflow_gateway.problems import problem_responses
from careerflow_gateway.state import GatewayState

router = APIRouter(prefix="/v1/auth", tags=["accounts"])


def _secure(state: GatewayState) -> bool:
    # Browsers keep Secure cookies only from https; development runs on plain http.
    return state.settings.environment != "development"


def _client_network(request: Request) -> str:
    return accounts.client_network(request.client.host if request.client else None)


async def _count_try(state: GatewayState, kind: accounts.RateKeyKind, value: str) -> None:
    """One try of ``kind`` counted in the bucket of ``value`` (an email or a client address,
    known there by its keyed digest); a 429 problem when the bucket is empty."""
    await state.limiter.spend(accounts.rate_key(kind, value, state.settings), kind)


def _signed_in(signed: accounts.SignedIn, response: Response, state: GatewayState) -> AccountView:
    """The account, its new browser session's cookies set on ``response``."""
    set_session_cookies(response, signed.opened, secure=_secure(state))
    return signed.account


def _signed_out(state: GatewayState) -> Response:
    """The 204 that tells the browser to drop the session's cookies."""
    response = Response(status_code=204)
    clear_session_cookies(response, secure=_secure(state))
    return response


@router.post(
    "/signup",
    status_code=201,
    response_model=AccountView,
    summary="Create an account (and sign in): sets the session and CSRF cookies",
    responses=problem_responses(409, 413, 422, 429),
)
async def sign_up(
    body: AccountCreate, request: Request, response: Response, state: State
) -> AccountView:
    await _count_try(state, "signup_address", _client_network(request))
    signed = await accounts.sign_up(state.pool, state.passwords, state.browser_sessions, body)
    return _signed_in(signed, response, state)


@router.post(
    "/signin",
    response_model=AccountView,
    summary="Sign in: sets the session and CSRF cookies",
    responses=problem_responses(401, 413, 422, 429),
)
async def sign_in(body: SignIn, request: Request, response: Response, state: State) -> AccountView:
    # Both counted before the password is hashed: a guesser past a limit costs no hash.
    await _count_try(state, "signin_address", _client_network(request))
    await _count_try(state, "signin_email", body.email)
    signed = await accounts.sign_in(state.pool, state.passwords, state.browser_sessions, body)
    return _signed_in(signed, response, state)


@router.post(
    "/signout",
    status_code=204,
    response_class=Response,
    summary="Sign out: ends the browser session everywhere and clears the cookies",
    responses=problem_responses(401, 403),
)
async def sign_out(session: Session, state: State) -> Response:
    await state.browser_sessions.revoke(session)
    return _signed_out(state)


@router.get(
    "/me",
    response_model=AccountView,
    summary="The signed-in account",
    responses=problem_responses(401),
)
async def who_am_i(session: Session) -> AccountView:
    return AccountView(id=uuid.UUID(session.user_id), email=session.email)


@router.delete(
    "/me",
    status_code=204,
    response_class=Response,
    summary="Erase the account and every interview in it; clears the cookies",
    responses=problem_responses(401, 403),
)
async def erase_me(session: Session, state: State) -> Response:
    await accounts.erase_account(state.pool, session.user_id, session.email, state.settings)
    return _signed_out(state)
