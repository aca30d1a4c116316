"""Routing at submission (policy/routing.yaml; docs/decisions/0007, 0011): every branch, recorded on the referral,
and the bodies told of it by notices of their own (policy/notices.yaml, docs/decisions/0025).

cam-csc-manual §2.1-2.2 and §6 (N02-N05, N12, N48); ngo-services-manual §2.1 (T1-T5), §6 (N20).
"""

from __future__ import annotations

import pytest

from hub.aggregates.vocabulary import BodyKind
from hub.errors import InvalidInput
from tests.builders import ADMIN, DOCTOR, INSPECTOR, SCHOOL_PSYCHOLOGIST
from tests.scenario import notices_about, refused, submit, told

CENTRES = {
    "almaty": ("cam-almaty", "gta-almaty"),
    "shymkent": ("cam-shymkent", "gta-shymkent"),
    "turkestan_oblast": ("cam-turkestan", "gta-turkestan"),
    "astana": ("csc-astana", "gta-astana"),
}
NOT_IN_CARE = {"child__categories": [], "child__migration_status": None}


@pytest.fixture
def hub(app):
    """The test agencies, plus the CAMs and GTAs of Shymkent and Turkestan Oblast."""
    for city in ("shymkent", "turkestan_oblast"):
        cam, gta = CENTRES[city]
        app.directory.register_agency(ADMIN, cam, f"Centre of Adaptation of Minors, {city}", BodyKind.CAM, city)
        app.directory.register_agency(ADMIN, gta, f"Guardianship and Tutelage Authority, {city}", BodyKind.GTA, city)
    return app


def recorded(app, referral):
    """The referral as stored: what the inbox and the relay will read."""
    return app.referrals.referral_for(INSPECTOR if referral.referrer_agency == "ji-almaty" else SCHOOL_PSYCHOLOGIST, referral.id)


@pytest.mark.parametrize("city", list(CENTRES))
def test_a_child_of_3_or_over_goes_to_the_city_s_cam_or_csc_with_a_notice_to_its_gta(hub, city):
    centre, gta = CENTRES[city]
    referral = recorded(hub, submit(hub, child__city=city))
    assert referral.recipient_agency == centre
    assert referral.routing_rule == "R-CAM-CSC"
    assert referral.routing_reason.startswith("R-CAM-CSC: a child aged 3 or over is referred to the CAM/CSC")
    assert told(hub, referral) == [(gta, "gta", "cam:N02")]


@pytest.mark.parametrize(
    "age", [{"child__stated_age": 2}, {"child__stated_age": None, "child__date_of_birth": "2025-01-15"}],
    ids=["stated-2", "born-2025"],
)
def test_a_child_under_3_goes_to_the_gta_only(hub, age):
    referral = recorded(hub, submit(hub, **age))
    assert (referral.recipient_agency, referral.routing_rule) == ("gta-almaty", "R-UNDER-3")
    assert told(hub, referral) == []  # no CAM/CSC, and no notice to the GTA that receives it


def test_an_emergency_alerts_the_juvenile_inspection_and_emergency_medical_first(hub):
    referral = recorded(hub, submit(hub, actor=SCHOOL_PSYCHOLOGIST, concern__urgency="emergency"))
    assert (referral.recipient_agency, referral.routing_rule) == ("cam-almaty", "R-CAM-CSC")
    assert told(hub, referral) == [
        ("gta-almaty", "gta", "cam:N02"),
        ("ji-almaty", "juvenile_police", "cam:N12"),
        ("hospital-almaty-1", "health", "ngo:N20"),
    ]
    assert all(n.urgent for n in notices_about(hub, referral) if n.rule != "cam:N02")


def test_an_emergency_under_3_goes_to_the_gta_after_the_alerts(hub):
    referral = recorded(hub, submit(hub, actor=SCHOOL_PSYCHOLOGIST, concern__urgency="emergency", child__stated_age=1))
    assert referral.recipient_agency == "gta-almaty"
    assert [n[2] for n in told(hub, referral)] == ["cam:N12", "ngo:N20"]


def test_an_emergency_referred_by_the_juvenile_inspection_does_not_alert_it_again(hub):
    referral = recorded(hub, submit(hub, actor=INSPECTOR, concern__urgency="emergency"))  # N12: "unless it made the referral"
    assert [n[0] for n in told(hub, referral)] == ["gta-almaty", "hospital-almaty-1"]


