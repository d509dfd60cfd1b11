"""Loading the repository's scripts (``scripts/*.py``, not a package) as modules in a test."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def load_script() -> Iterator[Callable[[str], ModuleType]]:
    """``load_script("demo")`` imports ``scripts/demo.py``; it is forgotten after the test."""
    loaded: list[str] = []

    def load(name: str) -> ModuleType:
        module_name = f"careerflow_script_{name}"
        spec = importlib.util.spec_from_file_location(module_name, ROOT / "scripts" / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        # Registered first: dataclasses look their module up while the script is executed.
        sys.modules[module_name] = module
        loaded.append(module_name)
        spec.loader.exec_module(module)
        return module

    yield load
    for module_name in loaded:
        sys.modules.pop(module_name, None)
