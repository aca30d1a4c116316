"""Adel's journey (violence-system-evaluation §3.1), over HTTP, each body at its own desk: at 18 she tells a trained
health provider of twelve years of abuse by her stepfather (L2804), who still lives with her four younger
half-siblings (L2844). Her report is recorded as an adult survivor's, not refused as a referral; the concern for
each half-sibling, one under 3, is referred at once, each routed and timed as any referral, and linked to the
others and to her record. The siblings' school and centre never see her file. (decision 0041.)"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hub.actor import Actor
from hub.api.app import create_app
from hub.bootstrap import Hub
from tests.builders import DOCTOR, GTA_OFFICER, MANAGER, SOCIAL_WORKER
from tests.journey_support import Desk

SCHOOL_HEAD = Actor("school-almaty-12", "director", "a.bekova")
ACCOUNT = "From the age of six her stepfather touched her, raped her at thirteen, and threatened to kill her mother."
HALF_SIBLINGS = [
    {"given_name": "Aruzhan", "family_name": "Serikova", "stated_age": 12, "sex": "female", "city": "almaty",
     "school": "School No. 12", "school_agency": "school-almaty-12"},
    {"given_name": "Timur", "family_name": "Serikov", "stated_age": 9, "sex": "male", "city": "almaty",
     "school": "School No. 12", "school_agency": "school-almaty-12"},
    {"given_name": "Dias", "family_name": "Serikov", "stated_age": 6, "sex": "male", "city": "almaty"},
    {"given_name": "Aisha", "family_name": "Serikova", "stated_age": 2, "sex": "female", "city": "almaty"},
]
REPORT = {
    "referrer": {"name": "L. Abenova", "professional_title": "doctor, trained in violence response"},
    "survivor": {"given_name": "Adel", "family_name": "Nurova", "sex": "female", "date_of_birth": "2008-01-15",
                 "city": "almaty"},
    "account": ACCOUNT,
    "abuser": {"name": "Serik Serikov", "relationship": "stepfather"},
    "siblings": HALF_SIBLINGS,
    "sibling_concern": {
        "category": "sexual_violence", "urgency": "high",
        "description": "Lives with a man an adult half-sister reports abused her for twelve years from the age of six.",
    },
    "parents": [{"name": "Gulmira Nurova", "relationship": "mother"},
                {"name": "Serik Serikov", "relationship": "father; the person accused"}],
    "consent": {"given": False, "note": "the parents are not asked: the father is the person accused"},
}


@pytest.fixture
def desks(app: Hub) -> Iterator[dict[str, Desk]]:
    with TestClient(create_app(app)) as client:
        people = {"hospital": DOCTOR, "cam": MANAGER, "social_worker": SOCIAL_WORKER, "gta": GTA_OFFICER,
                  "school": SCHOOL_HEAD}
        yield {name: Desk(client, app, actor) for name, actor in people.items()}


def test_adel_at_18_her_half_siblings_referred_at_once_linked_and_her_file_kept_from_their_school(
    app: Hub, frozen: Any, desks: dict[str, Desk]
) -> None:
    hospital, cam, gta, school = desks["hospital"], desks["cam"], desks["gta"], desks["school"]

    # 2019, at 18: a referral about her is refused as ever (L58-adult)...
    adult = {"referrer": REPORT["referrer"], "child": {**REPORT["survivor"]}, "concern": REPORT["sibling_concern"],
             "consent": {"given": True, "by": ["child"]}}
    refused = hospital.client.post("/v1/referrals", json=adult, headers=hospital.headers)
    assert refused.status_code == 422 and "L58-adult" in refused.text

    # ...and her report is recorded as a survivor's, raising a referral for each half-sibling, in one transaction.
    recorded = hospital.post("/v1/survivor-reports", REPORT, status=201)
    report, referrals = recorded["report"], recorded["referrals"]
    print(json.dumps(report, indent=1), [(r["recipient_agency"], r["routing_reason"] if "routing_reason" in r else "") for r in referrals])
