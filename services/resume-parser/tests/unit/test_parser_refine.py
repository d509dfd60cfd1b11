"""The model's reading deferred (issue 12): the deterministic reading goes at once, the model's
follows at the gateway's request and gives way to any request a candidate waits for. Against the
fake Ollama (a real HTTP server)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from parser_testkit import RESUME_TEXT, HandleSubmitted

from careerflow_contracts import (
    CandidateProfile,
    FallbackDetail,
    ProfileRequested,
    ProfileRequestedPayload,
    ResumeSubmitted,
    utc_now,
)
from careerflow_llm import OllamaClient, OllamaSettings
from careerflow_resume_parser.refine import CandidateDemand, handle_profile_requested
from careerflow_testing.fake_ollama import Behaviour, FakeOllama
from careerflow_testing.waiting import wait_until

BASIC = CandidateProfile(
    skills=["Python", "Go", "Kubernetes", "PostgreSQL", "Docker"],
    years_experience=7.8,
    titles=["Software Engineer"],
    source="fallback",
)
MODEL_PROFILE = {
    "skills": ["Python", "Go", "Kubernetes", "Scala"],
    "years_experience": 30,
    "titles": ["Software Engineer"],
    "education": [],
    "summary": "A backend engineer who builds billing services.",
}


def _requested(made_at: datetime | None = None) -> ProfileRequested:
    return ProfileRequested(
        session_id=uuid.uuid4(),
        occurred_at=made_at or utc_now(),
        deadline=utc_now() + timedelta(seconds=10),
        payload=ProfileRequestedPayload(resume_text=RESUME_TEXT, profile=BASIC),
    )


# -- resume.submitted with profile_later: the deterministic reading at once -------------------


async def test_a_requester_that_takes_the_profile_later_gets_the_basic_one_without_the_model(
    handle: HandleSubmitted,
    fake_ollama: FakeOllama,
    make_pdf: Callable[..., bytes],
    make_submitted: Callable[..., ResumeSubmitted],
) -> None:
    event = make_submitted(make_pdf([RESUME_TEXT.splitlines()]), profile_later=True)
    result = await handle(event)
    payload = result.payload
    assert (payload.source, payload.fallback_reason) == ("fallback", "deferred")
    assert payload.profile.skills == BASIC.skills
    assert payload.profile.source == "fallback"
    # The text the model reads later travels with it; the contact details stay out of the
    # profile (the text is the resume's: the gateway keeps it only until the model has read it).
    assert payload.resume_text is not None and "Built billing services" in payload.resume_text
    # Why the model did not read it yet is the reason alone: the gateway says it.
    assert payload.notices == []
    assert fake_ollama.chat_requests() == []


async def test_with_the_model_turned_off_nothing_is_deferred(
    handle: HandleSubmitted,
    make_pdf: Callable[..., bytes],
    make_submitted: Callable[..., ResumeSubmitted],
) -> None:
    event = make_submitted(make_pdf([RESUME_TEXT.splitlines()]), profile_later=True)
    async with OllamaClient(OllamaSettings(enabled=False)) as disabled:
        result = await handle(event, llm=disabled)
    payload = result.payload
    assert (payload.fallback_reason, payload.resume_text) == ("disabled", None)
    assert payload.notices == []


async def test_a_requester_of_an_earlier_release_still_waits_for_the_model(
    handle: HandleSubmitted,
    fake_ollama: FakeOllama,
    make_pdf: Callable[..., bytes],
    make_submitted: Callable[..., ResumeSubmitted],
) -> None:
    fake_ollama.set_behaviour(Behaviour.HEALTHY, content=MODEL_PROFILE)
    event = make_submitted(make_pdf([RESUME_TEXT.splitlines()]), profile_later=False)
    result = await handle(event)
    assert (result.payload.source, result.payload.resume_text) == ("ai", None)
    assert len(fake_ollama.chat_requests()) == 1


async def test_a_model_cut_while_reading_the_resume_sends_the_limit_that_cut_it(
    handle: HandleSubmitted,
    fake_ollama: FakeOllama,
    make_pdf: Callable[..., bytes],
    make_submitted: Callable[..., ResumeSubmitted],
) -> None:
    fake_ollama.set_behaviour(Behaviour.HANG)
    event = make_submitted(make_pdf([RESUME_TEXT.splitlines()]), profile_later=False)
    settings = OllamaSettings(url=fake_ollama.url, first_token_s=0.3, first_token_floor_s=0.1)
    async with OllamaClient(settings) as llm:
        result = await handle(event, llm=llm)
    # As data, for the gateway to say: "The AI model did not begin its answer within 0.3 s".
    payload = result.payload
    assert payload.fallback_reason == "timeout"
    assert payload.fallback_detail == FallbackDetail(
        limit="first_token", seconds=0.3, answering=False
    )
    assert payload.notices == []


# -- profile.requested: the model's reading, or why not, or given up ----------------------------


async def test_the_models_reading_refines_the_profile_keeping_the_computed_years(
    llm: OllamaClient, fake_ollama: FakeOllama
) -> None:
    fake_ollama.set_behaviour(Behaviour.HEALTHY, content=MODEL_PROFILE)
    event = _requested()
    result = await handle_profile_requested(event, llm=llm, demand=CandidateDemand())
    assert result is not None
    assert result.event_id == event.result_event_id("profile.refined")
    assert (result.causation_id, result.session_id) == (event.event_id, event.session_id)
    payload = result.payload
    assert (payload.source, payload.fallback_reason) == ("ai", None)
    assert payload.profile.source == "ai"
    assert payload.profile.skills == ["Python", "Go", "Kubernetes"]  # Scala is not in it
    assert payload.dropped_claims == 1
    assert payload.profile.years_experience == 7.8  # from the dates, not the model's 30
    assert payload.profile.summary == MODEL_PROFILE["summary"]
    (request,) = fake_ollama.chat_requests()
    assert request.body is not None
    assert "Built billing services" in request.body["messages"][-1]["content"]


async def test_a_failed_reading_keeps_the_basic_profile_and_says_why(
    llm: OllamaClient, fake_ollama: FakeOllama
) -> None:
    fake_ollama.set_behaviour(Behaviour.MALFORMED_JSON)
    result = await handle_profile_requested(_requested(), llm=llm, demand=CandidateDemand())
    assert result is not None
    payload = result.payload
    assert (payload.source, payload.fallback_reason) == ("fallback", "invalid_output")
    assert payload.profile == BASIC
    assert payload.notices == []  # the gateway says why, from the reason


async def test_a_candidates_request_made_after_the_refine_was_asked_for_comes_first(
    llm: OllamaClient, fake_ollama: FakeOllama
) -> None:
    """Seen before the refine's turn came: the model is not asked at all."""
    event = _requested()
    demand = CandidateDemand()
    demand.saw("answer.submitted", event.occurred_at + timedelta(milliseconds=5))
    assert await handle_profile_requested(event, llm=llm, demand=demand) is None
    assert fake_ollama.chat_requests() == []


