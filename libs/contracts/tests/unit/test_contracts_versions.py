"""Event versions: a reader takes the versions it knows and refuses any other, never guessing."""

from __future__ import annotations

import json
import uuid

import pytest

from careerflow_contracts import (
    ReportGenerated,
    ReportGeneratedPayload,
    UnknownEventVersion,
    parse_event,
)

SECRET = "Jane Doe, jane@example.com"


def _report_generated(version: int) -> str:
    event = ReportGenerated(
        session_id=uuid.uuid4(),
        payload=ReportGeneratedPayload(source="ai", model="m", summary=SECRET),
    )
    raw = json.loads(event.model_dump_json())
    raw["version"] = version
    return json.dumps(raw)


@pytest.mark.parametrize("version", [99, 2])
def test_an_event_in_a_version_it_does_not_know_is_refused_not_read_as_v1(version: int) -> None:
    with pytest.raises(UnknownEventVersion) as refused:
        parse_event(_report_generated(version))
    assert (refused.value.event_type, refused.value.version) == ("report.generated", version)
    # The error is logged: it names the type and version, never the payload.
    assert "jane" not in str(refused.value).lower()


def test_a_known_version_is_read() -> None:
    assert parse_event(_report_generated(1)).payload.summary == SECRET  # type: ignore[union-attr]
