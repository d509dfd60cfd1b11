"""Each event carries only what its consumer uses: no contact details and no file name. Version 2
of those events drops them; version 1, as release 1 wrote it, is still read, and what it carried
beyond version 2 is dropped on reading. ``report.requested`` version 2 (no job description) is
read now and written from the next release, once no reader requires the field."""

from __future__ import annotations

import json
import uuid
from typing import Any, Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from careerflow_contracts import (
    ByKind,
    EventBase,
    QuestionsRequested,
    QuestionsRequestedPayload,
    ReportRequested,
    ReportRequestedPayload,
    ResumeParsed,
    ResumeParsedPayload,
    ResumeProfile,
    ResumeSubmitted,
    ResumeSubmittedPayload,
    SkillMatch,
    parse_event,
    schemas,
)

SESSION = "00000000-0000-4000-8000-000000000001"
NAME = "Jane Q. Doe"
EMAIL = "jane.doe@example.com"
READ = ResumeProfile(
    skills=["Python"],
    years_experience=4.0,
    titles=["Backend Engineer"],
    education=["BSc"],
    summary="Builds APIs.",
    full_name=NAME,
    email=EMAIL,
    source="ai",
)
"""The resume parser's reading, which has the contact details."""

JOB = "We want Python and PostgreSQL."


def _envelope(type_: str, payload: dict[str, Any], **extra: Any) -> str:
    """A body exactly as release 1 wrote it: version 1, the payload as given."""
    return json.dumps(
        {
            "event_id": str(uuid.uuid4()),
            "type": type_,
            "version": 1,
            "occurred_at": "2030-01-01T00:00:00Z",
            "session_id": SESSION,
            "causation_id": None,
            "payload": payload,
            **extra,
        }
    )


V1_PROFILE = {
    "skills": ["Python"],
    "years_experience": 4.0,
    "titles": ["Backend Engineer"],
    "education": ["BSc"],
    "summary": "Builds APIs.",
    "full_name": NAME,
    "email": EMAIL,
    "source": "ai",
}


def _written(event: object) -> str:
    assert hasattr(event, "model_dump_json")
    text: str = event.model_dump_json()
    return text


def test_questions_requested_v2_carries_no_contact_details() -> None:
    event = QuestionsRequested(
        session_id=uuid.UUID(SESSION),
        payload=QuestionsRequestedPayload(target_role="Dev", job_description=JOB, profile=READ),
    )
    body = _written(event)
    assert event.version == 2
    assert NAME not in body and EMAIL not in body
    assert not hasattr(event.payload.profile, "email")
    assert json.loads(body)["payload"]["profile"]["skills"] == ["Python"]


def test_resume_parsed_v2_carries_no_contact_details() -> None:
    event = ResumeParsed(
        session_id=uuid.UUID(SESSION),
        payload=ResumeParsedPayload(source="ai", model="m", profile=READ),
    )
    body = _written(event)
    assert event.version == 2
    assert NAME not in body and EMAIL not in body
    assert json.loads(body)["payload"]["profile"]["titles"] == ["Backend Engineer"]


def test_resume_submitted_v2_carries_no_file_name() -> None:
    event = ResumeSubmitted(
        session_id=uuid.UUID(SESSION),
        payload=ResumeSubmittedPayload(document_type="pdf", document=b"%PDF-1.7"),
    )
    assert event.version == 2
    assert "filename" not in json.loads(_written(event))["payload"]


def _report_requested_payload(**fields: Any) -> ReportRequestedPayload:
    return ReportRequestedPayload(
        target_role="Dev",
        items=[],
        overall_score=50.0,
        by_kind=ByKind(),
        skill_match=SkillMatch(score=0.0),
        **fields,
    )


def test_report_requested_is_written_as_v1_until_every_reader_reads_v2() -> None:
    """Release 1's evaluator requires the job description: writing version 2 (without it) now
    would dead-letter reports during a rolling upgrade that updates the gateway first."""
    event = ReportRequested(
        session_id=uuid.UUID(SESSION), payload=_report_requested_payload(job_description=JOB)
    )
    assert event.version == 1
    assert json.loads(_written(event))["payload"]["job_description"] == JOB
    with pytest.raises(ValidationError, match="carries the job_description"):
        ReportRequested(session_id=uuid.UUID(SESSION), payload=_report_requested_payload())
    # Version 2, which the next release writes, is read already.
    v2 = json.loads(_written(event))
    v2["version"] = 2
    del v2["payload"]["job_description"]
    read = parse_event(json.dumps(v2))
    assert isinstance(read, ReportRequested)
    assert (read.version, read.payload.job_description) == (2, None)


