"""Aziz, 14, found alone at an Almaty bus station (cam-csc-manual §2.4, §3.3 T01-T34, T25).

A juvenile inspector refers him; the CAM accepts and runs the 24-hour intake;
the GTA places him in the CAM's residential unit; the initial assessment finds
grounds for concern; the social assessment concludes he needs alternative care
because his parents cannot be traced yet; the care plan is approved by the GTA,
the CIM and the care provider; the GTA moves him to a foster family; the first
review continues the plan; when his parents are found the second review
decides on return, and the case closes when the authority in Uzbekistan
confirms his safe arrival.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

import httpx

from hub.actor import Actor
from hub.api.app import create_app
from hub.api.server import serving_in_background
from hub.bootstrap import Hub
from hub.demo.cast import AGENCIES, CIM, GTA, INSPECTOR, MANAGER, PEOPLE
from hub.services.directory import NewAgency

OPERATOR = Actor("hub", "admin", "demo")

REFERRAL = {
    "referrer": {"name": "Bolat Omarov", "professional_title": "juvenile inspector", "phone": "+7 727 254 00 00"},
    "child": {
        "given_name": "Aziz",
        "family_name": "Karimov",
        "stated_age": 14,
        "sex": "male",
        "nationality": "Uzbekistan",
        "languages": ["uzbek", "russian"],
        "city": "almaty",
        "categories": ["unaccompanied"],
        "migration_status": "crossed the border with an uncle who left him; no documents",
    },
    "parents": [{"name": "Rustam Karimov", "relationship": "father", "address": "Tashkent region, whereabouts unknown"}],
    "concern": {
        "category": "unaccompanied",
        "description": "Found alone at Sayakhat bus station at 23:00; says his uncle left him two days ago.",
        "urgency": "high",
    },
    "consent": {"given": True, "by": ["child"], "note": "Aziz agreed to be taken to the centre"},
}


class Demo:
    def __init__(self, base_url: str, tokens: dict[Actor, str], out: TextIO) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=30)
        self.tokens = tokens
        self.out = out

    def call(self, who: Actor, method: str, path: str, story: str, **kwargs: Any) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self.tokens[who]}", **kwargs.pop("headers", {})}
        response = self.http.request(method, path, headers=headers, **kwargs)
        body = response.json()
        if response.status_code >= 400:
            raise RuntimeError(f"{method} {path} failed: {response.status_code} {body}")
        state = body.get("state") or body.get("recorded", "")
        self.out.write(f"  {who.user:<12} {method} {path:<46} {response.status_code}  {state}\n")
        self.out.write(f"               {story}\n")
        return body


def provision(hub: Hub) -> dict[Actor, str]:
    """Registers the demo's agencies if they are new, and gives each person a one-day token."""
    hub.directory.register_agencies(
        OPERATOR, [NewAgency(*agency) for agency in AGENCIES if hub.directory.find_agency(agency[0]) is None]
    )
    return {person: hub.tokens.issue_token(OPERATOR, person, days=1) for person in PEOPLE}


@contextmanager
def _api(hub: Hub) -> Iterator[str]:
    with serving_in_background(create_app(hub)) as base_url:
        yield base_url


def run(hub: Hub, out: TextIO) -> uuid.UUID:
    """Runs the story over HTTP; returns the case id."""
    tokens = provision(hub)
    with _api(hub) as base_url:
        out.write(f"Referral Hub demo, API at {base_url}, store: {hub.store.env.get('PERSISTENCE_MODULE')}\n\n")
        demo = Demo(base_url, tokens, out)
        case_id = _story(demo)
        _print_timeline(demo, case_id)
    return uuid.UUID(case_id)


