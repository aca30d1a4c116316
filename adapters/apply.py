"""Applying one agency message: all of its commands in one transaction, once.

``apply`` stages every command on aggregates in memory (running each command's
checks), then saves them together with the message's receipt in a single
save: a message about three children stores three referrals or none.
The receipt makes it idempotent: the same Message-Id from the same agency
returns the ids it gave the first time and stores nothing.

``receive`` is the whole path for one raw message (used by the HTTP route and
by the Kafka consumer): find the adapter, check the sender, parse, translate, apply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any
from uuid import UUID

from adapters.commands import (
    PERMISSIONS,
    AppliedCommand,
    Command,
    IssueSupporterRecommendation,
    RecordChildDeclinedSupporter,
    RecordPlacement,
    RecordSupporterStep,
    ReportMedicalExamination,
    SubmitChildViews,
    SubmitReferral,
    SupporterCommand,
    Translation,
)
from adapters.errors import AdapterError
from adapters.receipt import MessageReceipt, receipt_id_for
from adapters.registry import Adapter, Payload, adapter_named
from hub.actor import Actor
from hub.aggregates.case import Case
from hub.aggregates.child import Child
from hub.errors import Forbidden, HubError, InvalidInput, NotFound
from hub.permissions import may
from hub.services.aggregates import Aggregates
from hub.services.cases import PLACEMENT_BODIES, CaseService
from hub.services.commit import Commit
from hub.services.conflicts import retry_on_conflict
from hub.services.directory import DirectoryService
from hub.services.referrals import ReferralService
from hub.services.supporter import SupporterService, take_later_step
from hub.text_once import checking_once

MESSAGE_ID = re.compile(r"^[\x21-\x7e]{1,255}$")


@dataclass(frozen=True)
class Received:
    adapter: str
    message_type: str
    message_id: str
    applied: list[AppliedCommand]

    @property
    def repeat(self) -> bool:
        return any(a.repeat for a in self.applied)


class MessageService:
    """Receives agencies' native messages: each becomes hub commands applied together, once."""

    def __init__(
        self, aggregates: Aggregates, directory: DirectoryService, referrals: ReferralService, cases: CaseService,
        supporter: SupporterService, commit: Commit,
    ) -> None:
        self.aggregates = aggregates
        self.commit = commit
        self.directory = directory
        self.referrals = referrals
        self.cases = cases
        self.supporter = supporter

    def receive(self, actor: Actor, name: str, payload: Payload, message_id: str) -> Received:
        adapter = adapter_named(name)
        self.check_sender(actor, adapter)
        with checking_once():  # the hub's models take the text the message's model accepted, unchecked again
            translation = adapter.translate(adapter.parse(payload))
        return Received(adapter.name, translation.message_type, message_id, self.apply(actor, translation, message_id))

    def check_sender(self, actor: Actor, adapter: Adapter) -> None:
        agency = self.directory.find_agency(actor.agency)
        if agency is None:
            raise AdapterError("unknown-agency", "agency", f"unknown agency {actor.agency!r}")
        if agency.kind not in adapter.senders:
            raise AdapterError(
                "agency-not-allowed",
                None,
                f"a {agency.kind} does not send {adapter.name} messages; "
                f"they come from: {', '.join(sorted(adapter.senders))}",
                status=403,
            )

    def apply(self, actor: Actor, translation: Translation, message_id: str) -> list[AppliedCommand]:
        """Applies every command of one message in one transaction, or none; a repeat changes nothing."""
        adapter = adapter_named(translation.adapter)
        self.check_sender(actor, adapter)
        if not MESSAGE_ID.match(message_id):
            raise AdapterError("invalid-value", "Message-Id", "a Message-Id is 1 to 255 printable ASCII characters")
        receipt_id = receipt_id_for(self.aggregates.ids, actor.agency, adapter.name, message_id)

        def attempt() -> list[AppliedCommand]:
            receipt = self.aggregates.find_unless_new(receipt_id)
            if isinstance(receipt, MessageReceipt):
                return receipt.replay(translation.fingerprint)
            staging = _Staging(self, actor, f"{adapter.name}/{message_id}")
            applied = [staging.stage(index, command) for index, command in enumerate(translation.commands)]
            receipt = MessageReceipt(
                id=receipt_id,
                actor=actor,
                adapter=adapter.name,
                message_type=translation.message_type,
                message_id=message_id,
                fingerprint=translation.fingerprint,
                applied=[a.as_dict() for a in applied],
            )
            self.commit(actor, receipt, *staging.changed())  # with the notices its commands raise
            return applied

        try:
            return retry_on_conflict(attempt)()
        except AdapterError:
            raise
        except HubError as error:  # a conflict that outlasted the retries
            raise AdapterError.from_hub(error, {}, None) from error


