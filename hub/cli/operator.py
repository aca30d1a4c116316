"""Who runs an operator's command at a terminal: the hub's admin, named by the login."""

from __future__ import annotations

import getpass

from hub.actor import Actor


def operator() -> Actor:
    return Actor(agency="hub", role="admin", user=getpass.getuser())
