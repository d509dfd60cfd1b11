"""Every event of the interview flow, as one envelope per type, and the union that parses any.

An event is an envelope (``event_id``, ``type``, ``version``, ``occurred_at``, ``session_id``,
``causation_id``, ``deadline``) around a typed ``payload``. Request events carry a deadline;
result payloads carry ``source``, ``fallback_reason``, ``model`` and ``duration_ms``. Every text
a worker writes in a result is ``StorableText``: cleaned of what Postgres cannot store (NUL),
never refused for it.
``parse_event`` turns message bytes into the right model by ``type``.

Each event type's ``version`` is a ``Literal`` of the versions this release reads; its default is
the one it writes. A body in any other version raises ``UnknownEventVersion`` rather than being
read as if it were an older one: its consumer dead-letters it.
"""

from __future__ import annotations

import builtins
import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, Literal, Self, TypeVar, get_args

from pydantic import (
    AwareDatetime,
    ConfigDict,
    Field,
    TypeAdapter,
    model_validator,
)

from careerflow_contracts.common import (
    ContractModel,
    FallbackDetail,
    FallbackReason,
    FollowupReason,
    Notice,
    QuestionKind,
    Source,
)
from careerflow_contracts.models import CandidateProfile, Evaluation, Question, Rubric
from careerflow_contracts.text import StorableText


def utc_now() -> datetime:
    return datetime.now(UTC)


class UnknownEventVersion(ValueError):
    """A body of a known event type, in a version this release does not read.

    Its meaning may differ from every version known here, so it is not guessed at: the consumer
    dead-letters it. The message names the type and version only, never the payload.
    """

    def __init__(self, event_type: str, version: int) -> None:
        super().__init__(f"{event_type} version {version} is not a version this release reads")
        self.event_type = event_type
        self.version = version


_Reply = TypeVar("_Reply", bound="EventBase")


class EventBase(ContractModel):
    """The envelope every message body shares."""

    event_id: uuid.UUID = Field(default_factory=uuid.uuid4)
    type: str
    version: int = Field(default=1, ge=1)
    occurred_at: AwareDatetime = Field(default_factory=utc_now)
    session_id: uuid.UUID
    causation_id: uuid.UUID | None = None
    deadline: AwareDatetime | None = None

    def result_event_id(self, result_type: str) -> uuid.UUID:
        """The id of the result that answers this event: the same for every redelivery."""
        return uuid.uuid5(self.event_id, result_type)

    def reply(
        self, result: builtins.type[_Reply], payload: ContractModel, **envelope: Any
    ) -> _Reply:
        """The event of type ``result`` that answers this one, with ``payload``: its id derived
        from this event's (``result_event_id``, so a redelivered request gives a duplicate the
        gateway drops), in this session, caused by this event. ``envelope`` sets the envelope's
        other fields: a ``version``, or the ``event_id`` of one part of a result sent in parts.
        """
        # ``builtins.type`` above: the field ``type`` shadows the builtin in this class's body.
        fields: dict[str, Any] = {
            "event_id": self.result_event_id(result.model_fields["type"].default),
            "session_id": self.session_id,
            "causation_id": self.event_id,
            **envelope,
        }
        return result(payload=payload, **fields)


class ResultPayload(ContractModel):
    """What every result payload carries about how it was made."""

    source: Source
    fallback_reason: FallbackReason | None = None
    # Added in v1 (optional): the reason's detail as data; the gateway words it.
    fallback_detail: FallbackDetail | None = None
    model: str | None = None
    duration_ms: int = Field(default=0, ge=0)
    notices: list[Notice] = Field(default_factory=list)

    @model_validator(mode="after")
    def _reason_matches_source(self) -> Self:
        if self.source == "ai" and self.fallback_reason is not None:
            raise ValueError("an ai result has no fallback_reason")
        if self.source == "fallback" and self.fallback_reason is None:
            raise ValueError("a fallback result names its fallback_reason")
        return self


# --- payloads -------------------------------------------------------------------------------

RESUME_TEXT_MAX = 200_000
"""The longest resume text an event carries (the parser keeps 40 000 characters by default)."""


class ResumeSubmittedPayload(ContractModel):
    """The uploaded document itself, base64 in JSON: the workers are stateless.

    Version 1 also had the upload's ``filename``, which the parser never used (and which often
    is the candidate's name); it is ignored on reading.
    """

    model_config = ConfigDict(ser_json_bytes="base64", val_json_bytes="base64")

    document_type: Literal["pdf", "docx"]
    document: bytes = Field(max_length=5 * 1024 * 1024)
    profile_later: bool = False
    """The requester applies ``profile.refined``: answer at once with the deterministic reading
    and the text for the model (``fallback_reason`` ``deferred``, ``resume_text``), and let the
    model read the resume when asked (``profile.requested``). Without it (a requester of an
    earlier release) the model reads it first, as before. The reader tells the writer what it
    reads, so either side may be upgraded first."""


