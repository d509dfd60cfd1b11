"""``make demo`` with the model down (issue 16): the whole system as processes, no model at all, and
``scripts/demo.py`` with its sample answers. The interviewer follows the thin answers up with
questions built from what they left out (labelled as the fallback), never a strong answer; the
demo answers two follow-ups, skips the third, and the report lists all three.
"""

from __future__ import annotations

import asyncio
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from careerflow_testing.fake_ollama import refused_url

pytestmark = [pytest.mark.e2e, pytest.mark.broker, pytest.mark.database, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]


async def test_the_demo_follows_up_a_thin_answer_and_never_a_strong_one(start_system: Any) -> None:
    system = await start_system(refused_url())
    demo = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "scripts" / "demo.py"),
        "--url",
        system.gateway_url,
        "--token",
        system.token("demo"),
        "--timeout",
        "120",
        "--poll-interval",
        "0.2",
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(demo.communicate(), timeout=300)
    text = output.decode()
    assert demo.returncode == 0, text
    assert "Interview complete." in text, text

    # The technical answers are strong: none is followed up.
    strong = re.findall(r"score (\d+)/10 \(fallback\).*\n.*\n  no follow-up: a strong answer", text)
    assert len(strong) == 5, text
    assert all(int(score) >= 7 for score in strong)
    # The thin ones are, up to the interview's three, by the fallback, in the answer's terms.
    asked = re.findall(r"  follow-up \(fallback\): (.+)", text)
    assert len(asked) == 3, text
    assert text.count("follow-up skipped (recorded, not scored)") == 1
    assert "follow-up on question 8: skipped" in text
    assert len(re.findall(r"follow-up on question \d+: \d+/10, topic", text)) == 2
    # Each stage says why it fell back, the follow-ups too.
    # (unreachable, or paused after repeated failures: the evaluator's breaker opens)
    assert re.search(
        r"note \(followup\): The AI evaluator [^;]+; follow-up questions were built from the "
        r"points your answers left out\.",
        text,
    ), text
    # The thin answers share no word with their questions: each is quoted whole.
    assert all(question.startswith('You said "') for question in asked), asked
