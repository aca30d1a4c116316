"""Enumerations of the domain vocabulary (cam-csc-manual §1, §8; ngo-services-manual §9)."""

from __future__ import annotations

from enum import StrEnum


class BodyKind(StrEnum):
    """Kinds of body that take part in referrals (cam-csc-manual §1.1)."""

    CAM = "cam"  # Centre of Adaptation of Minors (Almaty, Shymkent/Turkestan)
    CSC = "csc"  # Centre for the Support of Children (Astana)
    GTA = "gta"  # Guardianship and Tutelage Authority
    JUVENILE_POLICE = "juvenile_police"
    POLICE_INVESTIGATION = "police_investigation"
    MIGRATION_POLICE = "migration_police"
    BORDER_GUARD = "border_guard"
    SCHOOL = "school"
    HEALTH = "health"
    NGO = "ngo"
    PROSECUTOR = "prosecutor"
    COURT = "court"
    SOCIAL_PROTECTION = "social_protection"  # Department of Labour and Social Protection (vse L1615-1619, L1631)
    EDUCATION_DEPARTMENT = "education_department"  # manages CAMs/CSCs, the GTA and schools (vse L913-915, L3153)
    SAFEGUARDING_LEAD = "safeguarding_lead"  # the Lead and Deputy of one body, apart from it (docs/decisions/0035)
    CIM = "cim"  # Commission on Minors' Affairs
    UNICEF = "unicef"
    OMBUDSMAN = "ombudsman"
    STEERING_COMMITTEE = "steering_committee"
    FOREIGN_CP_AUTHORITY = "foreign_cp_authority"
    EMBASSY = "embassy"
    AUDITOR = "auditor"
    HUB = "hub"  # the hub's own operators
    # Closed institutions, the places the NPM and the Ombudsperson visit (vse L950-952, L1588, L1592; decision 0040)
    CHILDREN_HOME = "children_home"  # orphanage, infant home, children's village (vse L1679-1680, Ainur L2922)
    TEMPORARY_DETENTION = "temporary_detention"  # temporary detention centre, ИВС (vse L1353, L1592 "penal system")
    SPECIAL_SCHOOL = "special_school"  # special educational organisation, special regime (vse L1357, L1588)
    PSYCHIATRIC_HOSPITAL = "psychiatric_hospital"  # (vse L1592 "health care" institutions where minors are kept)
    SHELTER = "shelter"  # crisis centre's shelter (vse L1271-1323, L1464)


# Where children live under an institution's staff, whom the staff may harm and no family sees (decision 0040).
CLOSED_INSTITUTIONS = frozenset({
    BodyKind.CHILDREN_HOME, BodyKind.TEMPORARY_DETENTION, BodyKind.SPECIAL_SCHOOL, BodyKind.PSYCHIATRIC_HOSPITAL,
    BodyKind.SHELTER,
})
CASE_MANAGING_BODIES = frozenset({BodyKind.CAM, BodyKind.CSC})
# Bodies that accept a referral for a service of their own, opening no CAM/CSC case (docs/decisions/0034): an
# NGO (ngo-services-manual D03-D05, D24-D25, D34-D35), the GTA for a child under 3 (cam N04).
SERVICE_PROVIDING_BODIES = frozenset({BodyKind.NGO, BodyKind.GTA})


class City(StrEnum):
    """The manuals' pilot sites as units of hub/geography/units.yaml (the names the hub knew before it knew
    the country; 'other' is the country as a whole)."""

    ALMATY = "750000000"
    SHYMKENT = "790000000"
    TURKESTAN_OBLAST = "610000000"
    ASTANA = "710000000"
    OTHER = "KZ"


class ConcernCategory(StrEnum):
    PHYSICAL_VIOLENCE = "physical_violence"
    SEXUAL_VIOLENCE = "sexual_violence"
    PSYCHOLOGICAL_VIOLENCE = "psychological_violence"
    NEGLECT = "neglect"
    EXPLOITATION = "exploitation"
    TRAFFICKING = "trafficking"
    UNACCOMPANIED = "unaccompanied"
    SEPARATED = "separated"
    BULLYING = "bullying"
    SERIOUS_MENTAL_ILLNESS = "serious_mental_illness"
    DIFFICULT_CIRCUMSTANCES = "difficult_circumstances"
    OTHER = "other"


class Urgency(StrEnum):
    EMERGENCY = "emergency"  # imminent danger to life or health (8.1.2, 8.2)
    HIGH = "high"
    ROUTINE = "routine"


class CabmCategory(StrEnum):
    """Categories of children affected by migration (cam-csc-manual §8.2)."""

    UNACCOMPANIED = "unaccompanied"
    SEPARATED = "separated"
    ASYLUM_SEEKER = "asylum_seeker"
    REFUGEE = "refugee"
    STATELESS = "stateless"
    TRAFFICKING_VICTIM = "trafficking_victim"
    IRREGULAR_MIGRANT = "irregular_migrant"
    INTERNAL_MIGRANT = "internal_migrant"
    LEFT_BEHIND = "left_behind"
    KANDAS = "kandas"


# A child in one of these categories must never be returned to the country of
# origin (cam-csc-manual L2730-2760, rule 8.6.8).
NON_RETURNABLE = frozenset({CabmCategory.ASYLUM_SEEKER, CabmCategory.REFUGEE})
WITHOUT_PARENTAL_CARE = frozenset({CabmCategory.UNACCOMPANIED, CabmCategory.SEPARATED})


class Signatory(StrEnum):
    CHILD = "child"
    PARENT = "parent"
    LEGAL_REPRESENTATIVE = "legal_representative"


class PlacementType(StrEnum):
    """Placement and care types (cam-csc-manual §3.4 P, §8.4). None deprives liberty."""

    AT_HOME = "at_home_with_parent_or_legal_rep"
    HOMELESS_STREET = "homeless_street"
    REMOVED_TEMPORARY_PROTECTION = "removed_temporary_protection"
    CAM_CSC_RESIDENTIAL_UNIT = "temporary_care_cam_csc_residential_unit"
    TEMPORARY_FAMILY_BASED = "temporary_care_family_based"
    TEMPORARY_OTHER_RESIDENTIAL = "temporary_care_other_residential"
    EXTENDED_FAMILY = "alternative_care_extended_family"
    FAMILY_BASED = "alternative_care_family_based"
    RESIDENTIAL = "alternative_care_residential"
    ADOPTED = "adopted"
    RETURNED_ABROAD = "returned_to_parents_abroad"


# Placement decisions are the GTA's or the CIM's under the Family Code; the
# CAM/CSC only recommends (cam-csc-manual §3.4 P, L2387-2394).
PLACEMENT_DECIDERS = frozenset({BodyKind.GTA, BodyKind.CIM})


class NgoService(StrEnum):
    """The services of the NGO whose refused consent the referrer is told of (ngo N09, N10)."""

    SOCIAL_SUPPORT = "social_support"  # ngo 8.3.15
    PSYCHOLOGICAL_COUNSELLING = "psychological_counselling"  # ngo 10.3.16


class ViewsCapacity(StrEnum):
    """In which capacity the supporter speaks for the child (ngo P-14, 11.4.14)."""

    ADVOCATING_CHILD_VIEWS = "advocating_child_views"
    CONVEYING_VIEWS_WITH_DISSENT = "conveying_views_with_dissent"