class ResumeParsedPayload(ResultPayload):
    """Version 1's profile also had ``full_name`` and ``email``; they are dropped on reading.

    ``resume_text`` is given only with ``fallback_reason`` ``deferred`` (to a requester that
    asked for ``profile_later``): the text the model is to read later, its instruction lines set
    aside, which the requester sends back in ``profile.requested``.
    """

    profile: CandidateProfile
    dropped_claims: int = Field(default=0, ge=0)
    resume_text: StorableText | None = Field(default=None, min_length=1, max_length=RESUME_TEXT_MAX)

    @model_validator(mode="after")
    def _text_only_when_deferred(self) -> Self:
        if (self.resume_text is not None) != (self.fallback_reason == "deferred"):
            raise ValueError("resume_text comes with a deferred reading, and only with one")
        return self


class ProfileRequestedPayload(ContractModel):
    """What the model reads when it is free: the resume's text (as ``resume.parsed`` gave it) and
    the deterministic reading the session uses meanwhile (its years, computed from the resume's
    dates, are kept over the model's)."""

    resume_text: StorableText = Field(min_length=1, max_length=RESUME_TEXT_MAX)
    profile: CandidateProfile


class ProfileRefinedPayload(ResultPayload):
    """The model's reading of the resume (``ai``), or why there is none (``fallback``, with the
    deterministic ``profile`` as it was given)."""

    profile: CandidateProfile
    dropped_claims: int = Field(default=0, ge=0)


class QuestionsRequestedPayload(ContractModel):
    """Version 1's profile also had ``full_name`` and ``email``; they are dropped on reading.

    ``batches`` says that the requester applies ``questions.generated`` version 2, the set in
    batches as the model writes it; without it (a requester of an earlier release) the answer is
    one version 1 event with the whole set. The reader tells the writer what it reads, so
    either side may be upgraded first.
    """

    target_role: str = Field(min_length=1, max_length=200)
    job_description: str = Field(min_length=1, max_length=20_000)
    profile: CandidateProfile
    count: int = Field(default=10, ge=2, le=50)
    generation: int = Field(default=1, ge=1)
    batches: bool = False


class QuestionsGeneratedPayload(ResultPayload):
    """Questions of one generation of a session's set.

    Version 1 holds the whole set (none at all: the set could not be written). Version 2 holds
    one batch: the questions at consecutive positions, ``total`` the size of the whole set, and
    ``final`` on the batch that ends it (its last position is ``total``). Batches may be
    applied in any order. The result fields (``source``, ``fallback_reason``, ``notices``)
    describe the batch; the final batch's describe the whole set.
    """

    questions: list[Question]
    generation: int = Field(default=1, ge=1)
    total: int | None = Field(default=None, ge=1, le=50)
    final: bool = True

    @property
    def set_size(self) -> int:
        """How many questions the whole set has."""
        return self.total if self.total is not None else len(self.questions)

    def check_batch(self) -> None:
        """Raise ValueError unless this is a well-formed batch of version 2."""
        if self.total is None:
            raise ValueError("a batch names the total of its set")
        positions = [question.position for question in self.questions]
        if not positions:
            raise ValueError("a batch holds at least one question")
        if positions != list(range(positions[0], positions[0] + len(positions))):
            raise ValueError("a batch holds questions at consecutive positions")
        if positions[-1] > self.total:
            raise ValueError("a batch holds no position past the total of its set")
        if self.final != (positions[-1] == self.total):
            raise ValueError("the final batch, and only it, ends at the total of its set")


ANSWER_MAX = 10_000
"""The longest answer a candidate may give."""


class ParentAnswer(ContractModel):
    """The question a follow-up follows up, and the candidate's answer to it."""

    question: Question
    answer_text: str = Field(min_length=1, max_length=ANSWER_MAX)


class AnswerSubmittedPayload(ContractModel):
    """``parent`` is set when the question is a follow-up: its answer is judged with what was
    asked and answered before (optional, so an evaluator of an earlier release reads the
    follow-up as a question of its own)."""

    question_id: uuid.UUID
    question: Question
    answer_text: str = Field(min_length=1, max_length=ANSWER_MAX)
    target_role: str = Field(min_length=1, max_length=200)
    parent: ParentAnswer | None = None


class CallSpeed(ContractModel):
    """How fast the model worked on the call behind a result, by its own account (Ollama's
    last line; an OpenAI-compatible server's token counts over the client's clock): tokens
    read and written a second, and the time it took to load. ``None`` where the call was too
    short to tell or gave no figures."""

    load_s: float | None = Field(default=None, ge=0, le=86_400, allow_inf_nan=False)
    prompt_tokens_per_s: float | None = Field(default=None, gt=0, le=1e6, allow_inf_nan=False)
    output_tokens_per_s: float | None = Field(default=None, gt=0, le=1e6, allow_inf_nan=False)


