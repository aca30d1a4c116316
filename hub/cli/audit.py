"""``hub audit verify | seal | public-key``: proof that the log was not altered."""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def _verify(args: argparse.Namespace) -> int:
    from hub.application import HubApplication
    from hub.audit.signer import CheckpointKey

    app = HubApplication()
    key = CheckpointKey.from_pem(Path(args.public_key).read_bytes()) if args.public_key else None
    report = app.verify_log(key)
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
    from hub.application import HubApplication
    from hub.cli.workers import _logging, _stopper
    from hub.kafka.running import Backoff, poll_loop
    from hub.kafka.transient import TRANSIENT

    app = HubApplication()

    def step() -> int:
        checkpoint = app.seal_log()
        if checkpoint is None:
            print("nothing to seal: the log is empty", flush=True)
        else:
            # Printed so the signatures can be kept outside the database too (docs/decisions/0013).
            print(f"sealed position {checkpoint.position}: link {checkpoint.link.hex()}"
                  f" signature {checkpoint.signature.hex()} key {checkpoint.key_id}", flush=True)
        return 0

    if args.every is None:
        step()
    else:
        _logging()
        poll_loop(step, _stopper(), args.every, Backoff(1.0, 60.0), TRANSIENT, "seal")
    app.close()
    return 0


def _public_key(args: argparse.Namespace) -> int:
    from hub.application import HubApplication

    print(HubApplication().checkpoint_signer.public.pem(), end="")
    return 0


def add_commands(commands: argparse._SubParsersAction) -> None:
    audit = commands.add_parser("audit", help="auditors: verify the log, seal it").add_subparsers(
        dest="action", required=True
    )
    verify = audit.add_parser("verify", help="check every stored event against the hash chain and signed checkpoints")
    verify.add_argument("--public-key", help="a PEM file with the published checkpoint key (default: this hub's)")
    verify.add_argument("--json", action="store_true", help="print the full report as JSON")
    verify.set_defaults(run=_verify)
    seal = audit.add_parser("seal", help="sign a checkpoint at the head of the log now")
    seal.add_argument("--every", type=float, metavar="SECONDS", help="keep sealing at this interval until SIGTERM")
    seal.set_defaults(run=_seal)
    audit.add_parser("public-key", help="print the public key that verifies checkpoints (PEM)").set_defaults(
        run=_public_key
    )
