"""Security headers on every answer: a Content-Security-Policy without inline script, nosniff, no referrer,
no caching of anything that may carry personal data, and HTTPS kept to once served over TLS (0022)."""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from importlib import resources

import httpx
import pytest
from fastapi.testclient import TestClient

from hub.api.app import create_app
from hub.api.server import serving_in_background
from hub.bootstrap import Hub
from tests.api_support import bearer
from tests.builders import MANAGER
from tests.refusal_support import HubFactory, hub_with  # noqa: F401 - hub_with is a fixture
from tests.scenario import open_case

STRICT = {
    "default-src": "'none'", "script-src": "'self'", "style-src": "'self'", "frame-ancestors": "'none'",
    "object-src": "'none'", "base-uri": "'none'", "form-action": "'self'",
}


def _policy(response: httpx.Response) -> dict[str, str]:
    directives = (part.strip().split(" ", 1) for part in response.headers["content-security-policy"].split(";"))
    return {name: value for name, value in directives}


def _assert_secured(response: httpx.Response, cached: bool = False) -> None:
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert ("no-store" in response.headers.get("cache-control", "")) is not cached
    assert "strict-transport-security" not in response.headers  # not over TLS


@pytest.fixture
def client(app: Hub) -> Iterator[TestClient]:
    with TestClient(create_app(app)) as test_client:
        yield test_client


def test_every_kind_of_answer_carries_the_strict_policy_and_is_not_cached(
    client: TestClient, app: Hub
) -> None:
    token = bearer(app, MANAGER)
    case = open_case(app)
    as_json = {**token, "Content-Type": "application/json"}
    client.post("/ui/login", data={"token": token["Authorization"][7:]}, follow_redirects=False)
    answers = {
        "a child's case": client.get(f"/v1/cases/{case.id}", headers=token),
        "a refusal": client.get("/v1/inbox"),
        "a malformed body": client.post("/v1/referrals", content=b"{", headers=as_json),
        "no such route": client.get("/v1/nothing-here"),
        "the sign-in page": client.get("/ui/login"),
        "the inbox page": client.get("/ui/inbox"),
        "the API's description": client.get("/openapi.json"),
        "liveness": client.get("/health"),
    }
    assert answers["a child's case"].status_code == 200 and answers["the inbox page"].status_code == 200
    for what, response in answers.items():
        assert _policy(response).items() >= STRICT.items(), what
        _assert_secured(response)


def test_an_answer_over_the_rate_limit_is_secured_like_any_other(hub_with: HubFactory) -> None:
    hub = hub_with(HUB_RATE_LIMIT_PER_ADDRESS="1/minute")
    with TestClient(create_app(hub)) as client:
        client.get("/health")
        response = client.get("/health")
    assert response.status_code == 429
    assert _policy(response).items() >= STRICT.items()
    _assert_secured(response)


@pytest.mark.parametrize(
    "asset", ["/ui/static/hub.css", "/ui/static/swagger-ui-init.js", "/docs/assets/swagger-ui.css"]
)
def test_static_assets_may_be_cached(client: TestClient, asset: str) -> None:
    response = client.get(asset)
    assert response.status_code == 200
    _assert_secured(response, cached=True)


def test_the_documentation_pages_have_policies_of_their_own_and_swagger_ui_runs_no_inline_script(
    client: TestClient,
) -> None:
    swagger, redoc = client.get("/docs"), client.get("/redoc")
    assert "'unsafe-inline'" not in swagger.headers["content-security-policy"]
    assert _policy(swagger)["script-src"] == _policy(redoc)["script-src"] == "'self'"
    assert _policy(redoc)["style-src"] == "'self' 'unsafe-inline'"  # ReDoc writes <style> elements
    for page in (swagger, redoc):
        assert {"frame-ancestors", "object-src", "base-uri"} <= _policy(page).keys()
        assert InlineCode.found_in(page.text) == []
        assert "//" not in "".join(InlineCode.sources(page.text)), "a page loads a script from elsewhere"


def test_over_tls_an_answer_tells_the_browser_to_keep_to_https(app: Hub) -> None:
    with TestClient(create_app(app), base_url="https://hub.example") as client:
        assert client.get("/health").headers["strict-transport-security"] == "max-age=31536000"


@pytest.mark.parametrize(("trusted", "told"), [("127.0.0.1", True), ("192.0.2.1", False)])
def test_behind_a_proxy_that_ends_tls_only_a_trusted_proxy_can_say_the_request_was_https(
    app: Hub, trusted: str, told: bool
) -> None:
    with serving_in_background(create_app(app), env={"HUB_FORWARDED_ALLOW_IPS": trusted}) as base_url:
        response = httpx.get(f"{base_url}/health", headers={"X-Forwarded-Proto": "https"})
    assert ("strict-transport-security" in response.headers) is told


class InlineCode(HTMLParser):
    """Script and style written into a page, which the policy would block: <script> without src, <style>,
    style= and on...= attributes, javascript: URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.script_sources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "script":
            if named.get("src"):
                self.script_sources.append(named["src"] or "")
            else:
                self.found.append("<script> without src")
        if tag == "style":
            self.found.append("<style>")
        for name, value in attrs:
            if name == "style" or name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}=...>")

    @classmethod
    def found_in(cls, html: str) -> list[str]:
        parser = cls()
        parser.feed(html)
        return parser.found

    @classmethod
    def sources(cls, html: str) -> list[str]:
        parser = cls()
        parser.feed(html)
        return parser.script_sources


@pytest.mark.parametrize(
    "template", sorted(p.name for p in resources.files("hub.web").joinpath("templates").iterdir()),
)
def test_the_managers_page_templates_hold_no_inline_script_or_style(template: str) -> None:
    text = resources.files("hub.web").joinpath("templates", template).read_text(encoding="utf-8")
    assert InlineCode.found_in(text) == []
