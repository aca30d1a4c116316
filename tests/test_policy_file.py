"""The policy file: well-formed, complete, in step with the code and with its generated table."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from hub.notices.render import policy_tables
from hub.privacy.conditions import CONDITIONS
from hub.privacy.paths import leaf_paths
from hub.privacy.policy_file import LoadedPolicy, PolicyFile, packaged_policy_text
from hub.records.case import CaseRecord
from hub.records.child import ChildRecord
from hub.records.consent import ConsentRecord
from hub.records.medical_examination import MedicalExaminationRecord
from hub.records.notice import NoticeRecord
from hub.records.referral import ReferralRecord

POLICY = LoadedPolicy(packaged_policy_text())
DOCS = Path(__file__).resolve().parent.parent / "docs" / "privacy-policy.md"
MODELS = {
    "referral": ReferralRecord,
    "case": CaseRecord,
    "child": ChildRecord,
    "consent": ConsentRecord,
    "medical_examination": MedicalExaminationRecord,
    "notice": NoticeRecord,
}


def test_the_generated_table_in_the_docs_is_the_policy_in_force() -> None:
    assert DOCS.read_text(encoding="utf-8") == policy_tables(POLICY), "run: hub policy table > docs/privacy-policy.md"


def test_every_condition_the_policy_describes_exists_in_code_and_no_other() -> None:
    assert set(POLICY.file.conditions) == set(CONDITIONS)


@pytest.mark.parametrize("record_type", sorted(MODELS))
def test_every_field_of_every_record_is_classified(record_type: str) -> None:
    """A field added to a record but not to the catalogue would be shown to nobody; say so loudly."""
    catalogued = set(POLICY.file.records[record_type])
    top_level = {path.split(".")[0] for path in catalogued}
    assert top_level == set(MODELS[record_type].model_fields), record_type


def test_a_policy_naming_an_unknown_field_or_condition_does_not_load() -> None:
    data = yaml.safe_load(packaged_policy_text())
    data["grants"][0]["records"]["referral"] = ["content.child.shoe_size"]
    with pytest.raises(ValidationError, match="shoe_size"):
        PolicyFile.model_validate(data)
    data = yaml.safe_load(packaged_policy_text())
    data["grants"][0]["when"] = ["is_friendly"]
    with pytest.raises(ValidationError, match="is_friendly"):
        PolicyFile.model_validate(data)


def test_a_policy_keeping_a_personal_event_attribute_in_clear_does_not_load() -> None:
    """What the events keep in clear outlives an erasure: nothing of a personal class may be named there."""
    data = yaml.safe_load(packaged_policy_text())
    data["events"]["summary"] = "free_text"
    with pytest.raises(ValidationError, match="summary"):
        PolicyFile.model_validate(data)


def test_leaf_paths_descend_only_where_the_catalogue_does() -> None:
    record = {"content": {"child": {"given_name": "A"}, "parents": [{"name": "B"}]}, "id": 1}
    assert leaf_paths(record, {"content.child.given_name", "content.parents", "id"}) == {
        "content.child.given_name",
        "content.parents",
        "id",
    }
