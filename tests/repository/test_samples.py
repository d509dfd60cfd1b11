"""The committed samples are exactly what ``scripts/make_sample_resume.py`` writes.

The script is the source of the sample resume; a hand edit of a file in ``samples/``, or a change
to the script without running it, fails here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def test_the_committed_sample_resume_is_what_the_script_writes(
    load_script: Callable[[str], ModuleType],
) -> None:
    script = load_script("make_sample_resume")
    for name, build in script.OUTPUTS.items():
        committed = (ROOT / "samples" / name).read_bytes()
        assert build(script.SAMPLE) == committed, f"samples/{name} is stale: run the script"


def test_the_sample_texts_are_there_and_plain() -> None:
    role = (ROOT / "samples" / "target-role.txt").read_text("utf-8").strip()
    job = (ROOT / "samples" / "job-description.txt").read_text("utf-8")
    assert 1 <= len(role) <= 200 and "\n" not in role
    assert 1 <= len(job) <= 20_000
    assert all(ch in "\t\n" or ch.isprintable() for ch in job)
