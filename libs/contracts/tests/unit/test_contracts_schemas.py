"""The checked-in JSON Schemas are exactly what the models produce today."""

from __future__ import annotations

import json

from careerflow_contracts import routing, schemas


def test_checked_in_schemas_match_the_models() -> None:
    expected = schemas.render()
    on_disk = {
        path.name: path.read_text(encoding="utf-8") for path in schemas.DEFAULT_DIR.glob("*.json")
    }
    stale = sorted(name for name in expected if on_disk.get(name) != expected[name])
    extra = sorted(set(on_disk) - set(expected))
    assert not stale and not extra, (
        f"JSON Schemas are out of date (changed: {stale}, extra: {extra}); run `make schemas`"
    )


def test_the_union_schema_discriminates_on_type() -> None:
    union = json.loads(schemas.render()["Event.json"])
    assert union["discriminator"]["propertyName"] == "type"
    assert set(union["discriminator"]["mapping"]) == set(
        routing.REQUEST_TYPES + routing.RESULT_TYPES
    )


def test_queue_names_and_dead_letter_queues() -> None:
    assert routing.GATEWAY_RESULTS.routing_keys == routing.RESULT_TYPES
    assert routing.RESUME_PARSER.dead_letter_queue == "resume-parser.resume-submitted.dlq.v2"
    assert routing.RESUME_PARSER.superseded_dead_letter_queues == (
        "resume-parser.resume-submitted.dlq",
    )
    queues = [binding.queue for binding in routing.ALL_BINDINGS]
    assert len(queues) == len(set(queues)) == 7
