"""``hub audit verify | seal | public-key | prove | check-proof``: proof that the log was not altered, against
heads held outside the database, and of one event to whoever holds only the public key
(docs/decisions/0013, 0021)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def _key(path: str | None) -> Any:
    from hub.audit.signer import CheckpointKey

    return CheckpointKey.from_pem(Path(path).read_bytes()) if path else None


def _trusted(args: argparse.Namespace) -> list[Any]:
    from hub.audit.trusted_heads import read_head_file

    heads = [head for path in args.trusted_head or [] for head in read_head_file(path)]
    if args.trusted_topic is not None:
        from hub.kafka.checkpoints import read_checkpoint_topic
        from hub.kafka.settings import KafkaSettings

        settings = KafkaSettings.from_env()
        heads += read_checkpoint_topic(settings, args.trusted_topic or settings.checkpoint_topic())
    return heads


def _verify(args: argparse.Namespace) -> int:
    from kafka.errors import KafkaError

    from hub.audit.checkpoint import MalformedCheckpoint
    from hub.bootstrap import bootstrap

    try:
        trusted = _trusted(args)
    except (MalformedCheckpoint, OSError, LookupError, KafkaError) as error:
        print(f"cannot read the heads held outside: {error}", file=sys.stderr)
        return 2
    app = bootstrap()
    report = app.integrity.verify_log(_key(args.public_key), trusted)
    app.close()
    if args.json:
        print(json.dumps(report.as_dict(), indent=2))
    elif report.ok:
        asked = bool(args.trusted_head) or args.trusted_topic is not None
        held = f", {report.trusted_heads} heads held outside up to position {report.latest_trusted}" if asked else ""
        print(f"verified: {report.events} events, head at position {report.head} ({report.head_link[:16]}...),"
              f" {report.checkpoints} signed checkpoints{held}, in {report.seconds:.2f}s")
    else:
        print(f"NOT VERIFIED: {report.problem_count} problem(s) in {report.events} events")
        for problem in report.problems:
            print(f"  {problem.kind} at position {problem.position}: {problem.detail}")
    return 0 if report.ok else 1


def _seal(args: argparse.Namespace) -> int:
    """Signs the head and ships every checkpoint not shipped yet, once, or with --every until SIGTERM."""
    from hub.audit.publisher import CheckpointPublisher, configured_sinks
    from hub.bootstrap import bootstrap
    from hub.cli.workers import once_or_every

    app = bootstrap()
    chain = app.store.chain
    publisher = CheckpointPublisher(chain.sql, chain.checkpoints, configured_sinks(app.store.env))
    last = {"position": -1}

    def step() -> int:
        checkpoint = app.integrity.seal_log()
        if checkpoint is None:
            print("nothing to seal: the log is empty", flush=True)
        elif checkpoint.position != last["position"]:
            last["position"] = checkpoint.position
            print(f"sealed position {checkpoint.position}: link {checkpoint.link.hex()} root {checkpoint.root.hex()}"
                  f" signature {checkpoint.signature.hex()} key {checkpoint.key_id}", flush=True)
        shipped = publisher.publish()
        if shipped:
            print(f"published {shipped} checkpoint(s) to {', '.join(s.name for s in publisher.sinks)}", flush=True)
        return 0  # the interval is the pace, whatever was done

    try:
        return once_or_every(app, step, args.every, "seal")
    finally:
        publisher.close()


def _public_key(args: argparse.Namespace) -> int:
    from hub.bootstrap import bootstrap

    print(bootstrap().store.checkpoint_signer.public.pem(), end="")
    return 0


def _prove(args: argparse.Namespace) -> int:
    from hub.audit.proof import CannotProve, prove
    from hub.bootstrap import bootstrap

    app = bootstrap()
    try:
        print(json.dumps(prove(app.store.recorder, app.store.chain, args.position, args.checkpoint), indent=2))
    except CannotProve as error:
        print(f"cannot prove position {args.position}: {error}", file=sys.stderr)
        return 1
    finally:
        app.close()
    return 0


def _check_proof(args: argparse.Namespace) -> int:
    from hub.audit.proof import check_proof

    try:
        proof = json.loads(Path(args.proof).read_text())
    except (OSError, ValueError) as error:
        print(f"cannot read {args.proof}: {error}", file=sys.stderr)
        return 2
    failure = check_proof(proof, _key(args.public_key))
    if failure is not None:
        print(f"NOT PROVED: {failure}")
        return 1
    checkpoint = proof["checkpoint"]
    print(f"proved: the event at position {proof['event']['position']} is in the log of {checkpoint['tree_size']}"
          f" events signed at position {checkpoint['position']} on {checkpoint['signed_at']} by key {checkpoint['key_id']}")
    return 0


def add_integrity(audit: argparse._SubParsersAction) -> None:
    verify = audit.add_parser("verify", help="check every stored event against the hash chain, the signed"
                              " checkpoints and the heads held outside the database")
    verify.add_argument("--public-key", help="a PEM file with the published checkpoint key (default: this hub's)")
    verify.add_argument("--trusted-head", action="append", metavar="FILE",
                        help="JSON lines of published checkpoints (HUB_CHECKPOINT_LOG, shipped elsewhere); repeatable")
    verify.add_argument("--trusted-topic", nargs="?", const="", metavar="TOPIC",
                        help="read the published checkpoints from this Kafka topic (default: PREFIX.audit.checkpoints)")
    verify.add_argument("--json", action="store_true", help="print the full report as JSON")
    verify.set_defaults(run=_verify)

    seal = audit.add_parser("seal", help="sign a checkpoint at the head of the log now, and publish every"
                            " checkpoint not published yet (HUB_CHECKPOINT_LOG, HUB_CHECKPOINT_KAFKA)")
    seal.add_argument("--every", type=float, metavar="SECONDS", help="keep doing so at this interval until SIGTERM")
    seal.set_defaults(run=_seal)

    audit.add_parser("public-key", help="print the public key that verifies checkpoints (PEM)").set_defaults(
        run=_public_key
    )

    proof = audit.add_parser("prove", help="print the proof (JSON) that the event at a position is in the signed log")
    proof.add_argument("position", type=int)
    proof.add_argument("--checkpoint", type=int, metavar="POSITION",
                       help="prove against the checkpoint at this position (default: the latest)")
    proof.set_defaults(run=_prove)

    check = audit.add_parser("check-proof", help="check a proof with the published public key alone, no database")
    check.add_argument("proof", metavar="FILE", help="the JSON that `hub audit prove` printed")
    check.add_argument("--public-key", required=True, help="a PEM file with the published checkpoint key")
    check.set_defaults(run=_check_proof)
