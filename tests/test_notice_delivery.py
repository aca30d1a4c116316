"""Notices delivered through every channel the recipient has (docs/decisions/0036): its view and inbox,
and email to the address it registered, through a real SMTP server; each delivery and each failure an
event on the notice; failures tried again, then given up with an alert the sender and the managing centre
see; never emailed twice by two workers."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from hub.delivery.settings import DeliverySettings
from hub.delivery.worker import DeliveryWorker
from hub.errors import InvalidInput, NotFound
from tests.builders import ADMIN, GTA_OFFICER, INSPECTOR, MANAGER
from tests.scenario import notices_about, submit
from tests.smtp_support import Mailbox, free_port, smtp_server  # noqa: F401 - fixture

GTA = GTA_OFFICER.agency
ADDRESS = "duty@gta.almaty.kz"
# What the inspector's referral says of the child, the family and himself (hub/demo/scenario.py): none of it
# may leave the hub by email.
PERSONAL = ["Aziz", "Karimov", "Bolat", "Omarov", "254 00 00", "Sayakhat", "uncle", "Uzbekistan", "Tashkent",
            "Rustam", "unaccompanied", "no documents"]


def settings_for(port: int, **overrides: Any) -> DeliverySettings:
    return replace(
        DeliverySettings(smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=False, smtp_from="hub@referral-hub.kz",
                         public_url="https://hub.example.kz", smtp_timeout_s=5.0, backoff_s=60.0),
        **overrides,
    )


def gta_notice(app: Any) -> Any:
    referral = submit(app)  # the juvenile inspector's referral to the CAM: the GTA is told (cam N02)
    [notice] = [n for n in notices_about(app, referral) if n.recipient_agency == GTA]
    return notice


def deliver(app: Any, settings: DeliverySettings) -> int:
    app.views.catch_up()
    return DeliveryWorker(app, settings).run_once()


def status(app: Any, actor: Any, notice: Any) -> dict[str, str]:
    return app.reads.show(actor, "notice", notice.id).get("delivery", {})


def events(app: Any, notice: Any) -> list[tuple[str, str | None, str | None]]:
    return [
        (type(e).__name__, getattr(e, "channel", None), getattr(e, "error", None))
        for e in app.store.events.get(notice.id) if type(e).__name__ in ("DeliveryRecorded", "Undeliverable")
    ]


def test_an_agency_registers_one_valid_address_and_anything_else_is_refused(app: Any) -> None:
    assert app.directory.set_email(ADMIN, GTA, " duty@GTA.Almaty.kz ").email == "duty@gta.almaty.kz"
    for bad in ("duty", "duty@gta", "a@b.kz, c@d.kz", "Duty <duty@gta.kz>", "du ty@gta.kz", "duty@gta.kz\nBcc: x@y.kz"):
        with pytest.raises(InvalidInput, match="not an email address"):
            app.directory.set_email(ADMIN, GTA, bad)
    with pytest.raises(NotFound):
        app.directory.set_email(ADMIN, "no-such-agency", ADDRESS)
    assert app.directory.agency(GTA).email == "duty@gta.almaty.kz"
    assert app.directory.set_email(ADMIN, GTA, None).email is None


def test_the_email_names_the_notice_and_links_to_it_and_carries_no_personal_data(
    app: Any, smtp_server: tuple[Mailbox, int]
) -> None:
    mailbox, port = smtp_server
    app.directory.set_email(ADMIN, GTA, ADDRESS)
    notice = gta_notice(app)
    deliver(app, settings_for(port))

    [message] = mailbox.messages
    assert mailbox.envelopes == [("hub@referral-hub.kz", [ADDRESS])]
    assert notice.rule in message["Subject"] and notice.title in message["Subject"]
    body = message.get_payload(decode=True).decode()
    assert f"https://hub.example.kz/v1/notices/{notice.id}" in body
    assert "Acknowledge by: " in body and notice.title in body
    whole = message.as_string() + body
    assert [word for word in PERSONAL if word.lower() in whole.lower()] == []

    # Recorded: the view and inbox, and the email; the sender and the managing centre see it.
    assert sorted(events(app, notice)) == [("DeliveryRecorded", "email", None), ("DeliveryRecorded", "inbox", None)]
    app.views.catch_up()
    for body_ in (INSPECTOR, MANAGER):
        assert status(app, body_, notice) == {"email": "delivered", "inbox": "delivered"}, body_
    # Nothing is sent again, however often the worker looks.
    assert deliver(app, settings_for(port)) == 0 and len(mailbox.messages) == 1


def test_a_body_without_an_address_is_not_emailed_but_its_inbox_delivery_is_recorded(
    app: Any, smtp_server: tuple[Mailbox, int]
) -> None:
    mailbox, port = smtp_server
    notice = gta_notice(app)
    deliver(app, settings_for(port))
    assert mailbox.messages == []
    assert events(app, notice) == [("DeliveryRecorded", "inbox", None)]


@pytest.mark.parametrize("server", ["refusing", "unreachable"])
def test_a_failing_email_is_tried_again_later_and_after_the_last_attempt_the_sender_and_centre_are_alerted(
    app: Any, frozen: Any, smtp_server: tuple[Mailbox, int], server: str
) -> None:
    mailbox, port = smtp_server
    mailbox.refuse = True
    settings = settings_for(port if server == "refusing" else free_port(), attempts=3, backoff_s=60.0)
    app.directory.set_email(ADMIN, GTA, ADDRESS)
    notice = gta_notice(app)

    deliver(app, settings)
    failures = [e for e in events(app, notice) if e[1] == "email"]
    assert len(failures) == 1 and failures[0][2] and ADDRESS not in failures[0][2]  # why, never to whom
    deliver(app, settings)  # not yet due again: nothing tried
    assert len([e for e in events(app, notice) if e[1] == "email"]) == 1
    app.views.catch_up()
    assert status(app, INSPECTOR, notice)["email"] == "failing"

    frozen.advance(timedelta(seconds=61))  # the first wait
    deliver(app, settings)
    frozen.advance(timedelta(seconds=60))  # the second is twice as long: not yet
    deliver(app, settings)
    assert len([e for e in events(app, notice) if e[1] == "email"]) == 2
    frozen.advance(timedelta(seconds=61))
    deliver(app, settings)
    email_events = [e for e in events(app, notice) if e[1] == "email"]
    assert [e[0] for e in email_events] == ["DeliveryRecorded"] * 3 + ["Undeliverable"]
    frozen.advance(timedelta(hours=2))
    assert deliver(app, settings) == 0  # given up: never tried again

    app.views.catch_up()
    for body_ in (INSPECTOR, MANAGER):
        assert status(app, body_, notice)["email"] == "undelivered", body_
        items = app.inbox.inbox(body_, "undelivered").items
        assert [(i.item_id, i.state, i.awaiting) for i in items] == [(str(notice.id), "undelivered", GTA)], body_
    assert app.inbox.inbox(GTA_OFFICER, "undelivered").items == []  # the alert is for those who sent and manage


def test_two_workers_email_a_notice_once(app: Any, smtp_server: tuple[Mailbox, int]) -> None:
    mailbox, port = smtp_server
    app.directory.set_email(ADMIN, GTA, ADDRESS)
    notices = [gta_notice(app) for _ in range(3)]
    app.views.catch_up()
    workers = [DeliveryWorker(app, settings_for(port)) for _ in range(2)]
    start = threading.Barrier(2)

    def run(worker: DeliveryWorker) -> None:
        start.wait()
        worker.run_once()

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for worker in workers:
        worker.run_once()  # and once more each, after both finished
    ids = sorted(m["X-Hub-Notice"] for m in mailbox.messages)
    assert ids == sorted(str(n.id) for n in notices)
    for notice in notices:
        assert [e for e in events(app, notice) if e[1] == "email"] == [("DeliveryRecorded", "email", None)]


def test_a_worker_that_dies_between_send_and_record_sends_again_once_its_lease_ran_out(
    app: Any, frozen: Any, smtp_server: tuple[Mailbox, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    mailbox, port = smtp_server
    app.directory.set_email(ADMIN, GTA, ADDRESS)
    notice = gta_notice(app)
    settings = settings_for(port, lease_s=120.0)

    class Died(Exception):
        pass

    dying = DeliveryWorker(app, settings)
    recorded = app.deliveries.delivered

    def die(notice_id: Any, channel: Any, recipient: Any = None) -> bool:
        if str(channel) == "email":
            raise Died()
        return recorded(notice_id, channel, recipient)

    monkeypatch.setattr(app.deliveries, "delivered", die)
    app.views.catch_up()
    with pytest.raises(Died):
        dying.run_once()
    monkeypatch.undo()
    assert len(mailbox.messages) == 1

    assert deliver(app, settings) == 0  # its lease still runs: nobody else sends
    frozen.advance(timedelta(seconds=121))
    deliver(app, settings)
    assert len(mailbox.messages) == 2  # at least once: the same message again, with the same id
    assert mailbox.messages[0]["Message-ID"] == mailbox.messages[1]["Message-ID"]
    assert [e for e in events(app, notice) if e[1] == "email"] == [("DeliveryRecorded", "email", None)]
