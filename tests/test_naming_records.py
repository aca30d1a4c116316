"""What a caller can name: ids it cannot compute for another body, and no child it may not see (issue #12, items
2 and 3; docs/decisions/0030)."""

from __future__ import annotations

import uuid

import pytest

from hub.aggregates.child import Child
from hub.aggregates.referral import referral_id_for
from hub.crypto.ids import RecordIds
from hub.errors import InvalidInput, NotFound
from tests.builders import INSPECTOR, MANAGER, OTHER_CENTRE, SCHOOL_PSYCHOLOGIST, referral_content
from tests.scenario import open_case, refused, submit

README_KEY = "school12-2026-0042"  # the README's example: anyone may guess another body uses it


def test_a_referral_id_cannot_be_computed_from_the_referrer_and_its_key(app):
    referral = app.referrals.submit_referral(SCHOOL_PSYCHOLOGIST, referral_content(), idempotency_key=README_KEY).referral
    # The old derivation, a public namespace over the agency and the key, no longer names it...
    public = uuid.uuid5(uuid.UUID("6f1c2a9e-3b1d-4c56-9e0f-5d4a7b8c9d01"), f"{SCHOOL_PSYCHOLOGIST.agency}\x1f{README_KEY}")
    assert referral.id != public
    # ...nor does the same derivation under any key but this hub's.
    assert referral.id != referral_id_for(RecordIds(b"\x00" * 32), SCHOOL_PSYCHOLOGIST.agency, README_KEY)
    assert referral.id == referral_id_for(app.store.record_ids, SCHOOL_PSYCHOLOGIST.agency, README_KEY)


def test_every_id_fixed_by_a_natural_key_is_keyed(app):
    """Consents, notices of missed deadlines, erasures, archivals and adapters' receipts alike."""
    case = open_case(app)
    ids, other = app.store.record_ids, RecordIds(b"\x01" * 32)
    for kind, parts in [("consent", (case.child_id, "information_sharing", "school")), ("erasure", (case.child_id,)),
                        ("archival", (case.child_id,)), ("overdue", (case.id, "D03", 1)),
                        ("receipt", ("ji-almaty", "police", "m-1"))]:
        assert ids.of(kind, *parts) != other.of(kind, *parts) and ids.of(kind, *parts) == ids.of(kind, *parts)



def test_an_id_is_the_one_derived_before_so_that_stored_records_are_found_by_it():
    ids = RecordIds(b"\x02" * 32)
    assert ids.of("referral", "gta-almaty", "ключ-1") == uuid.UUID("ae3239ca-d756-434f-9509-6c887ff04fec")
    assert ids.of("overdue", uuid.UUID(int=7), "D03", 1) == uuid.UUID("4e857dd2-6aeb-4e2f-8a30-71a8ea4e1018")

def test_a_child_the_referrer_may_not_see_is_unknown_as_a_made_up_one_and_is_not_attached_to(app):
    elsewhere = open_case(app, child__city="astana", child__given_name="Timur", manager=OTHER_CENTRE)
    child_before = app.aggregates.load(Child, elsewhere.child_id, "child")
    refusals = []
    for child_id in (elsewhere.child_id, uuid.uuid4()):
        with refused(app, InvalidInput) as info:
            submit(app, actor=SCHOOL_PSYCHOLOGIST, child_id=child_id)
        refusals.append((info.value.problem_type, info.value.field, str(info.value).replace(str(child_id), "ID")))
    assert refusals[0] == refusals[1] == ("unknown-child", "child_id", "unknown child ID")
    assert app.aggregates.load(Child, elsewhere.child_id, "child").referral_ids == child_before.referral_ids
    with pytest.raises(NotFound):  # nor did the centre the school's referral would have gone to learn of the child
        app.reads.show(MANAGER, "child", elsewhere.child_id)


def test_a_referrer_names_the_child_of_its_own_earlier_referral(app):
    first = submit(app, actor=INSPECTOR)
    again = submit(app, actor=INSPECTOR, child_id=first.child_id)
    assert again.child_id == first.child_id
