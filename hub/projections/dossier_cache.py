"""The dossiers of the children this process works on, kept in memory and current with the log.

A command's answer is judged for its caller from the child's dossier (every
record the policy's conditions look at), with the command's own aggregates laid
over it. Rebuilding the dossier from the store for every answer made its cost
grow with the child's history; here a child is loaded once, then kept current
by the :class:`~hub.projections.follower.Follower`, which hands over only the
events of children held (read from the stored event's header or ids, decoded
only then; what this process saved comes as the save left it, and is held as
such rather than folded again). Least recently used children are let go past a bound.

What the answer sees of the child's other records is therefore as of the
follower's last look at the log (a serving process looks every few hundred
milliseconds, others before each answer); the records the command itself
changed are always as it left them.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import Notification
from eventsourcing.utils import resolve_topic

from hub.aggregates.allegation import Allegation
from hub.aggregates.attachment import Attachment
from hub.aggregates.base import being_created
from hub.aggregates.case import Case
from hub.aggregates.child import Child
from hub.aggregates.consent import Consent
from hub.aggregates.erasure import Erasure
from hub.aggregates.notice import Notice
from hub.aggregates.privacy_policy import PrivacyPolicy
from hub.aggregates.referral import Referral
from hub.aggregates.survivor_report import SurvivorReport
from hub.crypto.keys import ChildErased
from hub.crypto.mapper import aggregate_of
from hub.privacy.dossier import Dossier
from hub.projections.fold import CHILD_BOUND, DossierFold
from hub.projections.follower import Followed

DEFAULT_CHILDREN = 20_000
_ERASURE_TOPIC = Erasure.__module__
_POLICY_TOPIC = PrivacyPolicy.__module__


class DossierCache:
    def __init__(self, store: Any, follower: Any, children: int = DEFAULT_CHILDREN) -> None:
        self.store = store
        self.follower = follower
        self.limit = children
        self._recent: OrderedDict[UUID, None] = OrderedDict()
        self._owner: dict[UUID, UUID] = {}  # aggregate id -> the held child it belongs to
        self.fold = DossierFold(self._load, store.mapper.subjects.members, store.mapper.subjects.child_of, set)
        follower.listen(self)

    def _load(self, aggregate_id: UUID, version: int | None) -> Any:
        try:
            return self.store.repository.get(aggregate_id, version=version)
        except AggregateNotFoundError:
            return None

    def policy(self) -> Any:
        """The privacy policy in force (the last adopted), by which answers and openings are judged."""
        self.follower.current()
        with self.follower.reading():
            self.fold.ensure_context()
            return self.fold.policy

    @contextmanager
    def dossier(self, child_id: UUID, overlay: Iterable[Any] = (), keep_new: bool = True) -> Iterator[Dossier | None]:
        """The child's dossier with ``overlay`` (aggregates just changed) in place of what is held, None for a
        child unknown or erased; use it inside the ``with``: the follower may change the held aggregates once
        it is left. Without ``keep_new``, a child the overlay registers is not held once the block is left."""
        self.follower.current()
        overlay = list(overlay)
        with self.follower.reading():
            self.fold.ensure_context()  # the policy in force, by which the answers are judged
            new = next((a for a in overlay if isinstance(a, Child) and being_created(a) and a.id == child_id), None)
            if new is not None:
                dossier: Dossier | None = Dossier(new)  # registered by this very command: nothing to look up
            else:
                try:
                    dossier = self.fold.dossier(child_id)
                except ChildErased:
                    dossier = None  # as for a child never known: the erasure's residue is all the views keep
            if dossier is not None:
                if new is None or keep_new:
                    self._hold(child_id)
                dossier = _laid_over(dossier, overlay)
            yield dossier

    def _hold(self, child_id: UUID) -> None:
        self._recent[child_id] = None
        self._recent.move_to_end(child_id)
        for member in self.fold.children.get(child_id, ()):
            self._owner[member] = child_id
        self._owner[child_id] = child_id
        while len(self._recent) > self.limit:
            self._let_go(next(iter(self._recent)))

    def _let_go(self, child_id: UUID) -> None:
        self._recent.pop(child_id, None)
        for member in self.fold.children.pop(child_id, set()) | {child_id}:
            self.fold.aggregates.pop(member, None)
            self._owner.pop(member, None)

    # -- the follower's listener --

    def keeps(self, aggregate: Any) -> bool:
        """Whether a copy of ``aggregate`` as a save left it may be folded here: not a record of a child not held
        (if the child is held by the time its events are followed, they are decoded from the store)."""
        child_id = aggregate.id if isinstance(aggregate, Child) else getattr(aggregate, "child_id", None)
        return child_id is None or child_id in self._recent

    def notice(self, stored: Notification, followed: Followed) -> None:
        # called by the follower under its lock, so never while a reader holds the dossiers
        if stored.topic.startswith(_POLICY_TOPIC):
            self.fold.apply(followed.event(), followed.saved)
            return
        if stored.topic.startswith(_ERASURE_TOPIC):
            for child_id in followed.event().child_ids:  # their events no longer read: nothing of them is kept
                self._let_go(child_id)
            return
        held = self._owner.get(stored.originator_id)  # type: ignore[arg-type]
        if held is None:
            held = self._new_member_of(stored, followed)
        if held is None:
            return
        sealed_for = self.store.mapper.child_in(stored)
        if sealed_for is not None and self.store.child_keys.is_shredded(sealed_for):
            self._let_go(held)  # erased since: its events no longer read, and nothing of it is kept
            return
        self.fold.apply(followed.event(), followed.saved)
        self._owner[stored.originator_id] = held  # type: ignore[index]

    def _new_member_of(self, stored: Notification, followed: Followed) -> UUID | None:
        """The held child a newly created record belongs to, if any."""
        if stored.originator_version != 1:
            return None
        child_id = self.store.mapper.child_in(stored)
        if child_id is None and issubclass(aggregate_of(resolve_topic(stored.topic)), CHILD_BOUND):
            child_id = vars(followed.event()).get("child_id")  # an unsealed record: nothing personal in it
        return child_id if child_id in self._recent else None


# The kinds of record a dossier lists, each laid over with the overlay's records of its kind, in the dossier's order.
_KINDS: tuple[tuple[str, type], ...] = (
    ("referrals", Referral), ("cases", Case), ("consents", Consent), ("notices", Notice),
    ("allegations", Allegation), ("attachments", Attachment), ("survivor_reports", SurvivorReport),
)
_kinds_of: dict[type, tuple[int, ...]] = {}


def _kinds(cls: type) -> tuple[int, ...]:
    """The kinds (indexes in ``_KINDS``) an aggregate of ``cls`` is one of, found once a class: an
    ``isinstance`` of every overlaid aggregate against each kind went through the ABCs' check seven times."""
    kinds = _kinds_of.get(cls)
    if kinds is None:
        kinds = _kinds_of[cls] = tuple(index for index, (_, kind) in enumerate(_KINDS) if issubclass(cls, kind))
    return kinds


