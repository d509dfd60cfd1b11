"""Reading ``POST /v1/sessions``: a multipart body parsed as it streams in, checked by content.

The body is never buffered whole: a running byte count aborts with 413 as soon as it passes the
limit (the resume's 5 MiB plus room for the text fields and multipart framing), and a declared
``Content-Length`` above it is refused before reading. A resume is a PDF if it starts with
``%PDF-`` and a DOCX if it is a ZIP holding ``word/document.xml``; anything else is 415, whatever
its file name or declared type. The text fields follow the rule of every text a person sends
(``careerflow_contracts.rest.UserText``): no control characters but tab and line breaks.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath, PureWindowsPath
from typing import Literal

from python_multipart.multipart import MultipartParser, parse_options_header

from careerflow_contracts.rest import InvalidParam
from careerflow_contracts.text import unstorable_character
from careerflow_gateway.problems import Problem

DocumentType = Literal["pdf", "docx"]

JOB_DESCRIPTION_MAX = 20_000
TARGET_ROLE_MAX = 200
_MAX_UTF8_BYTES_PER_CHAR = 4
FRAMING_ALLOWANCE = 16 * 1024
"""Room for boundaries and part headers on top of the resume and the text fields."""

_FLAG_MAX = 5
_TEXT_FIELDS = {
    "job_description": JOB_DESCRIPTION_MAX,
    "target_role": TARGET_ROLE_MAX,
    "followups": _FLAG_MAX,
}
_TRUE = frozenset({"true", "1", "on", "yes"})
_FALSE = frozenset({"false", "0", "off", "no"})


@dataclass(frozen=True)
class ResumeUpload:
    """The uploaded resume: its bytes, its type as found from its content, its file name."""

    document: bytes
    document_type: DocumentType
    filename: str


@dataclass(frozen=True)
class SessionForm:
    """The validated fields of a new session."""

    resume: ResumeUpload
    job_description: str
    target_role: str
    followups: bool = False
    """The client shows follow-up questions: the interviewer may ask them in this session."""


def body_limit(max_file_bytes: int) -> int:
    """The most bytes a session body may have: the resume, the longest text fields, framing."""
    text_bytes = sum(_TEXT_FIELDS.values()) * _MAX_UTF8_BYTES_PER_CHAR
    return max_file_bytes + text_bytes + FRAMING_ALLOWANCE


def too_large(limit: int) -> Problem:
    return Problem(413, "payload-too-large", f"the resume may be at most {limit} bytes")


def sniff_document_type(document: bytes) -> DocumentType | None:
    """``pdf`` or ``docx`` judged by the bytes alone, or ``None`` for anything else."""
    if document.startswith(b"%PDF-"):
        return "pdf"
    if document.startswith(b"PK"):
        try:
            with zipfile.ZipFile(io.BytesIO(document)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
        if "word/document.xml" in names:
            return "docx"
    return None


def _safe_filename(raw: str | None) -> str:
    # Browsers may send a full client path; keep the last component only.
    name = PureWindowsPath(PurePosixPath(raw or "").name).name.strip()
    return name[:255] or "resume"


@dataclass
class _Part:
    name: str | None = None
    filename: str | None = None
    data: bytearray = field(default_factory=bytearray)
    overflow: bool = False


class _FormCollector:
    """Parser callbacks that keep each known part, capped at its own size limit."""

    def __init__(self, max_file_bytes: int) -> None:
        self.max_file_bytes = max_file_bytes
        self.parts: dict[str, _Part] = {}
        self._current = _Part()
        self._header_field = bytearray()
        self._header_value = bytearray()
        self._headers: dict[str, bytes] = {}

    def _cap(self, part: _Part) -> int | None:
        if part.name == "resume":
            return self.max_file_bytes
        if part.name in _TEXT_FIELDS:
            return _TEXT_FIELDS[part.name] * _MAX_UTF8_BYTES_PER_CHAR
        return None  # a part we do not know: counted in the body size, not kept

    def on_part_begin(self) -> None:
        self._current = _Part()
        self._headers = {}

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def on_header_end(self) -> None:
        self._headers[self._header_field.decode("latin-1").lower()] = bytes(self._header_value)
        self._header_field.clear()
        self._header_value.clear()

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get("content-disposition"))
        name = options.get(b"name")
        filename = options.get(b"filename")
        self._current.name = name.decode("utf-8", "replace") if name is not None else None
        self._current.filename = (
            filename.decode("utf-8", "replace") if filename is not None else None
        )

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        part = self._current
        cap = self._cap(part)
        if cap is None or part.overflow:
            return
        if len(part.data) + (end - start) > cap:
            if part.name == "resume":
                raise too_large(self.max_file_bytes)
            part.overflow = True
            return
        part.data += data[start:end]

    def on_part_end(self) -> None:
        part = self._current
        if part.name is not None and part.name not in self.parts:
            self.parts[part.name] = part


def _text_field(parts: dict[str, _Part], name: str, problems: list[InvalidParam]) -> str:
    limit = _TEXT_FIELDS[name]
    part = parts.get(name)
    if part is None:
        problems.append(InvalidParam(name=name, reason="field required"))
        return ""
    if part.filename is not None:
        problems.append(InvalidParam(name=name, reason="must be a text field, not a file"))
        return ""
    if part.overflow:
        problems.append(InvalidParam(name=name, reason=f"at most {limit} characters"))
        return ""
    try:
        value = part.data.decode("utf-8")
    except UnicodeDecodeError:
        problems.append(InvalidParam(name=name, reason="must be UTF-8 text"))
        return ""
    unstorable = unstorable_character(value)
    if unstorable is not None:
        problems.append(InvalidParam(name=name, reason=unstorable))
    elif not value.strip():
        problems.append(InvalidParam(name=name, reason="must not be empty"))
    elif len(value) > limit:
        problems.append(InvalidParam(name=name, reason=f"at most {limit} characters"))
    return value


def _flag_field(parts: dict[str, _Part], name: str, problems: list[InvalidParam]) -> bool:
    """An optional yes-or-no text field: absent is no."""
    part = parts.get(name)
    if part is None:
        return False
    value = part.data.decode("utf-8", "replace").strip().lower()
    if part.filename is None and not part.overflow and value in _TRUE | _FALSE:
        return value in _TRUE
    problems.append(InvalidParam(name=name, reason="must be true or false"))
    return False


async def read_session_form(
    content_type: str | None,
    content_length: str | None,
    chunks: AsyncIterator[bytes],
    *,
    max_file_bytes: int,
) -> SessionForm:
    """Parse and validate a new session's body; raises 413, 415 or 422 ``Problem``."""
    limit = body_limit(max_file_bytes)
    if content_length is not None:
        try:
            declared = int(content_length)
        except ValueError:
            raise Problem(400, "bad-request", "Content-Length is not a number") from None
        if declared > limit:
            raise too_large(max_file_bytes)

    media_type, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if media_type != b"multipart/form-data" or not boundary:
        raise Problem(
            415, "unsupported-media-type", "the body must be multipart/form-data with a boundary"
        )

    collector = _FormCollector(max_file_bytes)
    parser = MultipartParser(
        boundary,
        callbacks={
            "on_part_begin": collector.on_part_begin,
            "on_header_field": collector.on_header_field,
            "on_header_value": collector.on_header_value,
            "on_header_end": collector.on_header_end,
            "on_headers_finished": collector.on_headers_finished,
            "on_part_data": collector.on_part_data,
            "on_part_end": collector.on_part_end,
        },
    )
    received = 0
    try:
        async for chunk in chunks:
            received += len(chunk)
            if received > limit:
                raise too_large(max_file_bytes)
            parser.write(chunk)
        parser.finalize()
    except Problem:
        raise
    except Exception as exc:  # python-multipart raises its own errors for broken framing
        raise Problem(400, "bad-request", "the multipart body is malformed") from exc

    problems: list[InvalidParam] = []
    resume = collector.parts.get("resume")
    if resume is None or resume.filename is None:
        problems.append(InvalidParam(name="resume", reason="a file field is required"))
    elif not resume.data:
        problems.append(InvalidParam(name="resume", reason="the file is empty"))
    job_description = _text_field(collector.parts, "job_description", problems)
    target_role = _text_field(collector.parts, "target_role", problems)
    followups = _flag_field(collector.parts, "followups", problems)
    if problems:
        names = ", ".join(problem.name for problem in problems)
        raise Problem(422, "invalid-request", f"invalid: {names}", invalid_params=problems)

    assert resume is not None
    document = bytes(resume.data)
    document_type = sniff_document_type(document)
    if document_type is None:
        raise Problem(
            415,
            "unsupported-media-type",
            "the resume must be a PDF or a DOCX document (judged by its content)",
        )
    return SessionForm(
        resume=ResumeUpload(document, document_type, _safe_filename(resume.filename)),
        job_description=job_description,
        target_role=target_role.strip(),
        followups=followups,
    )
