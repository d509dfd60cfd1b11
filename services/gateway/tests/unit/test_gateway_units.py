"""Pure logic of the gateway: notices, report numbers, settings, tokens, uploads."""

from __future__ import annotations

import io
import zipfile
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from pydantic import ValidationError

from careerflow_contracts import FALLBACK_REASONS, Notice, ResumeParsedPayload, ResumeProfile
from careerflow_gateway.auth import caller_from_authorization, mint_token
from careerflow_gateway.notices import fallback_notice, merge_notices, result_notices
from careerflow_gateway.problems import Problem
from careerflow_gateway.report import ScoredAnswer, match_skills, report_numbers
from careerflow_gateway.settings import GatewaySettings
from careerflow_gateway.uploads import read_session_form, sniff_document_type
from careerflow_skills import job_skills
from careerflow_testing.occupations import occupation

SECRET = "unit-test-secret-0123456789abcdef"


def _parsed(**kwargs: object) -> ResumeParsedPayload:
    if kwargs.get("fallback_reason") == "deferred":
        kwargs.setdefault("resume_text", "the text the model reads later")
    return ResumeParsedPayload(profile=ResumeProfile(), **kwargs)  # type: ignore[arg-type]


def test_a_timeout_reads_as_plain_words_with_the_seconds() -> None:
    notice = fallback_notice(
        "questions", _parsed(source="fallback", fallback_reason="timeout", duration_ms=30_000)
    )
    assert notice is not None
    assert notice.stage == "questions"
    assert notice.message == (
        "The AI service did not answer within 30 s; default questions were used."
    )
    assert "Error" not in notice.message


@pytest.mark.parametrize("reason", FALLBACK_REASONS)
def test_every_fallback_reason_has_a_sentence(reason: str) -> None:
    notice = fallback_notice("evaluation", _parsed(source="fallback", fallback_reason=reason))
    assert notice is not None and notice.message.endswith(".")
    assert reason not in notice.message  # words, not the code


def test_an_ai_result_brings_only_the_workers_notices() -> None:
    own = Notice(stage="resume", code="no_text", message="The resume had no readable text.")
    assert result_notices("resume", _parsed(source="ai", notices=[own])) == [own]


def test_a_worker_that_explained_its_fallback_is_not_explained_twice() -> None:
    own = Notice(stage="questions", code="ai_connection_error", message="Refused; defaults used.")
    payload = _parsed(source="fallback", fallback_reason="connection_error", notices=[own])
    assert result_notices("questions", payload) == [own]
    scan = Notice(stage="resume", code="no_text_layer", message="No readable text (a scan?).")
    unreadable = _parsed(source="fallback", fallback_reason="unreadable_input", notices=[scan])
    assert result_notices("resume", unreadable) == [scan]
    cut = Notice(level="info", stage="resume", code="text_truncated", message="Cut at 50k.")
    plain = _parsed(source="fallback", fallback_reason="timeout", notices=[cut])
    notices = result_notices("resume", plain)
    assert [n.code for n in notices] == ["ai_timeout", "text_truncated"]


def test_one_notice_per_stage_and_code_with_the_newest_wording() -> None:
    slow = Notice(stage="evaluation", code="ai_timeout", message="Not within 30 s.")
    slower = Notice(stage="evaluation", code="ai_timeout", message="Not within 31 s.")
    report = Notice(stage="report", code="ai_timeout", message="Not within 30 s.")
    paused = Notice(stage="evaluation", code="ai_breaker_open", message="Paused.")
    merged = merge_notices(merge_notices([], [slow, report]), [slower, paused])
    # The cause stays beside the pause it led to.
    assert [(n["stage"], n["message"]) for n in merged] == [
        ("evaluation", "Not within 31 s."),
        ("report", "Not within 30 s."),
        ("evaluation", "Paused."),
    ]


def test_notices_are_not_repeated_and_a_redone_stage_replaces_its_own() -> None:
    first = Notice(stage="evaluation", code="ai_timeout", message="Slow.")
    merged = merge_notices([], [first])
    assert merge_notices(merged, [first]) == merged
    questions = Notice(stage="questions", code="ai_disabled", message="Off.")
    with_questions = merge_notices(merged, [questions])
    assert merge_notices(with_questions, [], replace_stage="questions") == merged


def test_report_numbers_come_from_the_scores() -> None:
    answers = [
        ScoredAnswer("technical", 8),
        ScoredAnswer("technical", 6),
        ScoredAnswer("behavioral", 5),
    ]
    numbers = report_numbers(answers, "Python and Docker", ["python"])
    assert numbers.overall_score == pytest.approx(63.3)
    assert numbers.by_kind.technical == 70.0
    assert numbers.by_kind.behavioral == 50.0
    assert numbers.skill_match.matched == ["Python"]
    assert numbers.skill_match.missing == ["Docker"]
    assert numbers.skill_match.score == 50.0
    only_technical = report_numbers(answers[:2], "", [])
    assert only_technical.by_kind.behavioral is None


