"""What the model client sees of a model server through each adapter: the figures it measures and
the limits it derives from them, and its own cost per call. Prints Markdown for
docs/model-servers.md.

Against the fake model servers (no real model): each speed profile of the fake (laptop CPU, GPU)
served through Ollama's native API and through the OpenAI-compatible one. One cold call (the
model loads) then two warm ones, a 2,000-character prompt and a 60-token answer; then what the
limits would be for a resume-sized prompt (4,000 tokens as estimated). Then 100 calls with no
profile, one at a time, for the time the client itself spends per call (HTTP, parsing the
stream, validating).

    python3 -m uv run python scripts/model_server_figures.py
"""

from __future__ import annotations

import asyncio
import statistics
import time
from typing import Any

from pydantic import BaseModel

from careerflow_llm import LLMClient, LLMSettings
from careerflow_llm.pace import first_token_limit, stall_limit
from careerflow_testing.fake_ollama import GPU, LAPTOP_CPU, Behaviour, SpeedProfile
from careerflow_testing.model_servers import PROVIDERS, fake_model_server

MODEL = "llama3.2:3b"
PROMPT = ("Backend engineer, six years of Python, Django, PostgreSQL and Kubernetes. " * 27)[:2000]
MESSAGES = [
    {"role": "system", "content": "List the skills, in JSON."},
    {"role": "user", "content": PROMPT},
]
CONTENT = {"skills": ["Python", "Django", "PostgreSQL", "Kubernetes", "Docker", "Redis"] * 3}
RESUME_PROMPT_TOKENS = 4000
OVERHEAD_CALLS = 100


class Skills(BaseModel):
    skills: list[str]


def _settings(provider: str, url: str) -> LLMSettings:
    return LLMSettings(provider=provider, url=url, model=MODEL)


def _fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "—"
    return f"{value:.1f}{unit}" if isinstance(value, float) else f"{value}{unit}"


async def _paced(provider: str, profile: SpeedProfile) -> list[str]:
    with fake_model_server(provider, models=(MODEL,), profile=profile) as fake:
        fake.set_behaviour(Behaviour.HEALTHY, content=CONTENT)
        async with LLMClient(_settings(provider, fake.url)) as llm:
            waits = []
            for _ in range(3):
                result = await llm.chat(MESSAGES, Skills)
                assert result.ok, result.detail
                waits.append((llm.last_call or {}).get("first_token_s"))
            speed = llm.speed.snapshot()
            limits = LLMSettings().pace_limits()
            first = first_token_limit(limits, llm.speed, RESUME_PROMPT_TOKENS)
            stall = stall_limit(limits, llm.speed)
    return [
        profile.name,
        provider,
        _fmt(waits[0], " s"),
        _fmt(waits[-1], " s"),
        _fmt(speed["load_s"], " s"),
        _fmt(speed["prompt_tokens_per_s"]),
        _fmt(speed["output_tokens_per_s"]),
        _fmt(round(first, 1), " s"),
        _fmt(round(stall, 1), " s"),
    ]


async def _overhead(provider: str) -> float:
    with fake_model_server(provider, models=(MODEL,)) as fake:
        fake.set_behaviour(Behaviour.HEALTHY, content=CONTENT)
        async with LLMClient(_settings(provider, fake.url)) as llm:
            await llm.chat(MESSAGES, Skills)  # the connection is open before timing
            spent = []
            for _ in range(OVERHEAD_CALLS):
                started = time.perf_counter()
                result = await llm.chat(MESSAGES, Skills)
                spent.append(time.perf_counter() - started)
                assert result.ok, result.detail
    return statistics.median(spent) * 1000


async def main() -> None:
    print(
        "| profile | API | first token, cold | first token, warm | load | prompt tokens/s "
        "| output tokens/s | first-token limit, 4 000-token prompt | stall limit |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for profile in (LAPTOP_CPU, GPU):
        for provider in PROVIDERS:
            print("| " + " | ".join(await _paced(provider, profile)) + " |")
    print()
    print(f"| API | client's time per call, median of {OVERHEAD_CALLS} (no profile) |")
    print("|---|---|")
    for provider in PROVIDERS:
        print(f"| {provider} | {await _overhead(provider):.1f} ms |")


if __name__ == "__main__":
    asyncio.run(main())
