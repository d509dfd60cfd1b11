"""The worker tests of careerflow_service share the events of ``support/service_worker_events.py``.

Tests are imported with ``--import-mode=importlib``, which puts no test folder on ``sys.path``;
the support folder is added here so the tests can import it.
"""

import sys
from pathlib import Path

_SUPPORT = str(Path(__file__).parent / "support")
if _SUPPORT not in sys.path:
    sys.path.insert(0, _SUPPORT)