class AnswerGaps(ContractModel):
    """What an answer left out, as the evaluator's own checks measure it, whoever scored it:
    the expected points it does not cover, whether it names no example or specifics
    (``vague``), whether it says nothing at all (``non_answer``). The gateway decides from
    them whether to ask a follow-up."""

    missed_points: list[StorableText] = Field(default_factory=list, max_length=10)
    vague: bool = False
    non_answer: bool = False


class AnswerEvaluatedPayload(ResultPayload):
    """``speed`` is the model's pace on this call, for the candidate to see how fast it works
    now; optional, so an evaluator of an earlier release (which sends none) is read as before.
    ``gaps`` is what the answer left out; absent from an evaluator of an earlier release, and
    then no follow-up is asked."""

    question_id: uuid.UUID
    evaluation: Evaluation
    speed: CallSpeed | None = None
    gaps: AnswerGaps | None = None


class FollowupRequestedPayload(ContractModel):
    """What a follow-up is written from: the question (``question_id`` is its id), its expected
    points, the candidate's answer (data, never instructions), why it gets a follow-up and what
    it left out."""

    question_id: uuid.UUID
    question: Question
    answer_text: str = Field(min_length=1, max_length=ANSWER_MAX)
    target_role: str = Field(min_length=1, max_length=200)
    reason: FollowupReason
    gaps: AnswerGaps


class FollowupGeneratedPayload(ResultPayload):
    """One follow-up question to the question ``question_id``, by the model or the fallback,
    with the points a strong answer to it covers."""

    question_id: uuid.UUID
    text: StorableText = Field(min_length=10, max_length=1000)
    expected_points: list[StorableText] = Field(default_factory=list, max_length=10)


class SkillMatch(ContractModel):
    """The job description's skills found (``matched``) and not found (``missing``) in it."""

    matched: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    score: float = Field(ge=0, le=100)


class ByKind(ContractModel):
    """Mean answer score per question kind, on 0-100; ``None`` where there was no such question."""

    technical: float | None = Field(default=None, ge=0, le=100)
    behavioral: float | None = Field(default=None, ge=0, le=100)


class ReportFollowup(ContractModel):
    """The follow-up asked on one question: its text, and the answer and score, or ``skipped``
    (a skip is no answer, and scores nothing: not zero)."""

    question: str
    answer_text: str | None = None
    score: int | None = Field(default=None, ge=0, le=10)
    skipped: bool = False


class ReportItem(ContractModel):
    """One answered question as the report writer sees it.

    ``score`` is this answer's own; ``topic_score`` (0-10) the topic's, from the answer and its
    follow-up together, which the report's numbers are computed from; both optional fields are
    absent where no follow-up was asked (and from a gateway of an earlier release)."""

    position: int = Field(ge=1)
    kind: QuestionKind
    skill: str | None = None
    question: str
    answer_text: str
    score: int = Field(ge=0, le=10)
    rubric: Rubric
    feedback: str = ""
    followup: ReportFollowup | None = None
    topic_score: float | None = Field(default=None, ge=0, le=10)


class ReportRequestedPayload(ContractModel):
    """The report's inputs and numbers.

    ``job_description`` is not used by the report writer (the gateway computes the skill match).
    Version 2 leaves it out, but release 1's evaluator requires it, so this release still writes
    version 1 with it, and reads both: a rolling upgrade in any order loses no report. The next
    release writes version 2 and drops the field.
    """

    target_role: str = Field(min_length=1, max_length=200)
    job_description: str | None = Field(default=None, min_length=1, max_length=20_000)
    items: list[ReportItem]
    overall_score: float = Field(ge=0, le=100)
    by_kind: ByKind
    skill_match: SkillMatch


class ReportGeneratedPayload(ResultPayload):
    summary: StorableText
    strengths: list[StorableText] = Field(default_factory=list)
    improvements: list[StorableText] = Field(default_factory=list)


# --- events ---------------------------------------------------------------------------------


class ResumeSubmitted(EventBase):
    """Sent when a session is created: the resume document to parse."""

    type: Literal["resume.submitted"] = "resume.submitted"
    version: Literal[1, 2] = 2
    payload: ResumeSubmittedPayload


class ResumeParsed(EventBase):
    """Sent when the resume parser has read a resume, by the model or by the fallback."""

    type: Literal["resume.parsed"] = "resume.parsed"
    version: Literal[1, 2] = 2
    payload: ResumeParsedPayload


