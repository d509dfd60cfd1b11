"""What a real small model does through the workers, and how fast: llama.cpp's OpenAI-compatible
server (llama-cpp-python) running SmolLM2-135M-Instruct (Q4_1), asked by each worker's own
handler with its production settings (``max_tokens`` included) through the ``openai`` provider.
Prints Markdown for docs/model-servers.md.

- The floor: the server alone, asked over HTTP without the client for a 200-token answer with
  no schema; its writing rate is what any client can get from it on this machine.
- question-gen: ``--sets`` question sets for the sample job and resume, streamed in batches as in
  production; how many questions are the model's, what the guards rejected and why, and the
  set's label.
- evaluator: the first ``--answers`` labelled answers of the calibration set
  (``services/evaluator/tests/data/evaluator_calibration.json``); how many the model scored,
  the fallback reasons, and the model's mean score by label beside the fallback's.
- resume-parser: the sample resume (``samples/resume.pdf``) ``--resumes`` times; how many
  profiles are the model's, and the claims the guard dropped.

Each worker's client measures the model on each call (time to the first token; tokens over the
time from the first token to the last); the tables give the medians. The server answers one
call at a time, and the calls here are made one at a time.

    make llama-server
    python3 -m uv run python scripts/real_model_figures.py [--sets 5] [--answers 12] [--resumes 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import statistics
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

from careerflow_contracts import (
    AnswerSubmitted,
    AnswerSubmittedPayload,
    CandidateProfile,
    EventBase,
    Question,
    QuestionsRequested,
    QuestionsRequestedPayload,
    ResumeSubmitted,
    ResumeSubmittedPayload,
    utc_now,
)
from careerflow_evaluator.scoring import evaluate_answer
from careerflow_evaluator.settings import EvaluatorSettings
from careerflow_llm import LLMClient
from careerflow_question_gen.handler import handle_questions_requested
from careerflow_question_gen.settings import QuestionGenSettings
from careerflow_resume_parser.extraction_pool import Extractor
from careerflow_resume_parser.handler import handle_resume_submitted
from careerflow_resume_parser.settings import ResumeParserSettings
from careerflow_service.settings import WorkerSettings
from careerflow_skills import find_skills
from careerflow_testing.llama_server import LlamaServer, server_python

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
CALIBRATION = ROOT / "services/evaluator/tests/data/evaluator_calibration.json"
DEADLINE_S = 600.0
FLOOR_TOKENS = 200


@dataclass
class Calls:
    """What one worker's calls did: outcomes of the client, and the model's pace on each."""

    outcomes: Counter[str] = field(default_factory=Counter)
    fallbacks: Counter[str] = field(default_factory=Counter)
    first_token_s: list[float] = field(default_factory=list)
    output_tokens_per_s: list[float] = field(default_factory=list)
    output_tokens: list[int] = field(default_factory=list)
    handler_lines: list[logging.LogRecord] = field(default_factory=list)

    def record(self, llm: LLMClient, before: dict[str, int], records: _Records) -> str:
        after = dict(llm.health()["outcomes"])
        (outcome,) = [name for name in after if after[name] != before.get(name, 0)]
        self.outcomes[outcome] += 1
        for record in records.take():
            if record.getMessage().startswith("model call fell back") and record.args:
                self.fallbacks[_kind(str(record.args[1]))] += 1
            self.handler_lines.append(record)
        last = llm.speed.snapshot()["last"] or {}
        if last.get("prompt_s") is not None:
            self.first_token_s.append(last["prompt_s"])
        if last.get("output_tokens_per_s"):
            self.output_tokens_per_s.append(last["output_tokens_per_s"])
            self.output_tokens.append(last["output_tokens"])
        return outcome

    def pace(self) -> str:
        rate, first = _median(self.output_tokens_per_s), _median(self.first_token_s)
        return f"{rate} tokens/s, first token {first} s, {_median(self.output_tokens)} tokens"


class _Records(logging.Handler):
    """Keeps the log records of the loggers it is attached to (the handlers' own outcome lines
    and the client's fallback lines: figures and reasons, never resume text)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def take(self) -> list[logging.LogRecord]:
        taken, self.records = self.records, []
        return taken


def _kind(detail: str) -> str:
    """A fallback's detail without its counts: "rejected by check: no usable question"."""
    return detail.split(" (", 1)[0]


def _median(values: list[float] | list[int]) -> str:
    if not values:
        return "—"
    return f"{statistics.median(values):.1f}"


def _client(settings_type: type[WorkerSettings], server: LlamaServer) -> LLMClient:
    settings = settings_type(
        llm_provider=server.provider,
        llm_base_url=server.url,
        llm_model=server.model,
        llm_response_format=server.response_format,
        # The breaker would open after a few unusable answers (it does, with this model) and
        # answer the rest itself; here every call goes to the model.
        breaker_minimum_calls=1_000_000,
    )
    return LLMClient(settings.llm_settings())


async def _timed(call: Callable[[], Awaitable[Any]]) -> tuple[Any, float]:
    started = time.monotonic()
    result = await call()
    return result, time.monotonic() - started


def floor(server: LlamaServer) -> str:
    """The server's own writing rate for a plain answer, read over HTTP without our client."""
    body = {
        "model": server.model,
        "messages": [{"role": "user", "content": "Describe a good code review in detail."}],
        "max_tokens": FLOOR_TOKENS,
        "temperature": 0.2,
        "stream": True,
    }
    chunks: list[float] = []
    started = time.monotonic()
    with (
        httpx.Client(timeout=120) as client,
        client.stream("POST", f"{server.url}/chat/completions", json=body) as response,
    ):
        for line in response.iter_lines():
            if line.startswith("data: {") and '"content"' in line:
                chunks.append(time.monotonic())
    if len(chunks) < 2:
        return "the server wrote nothing"
    rate = (len(chunks) - 1) / (chunks[-1] - chunks[0])
    return (
        f"{rate:.1f} tokens/s ({len(chunks)} chunks), first token after {chunks[0] - started:.2f} s"
    )


async def question_sets(server: LlamaServer, sets: int, records: _Records) -> list[str]:
    job = (SAMPLES / "job-description.txt").read_text().strip()
    role = (SAMPLES / "target-role.txt").read_text().strip()
    profile = CandidateProfile(skills=find_skills(job)[:6], years_experience=6)
    calls, rejected, labels = Calls(), Counter[str](), Counter[str]()
    from_model = 0
    async with _client(QuestionGenSettings, server) as llm:
        for number in range(sets):
            event = QuestionsRequested(
                session_id=uuid.uuid5(uuid.NAMESPACE_URL, f"real-model-figures/{number}"),
                deadline=utc_now() + timedelta(seconds=DEADLINE_S),
                payload=QuestionsRequestedPayload(
                    target_role=role, job_description=job, profile=profile, batches=True
                ),
            )
            sent: list[EventBase] = []

            async def publish(batch: EventBase, sent: list[EventBase] = sent) -> None:
                sent.append(batch)

            before = dict(llm.health()["outcomes"])
            final = await handle_questions_requested(event, llm=llm, publish=publish)
            outcome = calls.record(llm, before, records)
            questions = [q for batch in [*sent, final] for q in batch.payload.questions]  # type: ignore[attr-defined]
            assert [q.position for q in questions] == list(range(1, 11))
            from_model += sum(q.source == "ai" for q in questions)
            for record in calls.handler_lines:
                if record.getMessage().startswith("questions for session"):
                    rejected.update(record.args[-1])  # type: ignore[index]
            calls.handler_lines.clear()
            labels[f"{final.payload.source}/{final.payload.fallback_reason}, call {outcome}"] += 1
    return [
        f"question-gen: {sets} sets, {from_model} of {sets * 10} questions from the model "
        f"({100 * from_model / (sets * 10):.0f} %)",
        f"  the client's outcomes: {dict(calls.outcomes)}; why: {dict(calls.fallbacks)}",
        f"  the guards rejected: {dict(rejected)}",
        f"  sets: {dict(labels)}",
        f"  pace: {calls.pace()}",
    ]


async def evaluations(server: LlamaServer, answers: int, records: _Records) -> list[str]:
    data = json.loads(CALIBRATION.read_text())
    items = [(entry, answer) for entry in data["questions"] for answer in entry["answers"]][
        :answers
    ]
    calls, reasons, flags = Calls(), Counter[str](), Counter[str]()
    by_label: dict[str, list[int]] = {}
    async with _client(EvaluatorSettings, server) as llm:
        for entry, answer in items:
            payload = AnswerSubmittedPayload(
                question_id=uuid.uuid4(),
                question=Question.model_validate(entry["question"]),
                answer_text=answer["text"],
                target_role=entry["role"],
            )
            event = AnswerSubmitted(
                session_id=uuid.uuid4(),
                deadline=utc_now() + timedelta(seconds=DEADLINE_S),
                payload=payload,
            )
            before = dict(llm.health()["outcomes"])
            result = await evaluate_answer(payload, llm=llm, deadline=event.deadline)
            calls.record(llm, before, records)
            reasons[result.fallback_reason or "ai"] += 1
            flags.update(flag.code for flag in result.evaluation.flags)
            if result.source == "ai":
                by_label.setdefault(answer["label"], []).append(result.evaluation.score)
    means = {label: round(statistics.mean(scores), 1) for label, scores in by_label.items()}
    return [
        f"evaluator: {len(items)} answers, {reasons['ai']} scored by the model",
        f"  the client's outcomes: {dict(calls.outcomes)}; why: {dict(calls.fallbacks)}",
        f"  results: {dict(reasons)}",
        f"  flags on the results: {dict(flags)}",
        f"  the model's mean score by label (0-10): {means}",
        f"  pace: {calls.pace()}",
    ]


async def profiles(server: LlamaServer, resumes: int, records: _Records) -> list[str]:
    document = (SAMPLES / "resume.pdf").read_bytes()
    calls, reasons = Calls(), Counter[str]()
    dropped: list[int] = []
    kept: list[int] = []
    with Extractor(workers=1) as extractor:
        await extractor.warm_up()
        async with _client(ResumeParserSettings, server) as llm:
            for _ in range(resumes):
                event = ResumeSubmitted(
                    session_id=uuid.uuid4(),
                    deadline=utc_now() + timedelta(seconds=DEADLINE_S),
                    payload=ResumeSubmittedPayload(document_type="pdf", document=document),
                )
                before = dict(llm.health()["outcomes"])
                result = await handle_resume_submitted(event, llm=llm, extractor=extractor)
                calls.record(llm, before, records)
                reasons[result.payload.fallback_reason or "ai"] += 1
                if result.payload.source == "ai":
                    dropped.append(result.payload.dropped_claims)
                    kept.append(len(result.payload.profile.skills))
    return [
        f"resume-parser: {resumes} readings of the sample resume, {reasons['ai']} by the model",
        f"  the client's outcomes: {dict(calls.outcomes)}; why: {dict(calls.fallbacks)}",
        f"  the model's profiles: skills kept {kept}, claims dropped by the guard {dropped}",
        f"  pace: {calls.pace()}",
    ]


async def _main(args: argparse.Namespace) -> None:
    records = _Records()
    for name in ("careerflow_question_gen.handler", "careerflow_llm.client"):
        logger = logging.getLogger(name)
        logger.addHandler(records)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    load = os.getloadavg()
    started = time.monotonic()
    with LlamaServer(server_python(ROOT), threads=args.threads) as server:
        print(f"server up after {time.monotonic() - started:.1f} s (threads {args.threads})")
        print(f"floor, the server alone: {floor(server)}")
        for lines in (
            await question_sets(server, args.sets, records),
            await evaluations(server, args.answers, records),
            await profiles(server, args.resumes, records),
        ):
            print("\n".join(lines), flush=True)
    print(
        f"{time.monotonic() - started:.0f} s in all; load average before "
        f"{load[0]:.1f}, after {os.getloadavg()[0]:.1f} (1 min), on {os.cpu_count()} cores"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", type=int, default=5, help="question sets")
    parser.add_argument("--answers", type=int, default=12, help="answers to score")
    parser.add_argument("--resumes", type=int, default=3, help="readings of the sample resume")
    parser.add_argument("--threads", type=int, default=1, help="llama.cpp's --n_threads")
    asyncio.run(_main(parser.parse_args()))


if __name__ == "__main__":
    main()
