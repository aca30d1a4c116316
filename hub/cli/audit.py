"""``hub audit verify | seal | public-key | prove | check-proof | replay | access-report | indicators``: proof
that the log was not altered (hub/cli/integrity.py), any moment of it, who saw what (hub/cli/access_report.py)
and the monitoring indicators (hub/cli/indicators.py)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from hub.cli.access_report import add_access_report
from hub.cli.indicators import add_indicators
from hub.cli.integrity import add_integrity
from hub.cli.moments import moment


def _replay(args: argparse.Namespace) -> int:
    """A record as of a moment, as an auditor sees it: pseudonymised unless --reason opens the child's file."""
    import getpass

    from hub.actor import Actor
    from hub.bootstrap import bootstrap
    from hub.errors import NotFound

    app = bootstrap()
    auditor = Actor(agency="hub", role="admin", user=getpass.getuser())
    record_type, record_id = args.record
    if args.reason:
        child_id = app.reads.child_of_record(record_type, record_id)
        if child_id is None:
            raise NotFound(f"no {record_type} {record_id}")
        app.audit_replay.open_for_audit(auditor, child_id, args.reason)
    print(json.dumps(
        app.audit_replay.replay_record(auditor, record_type, record_id, args.as_of, args.compare), indent=2, default=str
    ))
    return 0


def _record(text: str) -> tuple[str, Any]:
    from uuid import UUID

    record_type, _, record_id = text.partition(":")
    return record_type, UUID(record_id)


def add_commands(commands: argparse._SubParsersAction) -> None:
    audit = commands.add_parser("audit", help="auditors: verify the log, seal it, report who saw what").add_subparsers(
        dest="action", required=True
    )
    add_integrity(audit)
    replay = audit.add_parser("replay", help="a record as it stood at a moment, rebuilt from the log")
    replay.add_argument("record", type=_record, metavar="TYPE:ID", help="e.g. case:5f0c...; referral:, child:, consent:")
    replay.add_argument("--as-of", required=True, type=moment, metavar="WHEN",
                        help="ISO 8601 moment, e.g. 2026-03-02T09:00+05:00 (without a zone: HUB_TIMEZONE's, "
                             "said so)")
    replay.add_argument("--compare", type=moment, metavar="WHEN", help="an earlier moment: also print what changed since")
    replay.add_argument("--reason", help="open the child's personal values (recorded, time-limited) instead of pseudonyms")
    replay.set_defaults(run=_replay)
    add_access_report(audit)
    add_indicators(audit)