def test_an_alert_no_registered_body_can_take_is_kept_as_undelivered(hub):
    referral = recorded(hub, submit(hub, actor=SCHOOL_PSYCHOLOGIST, concern__urgency="emergency", child__city="astana"))
    assert told(hub, referral) == [
        ("gta-astana", "gta", "cam:N02"), (None, "juvenile_police", "cam:N12"), (None, "health", "ngo:N20")
    ]


def test_serious_mental_illness_goes_to_the_city_s_health_authority(hub):
    referral = recorded(hub, submit(hub, concern__category="serious_mental_illness", **NOT_IN_CARE))
    assert (referral.recipient_agency, referral.routing_rule) == ("hospital-almaty-1", "R-MENTAL-HEALTH")
    assert "T4" in referral.routing_reason
    assert told(hub, referral) == []


def test_an_unaccompanied_child_with_a_mental_illness_still_needs_care_and_protection(hub):
    referral = recorded(hub, submit(hub, concern__category="serious_mental_illness"))  # categories: unaccompanied
    assert (referral.recipient_agency, referral.routing_rule) == ("cam-almaty", "R-CAM-CSC")


def test_difficult_circumstances_go_to_the_city_s_ngo(hub):
    referral = recorded(hub, submit(hub, concern__category="difficult_circumstances", **NOT_IN_CARE))
    assert (referral.recipient_agency, referral.routing_rule) == ("ngo-rodnik", "R-DIFFICULT-CIRCUMSTANCES")
    assert "T5" in referral.routing_reason
    assert told(hub, referral) == []


@pytest.mark.parametrize(
    "need", [{"concern__urgency": "emergency", **NOT_IN_CARE}, {}], ids=["emergency", "unaccompanied"]
)
def test_difficult_circumstances_with_a_protection_need_go_to_the_cam(hub, need):
    referral = recorded(hub, submit(hub, concern__category="difficult_circumstances", **need))
    assert (referral.recipient_agency, referral.routing_rule) == ("cam-almaty", "R-CAM-CSC")


def test_a_named_recipient_wins_and_a_named_cam_still_brings_the_gta_notice(hub):
    named_cam = recorded(hub, submit(hub, recipient="cam-almaty", child__stated_age=2))
    assert (named_cam.recipient_agency, named_cam.routing_rule) == ("cam-almaty", "R-NAMED")
    assert told(hub, named_cam) == [("gta-almaty", "gta", "cam:N02")]
    named_ngo = recorded(hub, submit(hub, recipient="ngo-rodnik"))
    assert (named_ngo.recipient_agency, named_ngo.routing_rule, told(hub, named_ngo)) == ("ngo-rodnik", "R-NAMED", [])


def test_a_concern_about_the_centre_s_own_staff_goes_to_the_gta_for_the_child_s_protection(hub):
    referral = recorded(hub, submit(hub, concern__about_agency="cam-almaty"))
    assert (referral.recipient_agency, referral.routing_rule) == ("gta-almaty", "R-ACCUSED-BODY")
    assert told(hub, referral) == []  # the GTA receives it; the CAM is told nothing
    with refused(hub, InvalidInput):
        submit(hub, concern__about_agency="cam-almaty", recipient="cam-almaty")


def test_an_alert_never_goes_to_the_body_the_concern_is_about(hub):
    referral = recorded(
        hub, submit(hub, actor=SCHOOL_PSYCHOLOGIST, concern__urgency="emergency", concern__about_agency="ji-almaty")
    )
    assert (None, "juvenile_police", "cam:N12") in told(hub, referral)
    assert "ji-almaty" not in {agency for agency, _, _ in told(hub, referral)}


def test_the_route_is_recorded_in_the_submitted_event(hub):
    referral = submit(hub, actor=SCHOOL_PSYCHOLOGIST, concern__urgency="emergency")
    [submitted] = [e for e in hub.store.events.get(referral.id) if type(e).__name__ == "Submitted"]
    assert (submitted.routing_rule, submitted.recipient_agency) == ("R-CAM-CSC", "cam-almaty")


def test_a_hospital_s_suspected_violence_notice_tells_the_police_and_the_commission_as_the_health_sop_requires(hub):
    referral = submit(hub, actor=DOCTOR, concern__category="physical_violence", concern__urgency="high")
    assert {("ji-almaty", "juvenile_police", "vse:SOP-POLICE"), ("cim-almaty", "cim", "vse:SOP-CIM"),
            ("gta-almaty", "gta", "cam:N02")} <= set(told(hub, referral))
