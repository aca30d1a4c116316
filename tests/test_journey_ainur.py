"""Ainur's journey (violence-system-evaluation §3.3), over HTTP, each body at its own desk: a girl of 9 who saw her
father kill her mother is placed in a children's home, where older girls beat her and the staff look away. Here
her history travels with the placement to the home, and the Ombudsman is told she is there; the injury the
centre's social worker finds is an allegation against the home's staff that goes outside it - to the prosecutor,
UNICEF and the Ombudsman - while the home learns nothing more of her and cannot close it; the Ombudsman's monitors
visit the home, record what they found and the referral that came out of it; the Ombudsman's counts per
institution show the visit and hide the cells that would point at her; and an auditor reads who knew what, when.
(Decisions 0035, 0040.)"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from hub.actor import Actor
from hub.aggregates.vocabulary import BodyKind
from hub.api.app import create_app
from hub.bootstrap import Hub
from tests.builders import ADMIN, AUDITOR, GTA_OFFICER, INSPECTOR, MANAGER, OMBUDSMAN_MONITOR, PROSECUTOR, SOCIAL_WORKER
from tests.journey_support import Desk

PLACE = "almaty"
HOME = Actor("home-almaty-3", "director", "s.abenova")
NANNY = Actor("home-almaty-3", "staff", "nanny.g")
UNICEF_FOCAL_POINT = Actor("unicef-kz", "focal_point", "a.bekova")
HISTORY = "Ainur saw her father kill her mother during their fight; the court hearings frightened her; she barely speaks."

AINUR = {
    "referrer": {"name": "B. Omarov", "professional_title": "juvenile inspector"},
    "child": {"given_name": "Ainur", "family_name": "Zhaksylykova", "stated_age": 9, "sex": "female", "city": PLACE},
    "parents": [{"name": "Serik Zhaksylykov", "relationship": "father, in custody"}],
    "concern": {"category": "psychological_violence", "description": HISTORY, "urgency": "high"},
    "consent": {"given": False},
}


def _allegation(child_id: str) -> dict[str, Any]:
    return {
        "referral": {
            "referrer": {"name": "D. Seitkali", "professional_title": "social worker, CAM Almaty"},
            "child_id": child_id,
            "child": {"given_name": "Ainur", "stated_age": 9, "sex": "female", "city": PLACE},
            "concern": {"category": "physical_violence", "about_agency": HOME.agency, "urgency": "high",
                        "description": "bruised back and a swollen wrist; older girls beat her at night, the nannies did "
                                       "not step in and took her to no doctor"},
            "consent": {"given": False},
        },
        "about_staff": {"role": "night nanny"},
        "came_to_attention": "seen on my visit to the home; Ainur showed me her wrist",
        "steps_taken": "taken to the polyclinic; the CAM manager told",
    }


@pytest.fixture
def desks(app: Hub) -> Iterator[dict[str, Desk]]:
    app.directory.register_agency(ADMIN, HOME.agency, "Children's Home No. 3, Almaty", BodyKind.CHILDREN_HOME, PLACE)
    people = {
        "police": INSPECTOR, "cam": MANAGER, "social_worker": SOCIAL_WORKER, "gta": GTA_OFFICER, "home": HOME,
        "nanny": NANNY, "prosecutor": PROSECUTOR, "unicef": UNICEF_FOCAL_POINT, "ombudsman": OMBUDSMAN_MONITOR,
        "auditor": AUDITOR,
    }
    with TestClient(create_app(app)) as client:
        yield {name: Desk(client, app, actor) for name, actor in people.items()}


def _rules(desk: Desk) -> set[str]:
    return {desk.get(f"/v1/notices/{n}")["rule"] for n in desk.notice_ids("all")}


def test_ainur_placed_in_a_children_s_home_is_seen_from_outside_it(app: Hub, frozen: Any, desks: dict[str, Desk]) -> None:
    cam, home, ombudsman = desks["cam"], desks["home"], desks["ombudsman"]
    began = frozen.now()

    # C1: the police refer her after her mother's death; the centre opens her case.
    referral = desks["police"].post("/v1/referrals", AINUR, status=201)
    cam.post(f"/v1/referrals/{referral['id']}/acknowledge")
    case_id = cam.post(f"/v1/referrals/{referral['id']}/accept", status=201)["id"]
    child_id = referral["child_id"]

    # C2: the GTA places her in Children's Home No. 3. The Ombudsman is told who is there and since when, not why;
    # the home learns who she is and what she went through, not who referred her nor her father's name.
    frozen.advance(timedelta(days=1))
    desks["gta"].post(f"/v1/cases/{case_id}/placements", {
        "placement": "alternative_care_residential", "decision_reference": "GTA 41/2002", "institution": HOME.agency,
    })
    assert "hub:PLACEMENT-FLAGGED" in _rules(ombudsman)
    seen = ombudsman.get(f"/v1/cases/{case_id}")
    assert (seen["placement_institution"], seen["placement"]) == (HOME.agency, "alternative_care_residential")
    assert "content" not in ombudsman.get(f"/v1/referrals/{referral['id']}")
    history = desks["nanny"].get(f"/v1/referrals/{referral['id']}")
    assert history["content"]["concern"]["description"] == HISTORY
    assert "referrer" not in history["content"] and "parents" not in history["content"]
    assert home.get(f"/v1/children/{child_id}")["identity"]["given_name"] == "Ainur"

    # C3: the centre's social worker finds her injured and reports the home's staff. The prosecutor, UNICEF's
    # focal point and the Ombudsman are told at once; the home no longer sees her at all and cannot close it.
    frozen.advance(timedelta(days=60))
    reported = frozen.now()
    receipt = desks["social_worker"].post("/v1/allegations", _allegation(child_id), status=201)
    allegation_id = receipt["id"]
    for desk, rule in (("prosecutor", "cam:N49"), ("unicef", "cam:N49"), ("ombudsman", "hub:INSTITUTION-ALLEGATION")):
        assert rule in _rules(desks[desk]), desk
        assert desks[desk].get(f"/v1/allegations/{allegation_id}")["about_staff"]["role"] == "night nanny", desk
    for desk in ("home", "nanny"):
        desks[desk].get(f"/v1/allegations/{allegation_id}", status=404)
        desks[desk].get(f"/v1/children/{child_id}", status=404)
        desks[desk].get(f"/v1/referrals/{referral['id']}", status=404)
        assert desks[desk].inbox() == []
    home.post(f"/v1/allegations/{allegation_id}/conclude", {"outcome": "unsubstantiated"}, status=403)
    assert ombudsman.get(f"/v1/allegations/{allegation_id}")["state"] == "reported"

    # C4: the Ombudsman's monitors visit the home. What they found names her and stays theirs; the home reads what
    # is addressed to it. A referral of the visit (another girl who spoke to them) is listed on it.
    frozen.advance(timedelta(days=2))
    visit = ombudsman.post("/v1/visits", {
        "institution": HOME.agency, "visited_on": frozen.now().date().isoformat(), "monitors": ["I. Khaliulin"],
        "findings": "Ainur and Saule describe night beatings by older girls ('dedovshina'); the staff know.",
        "findings_for_institution": "Night supervision is not provided; the psychologist's door is kept locked.",
    }, status=201)
    spoke = ombudsman.post("/v1/referrals", {
        **AINUR, "referrer": {"name": "I. Khaliulin", "professional_title": "monitor"},
        "child": {"given_name": "Saule", "stated_age": 12, "sex": "female", "city": PLACE}, "parents": [],
        "concern": {"category": "physical_violence", "about_agency": HOME.agency, "urgency": "high",
                    "description": "beaten by older girls at night; the nannies did not respond"},
    }, status=201)
    ombudsman.post(f"/v1/visits/{visit['id']}/referrals", {"referral_id": spoke["id"]})
    told_home = home.get(f"/v1/visits/{visit['id']}")
    assert told_home["findings_for_institution"].startswith("Night supervision") and told_home["findings"] is None
    assert ombudsman.get(f"/v1/visits/{visit['id']}")["referral_ids"] == [spoke["id"]]

    # C5: the Ombudsman's counts per institution: the visit, and "fewer than 5" where a count would point at a girl.
    period = f"?from={quote(began.isoformat())}&to={quote((frozen.now() + timedelta(days=1)).isoformat())}"
    cells = {(c["indicator"], c["breakdown"], c["label"]): c["count"]
             for c in ombudsman.get(f"/v1/statistics/indicators{period}")["cells"]}
    assert cells[("NPM-4", "institution", HOME.agency)] == 1
    assert cells[("NPM-1", "total", "")] is None and cells[("NPM-3", "total", "")] is None

    # C6: the auditor reads who knew what and when: the home read her history after the placement, and was
    # refused once the allegation was reported.
    rows = desks["auditor"].get(f"/v1/audit/access-report?child_id={child_id}")["rows"]
    home_reads = [(r["at"] < reported.isoformat(), r["outcome"]) for r in rows
                  if r["agency"] == HOME.agency and r["record_type"] == "referral"]
    assert (True, "granted") in home_reads and (False, "denied") in home_reads
    assert all(outcome == "denied" for before, outcome in home_reads if not before)
