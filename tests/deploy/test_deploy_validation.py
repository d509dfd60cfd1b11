"""Offline validation of the packaging: Dockerfiles, docker-compose.yml and the Kubernetes overlays.

Every validator is a pinned dev dependency from PyPI (see the root pyproject.toml) and runs as a
subprocess from this virtualenv, so no Docker engine, cluster or network is needed:

- hadolint on the Dockerfile every service's image is built from;
- the compose file against the Compose Specification (check-jsonschema's vendored schema) and
  through ``docker-compose config -q`` (Docker Compose itself, which needs no engine for that);
- ``kubectl kustomize`` of the base and of each overlay, checked with
  ``kubernetes-validate --strict`` (built-in kinds, unknown fields rejected);
- the operator and KEDA resources against the JSON Schemas in deploy/schemas;
- the operational rules of docs/architecture.md that no schema knows (probes, limits, restricted
  security context, disruption budgets, autoscaling);
- the model-call budget of docs/deployment.md: at full scale the workers never make more model
  calls at once than the model server runs at once (Ollama's ``OLLAMA_NUM_PARALLEL``, vLLM's
  ``--max-num-seqs``), with Ollama and with the vLLM component (overlay ``prod-vllm``).
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
DOCKERFILE = ROOT / "Dockerfile"
BIN = Path(sys.executable).parent
SERVICES = {"gateway": 8000, "resume-parser": 8001, "question-gen": 8002, "evaluator": 8003}
WORKERS = ("resume-parser", "question-gen", "evaluator")
TARGETS = {
    "base": DEPLOY / "base",
    "dev": DEPLOY / "overlays/dev",
    "prod": DEPLOY / "overlays/prod",
    "prod-vllm": DEPLOY / "overlays/prod-vllm",
}
SCHEMAS = {
    ("rabbitmq.com/v1beta1", "RabbitmqCluster"): "rabbitmq.com_v1beta1_RabbitmqCluster.json",
    ("postgresql.cnpg.io/v1", "Cluster"): "postgresql.cnpg.io_v1_Cluster.json",
    ("keda.sh/v1alpha1", "ScaledObject"): "keda.sh_v1alpha1_ScaledObject.json",
}


def _tool(name: str) -> str:
    path = BIN / name
    assert path.exists(), f"{name} is missing from {BIN}: run `uv sync` (it is a dev dependency)"
    return str(path)


def _run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


def _assert_ok(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 0, f"{result.args} failed:\n{result.stdout}\n{result.stderr}"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each kustomize target rendered once with kubectl kustomize, as a multi-document file."""
    out = tmp_path_factory.mktemp("kustomize")
    files = {}
    for name, target in TARGETS.items():
        result = _run(_tool("kubectl"), "kustomize", str(target))
        _assert_ok(result)
        files[name] = out / f"{name}.yaml"
        files[name].write_text(result.stdout)
    return files


