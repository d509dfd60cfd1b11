"""The evaluator's tests share sample questions from ``support/evaluator_samples.py``.

Tests are imported with ``--import-mode=importlib``, which puts no test folder on ``sys.path``;
the support folder is added here so both unit and integration tests can import it.
"""

import sys
from pathlib import Path

_SUPPORT = str(Path(__file__).parent / "support")
if _SUPPORT not in sys.path:
    sys.path.insert(0, _SUPPORT)
