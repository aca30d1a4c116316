"""A referral's child and another minor in the pages (violence-system-evaluation S7; docs/decisions/0050, 0060, 0062).

The page shows the ties of the referral's child that the reader is shown both children of, with the S7 steps
taken for this child, read through the API's own service (each tie shown is a recorded read); a body shown one
child at most - a school of only one of them, the GTA, the family's NGO - sees no tie, not even that one is
hidden. A tie links to the other child's referral only where the reader may open it: a link answered "you may
not see this record" would tell nothing and disappoint. Recording one is the API's command, offered as a form
(hub/web/command_forms.py); so is recording a step, a form beside each tie bound to its child and side.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from hub.api.auth import Caller
from hub.crypto.keys import ChildErased
from hub.errors import NotFound
from hub.permissions import may
from hub.services.involvements import InvolvementService
from hub.services.reads import ReadService
from hub.web import command_forms

# The API's command of a child's tie (POST /v1/children/{child_id}/involvements/{involvement_id}/steps)
KIND, STEP = "children", "involvements-steps"


def shown(
    involvements: InvolvementService, reads: ReadService, caller: Caller, referral_id: UUID,
    failed: command_forms.Form | None = None,
) -> list[dict[str, Any]]:
    """The ties the reader is shown of the child the referral is about (whether or not its view of the referral
    holds the child's id), each with ``other_referral``: the other child's referral's id where the reader may open
    it, else None; and ``step_form``: the form recording a step for this child, where the reader's role may
    (``failed``: a refused one, shown again at its tie)."""
    if not may(caller.agency.kind, caller.actor.role, "child.read"):
        return []
    try:
        ties = involvements.of_referral(caller.actor, referral_id)
    except (NotFound, ChildErased):  # a child the reader may not see, or whose ties read no more once erased
        return []
    return [tie | {"other_referral": _openable(reads, caller, tie.get("other_referral_id")),
                   "step_form": command_forms.bound(caller, KIND, STEP, {"child_id": tie["child_id"],
                                                                         "involvement_id": tie["id"]}, failed)}
            for tie in ties]


def _openable(reads: ReadService, caller: Caller, referral_id: str | None) -> str | None:
    return referral_id if referral_id and reads.may_open(caller.actor, "referral", UUID(referral_id)) else None
