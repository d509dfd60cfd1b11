"""The corpus scripts (``make parse-quality``, ``make bench-extraction``) without a corpus.

The corpus is optional and not in the repository: a clone without one gets a plain message
naming what is missing and how to point at a corpus, and exit status 2, never a traceback.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


@pytest.mark.parametrize("tool", ["parse-quality", "bench-extraction"])
@pytest.mark.parametrize("state", ["missing", "empty"])
def test_without_a_corpus_the_script_says_what_is_missing(
    tool: str, state: str, tmp_path: Path
) -> None:
    corpus = tmp_path / "resumes"
    if state == "empty":
        corpus.mkdir()
        (corpus / "notes.txt").write_text("no PDF here")
    script = SCRIPTS / f"{tool.replace('-', '_')}.py"

    finished = subprocess.run(
        [sys.executable, str(script)],
        env={**os.environ, "CAREERFLOW_RESUMES_DIR": str(corpus)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert finished.returncode == 2, finished.stderr
    assert "Traceback" not in finished.stderr
    said = finished.stderr
    assert f"{tool}: no resume corpus" in said
    assert str(corpus) in said
    assert ("does not exist" if state == "missing" else "holds no PDF") in said
    assert f"CAREERFLOW_RESUMES_DIR=/path/to/resumes make {tool}" in said
    assert finished.stdout == ""
