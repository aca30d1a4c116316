"""The staff picker's names: the agency's people who hold a working token with a case worker's role
(docs/decisions/0049). The hub knows its users only by their tokens; a name typed by hand is still taken."""

from __future__ import annotations

from typing import Any

from hub.api.auth import Caller
from hub.permissions import may
from hub.services.token_listing import TokenStanding


def staff_of(tokens: Any, caller: Caller) -> list[str]:
    return sorted({
        token.user for token in tokens.tokens(within=caller.agency.code)
        if token.state == TokenStanding.ACTIVE and may(caller.agency.kind, token.role, "case.intake_action")
    })
