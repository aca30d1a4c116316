"""A case moves to another region's managing centre (issue 15, docs/decisions/0039).

Two steps, as a referral is accepted: the sending centre's manager asks (the receiving centre, a reason, the
child's new unit), the receiving centre accepts or declines with reasons. Acceptance hands the case over: the
managing agency changes, and what each body sees follows from the privacy policy. The manuals are silent on
transfers (cam-csc-manual §9 gap 10); the guards are the hub's.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from eventsourcing.domain import event

from hub.actor import Actor
from hub.aggregates.case_facets import CaseFacets
from hub.aggregates.case_vocabulary import OPEN_STATES
from hub.errors import GuardViolation

PENDING, ACCEPTED, DECLINED = "pending", "accepted", "declined"


class CaseTransfers(CaseFacets):
    def _init_transfers(self) -> None:
        self._init_facets()
        self.transfers: list[dict[str, Any]] = []
        self.transferred_at: datetime | None = None  # the last handover, for deadlines that restart on it

    @property
    def pending_transfer(self) -> dict[str, Any] | None:
        last = self.transfers[-1] if self.transfers else None
        return last if last is not None and last["state"] == PENDING else None

    def request_transfer(self, actor: Actor, to_agency: str, unit: str, reason: str) -> None:
        self.require_state("request_transfer", OPEN_STATES)
        if to_agency == self.managing_agency:
            raise GuardViolation("transfer-same-centre", "the case is already managed by this centre",
                                 field="to_agency")
        if self.pending_transfer is not None:
            raise GuardViolation(
                "transfer-pending", "a transfer to %(to_agency)s awaits its answer",
                values={"to_agency": self.pending_transfer["to_agency"]}, status=409
            )
        if not reason.strip():
            raise GuardViolation("reason-required", "say why the case moves", field="reason")
        self._transfer_requested(actor=actor, recipient=to_agency, from_agency=self.managing_agency,
                                 unit=unit, reason=reason.strip())

    @event("TransferRequested")
    def _transfer_requested(self, actor: Actor, recipient: str, from_agency: str, unit: str, reason: str) -> None:
        self.transfers.append({
            "to_agency": recipient, "from_agency": from_agency, "unit": unit, "reason": reason,
            "requested_at": self.modified_on, "state": PENDING, "answered_at": None, "decline_reasons": [],
        })

    def _answerable(self, actor: Actor, command: str) -> dict[str, Any]:
        self.require_state(command, OPEN_STATES)
        pending = self.pending_transfer
        if pending is None or pending["to_agency"] != actor.agency:
            raise GuardViolation("no-pending-transfer", "no transfer of this case awaits this centre's answer",
                                 status=409)
        return pending

    def accept_transfer(self, actor: Actor) -> str:
        """The receiving centre takes the case over; returns the child's new unit."""
        pending = self._answerable(actor, "accept_transfer")
        self._transfer_accepted(actor=actor, from_agency=pending["from_agency"], managing_agency=actor.agency,
                                unit=pending["unit"])
        return pending["unit"]

    @event("TransferAccepted")
    def _transfer_accepted(self, actor: Actor, from_agency: str, managing_agency: str, unit: str) -> None:
        self.managing_agency = managing_agency
        self.transferred_at = self.modified_on
        self.transfers[-1].update(state=ACCEPTED, answered_at=self.modified_on)

    def decline_transfer(self, actor: Actor, reasons: list[str]) -> None:
        pending = self._answerable(actor, "decline_transfer")
        reasons = [r.strip() for r in reasons if r.strip()]
        if not reasons:
            raise GuardViolation("reasons-required", "a declined transfer comes with its reasons", field="reasons")
        self._transfer_declined(actor=actor, recipient=pending["to_agency"], reasons=reasons)

    @event("TransferDeclined")
    def _transfer_declined(self, actor: Actor, recipient: str, reasons: list[str]) -> None:
        self.transfers[-1].update(state=DECLINED, answered_at=self.modified_on, decline_reasons=reasons)
