"""The built web app (``web/dist``), served at ``/`` on every path the API does not answer.

It sits where the router answers 404 (``WebApp`` wraps the router's not-found handler), so no
API route, 405 or problem document changes. For ``GET`` and ``HEAD`` outside the API's paths:

- a file of the build is served: under ``/assets/`` (names carry a content hash) with a year's
  ``immutable`` cache lifetime, anything else (``index.html``, the favicon) with ``no-cache``;
- ``/``, and any other path whose request accepts HTML (a client-side route such as
  ``/interviews/123`` opened or reloaded in the browser), gets ``index.html``, ``no-cache``;
- everything else, a missing asset above all, is the API's 404 problem: a page asking for last
  release's bundle must fail, not run ``index.html`` as a script.

Every answer carries the Content-Security-Policy (no inline script or style, nothing from
another origin, no framing), ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy:
no-referrer``. Only files inside the build folder are served: a path is resolved (symbolic links
too) and refused unless it stays inside; dot-files are never served. With no build (no
``index.html``), ``/`` answers a short plain text saying how to make one; the folder is looked
at on each request, so ``make web`` while the gateway runs is picked up without a restart.
"""

from __future__ import annotations

from pathlib import Path

from starlette.datastructures import Headers
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
ASSET_CACHE = "public, max-age=31536000, immutable"
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
API_PATHS = ("/v1", "/livez", "/readyz", "/health", "/metrics", "/docs", "/redoc", "/openapi.json")
"""Paths (and everything under them) that belong to the API, never to the web app."""

NO_BUILD = (
    "CareerFlow's web app has not been built yet.\n\n"
    "Build it from the repository with:\n\n    make web\n\n"
    "then reload this page. The API answers under /v1 and is described at /docs.\n"
)

_ASSETS = "/assets/"


def default_web_dir() -> Path:
    """The repository's ``web/dist``, where ``make web`` builds the app."""
    return Path(__file__).resolve().parents[4] / "web" / "dist"


def _is_api(path: str) -> bool:
    return any(path == prefix or path.startswith(prefix + "/") for prefix in API_PATHS)


def _accepts_html(headers: Headers) -> bool:
    return "text/html" in headers.get("accept", "")


class WebApp:
    """ASGI app answering what the router does not: the web app's files, else ``not_found``."""

    def __init__(self, root: Path, not_found: ASGIApp) -> None:
        self.root = root
        self.not_found = not_found

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = None
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD"):
            path = scope["path"]
            if not _is_api(path):
                response = self._answer(path, Headers(scope=scope))
        if response is None:
            await self.not_found(scope, receive, send)
            return
        response.headers.update(SECURITY_HEADERS)
        await response(scope, receive, send)

    def _answer(self, path: str, headers: Headers) -> Response | None:
        index = self.root / "index.html"
        wants_page = path == "/" or (_accepts_html(headers) and not path.startswith(_ASSETS))
        if not index.is_file():
            return (
                PlainTextResponse(NO_BUILD, headers={"Cache-Control": "no-cache"})
                if (wants_page)
                else None
            )
        found = self._file(path)
        if found is not None:
            cache = ASSET_CACHE if path.startswith(_ASSETS) else "no-cache"
            return FileResponse(found, headers={"Cache-Control": cache})
        if wants_page:
            return FileResponse(
                index, media_type="text/html; charset=utf-8", headers={"Cache-Control": "no-cache"}
            )
        return None

    def _file(self, path: str) -> Path | None:
        """The file of the build at ``path``, or None (also for anything outside the build)."""
        parts = [part for part in path.split("/") if part]
        if not parts or any(part.startswith(".") or "\x00" in part for part in parts):
            return None
        root = self.root.resolve()
        try:
            candidate = root.joinpath(*parts).resolve()
        except (OSError, RuntimeError):  # a symbolic link loop, a name the OS refuses
            return None
        if not candidate.is_relative_to(root) or not candidate.is_file():
            return None
        return candidate
