"""``hub erase CHILD --reason``: crypto-shredding of a child's personal data (docs/decisions/0015)."""

from __future__ import annotations

import argparse
import getpass
from uuid import UUID

from hub.actor import Actor


def _erase(args: argparse.Namespace) -> int:
    from hub.bootstrap import bootstrap

    erasure = bootstrap().erasure.erase(Actor(agency="hub", role="admin", user=getpass.getuser()), args.child, args.reason)
    children = ", ".join(str(c) for c in erasure.child_ids)
    print(f"erased {children}: {len(erasure.residue)} view rows keep only what is not personal (erasure {erasure.id})")
    return 0


def add_commands(commands: argparse._SubParsersAction) -> None:
    erase = commands.add_parser(
        "erase", help="erase a child's personal data by destroying its key; the events and their chain stay"
    )
    erase.add_argument("child", type=UUID, help="the child's id (records found to be the same child go with it)")
    erase.add_argument("--reason", required=True, help="the legal ground and the request (kept in clear: name no one)")
    erase.set_defaults(run=_erase)
