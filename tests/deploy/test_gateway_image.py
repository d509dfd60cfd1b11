"""The gateway image ships the web app, and only the gateway's: read from the Dockerfile every
service's image is built from (``--build-arg SERVICE=gateway``) and the build context's rules.

No Docker engine is needed (nor available where the tests run): the Dockerfile is parsed into
its stages and instructions, and ``.dockerignore`` is applied with Docker's own matching rules
(patterns anchored at the context root, ``**`` for any number of folders, a folder's pattern
covering everything under it, the last matching pattern winning). Together they would fail if the
image stopped building ``web/`` with ``npm ci`` from its lock file, stopped copying the build into
the final stage, stopped pointing ``GATEWAY_WEB_DIR`` at it, put it into a worker's image, or if a
host's ``node_modules`` or ``dist`` could leak into the build.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
WORKERS = ("resume-parser", "question-gen", "evaluator")


@dataclass
class Stage:
    """One ``FROM`` of a Dockerfile and the instructions under it, as (keyword, arguments)."""

    image: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [arguments for word, arguments in self.instructions if word == keyword]


def parse_dockerfile(text: str) -> list[Stage]:
    """Stages of a Dockerfile: comments dropped, continued lines joined."""
    stages: list[Stage] = []
    logical = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            logical += line[:-1].strip() + " "
            continue
        logical += line
        keyword, _, arguments = logical.partition(" ")
        keyword, arguments = keyword.upper(), arguments.strip()
        logical = ""
        if keyword == "FROM":
            words = arguments.split()
            name = words[2] if len(words) == 3 and words[1].upper() == "AS" else None
            stages.append(Stage(image=words[0], name=name))
        elif stages:
            stages[-1].instructions.append((keyword, arguments))
    return stages


def env_of(stage: Stage) -> dict[str, str]:
    """The variables a stage's ``ENV`` instructions set (the ``KEY=value`` form)."""
    variables: dict[str, str] = {}
    for arguments in stage.all("ENV"):
        for word in shlex.split(arguments):
            key, _, value = word.partition("=")
            variables[key] = value
    return variables


def copy_from(stage: Stage) -> list[tuple[str, list[str], str]]:
    """Each ``COPY --from=stage sources... destination`` of a stage."""
    copies = []
    for arguments in stage.all("COPY"):
        words = arguments.split()
        options = [word for word in words if word.startswith("--")]
        paths = [word for word in words if not word.startswith("--")]
        for option in options:
            if option.startswith("--from="):
                copies.append((option.removeprefix("--from="), paths[:-1], paths[-1]))
    return copies


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    out = ""
    index = 0
    while index < len(pattern):
        if pattern.startswith("**/", index):
            out, index = out + "(?:.*/)?", index + 3
        elif pattern.startswith("**", index):
            out, index = out + ".*", index + 2
        elif pattern[index] == "*":
            out, index = out + "[^/]*", index + 1
        elif pattern[index] == "?":
            out, index = out + "[^/]", index + 1
        else:
            out, index = out + re.escape(pattern[index]), index + 1
    return re.compile(out)


def docker_ignores(rules: str, path: str) -> bool:
    """Whether Docker leaves ``path`` (relative to the context root) out of the build context."""
    patterns = []
    for raw in rules.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        patterns.append((negated, _pattern_regex(line.removeprefix("!").strip().strip("/"))))
    parts = path.split("/")
    candidates = ["/".join(parts[: count + 1]) for count in range(len(parts))]
    ignored = False
    for negated, regex in patterns:
        if any(regex.fullmatch(candidate) for candidate in candidates):
            ignored = not negated
    return ignored


@pytest.fixture(scope="module")
def stages() -> list[Stage]:
    return parse_dockerfile(DOCKERFILE.read_text())


def _web_stage(stages: list[Stage]) -> Stage:
    builders = [
        stage for stage in stages if any("npm ci" in command for command in stage.all("RUN"))
    ]
    assert len(builders) == 1, "one stage installs the web app with npm ci"
    return builders[0]


def test_a_node_stage_installs_the_locked_packages_then_builds(stages: list[Stage]) -> None:
    web = _web_stage(stages)
    assert web.name, "the web stage is named, so the final stage can copy from it"
    assert web.image.startswith("${NODE_IMAGE}") or web.image.startswith("node:")
    runs = web.all("RUN")
    install = next(index for index, command in enumerate(runs) if "npm ci" in command)
    build = next(index for index, command in enumerate(runs) if "npm run build" in command)
    assert install < build
    assert not any("npm install" in command for command in runs), "npm ci, never npm install"
    # The lock file is in place before npm ci reads it (npm ci refuses to run without one).
    copies = [(word, arguments) for word, arguments in web.instructions if word in ("COPY", "RUN")]
    first_install = copies.index(("RUN", runs[install]))
    assert any("package-lock.json" in arguments for _, arguments in copies[:first_install])
    # The build copies the samples in from ../samples (web/scripts/copy-samples.mjs).
    assert any(arguments.split()[0] == "samples" for arguments in web.all("COPY"))


