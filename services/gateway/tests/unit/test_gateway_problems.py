"""Validation errors as problem documents: each names the field a client can act on."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel

from careerflow_gateway.problems import PROBLEM_JSON, install_problem_handlers


class Answer(BaseModel):
    text: str


def _client() -> httpx.AsyncClient:
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/answers")
    async def answer(body: Answer) -> dict[str, str]:
        return {"text": body.text}

    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw")


@pytest.mark.parametrize(
    "body", [b'{"text": ', b"not json", b"[1, 2", b'{"text": "a"', b'{"text": "a"}}']
)
async def test_a_body_that_is_not_json_names_the_body(body: bytes) -> None:
    async with _client() as client:
        response = await client.post(
            "/answers", content=body, headers={"Content-Type": "application/json"}
        )
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM_JSON
    problem = response.json()
    # Not the position of the error ("10"), which no client could take for a field.
    (param,) = problem["invalid_params"]
    assert param["name"] == "body"
    assert param["reason"].startswith("not valid JSON")
    assert "at character" in param["reason"]
    assert problem["detail"] == "invalid: body"


async def test_a_field_error_still_names_the_field() -> None:
    async with _client() as client:
        response = await client.post("/answers", json={"text": 10})
    assert response.status_code == 422
    assert [p["name"] for p in response.json()["invalid_params"]] == ["text"]
