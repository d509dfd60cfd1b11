"""Export the JSON Schema of every event and REST body into a checked-in folder.

Run ``python -m careerflow_contracts.schemas [DIR]`` (``make schemas``) after changing a model;
a test fails while the checked-in files differ from what the models produce.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pydantic import BaseModel

from careerflow_contracts import events, rest

EXPORTED: tuple[type[BaseModel], ...] = (
    *events.EVENT_TYPES.values(),
    rest.SessionView,
    rest.SessionPage,
    rest.AnswerCreate,
    rest.ProblemDetails,
)

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "schemas"


def render() -> dict[str, str]:
    """File name to file text, for every exported model and the event union."""
    files = {
        f"{model.__name__}.json": json.dumps(model.model_json_schema(), indent=2, sort_keys=True)
        + "\n"
        for model in EXPORTED
    }
    union = events.EVENT_ADAPTER.json_schema()
    files["Event.json"] = json.dumps(union, indent=2, sort_keys=True) + "\n"
    return files


def export(directory: Path = DEFAULT_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.json"):
        stale.unlink()
    written = []
    for name, text in render().items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DIR
    for path in export(target):
        sys.stdout.write(f"{path}\n")
