"""Every text field of the REST bodies refuses what the database cannot store or a reader cannot
see: control characters other than tab and line breaks (NUL above all), and lone surrogates.
Each is a 422 naming the field, and nothing is stored."""

from __future__ import annotations

import pytest
from gateway_testkit import PROBLEM, Gateway, WorkerDouble, bearer, new_id, session_form

pytestmark = [pytest.mark.database, pytest.mark.broker]


CONTROL_CHARACTERS = "\x00\x01\x08\x0b\x0c\x1b\x7f\x85\x9f"
"""NUL, SOH, BS, VT, FF, ESC, DEL, NEL, APC: C0, DEL and C1 controls."""


async def _session_count(gateway: Gateway) -> int:
    async with gateway.state.pool.acquire() as conn:
        count: int = await conn.fetchval("SELECT count(*) FROM sessions")
    return count


@pytest.mark.parametrize("field", ["job_description", "target_role"])
async def test_a_control_character_in_a_form_field_is_422_naming_it(
    gateway: Gateway, field: str
) -> None:
    for character in CONTROL_CHARACTERS:
        form = session_form()
        form["data"][field] = f"Python{character}Django"
        response = await gateway.client.post("/v1/sessions", headers=bearer("alice"), **form)
        assert response.status_code == 422, (repr(character), response.text)
        assert response.headers["content-type"] == PROBLEM
        params = response.json()["invalid_params"]
        assert [p["name"] for p in params] == [field]
        assert f"U+{ord(character):04X}" in params[0]["reason"]
    assert await _session_count(gateway) == 0


async def test_both_form_fields_are_named_when_both_are_bad(gateway: Gateway) -> None:
    form = session_form()
    form["data"] = {"job_description": "Python\x00", "target_role": "Dev\x00"}
    response = await gateway.client.post("/v1/sessions", headers=bearer("alice"), **form)
    assert response.status_code == 422
    names = {p["name"] for p in response.json()["invalid_params"]}
    assert names == {"job_description", "target_role"}


async def test_tabs_and_line_breaks_are_kept_in_form_fields(gateway: Gateway) -> None:
    job_description = "Python\tDjango\nPostgreSQL\r\nKubernetes is a plus."
    form = session_form(role="Backend\tEngineer")
    form["data"]["job_description"] = job_description
    response = await gateway.client.post("/v1/sessions", headers=bearer("alice"), **form)
    assert response.status_code == 202, response.text
    assert response.json()["target_role"] == "Backend\tEngineer"
    async with gateway.state.pool.acquire() as conn:
        stored = await conn.fetchval(
            "SELECT job_description FROM sessions WHERE id = $1", response.json()["id"]
        )
    assert stored == job_description


async def _ready_session(gateway: Gateway) -> tuple[str, list[dict[str, object]]]:
    created = await gateway.client.post("/v1/sessions", headers=bearer("alice"), **session_form())
    assert created.status_code == 202, created.text
    sid: str = created.json()["id"]
    ready = await gateway.wait_status(sid, "ready")
    return sid, ready["questions"]


async def test_a_control_character_in_an_answer_is_422_naming_text(
    gateway: Gateway, workers: WorkerDouble
) -> None:
    sid, questions = await _ready_session(gateway)
    first = questions[0]["id"]
    for character in CONTROL_CHARACTERS:
        response = await gateway.client.post(
            f"/v1/sessions/{sid}/answers",
            headers=bearer("alice"),
            json={"question_id": first, "text": f"My answer{character}."},
        )
        assert response.status_code == 422, (repr(character), response.text)
        assert response.headers["content-type"] == PROBLEM
        params = response.json()["invalid_params"]
        assert [p["name"] for p in params] == ["text"]
        assert f"U+{ord(character):04X}" in params[0]["reason"]
    # A lone surrogate is valid JSON escaping but not text Postgres (or UTF-8) can hold.
    surrogate = (
        '{"question_id": "%s", "text": "My answer \\ud800."}' % first  # noqa: UP031
    ).encode()
    response = await gateway.client.post(
        f"/v1/sessions/{sid}/answers",
        headers={**bearer("alice"), "Content-Type": "application/json"},
        content=surrogate,
    )
    assert response.status_code == 422, response.text
    assert [p["name"] for p in response.json()["invalid_params"]] == ["text"]

    view = (await gateway.client.get(f"/v1/sessions/{sid}", headers=bearer("alice"))).json()
    assert view["progress"]["answered"] == 0  # nothing was stored

    kept = "First,\tthis.\nThen\r\nthat."
    response = await gateway.client.post(
        f"/v1/sessions/{sid}/answers",
        headers=bearer("alice"),
        json={"question_id": first, "text": kept},
    )
    assert response.status_code == 202, response.text
    answered = next(q for q in response.json()["questions"] if q["id"] == first)
    assert answered["answer"]["text"] == kept


async def test_an_answer_to_an_unknown_session_is_judged_on_its_text_first(
    gateway: Gateway,
) -> None:
    # Validation needs no session: the body is refused before anything is looked up.
    response = await gateway.client.post(
        f"/v1/sessions/{new_id()}/answers",
        headers=bearer("alice"),
        json={"question_id": new_id(), "text": "\x00"},
    )
    assert response.status_code == 422
    assert [p["name"] for p in response.json()["invalid_params"]] == ["text"]
