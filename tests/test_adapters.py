"""Agency adapters through the service layer: every sample applies, repeats change nothing, bad messages change nothing.

Each test runs on both stores (the ``app`` fixture). "Nothing changed" is the
store's last notification id, read before and after.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from adapters.apply import Received
from adapters.commands import SubmitReferral
from adapters.errors import AdapterError
from adapters.registry import ADAPTERS
from hub.actor import Actor
from hub.aggregates.case_vocabulary import IntakeAction, SupporterStep
from hub.aggregates.consent import ConsentPurpose
from hub.aggregates.notice import Answer
from hub.aggregates.referral_content import ReferralContent
from hub.aggregates.vocabulary import ConcernCategory, PlacementType, Signatory
from hub.errors import InvalidInput, NotFound
from hub.services.referrals import ReferralRequest
from tests.api_support import referrals_submitted
from tests.builders import (
    DOCTOR,
    GTA_OFFICER,
    HOSPITAL_HEAD,
    INSPECTOR,
    MANAGER,
    NGO_COORDINATOR,
    OMBUDSMAN_MONITOR,
    SCHOOL_PSYCHOLOGIST,
    SCHOOL_TEACHER,
    SPECIAL_SCHOOL,
    referral_content,
)
from tests.scenario import open_case, store_position


def sample(adapter: str, name: str) -> dict[str, Any]:
    return copy.deepcopy(ADAPTERS[adapter].samples()[name])


# -- each sample: who sends it, what the hub must hold first, and what it must hold after ------------


def no_setup(app: Any, message: dict[str, Any]) -> None:
    pass


def on_a_case(app: Any, message: dict[str, Any]) -> None:
    case = open_case(app)
    message["case_id"], message["child_id"] = str(case.id), str(case.child_id)


def on_a_requested_examination(app: Any, message: dict[str, Any]) -> None:
    case = open_case(app, child__stated_age=16)
    app.consents.give_consent(MANAGER, case.child_id, ConsentPurpose.MEDICAL_EXAMINATION, "health", [Signatory.CHILD], True,
                     "signature")
    app.medical.request_medical_examination(MANAGER, case.id, uuid.UUID(message["examination_id"]), "hospital-almaty-1",
                                    "bruising on arms")
    message["case_id"], message["child_id"] = str(case.id), str(case.child_id)


def supported(app: Any, message: dict[str, Any]) -> None:
    """A case whose supporter request the NGO accepted (decision 0034)."""
    case = open_case(app)
    app.cases.record_intake_action(MANAGER, case.id, IntakeAction.SUPPORTER_REQUESTED, None)
    with app.dossiers.dossier(case.child_id) as dossier:
        [request] = [n for n in dossier.notices if n.rule == "cam:N08"]
    app.notices.answer(NGO_COORDINATOR, request.id, Answer.ACCEPT, [], None)
    message["case_id"], message["child_id"] = str(case.id), str(case.child_id)


def told_manager(rule: str, *text: str) -> Callable:
    def check(app: Any, actor: Actor, received: Received) -> None:
        (applied,) = received.applied
        with app.dossiers.dossier(applied.child_id) as dossier:
            [notice] = [n for n in dossier.notices if n.rule == rule and n.subject_id == applied.record_id]
        seen = app.reads.show(MANAGER, "notice", notice.id)
        assert notice.recipient_agency == MANAGER.agency and all(t in seen["reason"] for t in text), seen

    return check


def stepped(app: Any, actor: Actor, received: Received) -> None:
    (applied,) = received.applied
    assert SupporterStep.SUPPORTER_CONTACTED in app.cases.case_for(MANAGER, applied.record_id).supporter_steps


def referred(recipient: str, category: ConcernCategory, about: str | None = None, *text: str) -> Callable:
    def check(app: Any, actor: Actor, received: Received) -> None:
        for applied in received.applied:
            referral = app.referrals.referral_for(actor, applied.record_id)
            assert referral.recipient_agency == recipient
            assert referral.referrer_agency == actor.agency
            assert referral.child_id == applied.child_id
            assert referral.content.concern.category == category
            assert referral.content.concern.about_agency == about
            written = referral.content.model_dump_json()
            assert all(t in written for t in text), written

    return check


def placed(placement: PlacementType, reference: str) -> Callable:
    def check(app: Any, actor: Actor, received: Received) -> None:
        (applied,) = received.applied
        case = app.cases.case_for(MANAGER, applied.record_id)
        assert case.placement == placement
        assert case.child_id == applied.child_id
        recorded = list(app.store.events.get(case.id))[-1]
        assert reference in recorded.decision_reference and recorded.actor == actor

    return check


def examined(app: Any, actor: Actor, received: Received) -> None:
    (applied,) = received.applied
    case = app.cases.case_for(MANAGER, applied.record_id)
    (exam,) = case.medical_examinations.values()
    assert exam["findings"].startswith("Report No. МО-31/2026") and "T74.1" in exam["findings"]


SAMPLES = {
    ("police", "placement_protocol"): (
        INSPECTOR, no_setup, referred("cam-almaty", ConcernCategory.UNACCOMPANIED, None, "Bekzod", "ОЮП-0417/26")
    ),
    ("police", "removal_act"): (
        INSPECTOR, on_a_case, placed(PlacementType.REMOVED_TEMPORARY_PROTECTION, "ИЗ-0052/26")
    ),
    ("guardianship", "placement_decision"): (GTA_OFFICER, on_a_case, placed(PlacementType.FAMILY_BASED, "ООП-218")),
    ("guardianship", "guardian_appointment"): (
        GTA_OFFICER, on_a_case, placed(PlacementType.EXTENDED_FAMILY, "ООП-231")
    ),
    ("schools", "concern_report_physical"): (
        SCHOOL_PSYCHOLOGIST, no_setup, referred("cam-almaty", ConcernCategory.PHYSICAL_VIOLENCE, None, "grade 7Б")
    ),
    ("schools", "concern_report_neglect"): (
        SCHOOL_PSYCHOLOGIST, no_setup, referred("cam-almaty", ConcernCategory.NEGLECT, None, "Aruzhan")
    ),
    ("health", "violence_notice"): (
        HOSPITAL_HEAD,
        no_setup,
        referred("cam-almaty", ConcernCategory.PHYSICAL_VIOLENCE, None, "due by 02.03.2026", "internal affairs (102)",
                 "Commission on Minors' Affairs", "social protection", "Kindergarten No. 112"),
    ),
    ("health", "examination_report"): (DOCTOR, on_a_requested_examination, examined),
    ("ngo", "referral_form_exploitation"): (
        NGO_COORDINATOR, no_setup, referred("cam-almaty", ConcernCategory.EXPLOITATION, None, "Farrukh Nazarov")
    ),
    ("ngo", "referral_form_infant"): (
        NGO_COORDINATOR, no_setup, referred("gta-almaty", ConcernCategory.NEGLECT)  # under 3: the GTA alone
    ),
    ("ngo", "supporter_step"): (NGO_COORDINATOR, supported, stepped),
    ("ngo", "supporter_recommendation"): (NGO_COORDINATOR, supported, told_manager("cam:N45", "school psychologist")),
    ("ngo", "child_views"): (NGO_COORDINATOR, supported, told_manager("ngo:N18", "aunt's stall", "exhausted")),
    ("ngo", "child_declined_supporter"): (NGO_COORDINATOR, supported, told_manager("cam:N11", "speak for herself")),
    ("ombudsman", "safeguarding_concern"): (
        OMBUDSMAN_MONITOR,
        no_setup,
        referred("cam-almaty", ConcernCategory.PHYSICAL_VIOLENCE, "special-school-almaty-4", "night educator"),
    ),
    # Helpline 150 (docs/decisions/0043): a child who called, and an anonymous neighbour about a child at risk.
    ("helpline", "call_record_child"): (
        NGO_COORDINATOR, no_setup, referred("cam-almaty", ConcernCategory.PSYCHOLOGICAL_VIOLENCE, None, "150-2026-11873")
    ),
    ("helpline", "call_record_neighbour"): (
        NGO_COORDINATOR, no_setup, referred("cam-almaty", ConcernCategory.PHYSICAL_VIOLENCE, None, "(anonymous)")
    ),
    ("ombudsman", "child_complaint"): (
        OMBUDSMAN_MONITOR, no_setup, referred("cam-almaty", ConcernCategory.PSYCHOLOGICAL_VIOLENCE, "school-almaty-12")
    ),
}


def test_the_table_covers_every_sample_and_every_message_type() -> None:
    assert set(SAMPLES) == {(a.name, s) for a in ADAPTERS.values() for s in a.samples()}
    for adapter in ADAPTERS.values():
        assert len(adapter.samples()) >= 2
        assert {s["message_type"] for s in adapter.samples().values()} == set(adapter.message_types)
        readme = (Path(__file__).parents[1] / "adapters" / adapter.name / "README.md").read_text(encoding="utf-8")
        assert all(f"samples/{name}.json" in readme for name in adapter.samples()), adapter.name


@pytest.mark.parametrize(("adapter", "name"), sorted(SAMPLES), ids=[f"{a}-{n}" for a, n in sorted(SAMPLES)])
def test_every_sample_applies_and_its_repeat_changes_nothing(app: Any, adapter: str, name: str) -> None:
    actor, setup, check = SAMPLES[(adapter, name)]
    message = sample(adapter, name)
    setup(app, message)
    before = store_position(app)
    first = app.messages.receive(actor, adapter, message, f"{name}-0001")
    assert store_position(app) > before
    assert not first.repeat and first.applied
    check(app, actor, first)

    after = store_position(app)
    again = app.messages.receive(actor, adapter, message, f"{name}-0001")
    assert store_position(app) == after
    assert again.repeat
    assert [(a.record_id, a.child_id) for a in again.applied] == [(a.record_id, a.child_id) for a in first.applied]


@pytest.mark.parametrize(("adapter", "name"), sorted(SAMPLES), ids=[f"{a}-{n}" for a, n in sorted(SAMPLES)])
def test_a_referral_s_content_as_made_is_the_content_its_event_reads_back(adapter: str, name: str) -> None:
    """A referral just made reads the model its event's content was dumped from (hub/aggregates/lazy_content.py),
    never rebuilt: it must be the content a replay rebuilds, or its notices could differ from a replay's."""
    translation = ADAPTERS[adapter].translate(ADAPTERS[adapter].parse(sample(adapter, name)))
    for command in translation.commands:
        if isinstance(command, SubmitReferral):
            assert ReferralContent.stored(command.content.model_dump(mode="json")) == command.content


