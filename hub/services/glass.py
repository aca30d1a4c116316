"""Break-the-glass: opening a record the policy withholds, for a limited time, on a legal ground with a reason.

Who may open what, when and on which grounds is privacy.yaml's ``break_glass``
(docs/decisions/0029). An opening the caller is not entitled to, of a record that
exists, is answered exactly as one of a record that does not exist: both are
refused as not found, both are recorded as a refused read, both count against
the user's openings; and the route answers no sooner than a floor of time, so
that how long the hub took to decide says nothing either.
"""

from __future__ import annotations

from contextlib import nullcontext
from datetime import timedelta
from typing import Any
from uuid import UUID

from hub import clock
from hub.actor import Actor
from hub.aggregates.access_record import AccessOutcome
from hub.aggregates.glass_break import GlassBreak
from hub.aggregates.vocabulary import BodyKind
from hub.errors import Forbidden, InvalidInput, NotFound, TooMany
from hub.privacy.addressing import addressed_to
from hub.privacy.dossier import Dossier, record_of
from hub.privacy.engine import PrivacyEngine
from hub.privacy.policy_file import PolicyFile
from hub.projections.agency_views import AgencyViews
from hub.projections.dossier_cache import DossierCache
from hub.services.aggregates import Aggregates
from hub.services.directory import DirectoryService
from hub.services.openings_limit import OpeningsLimit
from hub.services.reads import ReadService


def opens_any(policy: PolicyFile, kind: BodyKind, role: str) -> bool:
    """Whether any break-the-glass rule speaks to this kind of body and role at all."""
    return any(addressed_to(rule.to, kind, role) for rule in policy.break_glass.rules)


class GlassService:
    def __init__(
        self, aggregates: Aggregates, directory: DirectoryService, views: AgencyViews, dossiers: DossierCache,
        reads: ReadService, limit: OpeningsLimit,
    ) -> None:
        self.aggregates = aggregates
        self.directory = directory
        self.views = views
        self.dossiers = dossiers
        self.reads = reads
        self.limit = limit

    def require_opener(self, actor: Actor) -> None:
        kind = self.directory.agency(actor.agency).kind
        if not opens_any(self.views.engine_for(self.dossiers.policy()).file, kind, actor.role):
            raise Forbidden(f"no {actor.role} of a {kind} may break the glass (privacy.yaml break_glass)")

    def break_glass(self, actor: Actor, record_type: str, record_id: UUID, ground: str, reason: str) -> GlassBreak:
        engine = self.views.engine_for(self.dossiers.policy())
        kind = self.directory.agency(actor.agency).kind
        if not engine.may_break_glass(kind, actor.role, record_type):
            raise Forbidden(f"a {actor.role} of a {kind} may not break the glass on a {record_type}")
        grounds = engine.file.break_glass.grounds
        if ground not in grounds:
            raise InvalidInput("ground", "the legal ground is one of: %(grounds)s",
                               values={"grounds": ", ".join(grounds)}, problem_type="unknown-ground")
        reason = GlassBreak.check_reason(reason)
        if not self.limit.allows(actor, engine.file.break_glass.per_user):
            raise TooMany(
                f"at most {engine.file.break_glass.per_user} openings per user: ask the centre managing the child",
                retry_after=self.limit.retry_after(actor, engine.file.break_glass.per_user),
            )
        child_id = self.reads.child_of_record(record_type, record_id)
        agency = self.reads.agency_ref(actor)
        now = clock.now()
        with self.dossiers.dossier(child_id) if child_id is not None else nullcontext() as dossier:
            ref = record_of(dossier, record_type, record_id, now) if dossier is not None else None
            rule = engine.glass_rule(agency, actor.role, ref, dossier, now, ground) if ref and dossier else None
            notify = self._told(engine, actor, dossier) if rule is not None and dossier is not None else []
        if rule is None or child_id is None:
            raise self.reads.denied(actor, record_type, record_id, child_id, "break_glass")
        opening = GlassBreak(
            actor=actor, child_id=child_id, record_type=record_type, record_id=record_id, reason=reason,
            until=now + timedelta(minutes=engine.file.break_glass.duration_minutes), ground=ground, notify=notify,
        )
        self.aggregates.save(opening)
        return opening

    def _told(self, engine: PrivacyEngine, actor: Actor, dossier: Dossier) -> list[str]:
        """The centres managing the child (or, before a case, the bodies its referrals went to), and the
        oversight bodies of the child's city the policy names; never the opener's own body."""
        told = {c.managing_agency for c in dossier.cases} or {r.recipient_agency for r in dossier.referrals}
        for kind in map(BodyKind, engine.file.break_glass.notify):
            # The body of the child's city, or where it has none (the Ombudsman is one national office), every one.
            local = self.directory.agencies_of(kind, dossier.city) if dossier.city is not None else []
            told |= {a.code for a in local or [a for a in self.directory.agencies() if a.kind == kind]}
        return sorted(told - {actor.agency})

    def show_through_glass(self, actor: Actor, opening_id: UUID) -> dict[str, Any]:
        opening = self.aggregates.find(opening_id)
        if not isinstance(opening, GlassBreak) or opening.opened_by != actor:
            raise NotFound(f"no opening {opening_id}")  # another user's opening is not theirs to know of
        now = clock.now()
        if not opening.is_open_for(actor, now):
            raise Forbidden("this opening has expired: break the glass again, with a ground and a reason")
        agency = self.reads.agency_ref(actor)
        engine = self.views.engine_for(self.dossiers.policy())
        with self.dossiers.dossier(opening.child_id) as dossier:
            ref = record_of(dossier, opening.record_type, opening.record_id, now) if dossier else None
            disclosure = (
                engine.break_glass(agency, actor.role, ref, dossier, now, opening.ground or "")
                if ref and dossier else None
            )
        if disclosure is None:
            raise self.reads.denied(actor, opening.record_type, opening.record_id, opening.child_id, "break_glass")
        self.reads.record_read(
            actor, opening.child_id, opening.record_type, opening.record_id, list(disclosure.rules),
            [opening.rule], AccessOutcome.BREAK_GLASS, "break_glass",
        )
        return disclosure.record

