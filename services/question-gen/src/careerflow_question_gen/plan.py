"""Everything decided about a request before anyone writes a question.

A ``QuestionPlan`` holds the role family, the difficulty, the ordered skills and how many
questions of each kind to write; the prompt, the screening of the model's answer and the
fallback all read the same plan, so they agree on what "a skill the job asks for" means.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from careerflow_contracts import Difficulty, QuestionsRequestedPayload
from careerflow_question_gen.roles import RoleFamily, detect_role_family, seniority_difficulty
from careerflow_question_gen.skill_selection import SkillChoice, select_skills


@dataclass(frozen=True)
class QuestionPlan:
    """What one request asks for, decided once."""

    payload: QuestionsRequestedPayload
    seed: str
    family: RoleFamily
    difficulty: Difficulty
    skills: tuple[SkillChoice, ...]
    technical_count: int
    behavioral_count: int

    @property
    def count(self) -> int:
        return self.technical_count + self.behavioral_count

    def skills_from(self, *origins: str) -> list[SkillChoice]:
        return [skill for skill in self.skills if skill.origin in origins]

    def allowed_skills(self) -> dict[str, SkillChoice]:
        """The skills a model's technical question may be about, by key: the job's and the
        resume's, or, where they name none, the role family's defaults."""
        chosen = self.skills_from("both", "job", "resume") or self.skills_from("role")
        return {skill.key: skill for skill in chosen}


def split_count(count: int) -> tuple[int, int]:
    """How many technical and behavioral questions make ``count``.

    Half each; an odd count gives the extra question to the technical side, because the job
    description's skills are what the session is built around.
    """
    behavioral = count // 2
    return count - behavioral, behavioral


def plan_questions(payload: QuestionsRequestedPayload, seed: str) -> QuestionPlan:
    """The plan of a request; the skill order comes from the seed's first draws."""
    family = detect_role_family(payload.target_role)
    technical, behavioral = split_count(payload.count)
    skills = select_skills(payload.job_description, payload.profile, family, random.Random(seed))
    return QuestionPlan(
        payload=payload,
        seed=seed,
        family=family,
        difficulty=seniority_difficulty(payload.target_role, payload.profile.years_experience),
        skills=tuple(skills),
        technical_count=technical,
        behavioral_count=behavioral,
    )
