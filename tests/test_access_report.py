"""Who saw what: the access report an auditor runs, per child, per user and per period.

One story: a school refers a boy to the centre; the school, the centre and the
auditor read the referral, an embassy is refused the case, the GTA breaks the
glass on it with a reason and reads it, and the relay publishes the child's
records to every body that may see them. Every test reads that story back
through the report, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from hub.aggregates.case import Case
from hub.aggregates.glass_break import GlassBreak
from hub.aggregates.referral import Referral
from hub.api.app import create_app
from hub.bootstrap import bootstrap
from hub.cli.main import main
from hub.errors import Forbidden, InvalidInput, NotFound
from hub.kafka.relay import Relay
from hub.kafka.settings import KafkaSettings
from hub.reports.access_report import ReportFilter, ReportRow, RowKind
from hub.reports.csv import report_csv
from tests.api_support import assert_problem, bearer
from tests.builders import (
    ADMIN,
    AUDITOR,
    CONSUL,
    GTA_OFFICER,
    MANAGER,
    OMBUDSMAN_MONITOR,
    OTHER_CENTRE,
    PROSECUTOR,
    SCHOOL_PSYCHOLOGIST,
    SCHOOL_TEACHER,
    register_agencies,
)
from tests.scenario import drive_to, store_position, submit

REASON = "night placement: he is waiting at the GTA duty office"
# Personal values of the child, his family and his referrer, all in the story's referral (hub/demo/scenario.py).
PERSONAL = ["Aziz", "Karimov", "Sayakhat", "Tashkent", "Bolat Omarov", "+7 727", "uncle", "no documents"]


@dataclass(frozen=True)
class _Sent:
    """What the broker answers for a message taken: where it went (the relay records where it ended)."""

    topic: str
    partition: int
    offset: int

    def get(self, timeout: float | None = None) -> _Sent:
        return self


class CapturingProducer:
    """Stands in for Kafka: keeps what the relay hands over, exactly as it would go on the wire."""

    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []

    def send(self, topic: str, key: bytes, value: bytes, headers: list[tuple[str, bytes]]) -> _Sent:
        self.messages.append({"topic": topic, **json.loads(value)})
        return _Sent(topic, 0, len(self.messages) - 1)

    def begin_transaction(self) -> None:
        return None

    def flush(self, timeout: float | None = None) -> None:
        return None

    def commit_transaction(self) -> None:
        return None

    def close(self, timeout: float | None = None) -> None:
        return None


class KnownTopics:
    def ensure(self, names: Any, partitions: int | None = None) -> list[str]:
        return []


def relay(app: Any) -> list[dict[str, Any]]:
    """One relay round; returns the messages it published."""
    app.views.catch_up()
    producer = CapturingProducer()
    Relay(app, KafkaSettings(), producer=producer, topics=KnownTopics()).relay_once()  # type: ignore[arg-type]
    return producer.messages


@dataclass
class Story:
    referral: Referral
    case: Case
    opening: GlassBreak
    published: list[dict[str, Any]]
    read_at: datetime
    glass_at: datetime
    relayed_at: datetime

    @property
    def child_id(self) -> UUID:
        return self.case.child_id


def tell(app: Any, frozen: Any) -> Story:
    referral = submit(app, actor=SCHOOL_PSYCHOLOGIST)
    app.referrals.acknowledge_referral(MANAGER, referral.id)
    case = app.referrals.accept_referral(MANAGER, referral.id)
    read_at = frozen.advance(timedelta(hours=1))
    app.reads.show(SCHOOL_PSYCHOLOGIST, "referral", referral.id)
    app.reads.show(MANAGER, "referral", referral.id)
    app.reads.show(AUDITOR, "referral", referral.id)
    with pytest.raises(NotFound):
        app.reads.show(CONSUL, "case", case.id)
    glass_at = frozen.advance(timedelta(hours=1))
    opening = app.glass.break_glass(GTA_OFFICER, "case", case.id, "imminent-danger", REASON)
    app.glass.show_through_glass(GTA_OFFICER, opening.id)
    relayed_at = frozen.advance(timedelta(hours=1))
    published = relay(app)
    return Story(referral, case, opening, published, read_at, glass_at, relayed_at)


def who_what_rule(row: ReportRow) -> tuple[Any, ...]:
    return (row.kind, row.at, row.agency, row.user, row.record_type, row.record_id, row.outcome, row.rules,
            row.disclosure)


def reads_and_openings(s: Story) -> list[tuple[Any, ...]]:
    """What the report must say of the story, apart from the publications."""
    glass = [f"BREAK-GLASS:{s.opening.id}"]
    return [
        (RowKind.READ, s.read_at, "school-almaty-12", "m.kim", "referral", s.referral.id, "granted",
         ["N-CAM-N07", "P-10"], False),
        (RowKind.READ, s.read_at, "cam-almaty", "a.nurlanova", "referral", s.referral.id, "granted",
         ["P-07", "RECIPIENT"], True),
        (RowKind.READ, s.read_at, "auditor-kz", "e.kaliyeva", "referral", s.referral.id, "granted", ["OVERSIGHT"],
         True),
        (RowKind.READ, s.read_at, "embassy-uz-almaty", "z.yusupov", "case", s.case.id, "denied", [], False),
        (RowKind.OPENING, s.glass_at, "gta-almaty", "g.akhmetova", "case", s.case.id, "opened", glass, False),
        (RowKind.READ, s.glass_at, "gta-almaty", "g.akhmetova", "case", s.case.id, "break_glass", glass, True),
    ]


def publications(s: Story) -> set[tuple[Any, ...]]:
    """Every record in every message the relay sent, with the fields and rules the message carried."""
    return {
        (m["agency"], m["topic"], r["record_type"], UUID(r["record_id"]), tuple(sorted(r["rules"])),
         tuple(sorted({rule for rules in r["rules"].values() for rule in rules})), f"relay:{m['position']}")
        for m in s.published
        for r in m["records"]
    }


def as_published(row: ReportRow) -> tuple[Any, ...]:
    return (row.agency, row.user, row.record_type, row.record_id, tuple(row.fields), tuple(row.rules), row.purpose)


def test_per_child_every_read_opening_and_publication_with_who_when_what_and_rule(app, frozen) -> None:
    s = tell(app, frozen)
    report = app.access_reports.access_report(AUDITOR, ReportFilter(child_id=s.child_id))

    assert [who_what_rule(r) for r in report.rows if r.kind != RowKind.PUBLICATION] == reads_and_openings(s)
    by_user = {r.user: r for r in report.rows if r.kind == RowKind.READ}
    assert "state" in by_user["m.kim"].fields and not any(f.startswith("content.") for f in by_user["m.kim"].fields)
    assert "content.child.given_name" in by_user["a.nurlanova"].fields  # the field's name, never its value
    assert by_user["z.yusupov"].fields == []
    opening = next(r for r in report.rows if r.kind == RowKind.OPENING)
    assert (opening.reason, opening.until) == (REASON, s.glass_at + timedelta(minutes=180))
    assert by_user["g.akhmetova"].reason == REASON  # the read through the glass carries the opening's reason too

    published = [r for r in report.rows if r.kind == RowKind.PUBLICATION]
    assert {"cam-almaty", "school-almaty-12", "auditor-kz"} <= {m["agency"] for m in s.published}
    assert {as_published(r) for r in published} == publications(s) and len(published) == len(publications(s))
    assert {(r.at, r.role) for r in published} == {(s.relayed_at, "*")}
    # A body's own record sent to it is a publication, not a disclosure to another body.
    own = {(r.agency, r.record_type, r.disclosure) for r in published if r.agency == r.owner}
    # (the notices each sent: the school's to the GTA (cam N02), the centre's to the school (cam N07))
    assert own == {("school-almaty-12", "referral", False), ("cam-almaty", "case", False),
                   ("school-almaty-12", "notice", False), ("cam-almaty", "notice", False)}
    assert all(r.disclosure for r in published if r.agency != r.owner)


def test_per_user_the_break_the_glass_and_its_reason(app, frozen) -> None:
    s = tell(app, frozen)
    report = app.access_reports.access_report(OMBUDSMAN_MONITOR, ReportFilter(agency="gta-almaty", user="g.akhmetova"))
    assert [who_what_rule(r) for r in report.rows] == reads_and_openings(s)[-2:]
    assert [r.reason for r in report.rows] == [REASON, REASON]
    # The GTA's topic is not a user of the GTA: what was published to it is in the agency's report.
    gta = app.access_reports.access_report(OMBUDSMAN_MONITOR, ReportFilter(agency="gta-almaty"))
    assert {as_published(r) for r in gta.rows if r.kind == RowKind.PUBLICATION} == {
        p for p in publications(s) if p[0] == "gta-almaty"
    }


def test_per_period_only_what_happened_within_it(app, frozen) -> None:
    s = tell(app, frozen)
    reads = app.access_reports.access_report(AUDITOR, ReportFilter(since=s.read_at, until=s.glass_at))
    assert [who_what_rule(r) for r in reads.rows] == reads_and_openings(s)[:4]
    since_relay = app.access_reports.access_report(AUDITOR, ReportFilter(since=s.relayed_at))
    assert [r.kind for r in since_relay.rows] == [RowKind.PUBLICATION] * len(publications(s)) + [RowKind.READ]
    last = since_relay.rows[-1]  # the report above, recorded once it was built (the clock stood at the relay)
    assert (last.agency, last.record_type, last.record_id, last.purpose) == (
        "auditor-kz", "access_log", s.child_id, "access_report"
    )


def test_the_report_is_a_read_of_every_child_it_names_and_is_recorded(app, frozen) -> None:
    s = tell(app, frozen)
    frozen.advance(timedelta(minutes=5))
    app.access_reports.access_report(PROSECUTOR, ReportFilter(since=s.read_at))
    own = app.access_reports.access_report(MANAGER, ReportFilter(child_id=s.child_id))  # the centre, on its own child
    last = own.rows[-1]
    assert (last.kind, last.agency, last.user, last.record_type, last.record_id, last.outcome, last.rules,
            last.purpose) == (RowKind.READ, "prosecutor-almaty", "a.dzhaksybekov", "access_log", s.child_id, "granted",
                              ["audit.access_report"], "access_report")
    # The child's own access log (GET /v1/children/{id}/access-log) shows it was looked at, too.
    assert any(r.agency == "prosecutor-almaty" and r.purpose == "access_report"
               for r in app.reads.reads_of_child(MANAGER, s.child_id))


def test_a_body_not_allowed_is_refused_and_the_refusal_is_recorded(app, frozen) -> None:
    s = tell(app, frozen)
    for actor, filters in [
        (SCHOOL_TEACHER, ReportFilter(child_id=s.child_id)),  # not an oversight body nor a centre
        (OTHER_CENTRE, ReportFilter(child_id=s.child_id)),  # a centre, but not the one managing the child
        (MANAGER, ReportFilter(agency="school-almaty-12")),  # the managing centre, beyond its own child
    ]:
        before = store_position(app)
        with pytest.raises(Forbidden) as refused:
            app.access_reports.access_report(actor, filters)
        assert refused.value.extensions == {"command": "audit.access_report"}
        assert store_position(app) == before + 1  # the refusal, and nothing else
    report = app.access_reports.access_report(AUDITOR, ReportFilter(since=s.relayed_at))
    refusals = [(r.agency, r.user, r.record_type, r.child_id, r.outcome, r.fields) for r in report.rows
                if r.purpose == "access_report"]
    assert refusals == [
        ("school-almaty-12", "o.ivanova", "access_log", s.child_id, "denied", []),
        ("csc-astana", "r.zhaksylykov", "access_log", s.child_id, "denied", []),
        ("cam-almaty", "a.nurlanova", "access_log", None, "denied", []),
    ]


def test_a_filter_is_required_and_must_make_sense(app) -> None:
    for filters, field in [
        (ReportFilter(), "child_id"),
        (ReportFilter(user="m.kim"), "user"),
        (ReportFilter(since=datetime(2026, 3, 2, 9)), "from"),
        (ReportFilter(since=datetime.fromisoformat("2026-03-03T00:00+05:00"),
                      until=datetime.fromisoformat("2026-03-02T00:00+05:00")), "to"),
    ]:
        with pytest.raises(InvalidInput) as invalid:
            app.access_reports.access_report(AUDITOR, filters)
        assert invalid.value.field == field


def test_the_report_names_children_by_id_only(app, frozen) -> None:
    s = tell(app, frozen)
    to_the_centre = json.dumps([m for m in s.published if m["agency"] == "cam-almaty"])
    assert all(value in to_the_centre for value in PERSONAL)  # the story does hold them...
    report = app.access_reports.access_report(AUDITOR, ReportFilter(child_id=s.child_id))
    for text in (json.dumps(asdict(report), default=str), report_csv(report)):
        assert str(s.child_id) in text
        assert [value for value in PERSONAL if value in text] == []  # ...and the report none of them


def test_after_an_erasure_who_saw_the_child_stays_and_the_reason_goes_with_the_child(app, frozen) -> None:
    case = drive_to(app, "closed")
    opening = app.glass.break_glass(GTA_OFFICER, "case", case.id, "imminent-danger", REASON)
    app.glass.show_through_glass(GTA_OFFICER, opening.id)
    app.erasure.erase(MANAGER, case.child_id, "the child asked, through the centre, that his file be erased")
    published = relay(app)  # what the bodies still see of him: the erasure's residue
    report = app.access_reports.access_report(AUDITOR, ReportFilter(child_id=case.child_id))
    glass = [(r.kind, r.user, r.reason) for r in report.rows if r.reason is not None]
    assert glass == [(RowKind.OPENING, "g.akhmetova", "(erased with the child's personal data)"),
                     (RowKind.READ, "g.akhmetova", "(erased with the child's personal data)")]
    residue = [r for r in report.rows if r.kind == RowKind.PUBLICATION]
    assert published and len(residue) == sum(len(m["records"]) for m in published)
def test_the_relay_records_a_message_before_sending_it(app, frozen, monkeypatch) -> None:
    submit(app, actor=SCHOOL_PSYCHOLOGIST)
    app.views.catch_up()
    producer = CapturingProducer()

    def unrecordable(published: Any) -> None:
        raise OSError("the store is unreachable")

    monkeypatch.setattr(app.reads, "record_publications", unrecordable)
    with pytest.raises(OSError):
        Relay(app, KafkaSettings(), producer=producer, topics=KnownTopics()).relay_once()  # type: ignore[arg-type]
    assert producer.messages == []


def test_over_http_as_json_and_csv_and_refused_as_problem_json(app, frozen) -> None:
    s = tell(app, frozen)
    client = TestClient(create_app(app))
    auditor = bearer(app, AUDITOR)
    path = f"/v1/audit/access-report?child_id={s.child_id}"
    answer = client.get(path, headers=auditor)
    assert answer.status_code == 200, answer.text
    rows = answer.json()["rows"]
    assert [(r["kind"], r["agency"], r["user"], r["outcome"], r["rules"]) for r in rows[:6]] == [
        (str(k), agency, user, outcome, rules) for k, _, agency, user, _, _, outcome, rules, _ in reads_and_openings(s)
    ]
    assert rows[4]["reason"] == REASON
    as_csv = client.get(path, headers={**auditor, "Accept": "text/csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    header, *lines = as_csv.text.splitlines()
    assert header.startswith("kind,position,at,agency,role,user,child_id,record_type,record_id,fields,rules")
    # The same rows, and one more: the JSON report just above, a read recorded like any other.
    assert [line.split(",")[1] for line in lines[:-1]] == [str(r["position"]) for r in rows]
    assert "auditor-kz,auditor,e.kaliyeva" in lines[-1] and lines[-1].endswith(",access_report,,no,,")
    assert client.get(path + "&format=csv", headers=auditor).text.splitlines()[1:-1] == lines

    refused = client.get(path, headers=bearer(app, SCHOOL_TEACHER))
    assert_problem(refused, 403, "forbidden")
    assert_problem(client.get("/v1/audit/access-report", headers=auditor), 422, "invalid-input")
    assert_problem(client.get(path + "&from=2026-03-02T09:00", headers=auditor), 422, "validation-error")
    latest = client.get(path, headers=auditor).json()["rows"]
    assert [(r["agency"], r["outcome"]) for r in latest if r["purpose"] == "access_report"] == [
        ("auditor-kz", "granted"), ("auditor-kz", "granted"), ("auditor-kz", "granted"),
        ("school-almaty-12", "denied"),
    ]


def test_the_command_line_runs_the_report_as_the_holder_of_a_token(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("HUB_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("HUB_DATABASE_URL", raising=False)
    hub = bootstrap()
    register_agencies(hub)
    referral = submit(hub, actor=SCHOOL_PSYCHOLOGIST)
    hub.reads.show(SCHOOL_PSYCHOLOGIST, "referral", referral.id)
    monkeypatch.setenv("HUB_TOKEN", hub.tokens.issue_token(ADMIN, AUDITOR, None))

    assert main(["audit", "access-report", "--child", str(referral.child_id), "--csv"]) == 0
    header, *lines = capsys.readouterr().out.splitlines()
    assert header.startswith("kind,position,at,agency") and len(lines) == 1
    assert ",school-almaty-12,psychologist,m.kim," in lines[0] and ",P-10,granted,read," in lines[0]
    assert main(["audit", "access-report", "--agency", "auditor-kz", "--user", "e.kaliyeva"]) == 0
    (earlier,) = json.loads(capsys.readouterr().out)["rows"]  # the report above, as a read by the auditor
    assert (earlier["record_type"], earlier["purpose"]) == ("access_log", "access_report")

    monkeypatch.setenv("HUB_TOKEN", hub.tokens.issue_token(ADMIN, SCHOOL_TEACHER, None))
    assert main(["audit", "access-report", "--child", str(referral.child_id)]) == 2
    assert "may not audit.access_report" in capsys.readouterr().err
    hub.close()
