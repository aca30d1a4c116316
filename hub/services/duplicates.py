"""Children the hub already knows who may be the child of a referral, as its recipient may learn of them.

The recipient sees a candidate in full (its id, the score, the fields that
matched, the referrals and open cases) only if it already knows the child: it
manages or managed a case of the child, or sent or received one of its
referrals. Of any other child with an open case it learns only that a possible
match is managed by that agency; of a child without an open case, nothing
(docs/decisions/0011). A child who looks like a brother or sister of the referral's child rather than
the same child is suggested as a sibling, on the same terms (docs/decisions/0041).
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from hub import clock
from hub.aggregates.case import Case
from hub.aggregates.child import Child
from hub.aggregates.referral import Referral
from hub.crypto.keys import ChildKeyStore
from hub.errors import NotFound
from hub.matching.household import household_of, sibling_match
from hub.matching.profile import profile_of
from hub.matching.score import Match, compare
from hub.projections.agency_views import AgencyViews
from hub.services.aggregates import Aggregates

SAME_CHILD = "same_child"
SIBLING = "sibling"


@dataclass(frozen=True)
class Candidate:
    child_id: UUID | None  # None: the child is managed elsewhere and the recipient may not know it
    likelihood: str  # "likely" | "possible"
    score: float | None
    matched: tuple[str, ...]  # fields that agreed: given_name, family_name, patronymic, date_of_birth, age, sex, city
    referral_ids: tuple[UUID, ...]
    open_case_ids: tuple[UUID, ...]  # the recipient's own open cases of the child
    managed_by: str | None  # the agency managing the child's open case, if any
    suggests: str = SAME_CHILD  # or SIBLING: a brother or sister, to link rather than to merge

    @property
    def summary(self) -> str:
        what = "match" if self.suggests == SAME_CHILD else "sibling"
        if self.child_id is None:
            return f"a {self.likelihood} {what} is managed by {self.managed_by}"
        return f"child {self.child_id}: a {self.likelihood} {what} ({', '.join(self.matched)})"


class DuplicateService:
    def __init__(self, aggregates: Aggregates, views: AgencyViews, child_keys: ChildKeyStore) -> None:
        self.aggregates = aggregates
        self.views = views  # they keep the name index
        self.child_keys = child_keys

    def _may_know(self, agency: str, referrals: list[Referral], cases: list[Case]) -> bool:
        return any(c.managing_agency == agency for c in cases) or any(
            agency in (r.referrer_agency, r.recipient_agency) for r in referrals
        )

    def _records(self, child: Child) -> tuple[list[Referral], list[Case]]:
        referrals = [self.aggregates.load(Referral, r, "referral") for r in child.referral_ids]
        return referrals, [self.aggregates.load(Case, c, "case") for c in child.case_ids]

    def known_child(self, agency: str, child_id: UUID) -> Child:
        """A child the agency may already know, or NotFound, as if there were none."""
        child = self.aggregates.load(Child, child_id, "child")
        referrals, cases = self._records(child)
        if child.same_as is not None or not self._may_know(agency, referrals, cases):
            raise NotFound(f"no child {child_id}")
        return child

    def duplicates_of(self, agency: str, child: Child) -> list[Candidate]:
        """Candidates for ``child`` among the children the hub knows, best first, as ``agency`` may see them."""
        self.views.current()
        index = self.views.child_index
        today = clock.now().date()
        probe = profile_of(child, today)
        if probe is None:
            return []
        found = []
        home = None
        # A child with the same IIN is looked at whatever its names, ahead of the many that may share a name.
        numbered = [c for c in index.holding(index.iin_hash(probe.iin)) if c != child.id] if probe.iin else []
        for other_id in dict.fromkeys([*numbered, *index.sharing(child.id, index.hashes(child))]):
            if self.child_keys.is_shredded(other_id):
                continue  # erased: nothing about the child may be compared, let alone shown
            other = self.aggregates.load(Child, other_id, "child")
            known = profile_of(other, today) if other.same_as is None else None
            if known is None:
                continue
            match, suggests = compare(probe, known), SAME_CHILD
            if match is None:
                home = home or household_of(r.content for r in self._records(child)[0])
                match = sibling_match(probe, known, home, household_of(r.content for r in self._records(other)[0]))
                suggests = SIBLING
            candidate = self._as_seen_by(agency, other, match, suggests) if match is not None else None
            if match is not None and candidate is not None:
                found.append((match.score, candidate))
        found.sort(key=lambda pair: -pair[0])
        return [candidate for _, candidate in found]

    def _as_seen_by(self, agency: str, child: Child, match: Match, suggests: str) -> Candidate | None:
        referrals, cases = self._records(child)
        open_cases = [c for c in cases if c.is_open]
        managed_by = open_cases[-1].managing_agency if open_cases else None
        if not self._may_know(agency, referrals, cases):
            if managed_by is None:
                return None
            return Candidate(None, match.likelihood, None, (), (), (), managed_by, suggests)
        manages = any(c.managing_agency == agency for c in cases)
        shown = [r.id for r in referrals if manages or agency in (r.referrer_agency, r.recipient_agency)]
        return Candidate(
            child_id=child.id,
            likelihood=match.likelihood,
            score=match.score,
            matched=match.matched,
            referral_ids=tuple(shown),
            open_case_ids=tuple(c.id for c in open_cases if c.managing_agency == agency),
            managed_by=managed_by,
            suggests=suggests,
        )