def test_a_new_message_id_is_a_new_message(app: Any) -> None:
    message = sample("schools", "concern_report_neglect")
    one = app.messages.receive(SCHOOL_PSYCHOLOGIST, "schools", message, "msg-1").applied[0]
    two = app.messages.receive(SCHOOL_PSYCHOLOGIST, "schools", message, "msg-2").applied[0]
    assert one.record_id != two.record_id
    assert referrals_submitted(app) == 2


def test_a_message_id_reused_for_another_message_is_refused_and_changes_nothing(app: Any) -> None:
    app.messages.receive(SCHOOL_PSYCHOLOGIST, "schools", sample("schools", "concern_report_neglect"), "msg-1")
    before = store_position(app)
    with pytest.raises(AdapterError) as refused:
        app.messages.receive(SCHOOL_PSYCHOLOGIST, "schools", sample("schools", "concern_report_physical"), "msg-1")
    assert (refused.value.reason, refused.value.field) == ("message-id-reused", "Message-Id")
    assert store_position(app) == before


# -- refusals: a specific reason, the field in the agency's own terms, and nothing stored -----------------


def with_(adapter: str, name: str, change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    message = sample(adapter, name)
    change(message)
    return message


BAD_MESSAGES = {
    "unknown-field": (
        INSPECTOR, "police", with_("police", "placement_protocol", lambda m: m.update(surprise=1)), "surprise"
    ),
    "unknown-nested-field": (
        INSPECTOR, "police", with_("police", "placement_protocol", lambda m: m["child"].update(eye_colour="brown")),
        "child.eye_colour",
    ),
    "wrong-type": (
        INSPECTOR, "police", with_("police", "placement_protocol", lambda m: m["child"].update(apparent_age="13")),
        "child.apparent_age",
    ),
    "wrong-type-form-date": (
        NGO_COORDINATOR, "ngo",
        with_("ngo", "referral_form_infant", lambda m: m["section_a"].update(a6_date_of_referral="2026-03-01")),
        "section_a.a6_date_of_referral",
    ),
    "missing-field": (
        SCHOOL_PSYCHOLOGIST, "schools", with_("schools", "concern_report_neglect", lambda m: m.pop("city")), "city"
    ),
    "unknown-message-type": (
        INSPECTOR, "police", with_("police", "placement_protocol", lambda m: m.update(message_type="arrest")),
        "message_type",
    ),
    "impossible-date": (
        SCHOOL_PSYCHOLOGIST, "schools",
        with_("schools", "concern_report_neglect", lambda m: m.update(observed_on="2026-02-30")), "observed_on",
    ),
    "impossible-form-date": (
        NGO_COORDINATOR, "ngo",
        with_("ngo", "referral_form_infant", lambda m: m["section_b"].update(b3_date_of_birth="30.02.2025")),
        "section_b.b3_date_of_birth",
    ),
    "born-in-the-future": (
        HOSPITAL_HEAD, "health",
        with_("health", "violence_notice", lambda m: m["patient"].update(date_of_birth="2027-01-01", iin=None)),
        "patient.date_of_birth",
    ),
    "visit-after-its-report": (
        OMBUDSMAN_MONITOR, "ombudsman",
        with_("ombudsman", "safeguarding_concern", lambda m: m["visit"].update(visited_on="2026-03-02")),
        "reported_on",
    ),
    "report-in-the-future": (
        SCHOOL_PSYCHOLOGIST, "schools",
        with_("schools", "concern_report_neglect", lambda m: m.update(reported_on="2026-03-03")), "reported_on",
    ),
    "aged-18": (
        NGO_COORDINATOR, "ngo",
        with_("ngo", "referral_form_exploitation", lambda m: m["section_b"].update(b3_date_of_birth="28.02.2008")),
        "section_b.b3_date_of_birth",
    ),
    "iin-of-another-child": (
        SCHOOL_PSYCHOLOGIST, "schools",
        with_("schools", "concern_report_physical", lambda m: m["pupil"].update(date_of_birth="2013-04-03")),
        "pupil.iin",
    ),
    "unregistered-facility": (
        OMBUDSMAN_MONITOR, "ombudsman",
        with_("ombudsman", "safeguarding_concern", lambda m: m["visit"].update(facility_code="special-school-nowhere")),
        "visit.facility_code",
    ),
    # Odd input (docs/decisions/0023).
    "nul-in-a-name": (
        INSPECTOR, "police", with_("police", "placement_protocol", lambda m: m["child"].update(surname="Rakhimov\x00")),
        "child.surname",
    ),
    "override-in-a-name": (
        SCHOOL_PSYCHOLOGIST, "schools",
        with_("schools", "concern_report_neglect", lambda m: m["pupil"].update(given_name="\u202enahzurA")),
        "pupil.given_name",
    ),
    "zero-width-name": (
        NGO_COORDINATOR, "ngo",
        with_("ngo", "referral_form_infant", lambda m: m["section_b"]["b1_name"].update(given_name="\u200b\u200b")),
        "section_b.b1_name.given_name",
    ),
    "escape-in-free-text": (
        HOSPITAL_HEAD, "health", with_("health", "violence_notice", lambda m: m.update(findings="Bruises \x1b[2J")),
        "findings",
    ),
    "guardian-born-before-1900": (
        GTA_OFFICER, "guardianship",
        with_("guardianship", "guardian_appointment", lambda m: m["guardian"].update(date_of_birth="1899-06-01")),
        "guardian.date_of_birth",
    ),
}
REASONS = {
    "unknown-nested-field": "unknown-field",
    "wrong-type-form-date": "wrong-type",
    "impossible-form-date": "impossible-date",
    "born-in-the-future": "impossible-date",
    "visit-after-its-report": "impossible-date",
    "report-in-the-future": "impossible-date",
    "aged-18": "impossible-date",
    "iin-of-another-child": "child-mismatch",
    "unregistered-facility": "unknown-agency",
    "nul-in-a-name": "invalid-value",
    "override-in-a-name": "invalid-value",
    "zero-width-name": "invalid-value",
    "escape-in-free-text": "invalid-value",
    "guardian-born-before-1900": "impossible-date",
}


@pytest.mark.parametrize("case", sorted(BAD_MESSAGES))
def test_a_bad_message_gets_a_specific_reason_and_changes_nothing(app: Any, case: str) -> None:
    actor, adapter, message, field = BAD_MESSAGES[case]
    before = store_position(app)
    with pytest.raises(AdapterError) as refused:
        app.messages.receive(actor, adapter, message, f"bad-{case}")
    assert (refused.value.reason, refused.value.field) == (REASONS.get(case, case), field), refused.value.detail
    assert refused.value.dead_letter()["reason"] == refused.value.reason
    assert store_position(app) == before


def test_malformed_json_is_refused_as_such(app: Any) -> None:
    with pytest.raises(AdapterError) as refused:
        app.messages.receive(INSPECTOR, "police", b'{"message_type": "placement_protocol", ', "bad-json")
    assert (refused.value.reason, refused.value.status) == ("malformed-json", 400)


def two_cases(app: Any) -> tuple[Any, Any]:
    return open_case(app), open_case(app, child__given_name="Timur")


def test_a_case_of_another_child_is_a_child_mismatch_and_changes_nothing(app: Any) -> None:
    case, other = two_cases(app)
    message = sample("guardianship", "placement_decision")
    message["case_id"], message["child_id"] = str(case.id), str(other.child_id)
    before = store_position(app)
    with pytest.raises(AdapterError) as refused:
        app.messages.receive(GTA_OFFICER, "guardianship", message, "gta-1")
    assert (refused.value.reason, refused.value.field, refused.value.status) == ("child-mismatch", "child_id", 422)
    assert store_position(app) == before
    assert app.cases.case_for(MANAGER, case.id).placement is None


def test_an_unknown_case_and_a_case_the_sender_may_not_touch_are_refused_alike(app: Any) -> None:
    case = open_case(app)
    absent = sample("police", "removal_act")  # its sample ids exist nowhere
    unasked = sample("health", "examination_report")  # the hospital was never asked to examine on this case
    unasked["case_id"], unasked["child_id"] = str(case.id), str(case.child_id)
    before = store_position(app)
    answers = []
    for actor, adapter, message in [(INSPECTOR, "police", absent), (DOCTOR, "health", unasked)]:
        with pytest.raises(AdapterError) as refused:
            app.messages.receive(actor, adapter, message, "ref-1")
        answers.append((refused.value.reason, refused.value.field, refused.value.detail.split(" ")[:2]))
    assert answers == [("unknown-case", "case_id", ["no", "case"])] * 2
    assert store_position(app) == before


def test_a_sender_of_the_wrong_kind_is_refused_before_its_message_is_read(app: Any) -> None:
    before = store_position(app)
    with pytest.raises(AdapterError) as refused:
        app.messages.receive(SCHOOL_TEACHER, "police", {"not": "even a police message"}, "x-1")
    assert (refused.value.reason, refused.value.status) == ("agency-not-allowed", 403)
    with pytest.raises(AdapterError) as unknown:
        app.messages.receive(SCHOOL_TEACHER, "customs", {}, "x-1")
    assert (unknown.value.reason, unknown.value.status) == ("unknown-adapter", 404)
    assert store_position(app) == before


def test_a_role_without_the_command_s_permission_is_refused(app: Any) -> None:
    """The head of a hospital sends SOP notices; only a doctor reports the examination he was asked for."""
    message = sample("health", "examination_report")
    on_a_requested_examination(app, message)
    before = store_position(app)
    with pytest.raises(AdapterError) as refused:
        app.messages.receive(HOSPITAL_HEAD, "health", message, "exam-1")
    assert (refused.value.reason, refused.value.status) == ("forbidden", 403)
    assert store_position(app) == before


# -- a monitor's concern about several children: all of them, or none --------------------------------------


def test_a_monitor_s_concern_about_three_children_makes_three_referrals_or_none(app: Any) -> None:
    known = open_case(app).child_id
    message = sample("ombudsman", "safeguarding_concern")
    message["children"][0]["hub_child_id"] = str(known)
    message["children"][2]["hub_child_id"] = str(uuid.uuid4())  # the third names a child the hub never had
    before, submitted = store_position(app), referrals_submitted(app)
    with pytest.raises(AdapterError) as refused:
        app.messages.receive(OMBUDSMAN_MONITOR, "ombudsman", message, "mg-2026-07")
    assert (refused.value.reason, refused.value.field) == ("unknown-child", "children.2.hub_child_id")
    assert refused.value.extensions["command_index"] == 2
    assert (store_position(app), referrals_submitted(app)) == (before, submitted)

    message["children"][2]["hub_child_id"] = None
    received = app.messages.receive(OMBUDSMAN_MONITOR, "ombudsman", message, "mg-2026-07")
    assert len({a.record_id for a in received.applied}) == 3
    assert received.applied[0].child_id == known
    assert referrals_submitted(app) == submitted + 3


def test_an_impossible_date_for_the_third_child_refuses_the_whole_concern(app: Any) -> None:
    message = sample("ombudsman", "safeguarding_concern")
    message["children"][2].pop("apparent_age")
    message["children"][2]["date_of_birth"] = "2026-02-27"  # born the day after the visit
    before = store_position(app)
    with pytest.raises(AdapterError) as refused:
        app.messages.receive(OMBUDSMAN_MONITOR, "ombudsman", message, "mg-2026-08")
    assert (refused.value.reason, refused.value.field) == ("impossible-date", "children.2.date_of_birth")
    assert store_position(app) == before


def test_the_facility_never_learns_of_the_monitors_concern(app: Any) -> None:
    received = app.messages.receive(OMBUDSMAN_MONITOR, "ombudsman", sample("ombudsman", "safeguarding_concern"), "mg-1")
    for applied in received.applied:
        assert app.reads.show(MANAGER, "referral", applied.record_id)["content"]["concern"]["about_agency"] == (
            "special-school-almaty-4"
        )
        for record_type, record_id in [("referral", applied.record_id), ("child", applied.child_id)]:
            with pytest.raises(NotFound):
                app.reads.show(SPECIAL_SCHOOL, record_type, record_id)
        with pytest.raises(NotFound):
            app.reads.visible_records(SPECIAL_SCHOOL, applied.child_id)
        # The concern is an allegation against the facility's staff, told to the prosecutor (0035).
        with app.dossiers.dossier(applied.child_id) as dossier:
            [allegation] = dossier.allegations
            told = {(n.recipient_agency, n.rule) for n in dossier.notices if n.subject_id == allegation.id}
        assert allegation.employer_agency == "special-school-almaty-4" and ("prosecutor-almaty", "cam:N49") in told


def test_a_concern_about_the_centre_itself_goes_to_the_gta_and_not_to_the_centre(app: Any) -> None:
    message = sample("ombudsman", "safeguarding_concern")
    message["visit"].update(facility_name="Centre of Adaptation of Minors, Almaty", facility_code="cam-almaty",
                            facility_type="cam_csc")
    received = app.messages.receive(OMBUDSMAN_MONITOR, "ombudsman", message, "mg-cam-1")
    for applied in received.applied:
        assert app.referrals.referral_for(OMBUDSMAN_MONITOR, applied.record_id).recipient_agency == "gta-almaty"
        with pytest.raises(NotFound):
            app.reads.show(MANAGER, "referral", applied.record_id)


# -- the parts on their own -------------------------------------------------------------------------------


def test_translation_is_pure_and_names_the_facility_on_every_referral(frozen: Any) -> None:
    adapter = ADAPTERS["ombudsman"]
    translation = adapter.translate(adapter.parse(sample("ombudsman", "safeguarding_concern")))
    assert translation == adapter.translate(adapter.parse(sample("ombudsman", "safeguarding_concern")))
    assert [type(c) for c in translation.commands] == [SubmitReferral] * 3
    assert {c.content.concern.about_agency for c in translation.commands} == {"special-school-almaty-4"}
    assert [c.idempotency_key for c in translation.commands] == ["child/0", "child/1", "child/2"]


def test_apply_checks_the_sender_too(app: Any) -> None:
    adapter = ADAPTERS["ombudsman"]
    translation = adapter.translate(adapter.parse(sample("ombudsman", "child_complaint")))
    with pytest.raises(AdapterError) as refused:
        app.messages.apply(INSPECTOR, translation, "c-1")
    assert refused.value.reason == "agency-not-allowed"
    (applied,) = app.messages.apply(OMBUDSMAN_MONITOR, translation, "c-1")
    assert applied.command == "submit_referral" and not applied.repeat


def test_submit_referrals_stores_all_of_them_or_none(app: Any) -> None:
    good = ReferralRequest(referral_content(), "batch-1/0")
    bad = ReferralRequest(referral_content(child__given_name="Timur"), "batch-1/1", child_id=uuid.uuid4())
    before = store_position(app)
    with pytest.raises(InvalidInput) as refused:
        app.referrals.submit_referrals(INSPECTOR, [good, bad])
    assert refused.value.field == "child_id"
    assert store_position(app) == before
    second = ReferralRequest(referral_content(child__given_name="Timur"), "batch-1/1")
    made = app.referrals.submit_referrals(INSPECTOR, [good, second])
    assert [s.created for s in made] == [True, True]
    assert [s.created for s in app.referrals.submit_referrals(INSPECTOR, [good, second])] == [False, False]
    assert referrals_submitted(app) == 2


def test_a_rule_of_the_manual_refuses_by_its_name_and_the_message_s_field(app: Any) -> None:
    message = sample("guardianship", "placement_decision")
    on_a_case(app, message)
    app.messages.receive(GTA_OFFICER, "guardianship", message, "GTA-218")
    before = store_position(app)
    with pytest.raises(AdapterError) as refused:  # the same placement again, under a new decision number
        app.messages.receive(GTA_OFFICER, "guardianship", {**message, "decision_no": "ООП-219"}, "GTA-219")
    assert (refused.value.reason, refused.value.field) == ("rule-violation", "form_of_placement")
    assert refused.value.dead_letter()["rule"] == "placement-unchanged"
    assert store_position(app) == before
