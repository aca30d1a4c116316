"""A child whose name is typed everywhere a worker can type, then erased: the story the erasure tests search.

The child is referred by a juvenile inspector and by a school (through the schools adapter), named in
every kind of free text the hub keeps (notes, reasons of every kind, summaries, findings, consent
methods, break-the-glass and audit reasons), read by several bodies, and finally erased. Its names, a
Latin and a Cyrillic one, and its IINs (the inspector's and the school's) are nowhere else in the log, so
finding one anywhere means it survived.
"""

from __future__ import annotations

import copy
import json
import uuid
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from adapters.registry import ADAPTERS
from hub.aggregates.attachment import Category
from hub.aggregates.case_vocabulary import InitialAssessmentOutcome, IntakeAction
from hub.aggregates.consent import ConsentPurpose
from hub.aggregates.vocabulary import CabmCategory, Signatory
from hub.bootstrap import Hub
from hub.matching.transliteration import latin
from hub.services.attachments import Upload
from tests.builders import AUDITOR, DOCTOR, GTA_OFFICER, INSPECTOR, MANAGER, SCHOOL_PSYCHOLOGIST, referral_content

LATIN = "Zhanelya"
CYRILLIC = "Айгерим"
FAMILY = "Kurmangaliyeva"
NAMES = (LATIN, CYRILLIC, FAMILY)
IIN = "091120500123"  # a boy born on 20 November 2009: sixteen, as the inspector says (decision 0051)
SCHOOL_IIN = "171015622117"  # the school's message's pupil's, carried in by its adapter
NUMBERS = (IIN, SCHOOL_IIN)
REASON = "request of the legal representative under the Law on personal data, art. 26"


def named(text: str) -> str:
    """Free text as a worker types it: about the child, by name."""
    return f"{text}: {LATIN} ({CYRILLIC}) {FAMILY}"


@dataclass(frozen=True)
class ErasedStory:
    child_id: UUID
    school_child_id: UUID  # the school's record of the same child, linked to it and erased with it
    case_id: UUID
    referral_ids: dict[str, UUID]  # accepted, declined, redirected, withdrawn, from_school, linked
    consent: tuple[ConsentPurpose, str]  # purpose and recipient of a consent withdrawn
    opening_id: UUID  # a break-the-glass opening of the case


def erased_story(app: Hub) -> ErasedStory:
    story = named_story(app)
    erase(app, story)
    return story


def erase(app: Hub, story: ErasedStory) -> None:
    before = found(app.reads.show(MANAGER, "referral", story.referral_ids["accepted"]))
    assert {LATIN, IIN} <= set(before), "the names and the IIN must be there before"
    app.erasure.erase(MANAGER, story.child_id, REASON)


