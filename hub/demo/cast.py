"""The agencies and people of the demo (Almaty, with a counterpart in Uzbekistan)."""

from __future__ import annotations

from hub.actor import Actor
from hub.aggregates.vocabulary import BodyKind, City

AGENCIES = [
    ("ji-almaty", "Department of Juvenile Inspection, Almaty", BodyKind.JUVENILE_POLICE, City.ALMATY),
    ("cam-almaty", "Centre of Adaptation of Minors, Almaty", BodyKind.CAM, City.ALMATY),
    ("gta-almaty", "Guardianship and Tutelage Authority, Almaty", BodyKind.GTA, City.ALMATY),
    ("cim-almaty", "Commission on Minors' Affairs, Almaty", BodyKind.CIM, City.ALMATY),
    ("ngo-rodnik", "Rodnik (NGO), Almaty", BodyKind.NGO, City.ALMATY),
]

INSPECTOR = Actor("ji-almaty", "juvenile_inspector", "b.omarov")
MANAGER = Actor("cam-almaty", "manager", "a.nurlanova")
GTA = Actor("gta-almaty", "officer", "g.akhmetova")
CIM = Actor("cim-almaty", "officer", "k.ibraev")
PEOPLE = [INSPECTOR, MANAGER, GTA, CIM]
