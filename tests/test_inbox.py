"""The inbox: queues, running deadlines with their rules, paging, and nothing beyond the manager's view."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID, uuid4

from fastapi.testclient import TestClient

from hub import clock
from hub.aggregates.case_vocabulary import IntakeAction
from hub.api.app import create_app
from hub.deadlines.table import packaged_table
from hub.inbox.item import InboxItem, utc_iso
from hub.inbox.store import InboxStore
from tests.api_support import bearer
from tests.builders import GTA_OFFICER, MANAGER, OTHER_CENTRE, SCHOOL_PSYCHOLOGIST, SOCIAL_WORKER
from tests.scenario import open_case, submit


def queue(app, actor, name, **options):
    return [(i.item_type, i.item_id) for i in app.inbox.inbox(actor, name, **options).items]


def test_a_new_referral_is_in_the_recipient_s_inbox_with_its_running_deadline(app):
    referral = submit(app, actor=SCHOOL_PSYCHOLOGIST)
    [item] = app.inbox.inbox(MANAGER, "new").items
    assert (item.item_type, item.item_id, item.child_name) == ("referral", str(referral.id), "Aziz Karimov")
    assert item.deadline_id and item.deadline_rule and item.deadline_title
    assert queue(app, OTHER_CENTRE, "all") == []
    assert queue(app, SCHOOL_PSYCHOLOGIST, "all") == []


def test_accepting_moves_the_item_from_new_referrals_to_cases_and_the_deadline_changes(app):
    referral = submit(app)
    before = app.inbox.inbox(MANAGER, "new").items[0]
    app.referrals.acknowledge_referral(MANAGER, referral.id)
    case = app.referrals.accept_referral(MANAGER, referral.id)
    assert queue(app, MANAGER, "new") == []
    [item] = app.inbox.inbox(MANAGER, "cases").items
    assert (item.item_type, item.item_id) == ("case", str(case.id))
    app.cases.assign_social_worker(MANAGER, case.id, SOCIAL_WORKER.user, False)
    assert app.inbox.inbox(MANAGER, "cases").items[0].deadline_id == before.deadline_id == "D03"  # intake still runs
    for action in ("gta_notified", "referrer_informed", "supporter_requested", "previous_referrals_checked"):
        app.cases.record_intake_action(MANAGER, case.id, IntakeAction(action), None)
    after = app.inbox.inbox(MANAGER, "cases").items[0]
    # Intake met: the next clock is the NGO's answer on the supporter (D42, 1 working day) ahead of the
    # 72-hour initial assessment (D12b), both listed on the case.
    assert after.deadline_id == "D42"
    clocks = {c["id"]: c["status"] for c in app.inbox.clocks_of(MANAGER, "case", case.id)}
    assert clocks["D03"] == "met" and clocks["D12b"] == "running" and clocks["D42"] == "running"
    assert queue(app, SOCIAL_WORKER, "mine") == [("case", str(case.id))]
    assert queue(app, MANAGER, "mine") == []


def test_a_clock_is_due_soon_only_in_the_last_part_of_its_own_span_then_overdue(app, frozen):
    """A 24-hour duty is not "due soon" from its first minute (issue 16): only in the last
    due_soon_fraction of its own span (deadlines.yaml; decision 0048), in the queue, the API and the page."""
    submit(app)
    [item] = app.inbox.inbox(MANAGER, "new").items
    span = datetime.fromisoformat(item.due_at) - clock.now()
    fraction = packaged_table().due_soon_fraction
    client = TestClient(create_app(app))

    def status() -> str:
        [listed] = client.get("/v1/inbox?queue=new", headers=bearer(app, MANAGER)).json()["items"]
        return listed["deadline"]["status"]

    assert (queue(app, MANAGER, "due_soon"), queue(app, MANAGER, "overdue"), status()) == ([], [], "running")
    frozen.advance(span * (1 - fraction) - timedelta(minutes=1))
    assert (queue(app, MANAGER, "due_soon"), status()) == ([], "running")
    frozen.advance(timedelta(minutes=2))
    assert (len(queue(app, MANAGER, "due_soon")), status()) == (1, "due_soon")
    frozen.advance(span * fraction)
    assert (queue(app, MANAGER, "due_soon"), len(queue(app, MANAGER, "overdue")), status()) == ([], 1, "overdue")


def test_awaiting_another_agency(app):
    from tests.scenario import drive_to

    waiting = drive_to(app, "care_plan_pending_approval")
    open_case(app)
    [item] = app.inbox.inbox(MANAGER, "awaiting").items
    assert item.item_id == str(waiting.id) and item.awaiting == "approval: care_provider, cim, gta"


def test_pages_are_sorted_and_complete(app, frozen):
    for _ in range(7):
        submit(app)
        frozen.advance(timedelta(minutes=5))
    seen, cursor = [], None
    while True:
        page = app.inbox.inbox(MANAGER, "new", limit=3, cursor=cursor)
        seen += page.items
        cursor = page.next_cursor
        if cursor is None:
            break
    assert len(seen) == 7 and len({i.item_id for i in seen}) == 7
    assert [i.due_at for i in seen] == sorted(i.due_at for i in seen)
    newest_first = app.inbox.inbox(MANAGER, "new", sort="updated_at", descending=True).items
    assert [i.updated_at for i in newest_first] == sorted((i.updated_at for i in newest_first), reverse=True)


def test_an_inbox_page_is_a_recorded_read_of_every_child_it_shows(app):
    referral = submit(app)
    app.inbox.inbox(MANAGER, "new")
    reads = app.reads.reads_of_child(MANAGER, referral.child_id)
    assert any(r.record_type == "referral" and r.purpose == "inbox:new" and r.user == MANAGER.user for r in reads)


def test_the_inbox_over_http_shows_the_deadline_and_its_rule(app):
    submit(app)
    client = TestClient(create_app(app))
    body = client.get("/v1/inbox?queue=new", headers=bearer(app, MANAGER)).json()
    [item] = body["items"]
    assert item["deadline"]["rule"] and item["deadline"]["status"] == "running"
    assert client.get("/v1/inbox", headers=bearer(app, SCHOOL_PSYCHOLOGIST)).json()["items"] == []  # told nothing
    assert client.get("/v1/inbox?queue=everything", headers=bearer(app, MANAGER)).status_code == 422
    assert [i["item_type"] for i in client.get("/v1/inbox", headers=bearer(app, GTA_OFFICER)).json()["items"]] == [
        "notice"]  # told of the referral (cam N02)


def test_a_missed_deadline_is_raised_once_as_an_event_and_told_to_the_bodies_concerned(app, frozen):
    case = open_case(app)
    assert app.escalation.escalate_overdue() == []
    frozen.advance(timedelta(hours=25))  # nobody recorded the intake actions, the GTA left its notice unread
    raised = {e.deadline_id: e for e in app.escalation.escalate_overdue()}
    # The hub told the GTA with the referral itself (cam N02), so N05 is met; the centre's other intake
    # actions (D03) are not, and the GTA has not acknowledged its notice within a working day.
    assert "N05" not in raised and raised["D03"].notify == ["cam-almaty"]
    assert set(raised["cam:N02"].notify) == {"gta-almaty", "cam-almaty", "ji-almaty"}
    assert app.escalation.escalate_overdue() == []  # raised once, however often the watcher runs
    overdue = {r["record"]["rule"].split(":")[0] for r in app.reads.visible_records(GTA_OFFICER, case.child_id)
               if r["record_type"] == "notice" and r["record"]["kind"] == "overdue"}
    assert overdue == {"cam"}  # its own notice's escalation, not the centre's D03
    manager = [i.deadline_id for i in app.inbox.inbox(MANAGER, "escalated").items]
    assert "cam:N02" in manager and "D03" not in manager  # D03 is the centre's own case, in its "cases" queue


def test_a_referral_to_the_gta_is_in_its_inbox_on_its_own_acknowledgement_clock_not_the_centre_s_intake(app):
    toddler = submit(app, child__stated_age=2)
    [item] = app.inbox.inbox(GTA_OFFICER, "new").items
    assert item.item_id == str(toddler.id) and item.deadline_id == "GTA-ACK"  # decision 0050


def test_an_inbox_table_of_an_older_hub_gains_the_due_soon_moment_and_keeps_its_rows(app):
    submit(app)
    [written] = app.inbox.inbox(MANAGER, "new").items
    views = app.inbox.views
    with views.inbox.sql.transaction() as cursor:  # the table as a hub before decision 0048 left it
        cursor.execute("DROP INDEX IF EXISTS {hub_inbox_urgency}", ["hub_inbox_urgency"])
        cursor.execute("ALTER TABLE {hub_inbox} DROP COLUMN due_soon_at", ["hub_inbox"])
    views.inbox = InboxStore(views.inbox.sql, views.inbox.sealer)
    [item] = app.inbox.inbox(MANAGER, "new").items
    # due soon at its due time, until its child's next event rewrites it
    assert (item.due_at, item.due_soon_at) == (written.due_at, written.due_at)
    assert item.status(clock.now()) == "running"


def test_by_urgency_every_item_due_soon_or_overdue_comes_before_every_one_still_running(app):
    """A three-month clock in its last days before a 24-hour clock in its first hours, though due later."""
    now = clock.now()

    def item(name: str, due: timedelta, due_soon: timedelta) -> InboxItem:
        return InboxItem(MANAGER.agency, "case", str(uuid4()), str(uuid4()), None, "cp_plan_active", None, None, name,
                         name, "rule", utc_iso(now + due), utc_iso(now), utc_iso(now + due_soon))

    items = [item("24h", timedelta(hours=20), timedelta(hours=19)), item("3m", timedelta(days=5), -timedelta(days=13)),
             item("late", -timedelta(hours=1), -timedelta(hours=5))]
    with app.views.inbox.sql.transaction() as cursor:
        app.views.inbox.replacing([UUID(i.child_id) for i in items], items)(cursor)
    assert [i.deadline_id for i in app.inbox.inbox(MANAGER, "all").items] == ["late", "24h", "3m"]
    listed = app.inbox.inbox(MANAGER, "all", sort="urgency").items
    assert [(i.deadline_id, i.status(now)) for i in listed] == [
        ("3m", "due_soon"), ("late", "overdue"), ("24h", "running")]
