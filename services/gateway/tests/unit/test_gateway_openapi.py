"""``python -m careerflow_gateway.openapi`` prints the API description the web client is
generated from, with no server, database, broker or secret."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from functools import cache
from typing import Any


def _printed(**env: str) -> dict[str, Any]:
    """The document the module prints with ``env`` (each environment printed once per run: a
    Python process that imports the gateway takes a second or more)."""
    return copy.deepcopy(_printed_once(tuple(sorted(env.items()))))


@cache
def _printed_once(env_items: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    env = dict(env_items)
    clean = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("GATEWAY_", "DATABASE_", "AMQP_"))
    }
    # Nothing answers there: the document must not need it.
    clean |= {
        "DATABASE_URL": "postgresql://nobody@127.0.0.1:9/none",
        "AMQP_URL": "amqp://127.0.0.1:9/",
    }
    done = subprocess.run(
        [sys.executable, "-m", "careerflow_gateway.openapi"],
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.endswith("}\n")
    document: dict[str, Any] = json.loads(done.stdout)
    return document


def test_the_module_prints_the_document_with_the_account_routes() -> None:
    document = _printed()
    assert document["openapi"].startswith("3.")
    paths = document["paths"]
    assert set(paths["/v1/auth/signup"]) == {"post"}
    assert set(paths["/v1/auth/signin"]) == {"post"}
    assert set(paths["/v1/auth/signout"]) == {"post"}
    assert set(paths["/v1/auth/me"]) == {"get", "delete"}
    assert "/v1/sessions/{session_id}/events" in paths
    signup = paths["/v1/auth/signup"]["post"]
    assert set(signup["responses"]) >= {"201", "409", "422", "429"}
    body = signup["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = document["components"]["schemas"][body.rsplit("/", 1)[1]]
    assert schema["properties"]["password"]["minLength"] == 12
    assert schema["properties"]["password"]["maxLength"] == 256
    # Both ways in are described: the bearer token and the browser's session cookie.
    schemes = document["components"]["securitySchemes"]
    assert {"type": "apiKey", "in": "cookie", "name": "careerflow_session"}.items() <= next(
        scheme for scheme in schemes.values() if scheme.get("in") == "cookie"
    ).items()
    assert any(scheme.get("scheme") == "bearer" for scheme in schemes.values())
    cookie = [name for name, scheme in schemes.items() if scheme.get("in") == "cookie"]
    assert len(cookie) == 1
    assert "X-CSRF-Token" in schemes[cookie[0]]["description"]
    # The interview routes take either; the account routes the cookie only.
    assert {cookie[0]: []} in paths["/v1/sessions"]["post"]["security"]
    assert paths["/v1/auth/me"]["delete"]["security"] == [{cookie[0]: []}]


def test_the_document_does_not_depend_on_the_environment() -> None:
    assert _printed() == _printed(GATEWAY_MAX_UPLOAD_BYTES="1", GATEWAY_ENVIRONMENT="production")
