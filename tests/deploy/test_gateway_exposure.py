"""How browsers reach the gateway in each deployment, checked from the rendered manifests.

The session and CSRF cookies are Secure outside development, and a browser keeps a Secure cookie
only from https:// (or, in Chromium and Firefox, from http://localhost). So:

- production on Kubernetes is reached through an Ingress that terminates TLS for every host it
  answers, in front of the gateway's Service;
- the dev overlay, reached with ``kubectl port-forward`` over plain http://127.0.0.1, runs in
  development (cookies without Secure) and has no Ingress;
- wherever a proxy stands in front, the gateway believes ``X-Forwarded-For`` only from the
  networks in ``GATEWAY_FORWARDED_ALLOW_IPS``: never from everyone, and in production from the
  range the ingress controller's pods connect from.

Like ``test_deploy_validation.py`` this needs no cluster: ``kubectl kustomize`` renders offline.
"""

from __future__ import annotations

import ipaddress
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from careerflow_gateway.settings import GatewaySettings

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
OVERLAYS = {
    "base": ROOT / "deploy/base",
    "dev": ROOT / "deploy/overlays/dev",
    "prod": ROOT / "deploy/overlays/prod",
    "prod-vllm": ROOT / "deploy/overlays/prod-vllm",
}
PRODUCTION = ("prod", "prod-vllm")
SECRET = "deploy-test-secret-0123456789abcdef"


def _render(target: Path) -> list[dict[str, Any]]:
    result = subprocess.run(
        [str(BIN / "kubectl"), "kustomize", str(target)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


@pytest.fixture(scope="module")
def rendered() -> dict[str, list[dict[str, Any]]]:
    return {name: _render(target) for name, target in OVERLAYS.items()}


def _of_kind(docs: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {doc["metadata"]["name"]: doc for doc in docs if doc["kind"] == kind}


def _config(docs: list[dict[str, Any]]) -> dict[str, str]:
    (config,) = (
        doc["data"]
        for doc in docs
        if doc["kind"] == "ConfigMap" and doc["metadata"]["name"].startswith("careerflow-config")
    )
    return dict(config)


def trusted_networks(value: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """``GATEWAY_FORWARDED_ALLOW_IPS`` as networks; a bare address is a network of one."""
    return [ipaddress.ip_network(item.strip()) for item in value.split(",")]


@pytest.mark.parametrize("target", PRODUCTION)
def test_production_is_reached_over_https_only(
    target: str, rendered: dict[str, list[dict[str, Any]]]
) -> None:
    docs = rendered[target]
    ingresses = _of_kind(docs, "Ingress")
    assert ingresses, "an Ingress in front of the gateway"
    gateway_ports = {port["name"] for port in _of_kind(docs, "Service")["gateway"]["spec"]["ports"]}
    for name, ingress in ingresses.items():
        spec = ingress["spec"]
        covered = {host for tls in spec["tls"] for host in tls["hosts"] if tls.get("secretName")}
        hosts = {rule["host"] for rule in spec["rules"]}
        assert all(hosts), f"{name}: a rule without a host is served without a certificate"
        assert hosts <= covered, f"{name}: {hosts - covered} answered without TLS"
        annotations = ingress["metadata"].get("annotations", {})
        assert annotations.get("nginx.ingress.kubernetes.io/ssl-redirect") == "true"
        for rule in spec["rules"]:
            for path in rule["http"]["paths"]:
                service = path["backend"]["service"]
                assert service["name"] == "gateway"
                assert service["port"]["name"] in gateway_ports


@pytest.mark.parametrize("target", PRODUCTION)
def test_production_believes_forwarded_addresses_only_from_the_pod_network(
    target: str, rendered: dict[str, list[dict[str, Any]]]
) -> None:
    config = _config(rendered[target])
    assert config["CAREERFLOW_ENVIRONMENT"] == "production"
    value = config["GATEWAY_FORWARDED_ALLOW_IPS"]
    assert "*" not in value, "everyone could then choose their own address"
    # The gateway starts with it (it refuses an entry that is not an address or network).
    assert GatewaySettings(jwt_secret=SECRET, forwarded_allow_ips=value).forwarded_allow_ips
    networks = trusted_networks(value)
    # Only private ranges: the controller's pods connect from the cluster's pod network, and a
    # public range would let clients on the internet write their own X-Forwarded-For.
    assert all(network.is_private for network in networks), networks
    assert any(ipaddress.ip_address("10.244.1.7") in network for network in networks)


def test_dev_is_reached_over_plain_http_by_port_forward(
    rendered: dict[str, list[dict[str, Any]]],
) -> None:
    docs = rendered["dev"]
    assert _config(docs)["CAREERFLOW_ENVIRONMENT"] == "development", (
        "cookies without Secure, so sign-in works on http://127.0.0.1 through kubectl port-forward"
    )
    assert not _of_kind(docs, "Ingress")
    # No proxy in front: nothing is trusted beyond the default (the pod's own loopback).
    assert "GATEWAY_FORWARDED_ALLOW_IPS" not in _config(docs)


def test_the_base_stays_in_production(rendered: dict[str, list[dict[str, Any]]]) -> None:
    assert _config(rendered["base"])["CAREERFLOW_ENVIRONMENT"] == "production"


def test_compose_runs_production_and_trusts_no_proxy_by_default() -> None:
    result = subprocess.run(
        [
            str(BIN / "docker-compose"),
            "--env-file",
            ".env.example",
            "-f",
            "docker-compose.yml",
            "config",
            "--format",
            "json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    environment = json.loads(result.stdout)["services"]["gateway"]["environment"]
    assert environment["GATEWAY_ENVIRONMENT"] == "production"
    GatewaySettings(
        jwt_secret=SECRET, forwarded_allow_ips=environment["GATEWAY_FORWARDED_ALLOW_IPS"]
    )
    assert trusted_networks(environment["GATEWAY_FORWARDED_ALLOW_IPS"]) == [
        ipaddress.ip_network("127.0.0.1/32")
    ]
