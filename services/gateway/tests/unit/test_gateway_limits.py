"""Abuse limits with an injected clock: token buckets and the 429 they answer. (An event
stream that ends when its token does: ``test_gateway_session_events``.)"""

from __future__ import annotations

import json

import pytest

from careerflow_gateway.limits import Bucket, Rate, take, too_many_requests
from careerflow_gateway.problems import PROBLEM_JSON, problem_response

T0 = 1_900_000_000.0
THREE_A_MINUTE = Rate(limit=3, window_s=60.0)


def _spend_all(rate: Rate, now: float) -> Bucket:
    bucket = Bucket.full(rate, now)
    for _ in range(rate.limit):
        bucket, wait_s = take(bucket, rate, now)
        assert wait_s == 0.0
    return bucket


def test_a_bucket_allows_its_limit_then_says_when_the_next_one_is_allowed() -> None:
    bucket = _spend_all(THREE_A_MINUTE, T0)
    refused, wait_s = take(bucket, THREE_A_MINUTE, T0)
    assert wait_s == pytest.approx(20.0)  # one action every 60 / 3 seconds
    assert refused.tokens == pytest.approx(0.0)  # a refusal spends nothing
    _, still = take(refused, THREE_A_MINUTE, T0 + 19.0)
    assert still == pytest.approx(1.0)
    allowed, wait_s = take(refused, THREE_A_MINUTE, T0 + 20.0)
    assert wait_s == 0.0
    _, again = take(allowed, THREE_A_MINUTE, T0 + 20.0)
    assert again == pytest.approx(20.0)


def test_a_rested_bucket_holds_no_more_than_its_limit() -> None:
    bucket = _spend_all(THREE_A_MINUTE, T0)
    rested = Bucket(bucket.tokens, bucket.counted_at)
    allowed = 0
    now = T0 + 24 * 3600.0
    while True:
        rested, wait_s = take(rested, THREE_A_MINUTE, now)
        if wait_s:
            break
        allowed += 1
    assert allowed == 3


def test_a_clock_that_went_back_refills_nothing() -> None:
    # Replicas' clocks differ a little: a bucket last counted "in the future" is not refilled.
    bucket = _spend_all(THREE_A_MINUTE, T0)
    behind, wait_s = take(bucket, THREE_A_MINUTE, T0 - 5.0)
    assert wait_s == pytest.approx(20.0)
    assert behind.tokens == pytest.approx(0.0)


def test_too_many_requests_is_a_429_problem_with_retry_after_in_whole_seconds() -> None:
    response = problem_response(too_many_requests("new sessions", THREE_A_MINUTE, 19.2))
    assert response.status_code == 429
    assert response.media_type == PROBLEM_JSON
    assert response.headers["Retry-After"] == "20"  # rounded up, never early
    body = json.loads(bytes(response.body))
    assert body["type"].endswith("/too-many-requests")
    assert body["status"] == 429
    assert "new sessions" in body["detail"] and "at most 3 per minute" in body["detail"]
    soon = problem_response(too_many_requests("new sessions", THREE_A_MINUTE, 0.01))
    assert soon.headers["Retry-After"] == "1"
