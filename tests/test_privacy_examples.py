"""The privacy policy's examples (issue 3), each through the service layer as a body would meet it."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from hub.aggregates.case_vocabulary import InitialAssessmentOutcome, IntakeAction
from hub.aggregates.consent import ConsentPurpose
from hub.aggregates.vocabulary import City, Signatory
from hub.errors import Forbidden, GuardViolation, NotFound
from hub.privacy.policy_file import LoadedPolicy, packaged_policy_text
from tests.builders import (
    AUDITOR,
    CONSUL,
    DOCTOR,
    GTA_OFFICER,
    INSPECTOR,
    INVESTIGATOR,
    MANAGER,
    MIGRATION_OFFICER,
    SCHOOL_PSYCHOLOGIST,
    SCHOOL_TEACHER,
    STEERING,
    UNICEF,
)
from tests.scenario import open_case, submit

CHILD_ONLY_FIELDS = {"content", "routing_reason", "case_id"}


def referral_by_school(app, **content):
    referral = submit(app, actor=SCHOOL_PSYCHOLOGIST, **content)
    app.referrals.acknowledge_referral(MANAGER, referral.id)
    case = app.referrals.accept_referral(MANAGER, referral.id)
    return referral, case


def hidden(app, actor, record_type, record_id):
    with pytest.raises(NotFound) as info:
        app.reads.show(actor, record_type, record_id)
    return str(info.value).replace(str(record_id), "ID")


def test_a_referring_school_learns_only_receipt_answer_and_where_the_assessment_stands(app):
    referral, case = referral_by_school(app)
    sent = app.reads.show(SCHOOL_PSYCHOLOGIST, "referral", referral.id)
    assert sent["state"] == "accepted" and sent["assessment_conclusion"] == "under_assessment"
    assert not CHILD_ONLY_FIELDS & set(sent)
    app.cases.assign_social_worker(MANAGER, case.id, "d.seitkali", False)
    app.cases.conclude_initial_assessment(MANAGER, case.id, InitialAssessmentOutcome.SIGNIFICANT_HARM_CONCERN, "bruises", None)
    sent = app.reads.show(SCHOOL_PSYCHOLOGIST, "referral", referral.id)
    assert sent["assessment_conclusion"] == "still_being_considered"
    assert "bruises" not in str(sent)
    hidden(app, SCHOOL_PSYCHOLOGIST, "case", case.id)
    hidden(app, SCHOOL_PSYCHOLOGIST, "child", case.child_id)


def test_migration_data_reaches_the_police_only_with_a_named_legal_basis(app):
    case = open_case(app)
    referral_id = case.referral_ids[0]
    hidden(app, INVESTIGATOR, "referral", referral_id)  # nothing before an offence is reported
    app.cases.record_intake_action(MANAGER, case.id, IntakeAction.POLICE_INFORMED, "the uncle abandoned him")
    told = app.reads.show(INVESTIGATOR, "referral", referral_id)
    assert told["content"]["child"]["given_name"] == "Aziz"
    assert "nationality" not in told["content"]["child"] and "migration_status" not in told["content"]["child"]
    assert "categories" not in app.reads.show(INVESTIGATOR, "child", case.child_id)
    hidden(app, MIGRATION_OFFICER, "referral", referral_id)
    app.medical.record_legal_basis(MANAGER, case.id, "police_investigation", "Criminal Procedure Code art. 122", "req. 44/2026")
    told = app.reads.show(INVESTIGATOR, "referral", referral_id)
    assert told["content"]["child"]["nationality"] == "Uzbekistan"
    assert "categories" in app.reads.show(INVESTIGATOR, "child", case.child_id)
    hidden(app, MIGRATION_OFFICER, "referral", referral_id)


def _consent_to(app, case, recipient, age_16: bool = True):
    signatories = [Signatory.CHILD] if age_16 else [Signatory.PARENT, Signatory.CHILD]
    return app.consents.give_consent(
        MANAGER, case.child_id, ConsentPurpose.INFORMATION_SHARING, recipient, signatories, True, "signature"
    )


def test_an_embassy_sees_nothing_of_an_asylum_seeking_child_even_with_consent(app):
    seeking = open_case(app, child__stated_age=16, child__categories=["unaccompanied", "asylum_seeker"])
    _consent_to(app, seeking, "embassy")
    absent = hidden(app, CONSUL, "child", uuid.uuid4())
    assert hidden(app, CONSUL, "child", seeking.child_id) == absent
    assert hidden(app, CONSUL, "referral", seeking.referral_ids[0]).startswith("no referral")
    not_seeking = open_case(app, child__stated_age=16)
    _consent_to(app, not_seeking, "embassy")
    assert app.reads.show(CONSUL, "child", not_seeking.child_id)["identity"]["given_name"] == "Aziz"


def test_the_steering_committee_sees_no_individual_record(app):
    case = open_case(app)
    for record_type, record_id in [("case", case.id), ("child", case.child_id), ("referral", case.referral_ids[0])]:
        hidden(app, STEERING, record_type, record_id)


def test_oversight_sees_that_things_happened_but_not_to_whom(app):
    case = open_case(app)
    for actor in (AUDITOR, UNICEF):
        seen = app.reads.show(actor, "referral", case.referral_ids[0])
        assert seen["state"] == "accepted"
        assert "child" not in seen.get("content", {})
    monitored = app.reads.show(UNICEF, "child", case.child_id)
    assert monitored["age"] == 14 and monitored["identity"] == {"sex": "male"}
    hidden(app, AUDITOR, "child", case.child_id)


def test_health_sees_the_examination_it_must_act_on_not_the_case_notes(app):
    case = open_case(app, child__stated_age=16)
    exam_id = uuid.uuid4()
    with pytest.raises(GuardViolation) as refused:
        app.medical.request_medical_examination(MANAGER, case.id, exam_id, "hospital-almaty-1", "bruising on arms")
    assert refused.value.rule == "8.3.21-consent"
    app.consents.give_consent(
        MANAGER, case.child_id, ConsentPurpose.MEDICAL_EXAMINATION, "health", [Signatory.CHILD], True, "signature"
    )
    app.medical.request_medical_examination(MANAGER, case.id, exam_id, "hospital-almaty-1", "bruising on arms")
    request = app.reads.show(DOCTOR, "medical_examination", exam_id)
    assert (request["child_name"], request["reason"], request["findings"]) == ("Aziz Karimov", "bruising on arms", None)
    for record_type, record_id in [("case", case.id), ("referral", case.referral_ids[0]), ("child", case.child_id)]:
        hidden(app, DOCTOR, record_type, record_id)
    app.medical.report_medical_examination(DOCTOR, case.id, exam_id, "old and new bruises consistent with blows")
    assert app.reads.show(MANAGER, "medical_examination", exam_id)["findings"].startswith("old and new bruises")


def test_consent_opens_the_child_s_identity_to_the_named_body_and_withdrawal_closes_it(app, frozen):
    referral, case = referral_by_school(app, child__stated_age=16)
    hidden(app, SCHOOL_TEACHER, "child", case.child_id)
    _consent_to(app, case, "school-almaty-12")
    assert app.reads.show(SCHOOL_TEACHER, "child", case.child_id)["identity"]["given_name"] == "Aziz"
    assert "content" in app.reads.show(SCHOOL_TEACHER, "referral", referral.id)
    app.consents.withdraw_consent(MANAGER, case.child_id, ConsentPurpose.INFORMATION_SHARING, "school-almaty-12", "asked")
    hidden(app, SCHOOL_TEACHER, "child", case.child_id)
    assert "content" not in app.reads.show(SCHOOL_TEACHER, "referral", referral.id)


def test_an_expired_consent_stops_the_flow_without_any_new_event(app, frozen):
    case = open_case(app, child__stated_age=16)
    app.consents.give_consent(
        MANAGER, case.child_id, ConsentPurpose.INFORMATION_SHARING, "school", [Signatory.CHILD], True, "signature",
        expires_at=frozen.now() + timedelta(days=30),
    )
    assert app.reads.show(SCHOOL_TEACHER, "child", case.child_id)["identity"]["given_name"] == "Aziz"
    frozen.advance(timedelta(days=30))
    hidden(app, SCHOOL_TEACHER, "child", case.child_id)


def test_break_the_glass_opens_a_record_for_three_hours_records_it_and_tells_the_manager(app, frozen):
    case = open_case(app)
    hidden(app, GTA_OFFICER, "case", case.id)
    with pytest.raises(GuardViolation):
        app.glass.break_glass(GTA_OFFICER, "case", case.id, "imminent-danger", "urgent")
    with pytest.raises(Forbidden):
        app.glass.break_glass(
            SCHOOL_TEACHER, "case", case.id, "imminent-danger", "the teacher wants to know how the boy is doing"
        )
    opening = app.glass.break_glass(
        GTA_OFFICER, "case", case.id, "imminent-danger", "night placement: the boy is at the GTA duty office"
    )
    seen = app.glass.show_through_glass(GTA_OFFICER, opening.id)
    assert seen["managing_agency"] == "cam-almaty" and "intake_actions" in seen
    notices = [r for r in app.reads.visible_records(MANAGER, case.child_id)
               if r["record_type"] == "notice" and r["record"]["kind"] == "break_glass"]
    assert [(n["record"]["by_user"], n["record"]["reason"]) for n in notices] == [
        ("g.akhmetova", "night placement: the boy is at the GTA duty office")
    ]
    frozen.advance(timedelta(hours=3))
    with pytest.raises(Forbidden):
        app.glass.show_through_glass(GTA_OFFICER, opening.id)
    reads = app.reads.reads_of_child(MANAGER, case.child_id)
    glass = [r for r in reads if r.outcome == "break_glass"]
    assert len(glass) == 1 and glass[0].user == "g.akhmetova" and glass[0].rules == [f"BREAK-GLASS:{opening.id}"]


def test_break_the_glass_never_lifts_an_absolute_denial(app):
    case = open_case(app)
    app.cases.report_emergency(MANAGER, case.id, "the child ran away from the centre tonight")
    opening = app.glass.break_glass(
        INSPECTOR, "referral", case.referral_ids[0], "imminent-danger", "the child ran away from the centre tonight"
    )
    seen = app.glass.show_through_glass(INSPECTOR, opening.id)
    assert seen["content"]["child"]["given_name"] == "Aziz"
    assert "nationality" not in seen["content"]["child"]


def test_a_denied_read_is_recorded_as_denied(app):
    case = open_case(app)
    hidden(app, CONSUL, "case", case.id)
    denied = [r for r in app.reads.reads_of_child(MANAGER, case.child_id) if r.outcome == "denied"]
    assert [(r.agency, r.user, r.record_type, r.fields) for r in denied] == [
        ("embassy-uz-almaty", "z.yusupov", "case", [])
    ]


def test_a_body_the_concern_is_about_never_learns_that_the_referral_exists(app):
    referral = submit(app, actor=DOCTOR, concern__about_agency="school-almaty-12", child__stated_age=16)
    app.referrals.acknowledge_referral(MANAGER, referral.id)
    case = app.referrals.accept_referral(MANAGER, referral.id)
    _consent_to(app, case, "school-almaty-12")  # even consent does not let the school see it
    for record_type, record_id in [("referral", referral.id), ("child", case.child_id), ("case", case.id)]:
        assert hidden(app, SCHOOL_TEACHER, record_type, record_id) == hidden(app, SCHOOL_TEACHER, record_type, uuid.uuid4())
    with pytest.raises(NotFound):
        app.reads.visible_records(SCHOOL_TEACHER, case.child_id)


def test_the_school_cannot_be_made_the_recipient_of_a_concern_about_itself(app):
    from hub.errors import InvalidInput

    with pytest.raises(InvalidInput) as info:
        submit(app, actor=DOCTOR, recipient="cam-almaty", concern__about_agency="cam-almaty")
    assert info.value.field == "recipient_agency"
    routed = submit(app, actor=DOCTOR, concern__about_agency="cam-almaty")
    assert routed.recipient_agency == "gta-almaty"


def test_each_view_row_records_the_policy_version_and_a_new_version_rebuilds_the_views(app):
    referral, case = referral_by_school(app)
    app.views.catch_up()
    version = LoadedPolicy(packaged_policy_text()).version
    assert {r.policy_version for r in app.views.store.rows_of_child(case.child_id)} == {version}
    assert "assessment_conclusion" in app.reads.show(SCHOOL_PSYCHOLOGIST, "referral", referral.id)
    stricter = packaged_policy_text().replace(f"version: {version}", f"version: {version + 1}", 1).replace(
        "records: {referral: [receipt, answer]}", "records: {referral: [receipt]}"
    )
    app.store.adopt_policy(stricter)
    app.views.catch_up()
    assert {r.policy_version for r in app.views.store.rows_of_child(case.child_id)} == {version + 1}
    assert "assessment_conclusion" not in app.reads.show(SCHOOL_PSYCHOLOGIST, "referral", referral.id)
    adoptions = [n for n in app.store.recorder.select_notifications(start=1, limit=10_000) if "PrivacyPolicy" in n.topic]
    assert [n.topic.rsplit(".", 1)[-1] for n in adoptions] == ["Adopted", "Changed"]


def test_who_saw_the_child_s_file(app):
    referral, case = referral_by_school(app)
    app.reads.show(SCHOOL_PSYCHOLOGIST, "referral", referral.id)
    app.reads.show(MANAGER, "case", case.id)
    reads = app.reads.reads_of_child(MANAGER, case.child_id)
    school = [r for r in reads if r.agency == "school-almaty-12"]
    # the referrer's own grant, and the one of the notice that told it the referral was taken up (cam N07)
    assert school[0].rules == ["N-CAM-N07", "P-10"] and "state" in school[0].fields and school[0].outcome == "granted"
    assert any(r.agency == "cam-almaty" and r.record_type == "case" for r in reads)


def test_the_views_keep_personal_data_sealed_under_the_child_s_key(app):
    case = open_case(app)
    assert app.reads.show(MANAGER, "child", case.child_id)["identity"]["given_name"] == "Aziz"
    raw = app.views.store.sql.query("SELECT body FROM {hub_views}", ["hub_views"])
    assert raw and all(row[0].startswith("hv1:") and "Aziz" not in row[0] for row in raw)


def test_the_steering_committee_sees_anonymised_counts_with_small_cells_suppressed(app):
    for _ in range(5):
        open_case(app)
    submit(app, child__city="astana")
    counts = app.statistics.statistics(STEERING)
    cells = {(c["city"], c["measure"]): c["count"] for c in counts["cells"]}
    assert cells[(City.ALMATY, "referrals")] == 5 and cells[(City.ALMATY, "cases.open")] == 5
    assert cells[(City.ASTANA, "referrals")] == "<5"
    assert "Aziz" not in str(counts)
    with pytest.raises(Forbidden):
        app.statistics.statistics(SCHOOL_TEACHER)


def test_over_http_a_concealed_record_is_answered_exactly_like_a_missing_one(app):
    from fastapi.testclient import TestClient

    from hub.api.app import create_app
    from tests.api_support import bearer

    referral = submit(app, actor=DOCTOR, concern__about_agency="school-almaty-12")
    client = TestClient(create_app(app))
    headers = bearer(app, SCHOOL_TEACHER)
    missing = uuid.uuid4()
    concealed = client.get(f"/v1/referrals/{referral.id}", headers=headers)
    absent = client.get(f"/v1/referrals/{missing}", headers=headers)
    assert concealed.status_code == absent.status_code == 404
    assert concealed.headers["content-type"] == absent.headers["content-type"]
    assert concealed.text.replace(str(referral.id), "ID") == absent.text.replace(str(missing), "ID")
