"""Anonymised counts for oversight (cam-csc-manual P-14): how many, never who."""

from __future__ import annotations

from collections import Counter
from typing import Any
from uuid import UUID

from hub import clock
from hub.actor import Actor
from hub.aggregates.access_record import AccessOutcome
from hub.aggregates.vocabulary import BodyKind
from hub.application import HubApplication
from hub.audit.replay import Replay
from hub.errors import Forbidden
from hub.geography.units import geography
from hub.privacy.addressing import addressed_to
from hub.privacy.policy_file import PolicyFile
from hub.projections.agency_views import AgencyViews
from hub.services.directory import DirectoryService
from hub.services.reads import ReadService

STATISTICS = UUID(int=0)  # the record id under which reads of the counts are logged


def receives_statistics(policy: PolicyFile, kind: BodyKind, role: str) -> bool:
    return addressed_to(policy.aggregates.to, kind, role) is not None


class StatisticsService:
    def __init__(self, store: HubApplication, directory: DirectoryService, views: AgencyViews, reads: ReadService) -> None:
        self.store = store
        self.directory = directory
        self.views = views
        self.reads = reads

    def require_statistics_recipient(self, actor: Actor) -> None:
        kind = self.directory.agency(actor.agency).kind
        if not receives_statistics(self.views.engine().file, kind, actor.role):
            raise Forbidden(f"a {actor.role} of a {kind} does not receive statistics", command="statistics.read")

    def statistics(self, actor: Actor) -> dict[str, Any]:
        self.require_statistics_recipient(actor)
        # Counted from the log itself, as the indicators are: no process need hold every child for it.
        fold, _, _ = Replay(self.store, self.views).whole_log()
        engine = self.views.engine_for(fold.policy)
        rule = engine.file.aggregates
        counts: Counter[tuple[str, str]] = Counter()
        for child_id in fold.known_children():
            dossier = fold.dossier(child_id)
            if dossier is None:
                continue
            # By region (or city of republican significance): a district's counts would single children out.
            city = (geography().region_of(dossier.city) or dossier.city) if dossier.city else "unknown"
            counts[(city, "children")] += 1
            for referral in dossier.referrals:
                counts[(city, "referrals")] += 1
                counts[(city, f"referrals.{referral.state}")] += 1
                counts[(city, f"concern.{referral.content.concern.category}")] += 1
            for case in dossier.cases:
                counts[(city, "cases.closed" if case.state == "closed" else "cases.open")] += 1
                if case.previous_case_id is not None:
                    counts[(city, "readmissions")] += 1
        self.reads.record_read(actor, None, "statistics", STATISTICS, [], ["AGGREGATES"], AccessOutcome.GRANTED, "statistics")
        floor = rule.minimum_cell
        return {
            "generated_at": clock.now().isoformat(),
            "policy_version": engine.version,
            "minimum_cell": floor,
            "cells": [
                {"city": city, "measure": measure, "count": n if n >= floor else f"<{floor}"}
                for (city, measure), n in sorted(counts.items())
            ],
        }