class _Staging:
    """The aggregates one message changes, each loaded once, none saved until every command passed."""

    def __init__(self, messages: MessageService, actor: Actor, key_prefix: str) -> None:
        self.messages = messages
        self.actor = actor
        self.kind = messages.directory.agency(actor.agency).kind
        self.key_prefix = key_prefix
        self.children: dict[UUID, Child] = {}
        self.cases: dict[UUID, Case] = {}
        self.referrals: list[Any] = []

    def changed(self) -> list[Any]:
        return [*self.referrals, *self.children.values(), *self.cases.values()]

    def stage(self, index: int, command: Command) -> AppliedCommand:
        try:
            permission = PERMISSIONS[type(command)]
            if not may(self.kind, self.actor.role, permission):
                raise Forbidden(f"a {self.actor.role} of a {self.kind} may not {permission}", command=permission)
            if isinstance(command, SubmitReferral):
                return self._referral(index, command)
            if isinstance(command, RecordPlacement):
                return self._placement(command)
            if isinstance(command, ReportMedicalExamination):
                return self._examination(command)
            return self._supporter(command)
        except HubError as error:
            if isinstance(error, AdapterError):
                raise
            raise AdapterError.from_hub(error, command.fields, index) from error

    def _referral(self, index: int, command: SubmitReferral) -> AppliedCommand:
        keyed = replace(command, idempotency_key=f"{self.key_prefix}/{index}/{command.idempotency_key}")
        submission = self.messages.referrals.prepare_referral(self.actor, keyed, self.children)
        if submission.created:
            self.referrals.append(submission.referral)
            if submission.allegation is not None:  # the staff-harm protocol's record, with its notices (0035)
                self.referrals.append(submission.allegation)
        referral = submission.referral
        return AppliedCommand("submit_referral", "referral", referral.id, referral.child_id, repeat=False)

    def _placement(self, command: RecordPlacement) -> AppliedCommand:
        case = self._case(command.case_id, lambda: self.messages.cases.case_for(self.actor, command.case_id, PLACEMENT_BODIES))
        _same_child(case, command.child_id)
        case.record_placement(self.actor, self.kind, command.placement, command.decision_reference)
        return AppliedCommand("record_placement", "case", case.id, case.child_id, repeat=False)

    def _examination(self, command: ReportMedicalExamination) -> AppliedCommand:
        case = self._case(command.case_id, lambda: self.messages.aggregates.load(Case, command.case_id, "case"))
        mine = {i for i, e in case.medical_examinations.items() if e["health_agency"] == self.actor.agency}
        if not mine:  # the health body may touch a case only through an examination it was asked for
            raise _unknown_case(command.case_id)
        if command.examination_id not in mine:
            raise InvalidInput(
                "examination_id",
                f"no examination {command.examination_id} was asked of {self.actor.agency} on this case",
                problem_type="unknown-examination",
            )
        _same_child(case, command.child_id)
        case.report_medical_examination(self.actor, command.examination_id, command.findings)
        return AppliedCommand("report_medical_examination", "case", case.id, case.child_id, repeat=False)

    def _supporter(self, command: SupporterCommand) -> AppliedCommand:
        """The NGO's supporter acts on a case whose supporter request the NGO accepted; to it any other case is
        unknown (docs/decisions/0034)."""
        case = self._case(command.case_id, lambda: self.messages.supporter.supported(self.actor, command.case_id))
        _same_child(case, command.child_id)
        if isinstance(command, RecordSupporterStep):
            take_later_step(self.actor, case, command.step, command.note)
        elif isinstance(command, IssueSupporterRecommendation):
            case.issue_supporter_recommendation(self.actor, command.text)
        elif isinstance(command, SubmitChildViews):
            case.submit_child_views(self.actor, str(command.capacity), command.views, command.supporter_view,
                                    command.reasons)
        else:
            case.record_child_declined_supporter(self.actor, command.note)
        return AppliedCommand(SUPPORTER_COMMANDS[type(command)], "case", case.id, case.child_id, repeat=False)

    def _case(self, case_id: UUID, load: Any) -> Case:
        if case_id not in self.cases:
            try:
                self.cases[case_id] = load()
            except NotFound:
                raise _unknown_case(case_id) from None
        return self.cases[case_id]


SUPPORTER_COMMANDS = {
    RecordSupporterStep: "record_supporter_step", IssueSupporterRecommendation: "issue_supporter_recommendation",
    SubmitChildViews: "submit_child_views", RecordChildDeclinedSupporter: "record_child_declined_supporter",
}


def _unknown_case(case_id: UUID) -> InvalidInput:
    # The same answer whether the case does not exist or the sender may not see it.
    return InvalidInput("case_id", f"no case {case_id}", problem_type="unknown-case")


def _same_child(case: Case, child_id: UUID) -> None:
    if case.child_id != child_id:
        raise InvalidInput(
            "child_id", f"case {case.id} is not about child {child_id}", problem_type="child-mismatch"
        )
