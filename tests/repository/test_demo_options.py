"""``make demo`` for any job: the role and the job description are the caller's, and the job
description may be given as a file or as its text (issue 17)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest


def test_the_job_description_is_a_file_or_its_text(
    load_script: Callable[[str], ModuleType], tmp_path: Path
) -> None:
    demo = load_script("demo")
    advert = tmp_path / "nurse.txt"
    advert.write_text("Registered Nurse - ICU\n• Titrate vasoactive infusions\n", encoding="utf-8")
    args = demo.argument_parser().parse_args(
        ["--target-role", "ICU Registered Nurse", "--job-description", str(advert)]
    )
    assert args.target_role == "ICU Registered Nurse"
    assert demo.job_description_of(args) == advert.read_text(encoding="utf-8").strip()
    text = "Experience with ventilator management."
    args = demo.argument_parser().parse_args(["--job-description", text])
    assert demo.job_description_of(args) == text
    # Without one, the sample's.
    args = demo.argument_parser().parse_args([])
    assert demo.job_description_of(args) == demo.DEFAULT_JOB_FILE.read_text("utf-8").strip()


def test_an_empty_job_description_file_is_a_clear_error(
    load_script: Callable[[str], ModuleType], tmp_path: Path
) -> None:
    demo = load_script("demo")
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    args = demo.argument_parser().parse_args(["--job-description", str(empty)])
    with pytest.raises(demo.DemoError, match="is empty"):
        demo.job_description_of(args)