async def test_a_candidates_request_made_before_the_refine_was_asked_for_is_not_in_its_way(
    llm: OllamaClient, fake_ollama: FakeOllama
) -> None:
    """The gateway asked for the refine after that request: it saw it done, or not its to wait
    for (an older one seen late)."""
    fake_ollama.set_behaviour(Behaviour.HEALTHY, content=MODEL_PROFILE)
    event = _requested()
    demand = CandidateDemand()
    demand.saw("answer.submitted", event.occurred_at - timedelta(seconds=1))
    result = await handle_profile_requested(event, llm=llm, demand=demand)
    assert result is not None and result.payload.source == "ai"


async def test_a_reading_in_progress_is_given_up_for_a_candidate_and_frees_the_model(
    fake_ollama: FakeOllama,
) -> None:
    fake_ollama.set_behaviour(Behaviour.SLOW_TOKENS, content=MODEL_PROFILE, delay_s=0.5)
    event = _requested()
    demand = CandidateDemand()
    async with OllamaClient(OllamaSettings(url=fake_ollama.url, timeout_s=30.0)) as llm:
        refine = asyncio.create_task(handle_profile_requested(event, llm=llm, demand=demand))
        await wait_until(
            lambda: fake_ollama.in_flight, interval_s=0.01, message="the model writing the profile"
        )
        demand.saw("answer.submitted", event.occurred_at + timedelta(seconds=1))
        assert await asyncio.wait_for(refine, 5) is None
        # The stream was closed: the model stopped, its slot is free, and the breaker holds
        # no verdict on a call the caller gave up.
        await wait_until(
            lambda: not fake_ollama.in_flight, interval_s=0.01, message="the model's slot free"
        )
        (request,) = fake_ollama.chat_requests()
        assert request.finished_at is not None
        snapshot = llm.breaker.snapshot()
        assert (snapshot.calls, snapshot.failures) == (0, 0)


async def test_demand_wakes_a_waiter_only_for_a_request_made_after_its_moment() -> None:
    demand = CandidateDemand()
    moment = utc_now()
    waiter = asyncio.create_task(demand.wait_after(moment))
    demand.saw("questions.requested", moment - timedelta(seconds=1))
    await asyncio.sleep(0)
    assert not waiter.done()
    demand.saw("report.requested", moment + timedelta(seconds=1))
    await asyncio.wait_for(waiter, 1)
    assert demand.after(moment) and not demand.after(moment + timedelta(seconds=2))
