"""Sign-in by a one-time link or code sent to a registered address (issue 16, decision 0048): registered by
an agency's head for its own staff, sent through the hub's SMTP delivery, good once and for minutes, rate
limited, the same answer for an address nobody registered, and every link sent and used recorded."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hub.aggregates.sign_in_address import address_id_for
from hub.api.app import create_app
from hub.web.rendering import COOKIE
from tests.api_support import bearer
from tests.builders import MANAGER, SCHOOL_PSYCHOLOGIST, SOCIAL_WORKER
from tests.refusal_support import HubFactory, hub_with  # noqa: F401 - fixture
from tests.smtp_support import Mailbox, smtp_server  # noqa: F401 - fixture

ADDRESS = "d.seitkali@cam-almaty.kz"
LINK = re.compile(r"https://hub\.example\.kz/ui/login/link\?t=([\w-]+)")
CODE = re.compile(r"Code / Код: (\d{6})")


@pytest.fixture
def signing_in(hub_with: HubFactory, smtp_server: tuple[Mailbox, int]) -> Iterator[tuple[Any, TestClient, Mailbox]]:
    mailbox, port = smtp_server
    hub = hub_with(HUB_SMTP_HOST="127.0.0.1", HUB_SMTP_PORT=str(port), HUB_SMTP_STARTTLS="no",
                   HUB_PUBLIC_URL="https://hub.example.kz")
    with TestClient(create_app(hub)) as client:
        registered = client.put("/v1/sign-in-addresses", headers=bearer(hub, MANAGER), json={
            "address": ADDRESS, "agency": SOCIAL_WORKER.agency, "role": SOCIAL_WORKER.role, "user": SOCIAL_WORKER.user})
        assert registered.status_code == 204
        yield hub, client, mailbox


def _ask(client: TestClient, address: str) -> str:
    answer = client.post("/ui/login/link?lang=en", data={"address": address})
    assert answer.status_code == 200
    return answer.text.replace(address, "ADDRESS")


def _mail(mailbox: Mailbox) -> tuple[str, str]:
    body = mailbox.messages[-1].get_payload(decode=True).decode()
    link, code = LINK.search(body), CODE.search(body)
    assert link and code
    return link.group(1), code.group(1)


def _signed_in_as(client: TestClient) -> str | None:
    page = client.get("/ui/inbox?lang=en", follow_redirects=False)
    return page.text if page.status_code == 200 else None


def test_a_registered_person_signs_in_once_with_the_emailed_link(signing_in) -> None:
    hub, client, mailbox = signing_in
    unknown = _ask(client, "nobody@example.kz")
    assert _ask(client, ADDRESS.upper()) == unknown and len(mailbox.messages) == 1  # no telling who is registered
    assert mailbox.envelopes[0][1] == [ADDRESS]
    link, _ = _mail(mailbox)
    opened = client.get(f"/ui/login/link?t={link}")
    assert opened.status_code == 200 and _signed_in_as(client) is None  # opening the link (a mail scanner) is no use
    used = client.post("/ui/login/link/use", data={"link": link}, follow_redirects=False)
    assert (used.status_code, used.headers["location"]) == (303, "/ui/inbox") and COOKIE in used.cookies
    assert SOCIAL_WORKER.user in (_signed_in_as(client) or "")
    client.cookies.clear()
    assert client.post("/ui/login/link/use", data={"link": link}).status_code == 401  # once only
    events = [type(e).__name__ for e in hub.store.events.get(address_id_for(ADDRESS))]
    assert events == ["Registered", "LinkSent", "SignedIn"]


def test_the_code_works_instead_of_the_link_and_five_wrong_codes_void_it(signing_in) -> None:
    _, client, mailbox = signing_in
    _ask(client, ADDRESS)
    _, code = _mail(mailbox)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(5):
        assert client.post("/ui/login/code", data={"address": ADDRESS, "code": wrong}).status_code == 401
    assert client.post("/ui/login/code", data={"address": ADDRESS, "code": code}).status_code == 401
    _ask(client, ADDRESS)
    _, code = _mail(mailbox)
    assert client.post("/ui/login/code", data={"address": ADDRESS, "code": code}, follow_redirects=False).status_code == 303


def test_a_link_expires_in_minutes_and_an_hour_sends_at_most_five(signing_in, frozen) -> None:
    _, client, mailbox = signing_in
    _ask(client, ADDRESS)
    link, _ = _mail(mailbox)
    frozen.advance(timedelta(minutes=11))
    assert client.post("/ui/login/link/use", data={"link": link}).status_code == 401
    for _ in range(5):
        _ask(client, ADDRESS)
    assert len(mailbox.messages) == 5  # the sixth request in the hour was answered the same, and sent nothing
    frozen.advance(timedelta(hours=1))
    _ask(client, ADDRESS)
    assert len(mailbox.messages) == 6


def test_only_a_head_registers_and_only_its_own_staff(signing_in) -> None:
    hub, client, mailbox = signing_in
    body = {"address": "m.kim@school12.kz", "agency": SCHOOL_PSYCHOLOGIST.agency, "role": "psychologist", "user": "m.kim"}
    assert client.put("/v1/sign-in-addresses", headers=bearer(hub, MANAGER), json=body).status_code == 404
    assert client.put("/v1/sign-in-addresses", headers=bearer(hub, SOCIAL_WORKER), json=body).status_code == 403
    removed = client.post("/v1/sign-in-addresses/remove", headers=bearer(hub, MANAGER), json={"address": ADDRESS})
    assert removed.status_code == 204
    _ask(client, ADDRESS)
    assert mailbox.messages == []  # a removed address is sent nothing
