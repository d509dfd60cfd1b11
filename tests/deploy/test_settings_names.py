"""Every environment variable the documents name and the deployments set is read by a service.

The names are taken from README.md, docs/deployment.md, docs/model-servers.md, .env.example,
docker-compose.yml and deploy/ (the README's ``<PREFIX>_`` rows are spelled out for the services
its "used by" column names, and a shorthand such as ``/ _WINDOW_S`` after a full name is read as
that name with its last words replaced). A name is read when setting it to a value no setting
takes either is refused by the service's settings or changes them: a name the settings lost is
ignored (``extra="ignore"``) and fails here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import ValidationError
from pydantic_settings import BaseSettings

from careerflow_evaluator.settings import EvaluatorSettings
from careerflow_gateway.settings import GatewaySettings
from careerflow_question_gen.settings import QuestionGenSettings
from careerflow_resume_parser.settings import ResumeParserSettings

ROOT = Path(__file__).resolve().parents[2]
SECRET = "settings-names-test-secret-0123456789"
JUNK = "§-not-a-value-§"

SERVICES: dict[str, type[BaseSettings]] = {
    "GATEWAY": GatewaySettings,
    "RESUME_PARSER": ResumeParserSettings,
    "QUESTION_GEN": QuestionGenSettings,
    "EVALUATOR": EvaluatorSettings,
}
WORKERS = ("RESUME_PARSER", "QUESTION_GEN", "EVALUATOR")

SHARED = {
    # The unprefixed names, read where the prefixed one is not set, and who reads them.
    "AMQP_URL": tuple(SERVICES),
    "DATABASE_URL": ("GATEWAY",),
    "FORWARDED_ALLOW_IPS": ("GATEWAY",),  # uvicorn's own name
    "OLLAMA_URL": WORKERS,
    "OLLAMA_MODEL": WORKERS,
    "LLM_PROVIDER": WORKERS,
    "LLM_BASE_URL": WORKERS,
    "LLM_MODEL": WORKERS,
    "LLM_API_KEY": WORKERS,
    "LLM_RESPONSE_FORMAT": WORKERS,
}

NOT_SETTINGS = {
    # docker compose's own variables (interpolated into docker-compose.yml), not a service's.
    "GATEWAY_PUBLISHED_PORT",
}

_NAME = re.compile(r"\b(?:<PREFIX>|[A-Z][A-Z0-9]*)(?:_[A-Z0-9]+)+\b")
_DOCUMENTS = ("README.md", "docs/deployment.md", "docs/model-servers.md")
_DEPLOYMENTS = (".env.example", "docker-compose.yml")


def _ours(name: str) -> bool:
    return name in SHARED or any(name.startswith(f"{prefix}_") for prefix in SERVICES)


def _texts() -> Iterator[str]:
    for name in (*_DOCUMENTS, *_DEPLOYMENTS):
        yield (ROOT / name).read_text()
    for path in sorted((ROOT / "deploy").rglob("*")):
        if path.suffix in {".yaml", ".yml", ".env", ".md"} and path.is_file():
            yield path.read_text()


def _readme_rows() -> Iterator[tuple[list[str], tuple[str, ...]]]:
    """Each Settings row's names (shorthand spelled out as candidates) and who uses them."""
    text = (ROOT / "README.md").read_text()
    table = text.split("## Settings", 1)[1].split("\n## ", 1)[0]
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) < 4 or not cells[0].startswith("`"):
            continue
        users = {"all": tuple(SERVICES), "workers": WORKERS, "gateway": ("GATEWAY",)}[cells[2]]
        names = re.findall(r"`([A-Z<][A-Z0-9_<>]*|_[A-Z0-9_]+)`", cells[0])
        yield names, users


def _spelled_out(names: list[str], users: tuple[str, ...]) -> Iterator[list[str]]:
    """Each documented name as the candidates it may mean, with ``<PREFIX>`` for each user."""
    full = ""
    for name in names:
        if name.startswith("_"):
            words = full.split("_")
            candidates = ["_".join(words[:cut]) + name for cut in range(1, len(words))]
        else:
            full = name
            candidates = [name]
        for prefix in users if any("<PREFIX>" in c for c in candidates) else ("",):
            yield [c.replace("<PREFIX>", prefix) for c in candidates]


def documented_names() -> list[list[str]]:
    """Every name to check, each as its candidates (one, unless it was a shorthand)."""
    found: set[tuple[str, ...]] = set()
    for text in _texts():
        for name in _NAME.findall(text):
            if "<PREFIX>" not in name and _ours(name) and name not in NOT_SETTINGS:
                found.add((name,))
    for names, users in _readme_rows():
        for candidates in _spelled_out(names, users):
            kept = tuple(c for c in candidates if _ours(c) and c not in NOT_SETTINGS)
            if kept:
                found.add(kept)
    return [list(candidates) for candidates in sorted(found)]


def _readers(name: str) -> list[type[BaseSettings]]:
    if name in SHARED:
        return [SERVICES[prefix] for prefix in SHARED[name]]
    return [cls for prefix, cls in SERVICES.items() if name.startswith(f"{prefix}_")]


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    import os

    for name in list(os.environ):
        if _ours(name) or name.startswith("CAREERFLOW_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("GATEWAY_JWT_SECRET", SECRET)
    return monkeypatch


def is_read(cls: type[BaseSettings], name: str, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Whether ``cls`` reads the variable ``name``: a value no setting takes changes something."""
    before = cls().model_dump()
    with monkeypatch.context() as patch:
        patch.setenv(name, JUNK)
        try:
            after = cls().model_dump()
        except ValidationError:
            return True
    return after != before


def test_the_documents_and_deployments_name_settings() -> None:
    names = {candidate for candidates in documented_names() for candidate in candidates}
    # The reading of the documents finds what it must: a sample of each kind of name.
    assert {"GATEWAY_JWT_SECRET", "AMQP_URL", "QUESTION_GEN_OLLAMA_URL"} <= names
    assert "EVALUATOR_BREAKER_HALF_OPEN_CALLS" in names  # <PREFIX> row, shorthand
    assert "GATEWAY_SIGNUP_ADDRESS_WINDOW_S" in names  # shorthand after a full name
    assert len(names) > 100


def test_a_name_no_settings_read_is_caught(clean_environment: pytest.MonkeyPatch) -> None:
    assert not is_read(GatewaySettings, "GATEWAY_NO_SUCH_SETTING", clean_environment)
    assert not is_read(EvaluatorSettings, "DATABASE_URL", clean_environment)
    assert is_read(GatewaySettings, "DATABASE_URL", clean_environment)


@pytest.mark.parametrize("candidates", documented_names(), ids=lambda c: c[0])
def test_every_documented_name_is_read(
    candidates: list[str], clean_environment: pytest.MonkeyPatch
) -> None:
    for cls in {cls for name in candidates for cls in _readers(name)}:
        read = [name for name in candidates if cls in _readers(name)]
        assert any(is_read(cls, name, clean_environment) for name in read), (
            f"{cls.__name__} no longer reads {' or '.join(read)}"
        )
