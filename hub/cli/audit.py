"""``hub audit verify | seal | public-key | replay | access-report | indicators``: proof that the log was not
altered, any moment of it, who saw what (hub/cli/access_report.py) and the monitoring indicators
(hub/cli/indicators.py)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from hub.cli.access_report import add_access_report
from hub.cli.indicators import add_indicators


def _verify(args: argparse.Namespace) -> int:
    from hub.audit.signer import CheckpointKey
    from hub.bootstrap import bootstrap

    app = bootstrap()
    key = CheckpointKey.from_pem(Path(args.public_key).read_bytes()) if args.public_key else None
    report = app.integrity.verify_log(key)
    if args.json:
        print(json.dumps(report.as_dict(), indent=2))
    elif report.ok:
        print(f"verified: {report.events} events, head at position {report.head} ({report.head_link[:16]}...),"
              f" {report.checkpoints} signed checkpoints, in {report.seconds:.2f}s")
    else:
        print(f"NOT VERIFIED: {report.problem_count} problem(s) in {report.events} events")
        for problem in report.problems:
            print(f"  {problem.kind} at position {problem.position}: {problem.detail}")
    return 0 if report.ok else 1


def _seal(args: argparse.Namespace) -> int:
    """Signs the head once, or with --every, again and again until SIGTERM."""
    from hub.bootstrap import bootstrap
    from hub.cli.workers import once_or_every

    app = bootstrap()

    def step() -> int:
        checkpoint = app.integrity.seal_log()
        if checkpoint is None:
            print("nothing to seal: the log is empty", flush=True)
        else:
            # Printed so the signatures can be kept outside the database too (docs/decisions/0013).
            print(f"sealed position {checkpoint.position}: link {checkpoint.link.hex()}"
                  f" signature {checkpoint.signature.hex()} key {checkpoint.key_id}", flush=True)
        return 0

    return once_or_every(app, step, args.every, "seal")


def _public_key(args: argparse.Namespace) -> int:
    from hub.bootstrap import bootstrap

    print(bootstrap().store.checkpoint_signer.public.pem(), end="")
    return 0


def _replay(args: argparse.Namespace) -> int:
    """A record as of a moment, as an auditor sees it: pseudonymised unless --reason opens the child's file."""
    import getpass
    from datetime import datetime

    from hub.actor import Actor
    from hub.bootstrap import bootstrap

    app = bootstrap()
    auditor = Actor(agency="hub", role="admin", user=getpass.getuser())
    record_type, record_id = args.record
    if args.reason:
        child_id = app.reads.child_of_record(record_type, record_id)
        app.audit_replay.open_for_audit(auditor, child_id, args.reason)
    at = datetime.fromisoformat(args.as_of)
    compare = datetime.fromisoformat(args.compare) if args.compare else None
    print(json.dumps(app.audit_replay.replay_record(auditor, record_type, record_id, at, compare), indent=2, default=str))
    return 0


def _record(text: str) -> tuple[str, Any]:
    from uuid import UUID

    record_type, _, record_id = text.partition(":")
    return record_type, UUID(record_id)


def add_commands(commands: argparse._SubParsersAction) -> None:
    audit = commands.add_parser("audit", help="auditors: verify the log, seal it, report who saw what").add_subparsers(
        dest="action", required=True
    )
    verify = audit.add_parser("verify", help="check every stored event against the hash chain and signed checkpoints")
    verify.add_argument("--public-key", help="a PEM file with the published checkpoint key (default: this hub's)")
    verify.add_argument("--json", action="store_true", help="print the full report as JSON")
    verify.set_defaults(run=_verify)
    seal = audit.add_parser("seal", help="sign a checkpoint at the head of the log now")
    seal.add_argument("--every", type=float, metavar="SECONDS", help="keep sealing at this interval until SIGTERM")
    seal.set_defaults(run=_seal)
    replay = audit.add_parser("replay", help="a record as it stood at a moment, rebuilt from the log")
    replay.add_argument("record", type=_record, metavar="TYPE:ID", help="e.g. case:5f0c...; referral:, child:, consent:")
    replay.add_argument("--as-of", required=True, help="ISO 8601 moment with its time zone, e.g. 2026-03-02T09:00+05:00")
    replay.add_argument("--compare", help="an earlier moment: also print what changed since")
    replay.add_argument("--reason", help="open the child's personal values (recorded, time-limited) instead of pseudonyms")
    replay.set_defaults(run=_replay)
    audit.add_parser("public-key", help="print the public key that verifies checkpoints (PEM)").set_defaults(
        run=_public_key
    )
    add_access_report(audit)
    add_indicators(audit)
