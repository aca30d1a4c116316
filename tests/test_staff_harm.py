"""The staff-harm protocol (cam 11.3, N47-N51; ngo 13.4, N26-N30; docs/decisions/0035): an allegation against an
agency's staff goes away from that agency, to its Safeguarding Lead, the investigating body and UNICEF's focal
point, on the clocks of hub/policy/notices.yaml; the reporting person gets a receipt; the accused body finds
nothing anywhere; the auditor sees which rule let each body see it.

The story: School No. 12's psychologist reports that a teacher of the school hit a pupil.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from hub.actor import Actor
from hub.aggregates.allegation import Allegation, Outcome
from hub.aggregates.vocabulary import BodyKind, City
from hub.api.app import create_app
from hub.errors import NotFound
from hub.services.allegation_intake import AllegationDetails
from hub.services.referrals import ReferralRequest
from tests.api_support import bearer
from tests.builders import (
    ADMIN,
    AUDITOR,
    GTA_OFFICER,
    INVESTIGATOR,
    MANAGER,
    NGO_COORDINATOR,
    PROSECUTOR,
    SCHOOL_PSYCHOLOGIST,
    SCHOOL_TEACHER,
    SOCIAL_WORKER,
    UNICEF,
    referral_content,
)
from tests.scenario import notices_about, told

SCHOOL_LEAD = Actor("sl-school-almaty-12", "lead", "a.sultanova")
SCHOOL_DEPUTY = Actor("sl-school-almaty-12", "deputy", "b.nurova")
NGO_LEAD = Actor("sl-ngo-rodnik", "lead", "z.ismailova")
FOCAL_POINT = Actor("unicef-kz", "focal_point", "p.larsen")
EDUCATION = Actor("edu-almaty", "officer", "t.bekova")
SCHOOL_DIRECTOR = Actor("school-almaty-12", "director", "s.omarov")
ACCUSED_BODY = [SCHOOL_TEACHER, SCHOOL_DIRECTOR]  # the accused teacher's colleagues and head
TEACHER = {"name": "R. Akhmetov", "role": "physical education teacher"}


@pytest.fixture
def app(app):
    app.directory.register_agency(ADMIN, "edu-almaty", "Department of Education, Almaty", BodyKind.EDUCATION_DEPARTMENT,
                                  City.ALMATY)
    for safeguarded in ("school-almaty-12", "ngo-rodnik"):
        app.directory.register_agency(ADMIN, f"sl-{safeguarded}", f"Safeguarding Lead of {safeguarded}",
                                      BodyKind.SAFEGUARDING_LEAD, City.ALMATY, safeguards=safeguarded)
    return app


def _report(app, reporter=SCHOOL_PSYCHOLOGIST, employer="school-almaty-12", key="report-1", **details) -> Allegation:
    content = referral_content(concern__about_agency=employer, concern__category="physical_violence",
                               concern__description="the PE teacher hit him in the changing room", child__stated_age=12)
    account = AllegationDetails(came_to_attention="the boy told me after the lesson", about_staff=TEACHER,
                                steps_taken="the boy is with me; the teacher was sent home", **details)
    receipt, created = app.allegations.report(reporter, ReferralRequest(content, key, allegation=account))
    assert created
    return app.aggregates.load(Allegation, receipt.id, "allegation")


def _fields(record: dict, prefix: str = "") -> set[str]:
    fields = set()
    for key, value in record.items():
        fields |= _fields(value, f"{prefix}{key}.") if isinstance(value, dict) else {f"{prefix}{key}"}
    return fields


def test_a_school_reporting_its_own_teacher_tells_its_lead_the_prosecutor_and_unicef(app, frozen):
    allegation = _report(app)
    assert told(app, allegation) == [
        ("sl-school-almaty-12", "safeguarding_lead", "cam:N47"),
        ("prosecutor-almaty", "prosecutor", "cam:N49"),
        ("unicef-kz", "unicef", "cam:N49"),
    ]
    for notice in notices_about(app, allegation):
        assert notice.urgent and notice.ack_due_at == frozen.now() + timedelta(hours=1)  # "immediately"
    assert [i.item_id for i in app.inbox.inbox(SCHOOL_LEAD, "notices").items] == [
        str(n.id) for n in notices_about(app, allegation) if n.rule == "cam:N47"
    ]
    # The Lead, the prosecutor and UNICEF's focal point: the whole allegation, the named child, and of the
    # referral what the allegation needs (privacy.yaml N-CAM-N47, N-CAM-N49) - never the child's health.
    whole = _fields(app.reads.show(SCHOOL_LEAD, "allegation", allegation.id))
    assert {"about_staff.name", "came_to_attention", "steps_taken", "employer_agency"} <= whole
    for body in (SCHOOL_LEAD, SCHOOL_DEPUTY, PROSECUTOR, FOCAL_POINT):
        assert _fields(app.reads.show(body, "allegation", allegation.id)) == whole, body
        referral = _fields(app.reads.show(body, "referral", allegation.referral_id))
        assert {"content.child.given_name", "content.concern.description", "content.referrer.name"} <= referral
        assert not {f for f in referral if f.startswith("content.child.health") or f == "content.child.disability"}
        assert not {"decline_reasons", "routing_reason", "case_id"} & referral, body
    # UNICEF's monitors see the model without names (P-04): not the allegation.
    with pytest.raises(NotFound):
        app.reads.show(UNICEF, "allegation", allegation.id)


def test_the_reporting_person_gets_a_receipt_and_nothing_it_may_not_see(app, frozen):
    allegation = _report(app)
    receipt = app.allegations.receipt(SCHOOL_PSYCHOLOGIST, allegation.id)
    assert receipt.model_dump() == {"id": allegation.id, "received_at": frozen.now(), "state": "reported"}
    # The school is the employer: the child's file is concealed from it, its own reporter included.
    for record_type, record_id in [("allegation", allegation.id), ("referral", allegation.referral_id),
                                   ("child", allegation.child_id)]:
        assert _hidden(app, SCHOOL_PSYCHOLOGIST, record_type, record_id) == _hidden(
            app, SCHOOL_PSYCHOLOGIST, record_type, uuid.uuid4()
        )
    # A repeat of the report finds the first.
    content = referral_content(concern__about_agency="school-almaty-12")
    again, created = app.allegations.report(SCHOOL_PSYCHOLOGIST, ReferralRequest(content, "report-2"))
    assert created and again.id != allegation.id


def _hidden(app, actor, record_type, record_id) -> str:
    with pytest.raises(NotFound) as info:
        app.reads.show(actor, record_type, record_id)
    return str(info.value).replace(str(record_id), "ID")


def test_the_accused_body_finds_nothing_on_any_path(app):
    allegation = _report(app)
    notices = notices_about(app, allegation)
    records = [("allegation", allegation.id), ("referral", allegation.referral_id), ("child", allegation.child_id),
               *(("notice", n.id) for n in notices)]
    for body in ACCUSED_BODY:
        for record_type, record_id in records:
            assert _hidden(app, body, record_type, record_id) == _hidden(app, body, record_type, uuid.uuid4())
        with pytest.raises(NotFound):
            app.allegations.receipt(body, allegation.id)  # the receipt is the reporting person's alone
        with pytest.raises(NotFound):
            app.reads.visible_records(body, allegation.child_id)
        assert app.inbox.inbox(body).items == []
    # Nor do the bodies that act on the allegation let anyone else act on it.
    for other in (SCHOOL_PSYCHOLOGIST, MANAGER, GTA_OFFICER):
        with pytest.raises(NotFound):
            app.allegations.report_progress(other, allegation.id, "asking")
    with pytest.raises(NotFound):
        app.reads.show(MANAGER, "allegation", allegation.id)  # the centre protects the child, and no more


def test_an_allegation_naming_the_lead_goes_around_the_lead_s_body(app):
    allegation = _report(app, about_lead=True)
    assert told(app, allegation) == [
        ("prosecutor-almaty", "prosecutor", "cam:N49"), ("unicef-kz", "unicef", "cam:N49"),
    ]
    for lead in (SCHOOL_LEAD, SCHOOL_DEPUTY):  # one body in the hub: the accused lead sees nothing (decision 0035)
        assert _hidden(app, lead, "allegation", allegation.id) == _hidden(app, lead, "allegation", uuid.uuid4())
        with pytest.raises(NotFound):
            app.allegations.remove_from_contact(lead, allegation.id)


def test_an_allegation_against_ngo_staff_goes_to_its_lead_the_gta_and_unicef(app):
    allegation = _report(app, reporter=NGO_COORDINATOR, employer="ngo-rodnik")
    assert told(app, allegation) == [
        ("sl-ngo-rodnik", "safeguarding_lead", "ngo:N26"),
        ("gta-almaty", "gta", "ngo:N27"), ("unicef-kz", "unicef", "ngo:N27"),
    ]
    assert app.reads.show(NGO_LEAD, "allegation", allegation.id)["investigator_agency"] == "gta-almaty"
    with pytest.raises(NotFound):
        app.reads.show(NGO_COORDINATOR, "allegation", allegation.id)


def test_a_notice_left_unacknowledged_escalates_to_the_investigator(app, frozen):
    allegation = _report(app)
    [to_lead] = [n for n in notices_about(app, allegation) if n.rule == "cam:N47"]
    frozen.set(to_lead.ack_due_at + timedelta(minutes=1))
    # Unacknowledged: its one clock (notices.yaml cam:N47, 1 hour, met by acknowledging) escalates, once.
    raised = [e for e in app.escalation.escalate_overdue() if e.subject_id == to_lead.id]
    assert len(raised) == 1 and app.escalation.escalate_overdue() == []
    for escalation in raised:
        assert {"sl-school-almaty-12", "prosecutor-almaty"} <= set(escalation.notify)
    assert "escalated" in {i.state for i in app.inbox.inbox(PROSECUTOR, "escalated").items}
    assert app.inbox.inbox(SCHOOL_DIRECTOR).items == []  # the accused body is never the one told it is late


def test_the_investigation_runs_its_course_and_each_step_tells_whom_the_manual_says(app):
    allegation = _report(app)
    app.allegations.remove_from_contact(SCHOOL_LEAD, allegation.id)
    app.allegations.refer_investigation(PROSECUTOR, allegation.id)
    app.allegations.report_progress(PROSECUTOR, allegation.id, "pre-trial investigation opened")
    app.allegations.conclude(PROSECUTOR, allegation.id, Outcome.SUBSTANTIATED, "dismiss; barred from work with children")
    rules = {(agency, rule) for agency, _, rule in told(app, allegation)}
    assert {("police-inv-almaty", "cam:N50"), ("unicef-kz", "cam:N51"), ("edu-almaty", "cam:11.3.8"),
            ("sl-school-almaty-12", "cam:11.3.8")} <= rules
    assert app.reads.show(INVESTIGATOR, "allegation", allegation.id)["about_staff"] == TEACHER
    # Education learns the outcome and the directions, and nothing of the child.
    assert _fields(app.reads.show(EDUCATION, "allegation", allegation.id)) == {
        "id", "state", "outcome", "directions", "concluded_at", "progress", "about_staff.name", "about_staff.role",
    }
    with pytest.raises(NotFound):
        app.reads.show(EDUCATION, "child", allegation.child_id)


def test_the_auditor_sees_which_rule_let_each_body_see_the_allegation(app):
    from hub.reports.access_report import ReportFilter, RowKind

    allegation = _report(app)
    app.reads.show(PROSECUTOR, "allegation", allegation.id)
    report = app.access_reports.access_report(AUDITOR, ReportFilter(child_id=allegation.child_id))
    [read] = [r for r in report.rows if r.kind == RowKind.READ and r.record_type == "allegation"]
    assert (read.agency, read.rules, read.owner) == ("prosecutor-almaty", ["N-CAM-N49"], "school-almaty-12")


def test_over_http_the_school_reports_reads_its_receipt_and_its_head_finds_nothing(app):
    client = TestClient(create_app(app))
    body = {
        "referral": referral_content(concern__about_agency="school-almaty-12").model_dump(mode="json"),
        "about_staff": TEACHER, "came_to_attention": "the boy told me", "emergency": False,
    }
    made = client.post("/v1/allegations", json=body, headers={**bearer(app, SCHOOL_PSYCHOLOGIST), "Idempotency-Key": "k1"})
    assert made.status_code == 201, made.text
    receipt = made.json()
    assert set(receipt) == {"id", "received_at", "state"}
    path = f"/v1/allegations/{receipt['id']}"
    assert client.get(path + "/receipt", headers=bearer(app, SCHOOL_PSYCHOLOGIST)).json() == receipt
    assert client.get(path, headers=bearer(app, SCHOOL_LEAD)).json()["about_staff"] == TEACHER
    made_up = f"/v1/allegations/{uuid.uuid4()}"
    for suffix in ("", "/receipt"):
        answer = client.get(path + suffix, headers=bearer(app, SCHOOL_DIRECTOR))
        twin = client.get(made_up + suffix, headers=bearer(app, SCHOOL_DIRECTOR))
        assert answer.status_code == twin.status_code == 404
        assert answer.json()["detail"].replace(receipt["id"], "ID") == twin.json()["detail"].replace(made_up[16:], "ID")
    refused = client.post(path + "/conclude", json={"outcome": "unsubstantiated"}, headers=bearer(app, SCHOOL_DIRECTOR))
    assert refused.status_code == 403  # a school may not conclude any allegation (commands.yaml)


def test_a_centre_whose_staff_are_accused_protects_nobody_through_the_glass(app):
    from hub.aggregates.referral import Referral

    allegation = _report(app, reporter=SOCIAL_WORKER, employer="cam-almaty")
    referral = app.aggregates.load(Referral, allegation.referral_id, "referral")
    # The child is protected by the GTA (R-ACCUSED-BODY); the allegation goes to the prosecutor and UNICEF.
    assert (referral.recipient_agency, referral.routing_rule) == ("gta-almaty", "R-ACCUSED-BODY")
    assert {("prosecutor-almaty", "cam:N49"), ("unicef-kz", "cam:N49")} <= {(a, r) for a, _, r in told(app, allegation)}
    for record_type, record_id in [("child", allegation.child_id), ("referral", referral.id)]:
        with pytest.raises(NotFound):
            app.glass.break_glass(MANAGER, record_type, record_id, "imminent-danger",
                                  "the child may be in danger tonight and the centre cannot be reached")


def test_the_employer_s_director_is_told_the_outcome_on_its_staff_file_and_nothing_of_the_child(app):
    """cam 11.3.8, ngo N29 (docs/decisions/0044): the head acts on the outcome and the directions; the child's
    file stays concealed from the employer."""
    allegation = _report(app)
    assert app.staff_files.outcomes(SCHOOL_DIRECTOR) == []  # nothing while it is investigated
    app.allegations.refer_investigation(PROSECUTOR, allegation.id)
    app.allegations.conclude(PROSECUTOR, allegation.id, Outcome.SUBSTANTIATED, "dismiss; barred from work with children")
    [outcome] = app.staff_files.outcomes(SCHOOL_DIRECTOR)
    assert (outcome["staff"], outcome["outcome"], outcome["directions"], outcome["by_agency"]) == (
        TEACHER, "substantiated", "dismiss; barred from work with children", "prosecutor-almaty")
    assert set(outcome) == {"id", "staff", "outcome", "directions", "concluded_at", "by_agency", "acknowledged_at",
                            "acknowledged_by"}  # no child, no referral, no allegation to follow
    assert allegation.child_id.hex not in str(outcome) and str(allegation.id) not in str(outcome)
    # The file names a member of staff: the Director's reading of it is on record, as every read of personal data is.
    from hub.reports.access_report import ReportFilter

    rows = app.access_reports.access_report(AUDITOR, ReportFilter(agency=SCHOOL_DIRECTOR.agency)).rows
    assert any(r.record_type == "staff_file" and r.user == SCHOOL_DIRECTOR.user and r.outcome == "granted" for r in rows)
    for path in (("allegation", allegation.id), ("child", allegation.child_id)):
        with pytest.raises(NotFound):
            app.reads.show(SCHOOL_DIRECTOR, *path)
    assert app.staff_files.outcomes(Actor("cam-almaty", "director", "g.ospanova")) == []  # another body's file
    acknowledged = app.staff_files.acknowledge(SCHOOL_DIRECTOR, outcome["id"])
    assert acknowledged["acknowledged_by"] == SCHOOL_DIRECTOR.user
    with pytest.raises(NotFound):
        app.staff_files.acknowledge(Actor("cam-almaty", "director", "g.ospanova"), outcome["id"])


def test_over_http_the_staff_file_is_the_head_s_alone(app):
    client = TestClient(create_app(app))
    allegation = _report(app)
    app.allegations.conclude(PROSECUTOR, allegation.id, Outcome.UNSUBSTANTIATED, "return to work with support")
    assert client.get("/v1/staff-file", headers=bearer(app, SCHOOL_TEACHER)).status_code == 403
    [outcome] = client.get("/v1/staff-file", headers=bearer(app, SCHOOL_DIRECTOR)).json()
    assert (outcome["outcome"], outcome["staff"]) == ("unsubstantiated", TEACHER)
    done = client.post(f"/v1/staff-file/{outcome['id']}/acknowledgement", headers=bearer(app, SCHOOL_DIRECTOR))
    assert done.status_code == 200 and done.json()["acknowledged_at"] is not None
    missing = client.post(f"/v1/staff-file/{uuid.uuid4()}/acknowledgement", headers=bearer(app, SCHOOL_DIRECTOR))
    assert missing.status_code == 404
