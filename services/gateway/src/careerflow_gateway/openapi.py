"""``python -m careerflow_gateway.openapi``: print the gateway's OpenAPI document as JSON.

The web app's typed client is generated from this output (``web/openapi.json``), so it needs no
server, database, broker or secret, and it does not depend on the environment: the app is built
with the settings' defaults (and a stand-in secret that signs nothing), never started.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from pydantic import SecretStr

from careerflow_gateway.app import create_app
from careerflow_gateway.settings import GatewaySettings


def document() -> dict[str, Any]:
    """The OpenAPI document of the gateway's API."""
    # model_construct: the defaults, not the environment, and no check of the stand-in secret.
    settings = GatewaySettings.model_construct(jwt_secret=SecretStr("openapi-document-only"))
    return create_app(settings).openapi()


def main() -> None:
    sys.stdout.write(json.dumps(document(), indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
