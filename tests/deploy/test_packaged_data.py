"""The data files (question banks, role families, vocabulary, word lists) ship in the wheels the
images install, and the services read them from there.

An image installs each workspace member as a wheel (``uv sync --no-editable`` in the
Dockerfile), not as the source tree the other tests import. So this test builds the wheels of
the three packages that hold data files, installs them (a pure-Python wheel is installed by
unpacking it) into a folder of their own, and reads every bank in a fresh interpreter that finds
those packages there first: a data file left out of the wheel, or one read by a path next to the
source instead of through ``importlib.resources``, fails it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = {
    "careerflow-skills": ROOT / "libs/skills/src/careerflow_skills",
    "careerflow-question-gen": ROOT / "services/question-gen/src/careerflow_question_gen",
    "careerflow-evaluator": ROOT / "services/evaluator/src/careerflow_evaluator",
}

READ_EVERY_BANK = """
import json, sys
import careerflow_evaluator, careerflow_question_gen, careerflow_skills
from careerflow_contracts import QuestionsRequestedPayload, ResumeProfile
from careerflow_evaluator.wording import wording
from careerflow_question_gen.behavioral_bank import behavioral_bank
from careerflow_question_gen.fallback import fallback_questions
from careerflow_question_gen.roles import role_families
from careerflow_question_gen.software_terms import software_terms
from careerflow_question_gen.technical_bank import technical_bank
from careerflow_question_gen.workplace_bank import workplace_bank
from careerflow_skills.phrasing import phrasing

payload = QuestionsRequestedPayload(
    target_role="ICU Registered Nurse",
    job_description="Ventilator management and titration of vasoactive infusions.",
    profile=ResumeProfile(skills=["Python", "Kubernetes"]),
)
json.dump(
    {
        "files": {
            module.__name__: module.__file__
            for module in (careerflow_skills, careerflow_question_gen, careerflow_evaluator)
        },
        "read": {
            "vocabulary.json": len(careerflow_skills.VOCABULARY),
            "phrasing.json": len(phrasing().not_skills),
            "technical_questions.json": len(technical_bank().skills),
            "behavioral_questions.json": len(behavioral_bank().questions),
            "workplace_questions.json": len(workplace_bank().behavioral),
            "roles.json": len(role_families().families),
            "software_terms.json": len(software_terms().terms),
            "wording.json": len(wording().stopwords),
        },
        "questions": len(fallback_questions(payload, "packaged")),
    },
    sys.stdout,
)
"""


def _uv() -> str:
    # `uv run` names itself in UV; make test and every documented command run pytest through it.
    uv = os.environ.get("UV") or shutil.which("uv")
    if uv is None:
        pytest.fail("uv is needed to build the wheels: run pytest with `uv run pytest`")
    return uv


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the three packages as their wheels install them."""
    wheels = tmp_path_factory.mktemp("wheels")
    site = tmp_path_factory.mktemp("site-packages")
    for package in PACKAGES:
        subprocess.run(
            [_uv(), "build", "--wheel", "--package", package, "--out-dir", str(wheels)],
            cwd=ROOT,
            check=True,
            capture_output=True,
            timeout=300,
        )
    for wheel in wheels.glob("*.whl"):
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(site)
    return site


@pytest.mark.slow
@pytest.mark.parametrize(("package", "source"), PACKAGES.items(), ids=PACKAGES.keys())
def test_every_data_file_ships_in_the_wheel(installed: Path, package: str, source: Path) -> None:
    data_files = sorted(path.name for path in source.glob("*.json"))
    assert data_files, f"{package} has no data file any more: update this test"
    shipped = sorted(path.name for path in (installed / source.name).glob("*.json"))
    assert shipped == data_files


@pytest.mark.slow
def test_the_services_read_every_bank_from_the_installed_packages(installed: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", READ_EVERY_BANK],
        # The installed copies come first on the path, before the workspace's editable ones;
        # the working directory is elsewhere, so no source tree is found by accident.
        env={**os.environ, "PYTHONPATH": str(installed), "PYTHONSAFEPATH": "1"},
        cwd=installed.parent,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    for module, file in report["files"].items():
        assert Path(file).is_relative_to(installed), f"{module} was imported from {file}"
    data_files = {path.name for source in PACKAGES.values() for path in source.glob("*.json")}
    assert set(report["read"]) == data_files
    assert all(count > 0 for count in report["read"].values()), report["read"]
    assert report["questions"] == 10