def _story(d: Demo) -> str:
    key = {"Idempotency-Key": f"ji-almaty-protocol-{uuid.uuid4().hex[:8]}"}
    out = d.out
    out.write("1. Referral and intake (T01-T03, D03)\n")
    referral = d.call(INSPECTOR, "POST", "/v1/referrals", "the inspector refers Aziz; the rules route him",
                      json=REFERRAL, headers=key)
    again = d.call(INSPECTOR, "POST", "/v1/referrals", "the inspector's app retries: same referral, not a second",
                   json=REFERRAL, headers=key)
    assert again["id"] == referral["id"]
    rid = referral["id"]
    out.write(f"               the inspector is shown only: {', '.join(sorted(referral))}\n")
    received = d.call(MANAGER, "GET", f"/v1/referrals/{rid}", "the CAM reads the referral in full")
    out.write(f"               routed to {received['recipient_agency']}: {received['routing_reason']}\n")
    d.call(MANAGER, "POST", f"/v1/referrals/{rid}/acknowledge", "the manager acknowledges receipt", json={})
    case = d.call(MANAGER, "POST", f"/v1/referrals/{rid}/accept", "accepted: a case file is opened", json={})
    cid = case["id"]
    for action, story in [
        ("gta_notified", "the GTA of Almaty is told a referral was made (8.1.3a)"),
        ("referrer_informed", "the inspector is told it will be acted upon (8.1.3c)"),
        ("supporter_requested", "Rodnik is asked for an independent supporter (8.1.3d)"),
        ("previous_referrals_checked", "no earlier referral or file (8.1.3e-f)"),
    ]:
        d.call(MANAGER, "POST", f"/v1/cases/{cid}/intake-actions", story, json={"action": action})
    d.call(GTA, "POST", f"/v1/cases/{cid}/placements", "the GTA places him in the CAM's residential unit (8.4)",
           json={"placement": "temporary_care_cam_csc_residential_unit", "decision_reference": "GTA-ALM-2026-0412"})

    out.write("2. Assessments (T04, T12, T18)\n")
    d.call(MANAGER, "POST", f"/v1/cases/{cid}/social-worker", "a social worker is assigned; 72 h to assess",
           json={"social_worker": "d.seitkali", "evidence_of_harm": False})
    d.call(MANAGER, "POST", f"/v1/cases/{cid}/initial-assessment", "reasonable grounds for concern (8.5.1c)",
           json={"outcome": "significant_harm_concern", "summary": "Unaccompanied, no carer in Kazakhstan."})
    d.call(MANAGER, "POST", f"/v1/cases/{cid}/social-assessment",
           "parents not yet traced: alternative care needed (8.6.10f)",
           json={"conclusion": "alternative_care_no_reunification",
                 "summary": "Family tracing under way through the Uzbek authority; no relative in Kazakhstan."})

    out.write("3. Care plan, approvals and placement (T30, T31)\n")
    d.call(MANAGER, "POST", f"/v1/cases/{cid}/care-plan", "the care plan is written (Annex I)",
           json={"plan": "Foster care in Almaty; school enrolment; continue tracing.",
                 "approvers": ["gta", "cim", "care_provider"]})
    d.call(GTA, "POST", f"/v1/cases/{cid}/care-plan/approvals", "the GTA approves", json={"approver": "gta"})
    d.call(CIM, "POST", f"/v1/cases/{cid}/care-plan/approvals", "the CIM approves", json={"approver": "cim"})
    d.call(MANAGER, "POST", f"/v1/cases/{cid}/care-plan/approvals", "the foster carer's signature is recorded",
           json={"approver": "care_provider"})
    d.call(GTA, "POST", f"/v1/cases/{cid}/placements", "the GTA moves him to a foster family",
           json={"placement": "alternative_care_family_based", "decision_reference": "GTA-ALM-2026-0468"})

    out.write("4. Reviews (T32, T34)\n")
    d.call(MANAGER, "POST", f"/v1/cases/{cid}/care-plan/reviews", "first review: the plan continues",
           json={"outcome": "continue", "minutes": "Settled with the foster family; attends school No. 12."})
    d.call(MANAGER, "POST", f"/v1/cases/{cid}/care-plan/reviews", "parents traced and able to care: return",
           json={"outcome": "return_abroad", "minutes": "Parents found in Tashkent region; return assessed safe."})

    out.write("5. Return and closure (T25)\n")
    d.call(MANAGER, "POST", f"/v1/cases/{cid}/safe-arrival", "the authority in Uzbekistan confirms safe arrival",
           json={"confirmed_by": "u.karimova, Tashkent region child protection",
                 "follow_up": "monitoring by the Tashkent region authority"})
    final = d.call(MANAGER, "GET", f"/v1/cases/{cid}", "the closed case file")
    out.write(f"               closed: {final['closure']['reason']}; follow-up: {final['closure']['follow_up_services']}\n")
    return cid


def _print_timeline(d: Demo, case_id: str) -> None:
    response = d.http.get(f"/v1/cases/{case_id}/timeline", headers={"Authorization": f"Bearer {d.tokens[MANAGER]}"})
    d.out.write(f"\nCase timeline ({len(response.json())} events, each appended once, never changed):\n")
    for entry in response.json():
        d.out.write(f"  v{entry['version']:<3} {entry['at'][:19]}  {entry['event']:<30} {entry['user']} ({entry['agency']})\n")
