"""The data files packaged beside the code (the question banks, the role families, the software
terms), each read and validated as its model: a bad entry stops the service at start, not a
session."""

from __future__ import annotations

import json
from importlib import resources
from typing import TypeVar

from pydantic import BaseModel

_Data = TypeVar("_Data", bound=BaseModel)


def read_data_file(model: type[_Data], name: str) -> _Data:
    """The packaged file ``name``, read as JSON and validated as ``model``."""
    raw = resources.files("careerflow_question_gen").joinpath(name).read_text("utf-8")
    return model.model_validate(json.loads(raw))
