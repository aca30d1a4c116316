"""Test data: agencies of Almaty and Astana, and the demo's referral of an unaccompanied 14-year-old."""

from __future__ import annotations

import copy
from typing import Any

from hub.actor import Actor
from hub.aggregates.referral_content import ReferralContent
from hub.aggregates.vocabulary import BodyKind, City
from hub.demo import cast
from hub.demo.scenario import REFERRAL
from hub.services.directory import NewAgency

ADMIN = Actor("hub", "admin", "setup")

# The demo's cast (Almaty), plus bodies the tests need besides.
AGENCIES = [
    *cast.AGENCIES,
    ("csc-astana", "Centre for the Support of Children, Astana", BodyKind.CSC, City.ASTANA),
    ("gta-astana", "Guardianship and Tutelage Authority, Astana", BodyKind.GTA, City.ASTANA),
    ("police-inv-almaty", "Police Investigation, Almaty", BodyKind.POLICE_INVESTIGATION, City.ALMATY),
    ("school-almaty-12", "School No. 12, Almaty", BodyKind.SCHOOL, City.ALMATY),
    ("hospital-almaty-1", "City Children's Hospital No. 1, Almaty", BodyKind.HEALTH, City.ALMATY),
    ("foreign-cp-uz", "Child protection authority, Uzbekistan", BodyKind.FOREIGN_CP_AUTHORITY, City.OTHER),
    ("embassy-uz-almaty", "Consulate General of Uzbekistan, Almaty", BodyKind.EMBASSY, City.ALMATY),
    ("dms-almaty", "Department of Migration Services, Almaty", BodyKind.MIGRATION_POLICE, City.ALMATY),
    ("prosecutor-almaty", "Prosecutor's Office, Almaty", BodyKind.PROSECUTOR, City.ALMATY),
    ("steering-almaty", "Steering Committee, Almaty", BodyKind.STEERING_COMMITTEE, City.ALMATY),
    ("unicef-kz", "UNICEF Kazakhstan", BodyKind.UNICEF, City.ASTANA),
    ("ombudsman-kz", "Commissioner for the Rights of the Child", BodyKind.OMBUDSMAN, City.ASTANA),
    ("auditor-kz", "Hub audit office", BodyKind.AUDITOR, City.ASTANA),
    # A closed institution the Ombudsman's monitors visit (adapters/ombudsman).
    ("special-school-almaty-4", "Special School No. 4 (closed regime), Almaty", BodyKind.SPECIAL_SCHOOL, City.ALMATY),
]

MANAGER = cast.MANAGER
INSPECTOR = cast.INSPECTOR
GTA_OFFICER = cast.GTA
CIM_OFFICER = cast.CIM
SOCIAL_WORKER = Actor("cam-almaty", "social_worker", "d.seitkali")
INVESTIGATOR = Actor("police-inv-almaty", "investigator", "s.tulegenov")
SCHOOL_PSYCHOLOGIST = Actor("school-almaty-12", "psychologist", "m.kim")
OTHER_CENTRE = Actor("csc-astana", "manager", "r.zhaksylykov")
FOREIGN = Actor("foreign-cp-uz", "case_manager", "u.karimov")
CONSUL = Actor("embassy-uz-almaty", "consular_officer", "z.yusupov")
MIGRATION_OFFICER = Actor("dms-almaty", "officer", "n.serikbayev")
PROSECUTOR = Actor("prosecutor-almaty", "prosecutor", "a.dzhaksybekov")
STEERING = Actor("steering-almaty", "member", "v.petrova")
UNICEF = Actor("unicef-kz", "monitor", "j.smith")
AUDITOR = Actor("auditor-kz", "auditor", "e.kaliyeva")
DOCTOR = Actor("hospital-almaty-1", "doctor", "l.abenova")
SCHOOL_TEACHER = Actor("school-almaty-12", "teacher", "o.ivanova")
HOSPITAL_HEAD = Actor("hospital-almaty-1", "head", "r.dzhaksybekova")
NGO_COORDINATOR = Actor("ngo-rodnik", "coordinator", "z.ismailova")
OMBUDSMAN_MONITOR = Actor("ombudsman-kz", "monitor", "i.khaliulin")
SPECIAL_SCHOOL = Actor("special-school-almaty-4", "director", "k.sadvakasov")


def register_agencies(app: Any) -> None:
    app.directory.register_agencies(ADMIN, [NewAgency(*agency) for agency in AGENCIES])


def referral_content(**overrides: Any) -> ReferralContent:
    """A juvenile inspector's referral of an unaccompanied 14-year-old (cam-csc-manual §2.4)."""
    data: dict[str, Any] = copy.deepcopy(REFERRAL)
    for key, value in overrides.items():
        section, _, field = key.partition("__")
        if field:
            data[section] = {**data[section], field: value}
        else:
            data[section] = value
    return ReferralContent.model_validate(data)