def test_a_job_description_without_known_skills_matches_nothing() -> None:
    match = match_skills("Be kind and punctual.", ["Python"])
    assert (match.matched, match.missing, match.score) == ([], [], 0.0)


def test_the_skill_match_of_a_job_outside_software_uses_its_requirements() -> None:
    # Issue 17: a nurse's job named no skill of the vocabulary, so the match was empty.
    nurse = occupation("nurse")
    match = match_skills(nurse.job_description, nurse.resume_skills)
    assert match.matched == [
        "titrate vasoactive infusions to agreed blood pressure targets",  # "Vasoactive infusions"
        "ventilator management and arterial line monitoring",
        "infection prevention and control procedures",
    ]
    assert "BLS and ACLS certification" in match.missing  # listed under certifications only
    assert sorted(match.matched + match.missing) == sorted(job_skills(nurse.job_description))
    assert match.score == round(100 * 3 / len(job_skills(nurse.job_description)), 1) > 0


def test_a_placeholder_secret_is_refused_outside_development() -> None:
    dev_overlays = "development-only-secret-not-for-production"
    GatewaySettings(environment="development", jwt_secret=dev_overlays)
    for secret in ("change-me", "dev-secret", "short", dev_overlays):
        with pytest.raises(ValidationError):
            GatewaySettings(environment="production", jwt_secret=secret)
    GatewaySettings(environment="production", jwt_secret=SECRET)


def test_settings_fall_back_to_the_shared_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://db/shared")
    monkeypatch.setenv("AMQP_URL", "amqp://broker/")
    monkeypatch.setenv("GATEWAY_JWT_SECRET", SECRET)
    settings = GatewaySettings()
    assert (settings.database_url, settings.amqp_url) == (
        "postgresql://db/shared",
        "amqp://broker/",
    )
    monkeypatch.setenv("GATEWAY_DATABASE_URL", "postgresql://db/own")
    assert GatewaySettings().database_url == "postgresql://db/own"
    assert GatewaySettings().port == 8000


def test_tokens_round_trip_and_expire() -> None:
    token = mint_token(SECRET, "alice")
    assert caller_from_authorization(f"Bearer {token}", SECRET).user == "alice"
    expired = mint_token(SECRET, "alice", ttl=timedelta(seconds=-60))
    with pytest.raises(Problem) as caught:
        caller_from_authorization(f"Bearer {expired}", SECRET)
    assert caught.value.status == 401
    for header in (None, "", "Bearer", f"Token {token}", f"Bearer {token}x"):
        with pytest.raises(Problem) as refused:
            caller_from_authorization(header, SECRET)
        assert refused.value.status == 401, header


def _docx(with_document: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml" if with_document else "other.xml", "<x/>")
    return buffer.getvalue()


def test_documents_are_recognised_by_their_bytes() -> None:
    assert sniff_document_type(b"%PDF-1.7 ...") == "pdf"
    assert sniff_document_type(_docx()) == "docx"
    assert sniff_document_type(_docx(with_document=False)) is None
    assert sniff_document_type(b"PK\x03\x04 not really a zip") is None
    assert sniff_document_type(b"<html>%PDF-</html>") is None


def _body(parts: list[tuple[str, str | None, bytes]], boundary: str = "b0undary") -> bytes:
    out = b""
    for name, filename, data in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        out += f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n".encode()
        out += data + b"\r\n"
    return out + f"--{boundary}--\r\n".encode()


async def _chunks(body: bytes, size: int = 7) -> AsyncIterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


async def test_a_form_is_read_from_small_chunks() -> None:
    body = _body(
        [
            ("job_description", None, "Python – café".encode()),
            ("target_role", None, b"  Dev  "),
            ("resume", "C:\\Users\\me\\cv.pdf", b"%PDF-1.4 data"),
        ]
    )
    form = await read_session_form(
        "multipart/form-data; boundary=b0undary", None, _chunks(body), max_file_bytes=1024
    )
    assert form.job_description == "Python – café"
    assert form.target_role == "Dev"
    assert form.resume.filename == "cv.pdf"
    assert form.resume.document_type == "pdf"


async def test_a_file_over_the_limit_stops_the_read_with_413() -> None:
    body = _body([("resume", "r.pdf", b"%PDF-" + b"x" * 2000)])
    read = 0

    async def counted() -> AsyncIterator[bytes]:
        nonlocal read
        async for chunk in _chunks(body, 100):
            read += len(chunk)
            yield chunk

    with pytest.raises(Problem) as caught:
        await read_session_form(
            "multipart/form-data; boundary=b0undary", None, counted(), max_file_bytes=1000
        )
    assert caught.value.status == 413
    assert read < len(body)  # it stopped reading once past the limit

    with pytest.raises(Problem) as declared:
        await read_session_form(
            "multipart/form-data; boundary=b0undary",
            str(10**9),
            _chunks(b""),
            max_file_bytes=1000,
        )
    assert declared.value.status == 413