@pytest.mark.parametrize(
    ("body", "dropped"),
    [
        (
            _envelope(
                "questions.requested",
                {"target_role": "Dev", "job_description": JOB, "profile": V1_PROFILE},
                deadline="2030-01-01T00:01:00Z",
            ),
            [NAME, EMAIL],
        ),
        (
            _envelope(
                "resume.parsed",
                {"source": "ai", "model": "m", "duration_ms": 5, "profile": V1_PROFILE},
            ),
            [NAME, EMAIL],
        ),
        (
            _envelope(
                "resume.submitted",
                {"document_type": "pdf", "filename": "Jane_Doe_CV.pdf", "document": "JVBERi0="},
                deadline="2030-01-01T00:01:00Z",
            ),
            ["Jane_Doe_CV.pdf"],
        ),
    ],
    ids=["questions.requested", "resume.parsed", "resume.submitted"],
)
def test_version_1_is_still_read_and_what_v2_dropped_is_dropped_on_reading(
    body: str, dropped: list[str]
) -> None:
    event = parse_event(body)
    assert event.type == json.loads(body)["type"]
    assert event.version == 1  # read as what it is, not relabelled
    kept = event.model_dump_json()
    for value in dropped:
        assert value not in kept


def test_no_event_schema_has_a_field_for_contact_details_or_a_file_name() -> None:
    """A guard for the audit: a new field of this kind needs a reason to travel."""
    personal = {"full_name", "email", "filename", "phone"}

    def property_names(node: object) -> set[str]:
        if isinstance(node, dict):
            found = (
                set(node.get("properties", {}))
                if isinstance(node.get("properties"), dict)
                else set()
            )
            return found.union(*(property_names(value) for value in node.values()))
        if isinstance(node, list):
            return set().union(*(property_names(value) for value in node))
        return set()

    union = json.loads(schemas.render()["Event.json"])
    assert property_names(union) & personal == set()


# --- what release 1's readers require of the payloads this release writes ---------------------
# Copied from release 1's careerflow_contracts.events (commit f89a369): the fields it required
# and the envelope it accepted (any version >= 1, unknown fields ignored).


class _Release1Envelope(BaseModel):
    model_config = ConfigDict(extra="ignore")
    version: int = Field(default=1, ge=1)


class _Release1Profile(BaseModel):
    model_config = ConfigDict(extra="ignore")
    skills: list[str] = Field(default_factory=list)
    full_name: str | None = None
    email: str | None = None


class _Release1ResumeSubmitted(BaseModel):
    model_config = ConfigDict(extra="ignore", val_json_bytes="base64")
    document_type: Literal["pdf", "docx"]
    filename: str = Field(default="resume", max_length=255)
    document: bytes


class _Release1WithProfile(BaseModel):
    model_config = ConfigDict(extra="ignore")
    profile: _Release1Profile


class _Release1ReportRequested(BaseModel):
    model_config = ConfigDict(extra="ignore")
    target_role: str = Field(min_length=1)
    job_description: str = Field(min_length=1)


def test_release_1_readers_read_every_event_this_release_writes() -> None:
    """A rolling upgrade may update a writer before its readers: each of them must still read
    what this release writes, or the message is dead-lettered and its session stalls."""
    session = uuid.UUID(SESSION)
    written: list[tuple[EventBase, type[BaseModel]]] = [
        (
            ResumeSubmitted(
                session_id=session,
                payload=ResumeSubmittedPayload(document_type="pdf", document=b"%PDF-1.7"),
            ),
            _Release1ResumeSubmitted,
        ),
        (
            ResumeParsed(
                session_id=session, payload=ResumeParsedPayload(source="ai", profile=READ)
            ),
            _Release1WithProfile,
        ),
        (
            QuestionsRequested(
                session_id=session,
                payload=QuestionsRequestedPayload(
                    target_role="Dev", job_description=JOB, profile=READ
                ),
            ),
            _Release1WithProfile,
        ),
        (
            ReportRequested(
                session_id=session, payload=_report_requested_payload(job_description=JOB)
            ),
            _Release1ReportRequested,
        ),
    ]
    for event, release_1_payload in written:
        body = json.loads(event.model_dump_json())
        _Release1Envelope.model_validate(body)
        release_1_payload.model_validate_json(json.dumps(body["payload"]))
