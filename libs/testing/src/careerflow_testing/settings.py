"""Settings that point a service under test at a test's own topology and model server."""

from __future__ import annotations

from typing import Any

from careerflow_messaging import Topology
from careerflow_testing._fake_server import DEFAULT_MODEL


def topology_settings(topology: Topology) -> dict[str, Any]:
    """The settings fields (``exchange``, ``dead_letter_exchange``, ``queue_prefix``,
    ``delivery_limit``) that make a service use ``topology`` instead of the default names."""
    return {
        "exchange": topology.exchange,
        "dead_letter_exchange": topology.dead_letter_exchange,
        "queue_prefix": topology.queue_prefix,
        "delivery_limit": topology.delivery_limit,
    }


def worker_settings(
    amqp_url: str, topology: Topology, provider: str, url: str, *, model: str = DEFAULT_MODEL
) -> dict[str, Any]:
    """The settings fields of a worker under test: the test's broker and ``topology``, the model
    server of ``provider``'s API at ``url`` asked for ``model`` (by default the one every fake
    model server has), and a short shutdown grace (a test stops the worker once it has what it
    waited for)."""
    return {
        "amqp_url": amqp_url,
        **topology_settings(topology),
        "llm_provider": provider,
        "llm_base_url": url,
        "llm_model": model,
        "shutdown_grace_s": 2.0,
    }