class ProfileRequested(EventBase):
    """Sent when the model is free (no work a candidate waits for is pending) to read a resume
    whose deterministic reading the session already uses."""

    type: Literal["profile.requested"] = "profile.requested"
    version: Literal[1] = 1
    payload: ProfileRequestedPayload


class ProfileRefined(EventBase):
    """Sent when the resume parser has read a resume with the model at the gateway's request,
    or could not."""

    type: Literal["profile.refined"] = "profile.refined"
    version: Literal[1] = 1
    payload: ProfileRefinedPayload


class QuestionsRequested(EventBase):
    """Sent when the gateway needs (again) the questions of a session."""

    type: Literal["questions.requested"] = "questions.requested"
    version: Literal[1, 2] = 2
    payload: QuestionsRequestedPayload


class QuestionsGenerated(EventBase):
    """Sent when the question generator has written a session's questions: the whole set
    (version 1), or one batch of it as soon as the model has written it (version 2, only to a
    requester that asked for ``batches``)."""

    type: Literal["questions.generated"] = "questions.generated"
    version: Literal[1, 2] = 1
    payload: QuestionsGeneratedPayload

    @model_validator(mode="after")
    def _shaped_as_its_version(self) -> Self:
        payload = self.payload
        if self.version == 2:
            payload.check_batch()
        elif not payload.final or payload.total not in (None, len(payload.questions)):
            raise ValueError("version 1 of questions.generated holds the whole set")
        return self


class AnswerSubmitted(EventBase):
    """Sent when a candidate answers a question."""

    type: Literal["answer.submitted"] = "answer.submitted"
    version: Literal[1] = 1
    payload: AnswerSubmittedPayload


class AnswerEvaluated(EventBase):
    """Sent when the evaluator has scored one answer."""

    type: Literal["answer.evaluated"] = "answer.evaluated"
    version: Literal[1] = 1
    payload: AnswerEvaluatedPayload


class FollowupRequested(EventBase):
    """Sent when an evaluated answer gets a follow-up question: write it."""

    type: Literal["followup.requested"] = "followup.requested"
    version: Literal[1] = 1
    payload: FollowupRequestedPayload


class FollowupGenerated(EventBase):
    """Sent when the evaluator has written a follow-up question, by the model or the fallback."""

    type: Literal["followup.generated"] = "followup.generated"
    version: Literal[1] = 1
    payload: FollowupGeneratedPayload


class ReportRequested(EventBase):
    """Sent when every question of a session is evaluated: the report's inputs and numbers."""

    type: Literal["report.requested"] = "report.requested"
    version: Literal[1, 2] = 1
    payload: ReportRequestedPayload

    @model_validator(mode="after")
    def _version_1_has_the_job_description(self) -> Self:
        if self.version == 1 and self.payload.job_description is None:
            raise ValueError("version 1 of report.requested carries the job_description")
        return self


class ReportGenerated(EventBase):
    """Sent when the evaluator has written the report's narrative."""

    type: Literal["report.generated"] = "report.generated"
    version: Literal[1] = 1
    payload: ReportGeneratedPayload


Event = Annotated[
    ResumeSubmitted
    | ResumeParsed
    | ProfileRequested
    | ProfileRefined
    | QuestionsRequested
    | QuestionsGenerated
    | AnswerSubmitted
    | AnswerEvaluated
    | FollowupRequested
    | FollowupGenerated
    | ReportRequested
    | ReportGenerated,
    Field(discriminator="type"),
]

EVENT_TYPES: dict[str, type[EventBase]] = {
    cls.model_fields["type"].default: cls
    for cls in (
        ResumeSubmitted,
        ResumeParsed,
        ProfileRequested,
        ProfileRefined,
        QuestionsRequested,
        QuestionsGenerated,
        AnswerSubmitted,
        AnswerEvaluated,
        FollowupRequested,
        FollowupGenerated,
        ReportRequested,
        ReportGenerated,
    )
}

EVENT_VERSIONS: dict[str, tuple[int, ...]] = {
    name: get_args(cls.model_fields["version"].annotation) for name, cls in EVENT_TYPES.items()
}
"""The versions of each event type this release reads."""

EVENT_ADAPTER: TypeAdapter[Event] = TypeAdapter(Event)


class _Envelope(ContractModel):
    """Just enough of a body to know which model, and which version of it, reads the rest."""

    type: str
    version: int = 1


def parse_event(body: bytes | str) -> Event:
    """Decode a message body into its event model.

    Raises ``UnknownEventVersion`` for a known type in a version not read here, and
    ``pydantic.ValidationError`` for anything else that is not a valid event.
    """
    envelope = _Envelope.model_validate_json(body)
    readable = EVENT_VERSIONS.get(envelope.type)
    if readable is not None and envelope.version not in readable:
        raise UnknownEventVersion(envelope.type, envelope.version)
    return EVENT_ADAPTER.validate_json(body)
