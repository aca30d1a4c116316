"""A referral's content as its event holds it, validated the first time it is read.

The content was validated in full when the referral was recorded, and the event never changes, so
reading it back only rebuilds the model (``ReferralContent.stored``, hub/inbound.py). Rebuilding it for
every referral folded was a quarter of replaying the whole log, which reads few of them; so a referral
keeps the event's dict and rebuilds the model when its content is first read, then keeps that. A
referral just made is given the model its dict was dumped from (validated moments before, and equal to
what rebuilding would give): the notices of its own submission read it at once (issue #13).

Content that is not a dict is validated at once, as before: an erased child's event reads its content
as ERASED, and folding such a referral must still fail where it failed (the erasure-aware repository
turns that failure into "erased"), not later in whatever reads the content.
"""

from __future__ import annotations

from typing import Any

from hub.aggregates.copying import shared
from hub.aggregates.referral_content import ReferralContent


@shared
class LazyContent:
    """Shared, not copied, by a copy of its referral (hub/aggregates/copying.py): it never changes."""

    __slots__ = ("_stored", "_model")

    def __init__(self, stored: Any, model: ReferralContent | None = None) -> None:
        """``model``: the content ``stored`` was dumped from, where the caller has it (a referral just made)."""
        self._stored = stored
        self._model = model if model is not None or isinstance(stored, dict) else ReferralContent.stored(stored)

    @property
    def stored(self) -> Any:
        """The content as the event holds it."""
        return self._stored

    def model(self) -> ReferralContent:
        if self._model is None:
            self._model = ReferralContent.stored(self._stored)
        return self._model

    def __copy__(self) -> LazyContent:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> LazyContent:
        return self
