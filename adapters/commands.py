"""The hub commands an agency's message translates into, and what applying them gave.

A translation is pure data: ``translate(message)`` reads nothing and writes
nothing, so it can be tested, logged and replayed on its own. ``apply`` (see
:mod:`adapters.apply`) runs every command of one message in one transaction.

Each command carries ``fields``: which field of the agency's own message each
of its hub fields came from, so that a refusal by the hub names the field the
agency must correct (e.g. ``visit.facility_code`` rather than ``concern.about_agency``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from uuid import UUID

from pydantic import BaseModel

from hub.aggregates.case_vocabulary import SupporterStep
from hub.aggregates.vocabulary import PlacementType, ViewsCapacity
from hub.services.referrals import ReferralRequest

Fields = Mapping[str, str]


@dataclass(frozen=True)
class SubmitReferral(ReferralRequest):
    """A referral (hub ``referral.submit``).

    ``idempotency_key`` is the referral's key *within its message* (e.g.
    ``"child/2"``): ``apply`` prefixes it with the adapter and the Message-Id,
    and the hub with the sending agency, so a redelivered message names the
    same referral.
    """

    fields: Fields = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class RecordPlacement:
    """A placement decided by the GTA or CIM, or a removal by the juvenile police (hub ``case.placement``)."""

    case_id: UUID
    child_id: UUID  # the child the message names: it must be the case's child
    placement: PlacementType
    decision_reference: str
    fields: Fields = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class ReportMedicalExamination:
    """The findings of an examination the CAM/CSC asked this health body for (hub ``case.medical_report``)."""

    case_id: UUID
    child_id: UUID
    examination_id: UUID
    findings: str
    fields: Fields = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class RecordSupporterStep:
    """The NGO's supporter contacted the manager or met the child (hub ``supporter.step``, decision 0034)."""

    case_id: UUID
    child_id: UUID
    step: SupporterStep
    note: str | None
    fields: Fields = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class IssueSupporterRecommendation:
    """The supporter's recommendation to the case manager (hub ``supporter.recommend``; cam N45)."""

    case_id: UUID
    child_id: UUID
    text: str
    fields: Fields = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class SubmitChildViews:
    """The child's views, and the supporter's own where it differs (hub ``supporter.submit_views``; ngo N18)."""

    case_id: UUID
    child_id: UUID
    capacity: ViewsCapacity
    views: str
    supporter_view: str | None
    reasons: str | None
    fields: Fields = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class RecordChildDeclinedSupporter:
    """A mature child declined the supporter (hub ``supporter.child_declined``; cam N11)."""

    case_id: UUID
    child_id: UUID
    note: str | None
    fields: Fields = field(default_factory=dict, compare=False, hash=False)


SupporterCommand = RecordSupporterStep | IssueSupporterRecommendation | SubmitChildViews | RecordChildDeclinedSupporter
Command = SubmitReferral | RecordPlacement | ReportMedicalExamination | SupporterCommand

# The permission each command needs in hub/policy/commands.yaml: an adapter is no way around it.
PERMISSIONS: dict[type, str] = {
    SubmitReferral: "referral.submit",
    RecordPlacement: "case.placement",
    ReportMedicalExamination: "case.medical_report",
    RecordSupporterStep: "supporter.step",
    IssueSupporterRecommendation: "supporter.recommend",
    SubmitChildViews: "supporter.submit_views",
    RecordChildDeclinedSupporter: "supporter.child_declined",
}


@dataclass(frozen=True)
class Translation:
    adapter: str
    message_type: str
    commands: tuple[Command, ...]
    fingerprint: str  # of the message: a Message-Id reused for another message is refused

    @classmethod
    def of(cls, adapter: str, message: BaseModel, commands: list[Command]) -> Translation:
        digest = hashlib.sha256(message.model_dump_json().encode()).hexdigest()
        message_type = getattr(message, "message_type")  # noqa: B009 - every agency's model has one (registry.py)
        return cls(adapter, str(message_type), tuple(commands), digest)


@dataclass(frozen=True)
class AppliedCommand:
    command: str  # "submit_referral", "record_placement", "report_medical_examination"
    record_type: str  # "referral" or "case"
    record_id: UUID
    child_id: UUID
    repeat: bool  # True when the message was applied before and nothing changed now

    def as_dict(self) -> dict[str, str]:
        return {"command": self.command, "record_type": self.record_type, "record_id": str(self.record_id),
                "child_id": str(self.child_id)}
