"""The ``gateway`` console script.

    gateway [serve]                          run the API (uvicorn) on GATEWAY_HOST:GATEWAY_PORT
    gateway migrate                          apply the database migrations and exit
    gateway token --user alice [--ttl-hours 24]
                                             print a JWT for local use, signed with the secret,
                                             with the gateway's issuer and audience

Everything else comes from environment variables (see ``settings.py``).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from datetime import timedelta
from typing import Any

from pydantic import ValidationError

from careerflow_gateway.auth import mint_token
from careerflow_gateway.settings import GatewaySettings
from careerflow_service import configure_logging


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gateway", description="CareerFlow gateway")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("serve", help="run the API (the default)")
    commands.add_parser("migrate", help="apply the database migrations and exit")
    token = commands.add_parser("token", help="print a JWT for local use")
    token.add_argument("--user", required=True, help="the token's subject (user id)")
    token.add_argument(
        "--ttl-hours",
        type=float,
        default=24.0,
        help="lifetime in hours (at most GATEWAY_JWT_MAX_LIFETIME_S, 24 h by default)",
    )
    return parser


def uvicorn_options(settings: GatewaySettings) -> dict[str, Any]:
    """How the gateway runs uvicorn: the keyword arguments of ``uvicorn.run`` (and ``Config``)."""
    return {
        "host": settings.host,
        "port": settings.port,
        "log_level": settings.log_level,
        # The client's address (and scheme) from X-Forwarded-For (and -Proto), believed only
        # from these proxies: the sign-in limits count clients by that address.
        "proxy_headers": True,
        "forwarded_allow_ips": settings.forwarded_allow_ips.split(","),
        # An open event stream lasts until its session completes: without a bound, one
        # connected client would hold a SIGTERM'd gateway until it is killed.
        "timeout_graceful_shutdown": int(settings.shutdown_grace_s) + 1,
        # h11, named rather than left to "auto" (httptools where installed), because h11 bounds
        # a head still arriving: past this many buffered bytes without its end, uvicorn answers
        # 400 and closes. A head that arrives whole is judged by RequestGuard (431). The bound
        # is the guard's plus what the guard does not count (each header's ": " and CRLF, the
        # method and the HTTP version), so a head the guard accepts is never cut here.
        "http": "h11",
        "h11_max_incomplete_event_size": (
            settings.max_request_head_bytes + 4 * settings.max_request_headers + 1024
        ),
    }


def _serve(settings: GatewaySettings) -> None:
    import uvicorn

    from careerflow_gateway.app import create_app

    uvicorn.run(create_app(settings), **uvicorn_options(settings))


def main(argv: list[str] | None = None) -> None:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        settings = GatewaySettings()
    except ValidationError as exc:
        sys.exit(f"gateway: the settings are not usable:\n{exc}")
    configure_logging(settings.log_level)
    if args.command == "migrate":
        from careerflow_gateway.db import upgrade_database

        asyncio.run(upgrade_database(settings.database_url))
        logging.getLogger("careerflow_gateway").info("migrations applied")
    elif args.command == "token":
        ttl = timedelta(hours=args.ttl_hours)
        longest = timedelta(seconds=settings.jwt_max_lifetime_s)
        if not timedelta(0) < ttl <= longest:
            # A token the gateway would refuse is no use to anyone: say so now, not at the 401.
            parser.error(
                f"--ttl-hours must be above 0 and at most {longest / timedelta(hours=1):g}"
            )
        try:
            token = mint_token(
                settings.jwt_secret.get_secret_value(),
                args.user,
                ttl=ttl,
                issuer=settings.jwt_issuer,
                audience=settings.jwt_audience,
            )
        except ValueError as exc:
            parser.error(f"--user: {exc}")
        sys.stdout.write(token + "\n")
    else:
        _serve(settings)


if __name__ == "__main__":
    main()
