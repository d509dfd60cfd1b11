"""Print the gateway's OpenAPI document as JSON, for the web app's generated client.

A stand-in for ``python -m careerflow_gateway.openapi`` while the gateway has no such module;
``generate-client.mjs`` prefers that module as soon as it exists. The document is built by
``create_app`` without a server, a database or a broker (the lifespan never runs). The settings
only have to pass validation: a development environment and a throwaway secret, given here
explicitly so that whatever ``GATEWAY_*`` variables the shell holds cannot change the document.
"""

from __future__ import annotations

import json
import sys

from pydantic import SecretStr

from careerflow_gateway.app import create_app
from careerflow_gateway.settings import GatewaySettings


def main() -> None:
    settings = GatewaySettings(
        environment="development",
        jwt_secret=SecretStr("openapi-document-only-never-signs-anything"),
    )
    document = create_app(settings).openapi()
    json.dump(document, sys.stdout, indent=2, sort_keys=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