def _laid_over(dossier: Dossier, overlay: Iterable[Any]) -> Dossier:
    """The dossier with each overlaid aggregate in place of its held version, or added if new."""
    changed = {aggregate.id: aggregate for aggregate in overlay}
    if not changed:
        return dossier
    child = changed.pop(dossier.child.id, dossier.child)
    overlaid = list(changed.values())
    merged: dict[str, list[Any]] = {}
    # An overlaid aggregate takes its held version's place under the first kind holding it, and is added to
    # none from that kind on (the kinds before it are laid over before it is found).
    held_under: dict[UUID, int] = {}
    for index, (name, _) in enumerate(_KINDS):
        left = len(changed)
        merged[name] = [changed.pop(held.id, held) for held in getattr(dossier, name)]
        if len(changed) < left:
            held_under.update((a.id, index) for a in overlaid if a.id not in changed and a.id not in held_under)
    for aggregate in overlaid:
        for index in _kinds(type(aggregate)):
            if index < held_under.get(aggregate.id, len(_KINDS)) and aggregate.child_id == child.id:
                merged[_KINDS[index][0]].append(aggregate)
    return Dossier(
        child,
        **merged,
        glass_breaks=list(dossier.glass_breaks),
        escalations=list(dossier.escalations),
        archival=dossier.archival,
    )