def _documents(path: Path) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def _of_kind(docs: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {doc["metadata"]["name"]: doc for doc in docs if doc["kind"] == kind}


def _containers(deployment: dict[str, Any]) -> Iterator[dict[str, Any]]:
    spec = deployment["spec"]["template"]["spec"]
    yield from spec.get("initContainers", [])
    yield from spec["containers"]


# Dockerfiles


def test_the_dockerfile_passes_hadolint() -> None:
    _assert_ok(_run(_tool("hadolint"), str(DOCKERFILE)))


def test_there_is_one_dockerfile_for_every_service() -> None:
    """The images differ by their build arguments only, not by copies of a Dockerfile."""
    assert not [str(path) for path in ROOT.glob("services/*/Dockerfile")]


def test_the_dockerfile_builds_only_the_named_service_and_runs_unprivileged() -> None:
    text = DOCKERFILE.read_text()
    assert text.count("\nFROM ") >= 3, "multi-stage: manifests, builder, runtime"
    assert '--locked --no-dev --no-editable --package "careerflow-${SERVICE}"' in text
    assert "uv==" in text, "uv is pinned"
    assert "USER 10001" in text
    assert "EXPOSE ${PORT}" in text
    # The console script of the service, whichever it is, under one name.
    assert 'ln -s "${SERVICE}" /app/.venv/bin/careerflow-service' in text
    assert 'ENTRYPOINT ["careerflow-service"]' in text
    healthcheck = text.split("HEALTHCHECK", 1)[1]
    assert "http://127.0.0.1:%s/livez" in healthcheck and "CAREERFLOW_PORT" in healthcheck
    # PORT is where the service listens, under its own prefix, and what the health check asks.
    for prefix in ("GATEWAY", "RESUME_PARSER", "QUESTION_GEN", "EVALUATOR"):
        assert f"{prefix}_PORT=${{PORT}}" in text
        assert f"{prefix}_HOST=0.0.0.0" in text
    assert "CAREERFLOW_PORT=${PORT}" in text


def test_hadolint_rejects_a_bad_dockerfile(tmp_path: Path) -> None:
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:latest\nRUN pip install uv\n")
    assert _run(_tool("hadolint"), str(bad)).returncode != 0


# docker-compose.yml


def test_compose_file_matches_the_compose_specification() -> None:
    result = _run(
        _tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec", "docker-compose.yml"
    )
    _assert_ok(result)


def test_docker_compose_accepts_the_file_with_the_example_env() -> None:
    compose = _tool("docker-compose")
    base = (compose, "--env-file", ".env.example", "-f", "docker-compose.yml")
    _assert_ok(_run(*base, "config", "-q"))
    resolved = _run(*base, "config", "--format", "json")
    _assert_ok(resolved)
    services = json.loads(resolved.stdout)["services"]
    for name in SERVICES:
        assert services[name]["depends_on"]["rabbitmq"]["condition"] == "service_healthy", name
        build = services[name]["build"]
        assert build.get("dockerfile", "Dockerfile") == "Dockerfile", name
        assert build["args"] == {"SERVICE": name, "PORT": str(SERVICES[name])}, name
    assert services["gateway"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["ollama-pull"]["depends_on"]["ollama"]["condition"] == "service_healthy"
    for infrastructure in ("rabbitmq", "postgres", "ollama"):
        assert services[infrastructure]["healthcheck"]["test"], infrastructure
    assert services["rabbitmq"]["image"].endswith("-management")


def test_compose_refuses_to_start_without_a_jwt_secret(tmp_path: Path) -> None:
    empty_env = tmp_path / "empty.env"
    empty_env.write_text("")
    result = _run(
        _tool("docker-compose"), "--env-file", str(empty_env), "-f", "docker-compose.yml", "config"
    )
    assert result.returncode != 0
    assert "GATEWAY_JWT_SECRET" in result.stderr


# Kubernetes


@pytest.mark.parametrize("target", TARGETS)
def test_kustomize_output_passes_kubernetes_validate_strict(
    target: str, rendered: dict[str, Path]
) -> None:
    _assert_ok(_run(_tool("kubernetes-validate"), "--strict", "--quiet", str(rendered[target])))


def test_kubernetes_validate_strict_rejects_an_unknown_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "apiVersion: v1\nkind: Service\nmetadata: {name: x}\n"
        "spec: {ports: [{port: 80, targetPrt: 8000}]}\n"
    )
    assert _run(_tool("kubernetes-validate"), "--strict", str(bad)).returncode != 0


@pytest.mark.parametrize("target", TARGETS)
def test_custom_resources_match_their_crd_schemas(
    target: str, rendered: dict[str, Path], tmp_path: Path
) -> None:
    docs = _documents(rendered[target])
    known = {(doc["apiVersion"], doc["kind"]) for doc in docs}
    groups = {key: key[0].split("/")[0] for key in known}
    # A group with a dot is a custom resource's, except Kubernetes' own *.k8s.io groups (the
    # Ingress's networking.k8s.io), which kubernetes-validate checks above.
    custom = {
        key for key, group in groups.items() if "." in group and not group.endswith(".k8s.io")
    }
    assert not custom - set(SCHEMAS), "a custom resource kind without a schema in deploy/schemas"
    for (api_version, kind), schema in SCHEMAS.items():
        instances = [d for d in docs if (d["apiVersion"], d["kind"]) == (api_version, kind)]
        if not instances:
            continue
        paths = []
        for index, instance in enumerate(instances):
            path = tmp_path / f"{kind}-{index}.json"
            path.write_text(json.dumps(instance))
            paths.append(str(path))
        result = _run(
            _tool("check-jsonschema"), "--schemafile", str(DEPLOY / "schemas" / schema), *paths
        )
        _assert_ok(result)


def test_crd_schemas_reject_a_misspelt_field(tmp_path: Path) -> None:
    bad = tmp_path / "rabbitmq.json"
    bad.write_text(
        json.dumps(
            {
                "apiVersion": "rabbitmq.com/v1beta1",
                "kind": "RabbitmqCluster",
                "metadata": {"name": "x"},
                "spec": {"replica": 3},
            }
        )
    )
    schema = DEPLOY / "schemas" / SCHEMAS[("rabbitmq.com/v1beta1", "RabbitmqCluster")]
    assert _run(_tool("check-jsonschema"), "--schemafile", str(schema), str(bad)).returncode != 0


@pytest.mark.parametrize("target", TARGETS)
def test_services_follow_the_operational_rules(target: str, rendered: dict[str, Path]) -> None:
    docs = _documents(rendered[target])
    deployments = _of_kind(docs, "Deployment")
    budgets = _of_kind(docs, "PodDisruptionBudget")
    scaled = _of_kind(docs, "ScaledObject")
    services = _of_kind(docs, "Service")
    for name, port in SERVICES.items():
        deployment = deployments[name]
        pod = deployment["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault"
        assert pod["terminationGracePeriodSeconds"] > 20, "longer than the shutdown grace"
        for container in _containers(deployment):
            security = container["securityContext"]
            assert security["allowPrivilegeEscalation"] is False
            assert security["readOnlyRootFilesystem"] is True
            assert security["capabilities"]["drop"] == ["ALL"]
            assert {"cpu", "memory"} <= set(container["resources"]["requests"])
            assert {"cpu", "memory"} <= set(container["resources"]["limits"])
            for variable in container.get("env", []):
                assert ("value" in variable) != ("valueFrom" in variable), variable
        main = pod["containers"][0]
        # /livez decides restarts (start-up included); /readyz only routing.
        assert main["startupProbe"]["httpGet"]["path"] == "/livez"
        assert main["livenessProbe"]["httpGet"]["path"] == "/livez"
        assert main["readinessProbe"]["httpGet"]["path"] == "/readyz"
        assert main["ports"][0]["containerPort"] == port
        assert (
            budgets[name]["spec"]["selector"]["matchLabels"]
            == (deployment["spec"]["selector"]["matchLabels"])
        )
        assert name in services
    for worker in WORKERS:
        triggers = scaled[worker]["spec"]["triggers"]
        assert scaled[worker]["spec"]["scaleTargetRef"]["name"] == worker
        for trigger in triggers:
            assert trigger["type"] == "rabbitmq"
            assert trigger["metadata"]["mode"] == "QueueLength"
    queues = {t["metadata"]["queueName"] for s in scaled.values() for t in s["spec"]["triggers"]}
    assert queues == {
        "resume-parser.resume-submitted",
        "question-gen.questions-requested",
        "evaluator.answer-submitted",
        "evaluator.report-requested",
    }


def test_dev_runs_its_own_broker_and_database(rendered: dict[str, Path]) -> None:
    docs = _documents(rendered["dev"])
    assert set(_of_kind(docs, "StatefulSet")) == {"rabbitmq", "postgres"}
    assert "careerflow-secrets" in _of_kind(docs, "Secret")


def test_prod_uses_the_operators_and_a_gpu(rendered: dict[str, Path]) -> None:
    docs = _documents(rendered["prod"])
    assert not _of_kind(docs, "StatefulSet"), "no hand-rolled StatefulSet in prod"
    assert _of_kind(docs, "RabbitmqCluster")["careerflow-rabbitmq"]["spec"]["replicas"] == 3
    assert _of_kind(docs, "Cluster")["careerflow-db"]["spec"]["instances"] == 3
    ollama = _of_kind(docs, "Deployment")["ollama"]["spec"]["template"]["spec"]["containers"][0]
    assert ollama["resources"]["limits"]["nvidia.com/gpu"] == "1"
    gateway = _of_kind(docs, "Deployment")["gateway"]
    for container in _containers(gateway):
        env = {variable["name"]: variable for variable in container["env"]}
        assert env["DATABASE_URL"]["valueFrom"]["secretKeyRef"]["name"] == "careerflow-db-app"
        assert "careerflow-rabbitmq" in env["AMQP_URL"]["value"]


# The model tier: Ollama, or vLLM through deploy/components/vllm


def _env(container: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {variable["name"]: variable for variable in container.get("env", [])}


def _config(docs: list[dict[str, Any]]) -> dict[str, str]:
    (config,) = (
        doc["data"]
        for doc in docs
        if doc["kind"] == "ConfigMap" and doc["metadata"]["name"].startswith("careerflow-config")
    )
    return dict(config)


def _surge(deployment: dict[str, Any], replicas: int) -> int:
    """Pods a rollout may add beyond the replica count (each one consumes while the old drain)."""
    strategy = deployment["spec"].get("strategy", {})
    if strategy.get("type") == "Recreate":
        return 0
    surge = strategy.get("rollingUpdate", {}).get("maxSurge", "25%")
    if isinstance(surge, str):
        return math.ceil(replicas * int(surge.rstrip("%")) / 100)
    return int(surge)


def _model_server(docs: list[dict[str, Any]]) -> tuple[str, int]:
    """The one model server of a render and how many calls it runs at once, all replicas."""
    servers = [
        doc
        for doc in _of_kind(docs, "Deployment").values()
        if doc["metadata"]["labels"].get("app.kubernetes.io/component") == "model-server"
    ]
    assert len(servers) == 1, [server["metadata"]["name"] for server in servers]
    (server,) = servers
    name = server["metadata"]["name"]
    container = server["spec"]["template"]["spec"]["containers"][0]
    if name == "ollama":
        # Explicit: Ollama's own default has changed between releases (automatic, then 1).
        per_replica = int(_env(container)["OLLAMA_NUM_PARALLEL"]["value"])
    else:
        assert name == "vllm", name
        args = container["args"]
        per_replica = int(args[args.index("--max-num-seqs") + 1])
    return name, server["spec"]["replicas"] * per_replica


def _worker_calls(docs: list[dict[str, Any]]) -> dict[str, int]:
    """Each worker's model calls at once at full scale: (max replicas + surge) x prefetch."""
    deployments = _of_kind(docs, "Deployment")
    scaled = _of_kind(docs, "ScaledObject")
    calls = {}
    for worker in WORKERS:
        container = deployments[worker]["spec"]["template"]["spec"]["containers"][0]
        prefix = worker.upper().replace("-", "_")
        # Explicit in every worker, so the figure this test adds up is the one the pod runs with.
        prefetch = int(_env(container)[f"{prefix}_PREFETCH"]["value"])
        replicas = scaled[worker]["spec"]["maxReplicaCount"]
        calls[worker] = (replicas + _surge(deployments[worker], replicas)) * prefetch
    return calls


@pytest.mark.parametrize("target", TARGETS)
def test_workers_at_full_scale_never_queue_calls_inside_the_model(
    target: str, rendered: dict[str, Path]
) -> None:
    """Surplus work must wait in RabbitMQ, where the stage deadlines and the breakers see it.

    Beyond the model server's parallel slots, a call waits inside the model, its first-token
    clock running: adding worker replicas would only lengthen that hidden queue.
    """
    docs = _documents(rendered[target])
    server, slots = _model_server(docs)
    calls = _worker_calls(docs)
    assert sum(calls.values()) <= slots, (
        f"{target}: workers at full scale make {calls} = {sum(calls.values())} model calls at "
        f"once, {server} runs {slots}; lower a worker's maxReplicaCount or PREFETCH, or raise "
        "the model server's parallelism (docs/deployment.md, 'The model-call budget')"
    )


@pytest.mark.parametrize("target", TARGETS)
def test_workers_ask_the_model_server_that_is_deployed(
    target: str, rendered: dict[str, Path]
) -> None:
    docs = _documents(rendered[target])
    server, _ = _model_server(docs)
    config = _config(docs)
    services = _of_kind(docs, "Service")
    if server == "ollama":
        assert config.get("LLM_PROVIDER", "ollama") == "ollama"
        assert config["OLLAMA_URL"] == "http://ollama:11434"
        assert services["ollama"]["spec"]["ports"][0]["port"] == 11434
    else:
        assert config["LLM_PROVIDER"] == "openai"
        assert config["LLM_BASE_URL"] == "http://vllm:8000/v1"
        assert services["vllm"]["spec"]["ports"][0]["port"] == 8000
    for worker in WORKERS:
        container = _of_kind(docs, "Deployment")[worker]["spec"]["template"]["spec"]
        env = _env(container["containers"][0])
        prefix = worker.upper().replace("-", "_")
        # A per-service override would bypass the shared setting checked above.
        assert not {f"{prefix}_LLM_PROVIDER", f"{prefix}_LLM_BASE_URL"} & set(env), worker


def test_the_vllm_component_replaces_ollama_with_a_gpu_server(rendered: dict[str, Path]) -> None:
    docs = _documents(rendered["prod-vllm"])
    names = {(doc["kind"], doc["metadata"]["name"]) for doc in docs}
    assert not {name for kind, name in names if name.startswith("ollama")}, "Ollama is removed"
    vllm = _of_kind(docs, "Deployment")["vllm"]
    pod = vllm["spec"]["template"]["spec"]
    container = pod["containers"][0]
    env = _env(container)
    config = _config(docs)

    # A pinned release, never a moving tag.
    image, tag = container["image"].rsplit(":", 1)
    assert image == "vllm/vllm-openai"
    assert tag.startswith("v") and tag[1:].replace(".", "").isdigit(), tag
    # The served model is the one the workers ask for: both read LLM_MODEL from the ConfigMap.
    assert container["command"] == ["vllm", "serve"]
    assert container["args"][0] == "$(LLM_MODEL)"
    assert env["LLM_MODEL"]["valueFrom"]["configMapKeyRef"]["key"] == "LLM_MODEL"
    assert config["LLM_MODEL"]
    # Prompts hold resume text: vLLM must not log them (off by default; never switched on).
    assert "--enable-log-requests" not in container["args"]
    assert env["VLLM_NO_USAGE_STATS"]["value"] == "1"
    # The workers' context window fits the server's, or vLLM refuses long prompts.
    args = container["args"]
    assert int(args[args.index("--max-model-len") + 1]) >= 8192

    # One GPU, and the server is in rotation only once its engine answers.
    assert container["resources"]["limits"]["nvidia.com/gpu"] == "1"
    assert {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"} in pod[
        "tolerations"
    ]
    for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
        assert container[probe]["httpGet"] == {"path": "/health", "port": "http"}, probe
    # Long enough for the first start: the weights download, then CUDA graphs are captured.
    startup = container["startupProbe"]
    assert startup["periodSeconds"] * startup["failureThreshold"] >= 1200
    # One GPU and one ReadWriteOnce volume: the old pod goes before the new one starts.
    assert vllm["spec"]["strategy"]["type"] == "Recreate"

    # Weights persist across restarts, on the volume HF_HOME points into.
    volumes = {volume["name"]: volume for volume in pod["volumes"]}
    mounts = {mount["name"]: mount["mountPath"] for mount in container["volumeMounts"]}
    claim = volumes["cache"]["persistentVolumeClaim"]["claimName"]
    assert ("PersistentVolumeClaim", claim) in names
    assert env["HF_HOME"]["value"].startswith(mounts["cache"] + "/")
    assert volumes["shm"]["emptyDir"]["medium"] == "Memory"
    assert mounts["shm"] == "/dev/shm"

    # Secrets only by reference, and optional: an ungated model needs no token.
    for name, secret in (("HF_TOKEN", "careerflow-hf-token"), ("VLLM_API_KEY", "careerflow-llm")):
        reference = env[name]["valueFrom"]["secretKeyRef"]
        assert reference["name"] == secret and reference["optional"] is True, name
    for worker in WORKERS:
        worker_env = _env(
            _of_kind(docs, "Deployment")[worker]["spec"]["template"]["spec"]["containers"][0]
        )
        reference = worker_env["LLM_API_KEY"]["valueFrom"]["secretKeyRef"]
        assert reference == env["VLLM_API_KEY"]["valueFrom"]["secretKeyRef"], worker

    # The namespace enforces the restricted Pod Security Standard.
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault"
    assert pod["automountServiceAccountToken"] is False
    security = container["securityContext"]
    assert security["allowPrivilegeEscalation"] is False
    assert security["capabilities"]["drop"] == ["ALL"]
    assert vllm["metadata"]["namespace"] == "careerflow"
