"""Job adverts and resumes of eight occupations outside software, for the tests of every service.

The texts live in the ``occupations/`` folder beside this module (``<id>.job.txt``,
``<id>.resume.txt``, and ``index.json`` with each occupation's role and what a person reads off
its advert and resume), so a test of the parser, the question generator, the evaluator or the
gateway reads the same nurse, accountant, teacher, salesperson, logistics coordinator, hotel
supervisor, paralegal and electrical engineer.

    OCCUPATIONS      every occupation, in the index's order
    occupation(id)   one of them by its id ("nurse")
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z]+$")
    occupation: str
    target_role: str = Field(min_length=1, max_length=200)
    requirements: tuple[str, ...] = Field(min_length=3)
    resume_skills: tuple[str, ...] = Field(min_length=3)


class _Index(BaseModel):
    model_config = ConfigDict(extra="forbid")

    description: str
    occupations: tuple[_Entry, ...]


class Occupation(BaseModel):
    """One occupation: the role applied for, its advert, a matching resume, and what a person
    reads off them (``requirements``: phrases of the advert; ``resume_skills``: the items of the
    resume's skills section, named as the vocabulary names those it knows)."""

    model_config = ConfigDict(frozen=True)

    id: str
    occupation: str
    target_role: str
    job_description: str = Field(min_length=1, max_length=20_000)
    resume: str
    requirements: tuple[str, ...]
    resume_skills: tuple[str, ...]


def _read(name: str) -> str:
    folder = resources.files("careerflow_testing").joinpath("occupations")
    return folder.joinpath(name).read_text(encoding="utf-8")


@cache
def _load() -> tuple[Occupation, ...]:
    index = _Index.model_validate(json.loads(_read("index.json")))
    return tuple(
        Occupation(
            **entry.model_dump(),
            job_description=_read(f"{entry.id}.job.txt"),
            resume=_read(f"{entry.id}.resume.txt"),
        )
        for entry in index.occupations
    )


OCCUPATIONS: tuple[Occupation, ...] = _load()


def occupation(occupation_id: str) -> Occupation:
    """The occupation with this id; ``KeyError`` for an unknown one."""
    for entry in OCCUPATIONS:
        if entry.id == occupation_id:
            return entry
    raise KeyError(occupation_id)
