"""What an answer left out, for the gateway to decide on a follow-up question.

The same measures as the fallback scorer (``heuristic.measure``), whoever scored the answer, so
the decision does not depend on whether the model was up:

- ``missed_points``: the expected points the answer does not cover (``point_coverage``);
- ``non_answer``: empty, or only declining ("I don't know", "pass");
- ``vague``: the rubric's specificity is at most ``VAGUE_AT``: the answer names no example,
  numbers, tools or outcomes worth the name. The rubric is the model's when it scored the
  answer (its reading of specifics is better than a count of numbers and names), else the
  fallback's, which is computed from those counts.
"""

from __future__ import annotations

from careerflow_contracts import AnswerGaps, Rubric
from careerflow_evaluator.heuristic import Measures

VAGUE_AT = 3
"""A specificity of 0-3 out of 10: no concrete example, numbers, named tools or outcomes."""

_MAX_POINTS = 10


def answer_gaps(measures: Measures, rubric: Rubric) -> AnswerGaps:
    """What the measured answer left out, judged with the rubric it was given."""
    return AnswerGaps(
        missed_points=measures.coverage.missed[:_MAX_POINTS],
        vague=rubric.specificity <= VAGUE_AT,
        non_answer=measures.non_answer,
    )
