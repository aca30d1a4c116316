"""A monitoring visit of the Ombudsman's monitors to a closed institution (vse §2.1 L950-952, L1588, L1592; 0040).

A record of its own, about an institution and not about one child: when, where, who visited, what they
found (for the Ombudsman, and what is addressed to the institution), and the referrals that came out of it.
Its findings are free text that may name children, so every attribute but who acted and the institution is
sealed under a key of the visit's own (hub/crypto/mapper.py), as a child's events are under the child's.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.domain import event

from hub.actor import Actor
from hub.aggregates.base import HubAggregate
from hub.errors import GuardViolation


class MonitoringVisit(HubAggregate):
    kind = "monitoring visit"

    @event("Recorded")
    def __init__(
        self, actor: Actor, institution: str, visited_on: date, monitors: list[str], findings: str,
        findings_for_institution: str | None,
    ) -> None:
        self.state = "recorded"
        self.recorded_by = actor.agency
        self.institution = institution
        self.visited_on = visited_on
        self.monitors = list(monitors)
        self.findings = findings
        self.findings_for_institution = findings_for_institution
        self.referral_ids: list[UUID] = []

    def cite(self, actor: Actor, referral_id: UUID) -> None:
        """A referral that came out of the visit: the visit lists it (once)."""
        if referral_id in self.referral_ids:
            raise GuardViolation("already-cited", "the visit already lists this referral", field="referral_id")
        self._referral_cited(actor=actor, referral_id=referral_id)

    @event("ReferralCited")
    def _referral_cited(self, actor: Actor, referral_id: UUID) -> None:
        self.referral_ids.append(referral_id)
