"""The report's numbers, computed here from stored scores and never taken from a model.

- ``overall_score``: the mean topic score (0-10) times 10, so 0-100, rounded to one decimal. A
  topic is a question of the set with its follow-up, if it got one (``topic_score``); without a
  follow-up, its answer's score.
- ``by_kind``: the same per question kind; ``None`` for a kind with no evaluated answer.
- ``skill_match``: the job's skill list (``careerflow_skills.job_skills``: the vocabulary's
  skills the description names, then its requirement phrases, so a nurse's job has one too)
  split into those the profile holds (``has_skill``: the same skill under any of its names, or
  a listed skill a requirement names) and those it lacks; the score is
  ``100 * matched / (matched + missing)``. A job description with no skill at all gives empty
  lists and a score of 0: there is nothing to have matched, and the contract's ``score`` is a
  number, so 0 with two empty lists is how "not measurable" reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import fmean

from careerflow_contracts import ByKind, QuestionKind, SkillMatch
from careerflow_skills import has_skill, job_skills


@dataclass(frozen=True)
class ScoredAnswer:
    """One evaluated topic as the numbers need it: its kind and its score (0-10)."""

    kind: QuestionKind
    score: float


@dataclass(frozen=True)
class ReportNumbers:
    overall_score: float
    by_kind: ByKind
    skill_match: SkillMatch


def _percent(scores: Sequence[float]) -> float | None:
    if not scores:
        return None
    return round(fmean(scores) * 10, 1)


def topic_score(answer_score: int, followup_score: int | None) -> float:
    """A topic's score (0-10) from its question's answer and its follow-up's.

    The mean of the two, but never below the first answer's: a follow-up is a second chance to
    show what the first answer left out, and only some answers get one (the limit, the order
    they come in), so being asked one must not cost a candidate anything. A skipped follow-up
    (no score) leaves the topic at its first answer's score: a skip is not a zero.
    """
    if followup_score is None:
        return float(answer_score)
    return max(float(answer_score), (answer_score + followup_score) / 2)


def score_answers(answers: Sequence[ScoredAnswer]) -> tuple[float, ByKind]:
    """``overall_score`` and ``by_kind`` of the evaluated answers (0 overall without any)."""
    overall = _percent([answer.score for answer in answers]) or 0.0
    by_kind = ByKind(
        technical=_percent([a.score for a in answers if a.kind == "technical"]),
        behavioral=_percent([a.score for a in answers if a.kind == "behavioral"]),
    )
    return overall, by_kind


def match_skills(job_description: str, profile_skills: Iterable[str]) -> SkillMatch:
    """Which of the job's skills and requirements the profile holds."""
    wanted = job_skills(job_description)
    have = list(profile_skills)
    held = {skill: has_skill(have, skill) for skill in wanted}
    matched = [skill for skill in wanted if held[skill]]
    missing = [skill for skill in wanted if not held[skill]]
    total = len(matched) + len(missing)
    score = round(100 * len(matched) / total, 1) if total else 0.0
    return SkillMatch(matched=matched, missing=missing, score=score)


def report_numbers(
    answers: Sequence[ScoredAnswer], job_description: str, profile_skills: Iterable[str]
) -> ReportNumbers:
    """Every number of a session's report."""
    overall, by_kind = score_answers(answers)
    return ReportNumbers(overall, by_kind, match_skills(job_description, profile_skills))