def test_the_node_image_is_pinned_to_a_release() -> None:
    text = DOCKERFILE.read_text()
    match = re.search(r"^ARG NODE_IMAGE=node:(\S+)$", text, re.MULTILINE)
    assert match, "the Node image is an ARG with a default"
    assert re.fullmatch(r"\d+\.\d+\.\d+-[a-z]+-slim", match.group(1)), match.group(1)


def _named(stages: list[Stage], name: str) -> Stage:
    (stage,) = [stage for stage in stages if stage.name == name]
    return stage


def test_the_final_stage_serves_the_build_it_copies(stages: list[Stage]) -> None:
    web = _web_stage(stages)
    final = stages[-1]
    # The final stage copies /app from the stage the build's SERVICE chooses, app-<service>.
    assert _named(stages, "app").image == "app-${SERVICE}"
    assert copy_from(final) == [("app", ["/app"], "/app")]
    copies = [copy for copy in copy_from(_named(stages, "app-gateway")) if copy[0] == web.name]
    assert copies, "the gateway's stage copies the web build"
    ((_, sources, destination),) = copies
    workdir = web.all("WORKDIR")[-1]
    assert sources == [f"{workdir}/dist"], "vite's outDir, under the web stage's WORKDIR"
    assert destination.startswith("/app/"), "inside what the final stage copies"
    assert env_of(final).get("GATEWAY_WEB_DIR") == destination, "the gateway serves the copy"


@pytest.mark.parametrize("worker", WORKERS)
def test_a_workers_image_has_no_web_app(stages: list[Stage], worker: str) -> None:
    stage = _named(stages, f"app-{worker}")
    assert stage.image == _named(stages, "app-gateway").image, "the same virtualenv's stage"
    assert stage.instructions == [], "nothing added: no web build"


def test_the_final_stage_still_runs_unprivileged_with_its_healthcheck(
    stages: list[Stage],
) -> None:
    final = stages[-1]
    assert final.all("USER") == ["10001:10001"]
    (healthcheck,) = final.all("HEALTHCHECK")
    assert "http://127.0.0.1:%s/livez" in healthcheck
    assert env_of(final)["GATEWAY_PORT"] == env_of(final)["CAREERFLOW_PORT"] == "${PORT}"
    assert final.all("ENTRYPOINT") == ['["careerflow-service"]']


@pytest.mark.parametrize(
    "path",
    [
        "web/package.json",
        "web/package-lock.json",
        "web/index.html",
        "web/vite.config.ts",
        "web/tsconfig.json",
        "web/src/main.tsx",
        "web/src/test/setup.ts",
        "web/scripts/copy-samples.mjs",
        "web/public/favicon.svg",
        "samples/resume.pdf",
        "samples/job-description.txt",
        "samples/target-role.txt",
    ],
)
def test_the_build_context_keeps_the_web_sources(path: str) -> None:
    assert (ROOT / path).exists(), f"{path} moved: update this list and the Dockerfile"
    assert not docker_ignores((ROOT / ".dockerignore").read_text(), path)


@pytest.mark.parametrize(
    "path",
    [
        "web/node_modules/vite/package.json",
        "web/node_modules/.package-lock.json",
        "web/dist/index.html",
        "web/dist/assets/index-abc123.js",
        "web/public/samples/resume.pdf",
        "web/tsconfig.tsbuildinfo",
    ],
)
def test_the_build_context_leaves_out_the_hosts_install_and_build(path: str) -> None:
    assert docker_ignores((ROOT / ".dockerignore").read_text(), path)


@pytest.mark.parametrize(
    ("rules", "path", "ignored"),
    [
        ("web/dist", "web/dist/assets/a.js", True),
        ("web/dist", "other/web/dist/a.js", False),
        ("scripts", "web/scripts/a.mjs", False),
        ("**/tests", "web/src/tests/a.ts", True),
        ("web/**/*.tsbuildinfo", "web/a.tsbuildinfo", True),
        ("web\n!web/src", "web/src/main.tsx", False),
        ("web\n!web/src", "web/index.html", True),
        ("web/*.json", "web/src/a.json", False),
    ],
)
def test_the_dockerignore_reader_follows_dockers_rules(
    rules: str, path: str, ignored: bool
) -> None:
    assert docker_ignores(rules, path) is ignored


def test_the_dockerfile_reader_sees_stages_and_continued_lines() -> None:
    stages = parse_dockerfile(
        "ARG A=1\nFROM x:1 AS one\n# a comment\nRUN a \\\n    b\nFROM one\n"
        "ENV K=v \\\n    L=w\nCOPY --from=one --chown=1:1 /s/dist /d\n"
    )
    assert [(stage.image, stage.name) for stage in stages] == [("x:1", "one"), ("one", None)]
    assert stages[0].all("RUN") == ["a b"]
    assert env_of(stages[1]) == {"K": "v", "L": "w"}
    assert copy_from(stages[1]) == [("one", ["/s/dist"], "/d")]
