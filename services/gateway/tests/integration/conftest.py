"""Makes ``gateway_testkit`` importable (tests import with importlib) and provides its fixtures."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from gateway_testkit import gateway, workers  # noqa: E402

__all__ = ["gateway", "workers"]
