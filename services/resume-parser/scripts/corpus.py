"""Where the optional resume corpus of ``make parse-quality`` and ``make bench-extraction`` is.

The corpus (real resume PDFs, some with a hand-written ``*.truth.json``) is not part of the
repository. ``CAREERFLOW_RESUMES_DIR`` names it; without it, a ``shared/data/resumes`` folder
beside the repository is used when there is one, as on the project's development machines.
When neither holds a PDF, the scripts say what is missing and how to point at a corpus, and
exit with status 2; the test suite never needs the corpus (it parses ``samples/`` instead).
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
VARIABLE = "CAREERFLOW_RESUMES_DIR"
BESIDE_THE_REPOSITORY = REPO_ROOT.parent / "shared" / "data" / "resumes"
MISSING_STATUS = 2


class CorpusMissing(Exception):
    """No PDF where the corpus should be; the message says where and what to do."""


def corpus_pdfs(tool: str) -> tuple[Path, list[Path]]:
    """The corpus folder and its PDFs, sorted; ``CorpusMissing`` when there are none."""
    configured = os.environ.get(VARIABLE)
    directory = Path(configured) if configured else BESIDE_THE_REPOSITORY
    pdfs = sorted(directory.rglob("*.pdf")) if directory.is_dir() else []
    if pdfs:
        return directory, pdfs
    state = "holds no PDF" if directory.is_dir() else "does not exist"
    where = (
        f"{VARIABLE} names {directory}, which {state}"
        if configured
        else f"{VARIABLE} is not set, and its default {directory} {state}"
    )
    raise CorpusMissing(
        f"{tool}: no resume corpus: {where}.\n"
        "This optional tool reads a folder of resume PDFs (searched recursively) that is not\n"
        "part of the repository. Point it at one:\n"
        f"  {VARIABLE}=/path/to/resumes make {tool}\n"
        "The test suite does not need it: it parses the repository's own samples/."
    )
