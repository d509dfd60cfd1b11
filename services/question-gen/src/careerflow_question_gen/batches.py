"""Publishing a question set in batches (``questions.generated`` version 2) while it is written.

Questions are numbered in the order they come. Whatever is waiting goes out as one batch as
soon as the batch before it is confirmed: a model writing one question every ten seconds sends
them one by one, the moment each is complete; questions that come together (a fast model, the
end of the answer) go together. No timer decides anything. The set's last position is always
held back for the final batch, which the handler returns to the runtime (published last, then
the request is acked): so the final batch is never empty, and it carries what is said of the
whole set (its source, fallback reason and notices).

A batch's event id is derived from the request and its positions, so the batch a redelivered
request sends again with the same positions is dropped by the gateway's inbox; one with other
positions is applied, and positions already stored keep their first question.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable, Iterable

from careerflow_contracts import (
    Question,
    QuestionsGenerated,
    QuestionsGeneratedPayload,
    QuestionsRequested,
    ResultPayload,
    routing,
)
from careerflow_question_gen.drafts import QuestionDraft
from careerflow_service import Publish


def batch_event_id(request: QuestionsRequested, first: int, last: int) -> uuid.UUID:
    """The id of the batch of positions ``first..last`` answering ``request``."""
    return uuid.uuid5(request.event_id, f"{routing.QUESTIONS_GENERATED}:{first}-{last}")


class QuestionBatches:
    """Numbers a set's questions as they come and publishes them in batches; see the module."""

    def __init__(
        self,
        request: QuestionsRequested,
        publish: Publish,
        *,
        model: str | None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._request = request
        self._publish = publish
        self._model = model
        self._clock = clock
        self._started = clock()
        self.total = request.payload.count
        self._waiting: list[Question] = []
        self._numbered = 0
        self._wake = asyncio.Event()
        self._closed = False
        self.sent: list[QuestionsGenerated] = []

    def add(self, drafts: Iterable[QuestionDraft]) -> None:
        """Number ``drafts`` after the questions before them; they wait for the next batch."""
        for draft in drafts:
            if self._numbered == self.total:
                raise ValueError(f"a set of {self.total} questions has no room for another")
            self._numbered += 1
            self._waiting.append(draft.numbered(self._numbered))
            self._wake.set()

    async def run(self) -> None:
        """Publish what is waiting, batch after batch, until ``close``; returns once the batch
        under way is confirmed. A failed publish raises here."""
        while True:
            await self._wake.wait()
            self._wake.clear()
            if self._closed:
                return
            batch = [q for q in self._waiting if q.position < self.total]
            if not batch:
                continue
            del self._waiting[: len(batch)]
            event = self._event(batch, ResultPayload(source="ai", model=self._model))
            await self._publish(event)
            self.sent.append(event)

    def close(self) -> None:
        """No more batches before the final one: ``run`` returns after the one under way."""
        self._closed = True
        self._wake.set()

    def final(self, rest: Iterable[QuestionDraft], outcome: ResultPayload) -> QuestionsGenerated:
        """The final batch: the questions still waiting, then ``rest`` (from the fallback), to
        the total. ``outcome`` says how the whole set was made."""
        self.add(rest)
        if self._numbered != self.total:
            raise ValueError(f"the set has {self._numbered} questions of {self.total}")
        batch, self._waiting = self._waiting, []
        return self._event(batch, outcome)

    def _event(self, batch: list[Question], outcome: ResultPayload) -> QuestionsGenerated:
        first, last = batch[0].position, batch[-1].position
        elapsed_ms = max(0, round((self._clock() - self._started) * 1000))
        return self._request.reply(
            QuestionsGenerated,
            QuestionsGeneratedPayload(
                source=outcome.source,
                fallback_reason=outcome.fallback_reason,
                fallback_detail=outcome.fallback_detail,
                model=outcome.model,
                duration_ms=outcome.duration_ms or elapsed_ms,
                notices=outcome.notices,
                questions=batch,
                generation=self._request.payload.generation,
                total=self.total,
                final=last == self.total,
            ),
            version=2,
            event_id=batch_event_id(self._request, first, last),
        )
