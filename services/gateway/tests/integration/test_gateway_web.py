"""The built web app served by the gateway: ``index.html`` with its security headers at ``/`` and
at every client-side route, assets with long cache lifetimes, and the API's own answers kept."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from gateway_testkit import PROBLEM, Gateway, bearer, gateway_settings, start_gateway

from careerflow_messaging import Topology

pytestmark = [pytest.mark.database, pytest.mark.broker]

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
INDEX = '<!doctype html><html><head><script type="module" src="/assets/app-1a2b3c.js"></script>'
SCRIPT = "console.log('careerflow');\n"
HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.fixture
def web_dist(tmp_path: Path) -> Path:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text(INDEX + "</head><body></body></html>\n")
    (dist / "assets" / "app-1a2b3c.js").write_text(SCRIPT)
    (dist / "favicon.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (tmp_path / "secret.txt").write_text("outside the web folder")
    return dist


@pytest.fixture
async def web_gateway(
    database_url: str, amqp_url: str, topology: Topology, web_dist: Path
) -> AsyncIterator[Gateway]:
    settings = gateway_settings(database_url, amqp_url, web_dir=web_dist)
    async for running in start_gateway(settings, topology):
        yield running


def _assert_index(response: httpx.Response) -> None:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert response.text.startswith(INDEX)
    assert response.headers["content-security-policy"] == CSP
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["cache-control"] == "no-cache"


async def test_the_app_is_served_at_the_root_with_its_security_headers(
    web_gateway: Gateway,
) -> None:
    _assert_index(await web_gateway.client.get("/", headers=HTML))
    _assert_index(await web_gateway.client.get("/index.html", headers=HTML))


@pytest.mark.parametrize("path", ["/interviews/123", "/history", "/interviews/1/report"])
async def test_a_client_side_route_gets_index_html(web_gateway: Gateway, path: str) -> None:
    _assert_index(await web_gateway.client.get(path, headers=HTML))


async def test_head_of_a_client_route_answers_like_get_without_a_body(
    web_gateway: Gateway,
) -> None:
    response = await web_gateway.client.head("/interviews/123", headers=HTML)
    assert response.status_code == 200
    assert response.headers["content-security-policy"] == CSP
    assert response.content == b""


async def test_assets_are_served_with_a_long_cache_lifetime(web_gateway: Gateway) -> None:
    response = await web_gateway.client.get("/assets/app-1a2b3c.js")
    assert response.status_code == 200
    assert response.text == SCRIPT
    assert "javascript" in response.headers["content-type"]
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["x-content-type-options"] == "nosniff"
    # Other files at the top of the build (the favicon) are served, revalidated each time.
    icon = await web_gateway.client.get("/favicon.svg")
    assert icon.status_code == 200
    assert icon.headers["content-type"].startswith("image/svg+xml")
    assert icon.headers["cache-control"] == "no-cache"


@pytest.mark.parametrize(
    "path", ["/assets/missing-9z9z9z.js", "/missing.png", "/interviews/123"], ids=str
)
async def test_a_missing_file_asked_for_without_html_is_a_404_problem(
    web_gateway: Gateway, path: str
) -> None:
    response = await web_gateway.client.get(path, headers={"Accept": "*/*"})
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM


async def test_a_missing_asset_is_never_index_html(web_gateway: Gateway) -> None:
    # A stale page asking for last release's bundle must fail loudly, not run index.html as JS.
    response = await web_gateway.client.get("/assets/app-old.js", headers=HTML)
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM


@pytest.mark.parametrize(
    "path",
    ["/assets/%2e%2e/%2e%2e/secret.txt", "/%2e%2e/secret.txt", "/assets/..%2f..%2fsecret.txt"],
)
async def test_nothing_outside_the_web_folder_is_served(web_gateway: Gateway, path: str) -> None:
    response = await web_gateway.client.get(path)
    assert "outside the web folder" not in response.text
    assert response.status_code in (400, 404)


async def test_the_api_keeps_its_meaning(web_gateway: Gateway) -> None:
    client = web_gateway.client
    unknown = await client.get("/v1/no-such-thing", headers={**HTML, **bearer("alice")})
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == PROBLEM
    anonymous = await client.get("/v1/sessions", headers=HTML)
    assert anonymous.status_code == 401
    assert anonymous.headers["content-type"] == PROBLEM
    wrong_method = await client.get(
        "/v1/sessions/00000000-0000-0000-0000-000000000000/answers", headers=bearer("alice")
    )
    assert wrong_method.status_code == 405
    assert wrong_method.headers["content-type"] == PROBLEM
    assert (await client.get("/livez", headers=HTML)).status_code == 200
    assert (await client.get("/openapi.json", headers=HTML)).json()["openapi"].startswith("3.")
    assert (
        (await client.get("/metrics", headers=HTML))
        .headers["content-type"]
        .startswith("text/plain")
    )
    assert "swagger" in (await client.get("/docs", headers=HTML)).text.lower()
    # Other methods than GET and HEAD are not the app's.
    posted = await client.post("/interviews/123", headers=HTML)
    assert posted.status_code == 404
    assert posted.headers["content-type"] == PROBLEM


async def test_without_a_build_the_root_says_how_to_make_one(
    database_url: str, amqp_url: str, topology: Topology, tmp_path: Path
) -> None:
    settings = gateway_settings(database_url, amqp_url, web_dir=tmp_path / "no-build-here")
    async for running in start_gateway(settings, topology):
        response = await running.client.get("/", headers=HTML)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/plain")
        assert "make web" in response.text
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["content-security-policy"] == CSP
        unknown = await running.client.get("/v1/no-such-thing", headers=bearer("alice"))
        assert unknown.headers["content-type"] == PROBLEM
