"""The referral record puts the content model's own dump in as it is, without checking and dumping it again with the
record (docs/decisions/0065): what it gives must be what the record model gives, key order included."""

from __future__ import annotations

from hub.records.referral import ReferralRecord, referral_record
from tests.scenario import notices_about, open_case


def test_the_record_is_what_its_model_makes_of_it_content_included(app):
    case = open_case(app, child__given_name="Айдос", child__family_name="Қайратұлы", child__languages=["kazakh", "russian"])
    dossier = app.views.current_dossier(case.child_id)
    (referral,) = dossier.referrals
    record = referral_record(referral, dossier.case_of(referral), notices_about(app, referral))
    remade = ReferralRecord.model_validate(record).model_dump(mode="json")
    assert record == remade and list(record) == list(remade) == list(ReferralRecord.model_fields)
    assert record["content"] == referral.content.model_dump(mode="json")
    assert record["content"]["child"]["given_name"] == "Айдос" and record["notices"]