def named_story(app: Hub) -> ErasedStory:
    """Everything below names the child."""
    content = referral_content(
        child__given_name=LATIN, child__family_name=FAMILY, child__aliases=[CYRILLIC], child__stated_age=16,
        child__iin=IIN,
        child__description=named("thin, a scar on the left hand"),
        concern__description=named("found alone at the bus station"),
    )
    first = app.referrals.submit_referral(INSPECTOR, content, idempotency_key="story").referral
    child_id = first.child_id
    app.referrals.acknowledge_referral(MANAGER, first.id, note=named("seen at the centre"))
    case = app.referrals.accept_referral(MANAGER, first.id)
    app.cases.record_intake_action(MANAGER, case.id, IntakeAction.GTA_NOTIFIED, named("GTA told about"))
    app.cases.assign_social_worker(MANAGER, case.id, "d.seitkali", True)
    app.children.add_alias(MANAGER, child_id, f"{CYRILLIC}-{LATIN}")
    app.children.dispute_age(MANAGER, child_id, named("looks older than sixteen"))
    app.children.add_category(MANAGER, child_id, CabmCategory.SEPARATED, named("separated from the mother"))
    app.consents.give_consent(MANAGER, child_id, ConsentPurpose.MEDICAL_EXAMINATION, "health", [Signatory.CHILD], True,
                              named("signed in front of the doctor by"))
    examination = uuid.uuid4()
    app.medical.request_medical_examination(MANAGER, case.id, examination, "hospital-almaty-1", named("bruises of"))
    app.medical.report_medical_examination(DOCTOR, case.id, examination, named("old fractures of"))
    app.attachments.add_note(MANAGER, "case", case.id, named("the grandmother called about"))  # decision 0047
    app.attachments.add_note(MANAGER, "child", child_id, named("x-ray of the arm of"), category=Category.MEDICAL)
    statement = b"%PDF-1.4\n" + named("the inspector's statement about").encode() + b"\n%%EOF\n"
    app.attachments.add_file(INSPECTOR, "referral", first.id, Upload(statement, f"{LATIN} {FAMILY}.pdf",
                                                                     description=named("signed statement of")))
    app.medical.record_legal_basis(MANAGER, case.id, "police_investigation", "court order", named("order 12/2026 about"))
    app.consents.give_consent(MANAGER, child_id, ConsentPurpose.INFORMATION_SHARING, "gta-almaty", [Signatory.CHILD],
                              True, named("told in Kazakh to"))
    app.consents.withdraw_consent(MANAGER, child_id, ConsentPurpose.INFORMATION_SHARING, "gta-almaty",
                                  named("changed her mind"))
    opening = app.glass.break_glass(
        GTA_OFFICER, "case", case.id, "imminent-danger", named("placement must be checked tonight for")
    )
    app.glass.show_through_glass(GTA_OFFICER, opening.id)
    app.audit_replay.open_for_audit(AUDITOR, child_id, named("complaint to the Ombudsman about the file of"))
    app.cases.conclude_initial_assessment(MANAGER, case.id, InitialAssessmentOutcome.NO_FURTHER_ACTION,
                                          named("no risk at home for"), named("school counsellor for"))

    declined = _again(app, child_id)
    app.referrals.decline_referral(MANAGER, declined.id, [named("already known, case closed for")])
    redirected = _again(app, child_id)
    onward = app.referrals.redirect_referral(MANAGER, redirected.id, "ngo-rodnik", named("an NGO can support"))
    withdrawn = app.referrals.withdraw_referral(MANAGER, onward.onward_referral_id, named("the family moved with"))

    from_school = app.messages.receive(SCHOOL_PSYCHOLOGIST, "schools", _school_message(), "story-1").applied[0]
    app.referrals.acknowledge_referral(MANAGER, from_school.record_id)
    linked = app.referrals.link_to_child(MANAGER, from_school.record_id, child_id)
    app.referrals.decline_referral(MANAGER, linked.id, [named("the same child as the inspector's referral of")])

    for actor in (MANAGER, INSPECTOR, AUDITOR):
        app.reads.show(actor, "referral", first.id)
    return ErasedStory(
        child_id=child_id,
        school_child_id=from_school.child_id,
        case_id=case.id,
        referral_ids={"accepted": first.id, "declined": declined.id, "redirected": redirected.id,
                      "withdrawn": withdrawn.id, "from_school": from_school.record_id, "linked": linked.id},
        consent=(ConsentPurpose.INFORMATION_SHARING, "gta-almaty"),
        opening_id=opening.id,
    )


def _again(app: Hub, child_id: UUID) -> Any:
    """Another referral about the known child, acknowledged by the centre."""
    referral = app.referrals.submit_referral(
        INSPECTOR, referral_content(concern__description=named("seen again begging")), child_id=child_id
    ).referral
    app.referrals.acknowledge_referral(MANAGER, referral.id)
    return referral


def _school_message() -> dict[str, Any]:
    message = copy.deepcopy(ADAPTERS["schools"].samples()["concern_report_neglect"])
    message["pupil"] = {**message["pupil"], "given_name": LATIN, "surname": FAMILY, "patronymic": CYRILLIC}
    message["what_was_observed"] = named("comes to school hungry")
    message["measures_taken"] = named("free meals for")
    return message


# -- looking for the names -------------------------------------------------------------------------


def spellings(name: str) -> set[bytes]:
    """The bytes a name can be stored as: UTF-8; JSON with non-ASCII escaped (\\u0410...); its Latin
    transliteration (how the name matcher folds it); each with its backslashes doubled (PostgreSQL's COPY
    text), and each in hex (bytea in pg_dump). Compared lower-cased, so the case of hex digits is moot."""
    forms = {name.encode(), json.dumps(name).strip('"').encode(), latin(name).encode()} - {b""}  # digits: no Latin
    forms |= {f.replace(b"\\", b"\\\\") for f in forms}
    return forms | {f.hex().encode() for f in forms}


def spelled_in(text: str, blob: bytes) -> bool:
    """Whether any spelling of the text is in the bytes (case-insensitively for its ASCII letters)."""
    lowered = blob.lower()
    return any(form.lower() in lowered for form in spellings(text))


def found_in(blob: bytes) -> list[str]:
    """The names, and the IINs, spelled in the bytes."""
    return [name for name in (*NAMES, *NUMBERS) if spelled_in(name, blob)]


def found(anything: Any) -> list[str]:
    """The names in a value as JSON shows it (records, events, responses)."""
    return found_in(json.dumps(anything, default=str, ensure_ascii=False).encode())
