"""Test data: agencies of Almaty and Astana, and referrals as agencies send them."""

from __future__ import annotations

from typing import Any

from hub.actor import Actor
from hub.aggregates.referral_content import ReferralContent
from hub.aggregates.vocabulary import BodyKind, City

ADMIN = Actor("hub", "admin", "setup")

AGENCIES = [
    ("cam-almaty", "Centre of Adaptation of Minors, Almaty", BodyKind.CAM, City.ALMATY),
    ("csc-astana", "Centre for the Support of Children, Astana", BodyKind.CSC, City.ASTANA),
    ("gta-almaty", "Guardianship and Tutelage Authority, Almaty", BodyKind.GTA, City.ALMATY),
    ("gta-astana", "Guardianship and Tutelage Authority, Astana", BodyKind.GTA, City.ASTANA),
    ("cim-almaty", "Commission on Minors' Affairs, Almaty", BodyKind.CIM, City.ALMATY),
    ("ji-almaty", "Juvenile Inspection, Almaty", BodyKind.JUVENILE_POLICE, City.ALMATY),
    ("police-inv-almaty", "Police Investigation, Almaty", BodyKind.POLICE_INVESTIGATION, City.ALMATY),
    ("school-almaty-12", "School No. 12, Almaty", BodyKind.SCHOOL, City.ALMATY),
    ("hospital-almaty-1", "City Children's Hospital No. 1, Almaty", BodyKind.HEALTH, City.ALMATY),
    ("ngo-rodnik", "Rodnik, Almaty", BodyKind.NGO, City.ALMATY),
    ("foreign-cp-uz", "Child protection authority, Uzbekistan", BodyKind.FOREIGN_CP_AUTHORITY, City.OTHER),
]

MANAGER = Actor("cam-almaty", "manager", "a.nurlanova")
SOCIAL_WORKER = Actor("cam-almaty", "social_worker", "d.seitkali")
INSPECTOR = Actor("ji-almaty", "juvenile_inspector", "b.omarov")
GTA_OFFICER = Actor("gta-almaty", "officer", "g.akhmetova")
CIM_OFFICER = Actor("cim-almaty", "officer", "k.ibraev")
INVESTIGATOR = Actor("police-inv-almaty", "investigator", "s.tulegenov")
SCHOOL_PSYCHOLOGIST = Actor("school-almaty-12", "psychologist", "m.kim")
OTHER_CENTRE = Actor("csc-astana", "manager", "r.zhaksylykov")
FOREIGN = Actor("foreign-cp-uz", "case_manager", "u.karimov")


def register_agencies(app: Any) -> None:
    for code, name, kind, city in AGENCIES:
        app.register_agency(ADMIN, code, name, kind, city)


def referral_content(**overrides: Any) -> ReferralContent:
    """A juvenile inspector's referral of an unaccompanied 14-year-old (cam-csc-manual §2.4)."""
    data: dict[str, Any] = {
        "referrer": {"name": "Bolat Omarov", "professional_title": "juvenile inspector", "phone": "+7 727 000 0000"},
        "child": {
            "given_name": "Aziz",
            "family_name": "Karimov",
            "stated_age": 14,
            "sex": "male",
            "nationality": "Uzbekistan",
            "languages": ["uzbek", "russian"],
            "city": "almaty",
            "categories": ["unaccompanied"],
            "migration_status": "entered without documents; no registration with the DMS",
        },
        "parents": [{"name": "Rustam Karimov", "relationship": "father", "address": "Tashkent region"}],
        "concern": {
            "category": "unaccompanied",
            "description": "found alone at Sayakhat bus station at night, says his uncle left him",
            "evidence_of_harm": False,
            "urgency": "high",
        },
        "consent": {"given": True, "by": ["child"]},
    }
    for key, value in overrides.items():
        section, _, field = key.partition("__")
        if field:
            data[section] = {**data[section], field: value}
        else:
            data[section] = value
    return ReferralContent.model_validate(data)
