"""A real SMTP server for the tests (aiosmtpd), on a free port of this machine; a failure in CI
(HUB_REQUIRE_SERVICES=1) when it cannot start, a skip elsewhere."""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from email.message import Message
from typing import Any

import pytest

from tests.conftest import service_missing


class Mailbox:
    """Accepts every message (``refuse``: refuses every recipient with a 550) and keeps what it accepted."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refuse = False

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: list[str]) -> str:
        if self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(email.message_from_bytes(envelope.original_content or envelope.content))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[tuple[Mailbox, int]]:
    try:
        from aiosmtpd.controller import Controller
    except ImportError:
        service_missing("aiosmtpd is not installed (pip install -e '.[test]')")
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    try:
        controller.start()
    except Exception as error:  # noqa: BLE001 - whatever stops it, the test cannot run
        service_missing(f"the SMTP server could not start on port {port}: {error}")
    try:
        yield mailbox, port
    finally:
        controller.stop()
