"""Settings that point a service under test at a test's own topology."""

from __future__ import annotations

from typing import Any

from careerflow_messaging import Topology


def topology_settings(topology: Topology) -> dict[str, Any]:
    """The settings fields (``exchange``, ``dead_letter_exchange``, ``queue_prefix``,
    ``delivery_limit``) that make a service use ``topology`` instead of the default names."""
    return {
        "exchange": topology.exchange,
        "dead_letter_exchange": topology.dead_letter_exchange,
        "queue_prefix": topology.queue_prefix,
        "delivery_limit": topology.delivery_limit,
    }
