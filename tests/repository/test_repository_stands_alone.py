"""A clone works on its own: nothing outside the tests points beside or outside the repository.

A user's clone has no ``shared/`` folder next to it and no developer's home directory. These
tests read every tracked file (``git ls-files``) outside ``tests`` folders and refuse:

- references to the sibling ``shared`` folder: ``../shared``, a path that starts with
  ``shared/``, or ``"shared"`` as a path component in code;
- absolute paths of a developer's machine: ``/work/``, ``/home/``, ``/root/``, ``/Users/``.

Container definitions (Dockerfiles, the compose file, ``deploy/``) describe the filesystem of an
image, where ``/root/.ollama`` is Ollama's own folder, so the second rule skips them. The one
optional development corpus that may still live beside the repository is named in one module,
listed below with the reason.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]

SIBLING_SHARED = re.compile(
    r"\.\./shared\b"  # ../shared, ../../shared
    r"|(?<![\w./-])shared/"  # a relative path that starts with shared/
    r"|[\"']shared[\"']"  # "shared" as a path component: parent / "shared" / "data"
)
MACHINE_PATH = re.compile(r"(?<![\w.-])/(?:work|home|root|Users)/")

ALLOWED_SIBLING_SHARED = {
    "services/resume-parser/scripts/corpus.py": (
        "the optional corpus of make parse-quality and make bench-extraction: used when it is "
        "there, and when it is not, the scripts say what is missing"
    ),
}


def _tracked_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    return [name for name in listed.split("\0") if name]


def _is_test(path: str) -> bool:
    return "tests" in PurePosixPath(path).parts


def _is_container_definition(path: str) -> bool:
    parts = PurePosixPath(path)
    return parts.name in {"Dockerfile", "docker-compose.yml"} or parts.parts[0] == "deploy"


def _text(path: str) -> str | None:
    data = (ROOT / path).read_bytes()
    if b"\0" in data:
        return None  # a binary file (the sample PDF): it names no path
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _findings(path: str, text: str) -> list[str]:
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if path not in ALLOWED_SIBLING_SHARED and SIBLING_SHARED.search(line):
            found.append(f"{path}:{number}: refers to ../shared: {line.strip()[:120]}")
        if not _is_container_definition(path) and MACHINE_PATH.search(line):
            found.append(f"{path}:{number}: names a machine's path: {line.strip()[:120]}")
    return found


def test_no_tracked_file_outside_the_tests_points_outside_the_repository() -> None:
    findings = []
    for path in _tracked_files():
        if _is_test(path) or not (ROOT / path).is_file():
            continue
        text = _text(path)
        if text is not None:
            findings += _findings(path, text)
    assert not findings, "\n".join(findings)


def test_each_allowed_reference_is_still_there() -> None:
    """An allowance whose file no longer refers to ../shared is stale: remove it."""
    for path in ALLOWED_SIBLING_SHARED:
        assert SIBLING_SHARED.search((ROOT / path).read_text("utf-8")), path


@pytest.mark.parametrize(
    ("line", "flagged"),
    [
        ('DEFAULT = ROOT.parent / "shared/data/resumes/x.pdf"', True),
        ('corpus = REPO_ROOT.parent / "shared" / "data"', True),
        ("see `../../../shared/ARCHITECTURE.md`", True),
        ("Contract: `shared/ARCHITECTURE.md`", True),
        ("on a shared, busy machine; the shared names are the fallback", False),
        ("from docx.shared import RGBColor", False),
        ("libs/shared/thing", False),
    ],
)
def test_the_sibling_rule_flags_paths_not_the_word(line: str, flagged: bool) -> None:
    assert bool(SIBLING_SHARED.search(line)) is flagged


@pytest.mark.parametrize(
    ("line", "flagged"),
    [
        ("(see `/work/shared/ARCHITECTURE.md`)", True),
        ("open('/home/alice/cv.pdf')", True),
        ("cache in /root/.cache", True),
        ("docs/work/plan.md and https://example.com/home/", False),
        ("~/.ollama or $HOME/.config", False),
    ],
)
def test_the_machine_path_rule(line: str, flagged: bool) -> None:
    assert bool(MACHINE_PATH.search(line)) is flagged


def test_the_demo_defaults_are_files_of_the_repository(
    load_script: Callable[[str], ModuleType],
) -> None:
    demo = load_script("demo")
    tracked = set(_tracked_files())
    for name in ("DEFAULT_RESUME", "DEFAULT_JOB_FILE", "DEFAULT_ROLE_FILE", "SAMPLE_ANSWERS"):
        path = getattr(demo, name, None)
        assert isinstance(path, Path), name
        assert path.is_relative_to(ROOT), f"{name} = {path} is outside the repository"
        assert path.relative_to(ROOT).as_posix() in tracked, f"{name} = {path} is not tracked"


def test_the_demo_says_a_resume_is_missing_without_a_traceback(tmp_path: Path) -> None:
    finished = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts/demo.py"),
            "--resume",
            str(tmp_path / "missing.pdf"),
            "--token",
            "unused",
            "--url",
            "http://127.0.0.1:9",  # nothing is asked of it: the resume is checked first
        ],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        check=False,
    )
    assert finished.returncode == 1
    assert f"no resume at {tmp_path / 'missing.pdf'}" in finished.stdout
    assert "Traceback" not in finished.stderr + finished.stdout
