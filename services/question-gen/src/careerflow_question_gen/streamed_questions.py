"""The model's questions, each screened once: while it writes them, and from its whole answer.

The model answers one JSON object, ``{"questions": [...]}``, token by token. ``read`` is given
the answer so far at every token; ``careerflow_llm.streamed_items`` reads the questions of the
array that are complete (the next one has begun, or the array has ended: a question still being
written is never taken, however whole it looks), and each new one is validated and screened
(``screening.Screener``). ``finish`` takes the questions of the whole, validated answer that
were not read yet (the last one, above all, or all of them when nothing was streamed), and
``check``, the model client's check of the whole answer, does it and refuses an answer with no
usable question: the answer is screened once, whether it was read as it came or only whole.

Every question is read once, in the model's order; the usable ones are handed out once, in the
same order. If the whole answer does not go on from what was read (it cannot, unless the two
readings of one text disagree), nothing more is taken from it: what was handed out stands.
"""

from __future__ import annotations

import logging

from pydantic import ValidationError

from careerflow_llm import streamed_items
from careerflow_question_gen.drafts import QuestionDraft
from careerflow_question_gen.model_output import ModelQuestion, ModelQuestionSet
from careerflow_question_gen.plan import QuestionPlan
from careerflow_question_gen.screening import Screener, Screening

log = logging.getLogger(__name__)


class QuestionStream:
    """The usable questions of one answer, in the order the model writes them."""

    def __init__(self, plan: QuestionPlan) -> None:
        self._screener = Screener(plan)
        self._read: list[ModelQuestion | None] = []  # None: an item that is not a question
        self.kept: list[QuestionDraft] = []
        self.rest: list[QuestionDraft] = []
        """The usable questions ``check`` took from the whole answer (none before it ran)."""

    @property
    def screening(self) -> Screening:
        """The usable questions so far by kind, and the rejections counted."""
        return self._screener.screening

    def read(self, text: str) -> list[QuestionDraft]:
        """The usable questions that ``text``, the answer so far, completes."""
        items = streamed_items(text, "questions")
        taken: list[QuestionDraft] = []
        for item in items[len(self._read) :]:
            try:
                question: ModelQuestion | None = ModelQuestion.model_validate(item)
            except ValidationError:
                question = None
                self._screener.refuse("schema")
            self._read.append(question)
            if question is not None:
                taken += self._take(question)
        return taken

    def finish(self, answer: ModelQuestionSet | None) -> list[QuestionDraft]:
        """The usable questions of the whole answer not read yet; none when there is no answer
        (the model failed, or its answer was not valid as a whole)."""
        if answer is None:
            return []
        whole = answer.questions
        if whole[: len(self._read)] != self._read:
            log.warning("the whole answer does not go on from its streamed part: rest unused")
            return []
        taken: list[QuestionDraft] = []
        for question in whole[len(self._read) :]:
            self._read.append(question)
            taken += self._take(question)
        return taken

    def check(self, answer: ModelQuestionSet) -> ModelQuestionSet:
        """The model client's ``check`` of the whole answer: take the questions not read yet
        (``rest``), and refuse an answer of which no question is usable (``ValueError``, which
        the client makes ``invalid_output``)."""
        self.rest = self.finish(answer)
        if not self.kept:
            rejected = self.screening.rejected
            reasons = ", ".join(f"{n} {reason}" for reason, n in rejected.items())
            raise ValueError(f"no usable question ({reasons or 'none given'})")
        return answer

    def _take(self, question: ModelQuestion) -> list[QuestionDraft]:
        draft = self._screener.take(question)
        if draft is None:
            return []
        self.kept.append(draft)
        return [draft]
