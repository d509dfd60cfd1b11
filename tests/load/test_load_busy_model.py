"""A busy but healthy model: the bulkhead's promise.

The fake Ollama works on ``SLOTS`` calls at a time, each taking ``LATENCY_S`` (Ollama with
``OLLAMA_NUM_PARALLEL=SLOTS``); what is beyond waits inside it, as in Ollama's queue. On the way
to ready only question-gen asks it (the resume is read by the basic parser first, and the model
reads it once nothing a candidate waits for is pending), and its prefetch is the model's slots,
so the surplus of a burst of 50 sessions waits in RabbitMQ, never in the model's queue: every
call takes ``LATENCY_S``, below the breakers' slow-call threshold, and no breaker opens.

What "throughput" means here: question calls completed per second while the burst is served,
from the first call's arrival to the last call's end, over the model's capacity
``SLOTS / LATENCY_S``. The ratio is how busy the bulkhead keeps the model: 1.0 is every slot
always working. If a prefetch were larger than its share of the slots, calls would queue in the
fake, take 2 x LATENCY_S, count as slow and open a breaker: the fallback check fails.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from burst import BURST, post_burst
from model_answers import realistic_answer
from system import RunningSystem, wait_for_all

from careerflow_testing.fake_ollama import FakeOllama, RecordedRequest

pytestmark = [
    pytest.mark.load,
    pytest.mark.e2e,
    pytest.mark.broker,
    pytest.mark.database,
    pytest.mark.slow,
    pytest.mark.timeout(180),
]

SLOTS = 4
LATENCY_S = 1.0
CAPACITY = SLOTS / LATENCY_S  # model calls per second

BUSY_WORKERS = {
    "OLLAMA_TIMEOUT_S": "10",
    "OLLAMA_READ_TIMEOUT_S": "10",
    # above one call's latency, below two: a call that waited for a slot would be slow
    "BREAKER_SLOW_CALL_S": str(1.5 * LATENCY_S),
    "BREAKER_MINIMUM_CALLS": "5",
}
PREFETCH = {"resume-parser": "2", "question-gen": str(SLOTS), "evaluator": "1"}


def _properties(call: RecordedRequest) -> set[str]:
    schema = call.output_schema
    return set(schema.get("properties", {})) if isinstance(schema, dict) else set()


async def test_busy_model_serves_a_burst_without_fallback(start_system: Any) -> None:
    with FakeOllama(max_concurrency=SLOTS, latency_s=LATENCY_S) as fake:
        fake.set_responder(realistic_answer)
        system: RunningSystem = await start_system(
            fake.url,
            worker_env=BUSY_WORKERS,
            service_env={name: {"PREFETCH": n} for name, n in PREFETCH.items()},
        )
        async with system.client(timeout_s=30.0) as client:
            started = time.monotonic()
            ids = await post_burst(client)
            views = await wait_for_all(client, ids, {"ready", "failed"}, 120)
            elapsed = time.monotonic() - started

        everything = fake.chat_requests()

    assert [v["status"] for v in views] == ["ready"] * BURST
    for view in views:
        assert {q["source"] for q in view["questions"]} == {"ai"}, view["notices"]
        # The basic reading, labelled: the model reads the resume once it is free (and may have
        # for the sessions seen last, once every question was written).
        codes = [n["code"] for n in view["notices"] if n["code"].startswith("ai_")]
        read_later = {"fallback": ["ai_deferred"], "ai": []}
        assert codes == read_later[view["profile"]["source"]], view["notices"]

    calls = [call for call in everything if "questions" in _properties(call)]
    assert len(calls) == BURST, "one question set per session"
    assert fake.peak_concurrency == SLOTS, "the burst should keep every slot of the model busy"
    # The model is asked to read a resume only once no question is being written.
    readings = [call for call in everything if "skills" in _properties(call)]
    last_question = max(call.finished_at or 0.0 for call in calls)
    assert all(call.received_at > last_question for call in readings), "a reading came early"
    assert len(everything) == len(calls) + len(readings)
    finishes = [call.finished_at for call in calls]
    assert None not in finishes, "every model call was worked on to the end"
    span = max(f for f in finishes if f is not None) - min(call.received_at for call in calls)
    throughput = len(calls) / span
    print(  # noqa: T201  (the figure is the point of this test; -s shows it)
        f"\nbusy model: {len(calls)} calls in {span:.1f} s = {throughput:.2f}/s of {CAPACITY:.1f}"
        f"/s capacity ({throughput / CAPACITY:.0%}); {BURST} sessions ready in {elapsed:.1f} s"
    )
    # The ratio is a figure, reported (-s) and in the README, not asserted: a timing window in a
    # test fails on a loaded machine whatever the code does. The bulkhead's promise is asserted
    # above: every slot busy at the peak, nothing queued in the model, no fallback.
