"""The fallbacks' figures for jobs outside software, as the README reports them.

    python3 -m uv run python scripts/fallback_figures.py [--sessions N]

1. For each of the eight occupations of ``careerflow_testing.occupations``: its resume read by
   the resume parser's fallback, then the question generator's fallback for its advert and role
   over N sessions (seeds): how many of the five technical questions are about a requirement
   of the job (their skill is one of ``careerflow_skills.job_skills`` and their text names it),
   the fewest and the mean; and how many questions use a software term the advert does not.
2. The evaluator's fallback on its labelled calibration set
   (``services/evaluator/tests/data/evaluator_calibration.json``): Spearman's correlation of
   its scores with the labels, over every answer and over the jobs outside software, and the
   questions where the strong answer scores above the weak one.

No model, broker or database: every part is the deterministic fallback. Exits 1 when an
occupation gets fewer than four technical questions about its job in some session, a software
term it does not use, or a strong answer does not beat the weak one.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from statistics import fmean
from typing import Any

from careerflow_contracts import CandidateProfile, Question, QuestionsRequestedPayload
from careerflow_evaluator.heuristic import heuristic_evaluation
from careerflow_question_gen.fallback import fallback_questions
from careerflow_question_gen.software_terms import software_terms_in
from careerflow_resume_parser.fallback import fallback_profile
from careerflow_skills import job_skills
from careerflow_testing.occupations import OCCUPATIONS, Occupation
from careerflow_testing.ranking import spearman

ROOT = Path(__file__).resolve().parents[1]
CALIBRATION = ROOT / "services/evaluator/tests/data/evaluator_calibration.json"
LABEL_RANK = {"weak": 1, "medium": 2, "strong": 3}


def _say(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def _about_the_job(job: Occupation, questions: list[Question]) -> int:
    requirements = {skill.casefold() for skill in job_skills(job.job_description)}
    return sum(
        1
        for question in questions
        if question.kind == "technical"
        and question.skill is not None
        and question.skill.casefold() in requirements
        and question.skill.casefold() in question.text.casefold()
    )


def _software_terms(job: Occupation, questions: list[Question]) -> int:
    allowed = software_terms_in(job.job_description)
    return sum(
        1
        for question in questions
        if software_terms_in(" ".join([question.text, *question.expected_points])) - allowed
    )


def occupation_rows(sessions: int) -> tuple[list[str], bool]:
    rows: list[str] = []
    ok = True
    for job in OCCUPATIONS:
        read = fallback_profile(job.resume)
        profile = CandidateProfile.model_validate(read.model_dump(exclude={"full_name", "email"}))
        payload = QuestionsRequestedPayload(
            target_role=job.target_role, job_description=job.job_description, profile=profile
        )
        counts: list[int] = []
        with_terms = 0
        for session in range(sessions):
            questions = fallback_questions(payload, f"figures-{session}:1")
            counts.append(_about_the_job(job, questions))
            with_terms += _software_terms(job, questions)
        ok = ok and min(counts) >= 4 and with_terms == 0
        rows.append(
            f"| {job.occupation} ({job.target_role}) | {len(job_skills(job.job_description))} "
            f"| {len(read.skills)} | {min(counts)}/5 | {fmean(counts):.2f}/5 | {with_terms} |"
        )
    return rows, ok


def _score(entry: dict[str, Any], text: str) -> int:
    question = Question.model_validate(entry["question"])
    return heuristic_evaluation(question, text, reason="calibration").score


def calibration_rows() -> tuple[list[str], bool]:
    entries: list[dict[str, Any]] = json.loads(CALIBRATION.read_text("utf-8"))["questions"]
    rows: list[str] = []
    ok = True
    for subset, chosen in (
        ("every job", entries),
        ("jobs outside software", [e for e in entries if e.get("outside_software")]),
    ):
        labels: list[float] = []
        scores: list[float] = []
        by_label: dict[str, list[int]] = {label: [] for label in LABEL_RANK}
        ordered = 0
        order = ("strong", "medium", "weak")
        for entry in chosen:
            scored = {answer["label"]: _score(entry, answer["text"]) for answer in entry["answers"]}
            for label, score in scored.items():
                labels.append(LABEL_RANK[label])
                scores.append(score)
                by_label[label].append(score)
            ordered += scored["strong"] > scored["weak"]
        ok = ok and ordered == len(chosen)
        means = " / ".join(f"{fmean(by_label[label]):.1f}" for label in order)
        rows.append(
            f"| {subset} | {len(chosen)} questions, {len(labels)} answers "
            f"| {spearman(labels, scores):.2f} | {ordered}/{len(chosen)} | {means} |"
        )
    return rows, ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20, help="seeds per occupation")
    args = parser.parse_args()

    questions, questions_ok = occupation_rows(args.sessions)
    _say(f"Question generator's fallback, {args.sessions} sessions per occupation")
    _say()
    _say(
        "| occupation | job's skill list | resume skills read | technical questions on the "
        "job's requirements, fewest | mean | questions with a software term it does not use |"
    )
    _say("|---|---|---|---|---|---|")
    for row in questions:
        _say(row)
    _say()
    scoring, scoring_ok = calibration_rows()
    _say("Evaluator's fallback on the labelled calibration set")
    _say()
    _say("| answers of | set | Spearman | strong above weak | mean score strong / medium / weak |")
    _say("|---|---|---|---|---|")
    for row in scoring:
        _say(row)
    return 0 if questions_ok and scoring_ok else 1


if __name__ == "__main__":
    sys.exit(main())
