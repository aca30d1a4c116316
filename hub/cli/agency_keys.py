"""``hub agencies key add | list | revoke``: the public keys an agency signs its Kafka messages with
(docs/decisions/0027)."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path

from hub.cli.operator import operator
from hub.services.agency_keys import KeySummary


def _add(args: argparse.Namespace) -> int:
    from hub.bootstrap import bootstrap

    added = bootstrap().agency_keys.add_key(operator(), args.code, Path(args.public_key).read_bytes())
    print(f"added key {added.key_id} of {added.agency}: its senders put key-id: {added.key_id} on each message")
    return 0


def _list(args: argparse.Namespace) -> int:
    from hub.bootstrap import bootstrap

    found = bootstrap().agency_keys.keys(args.code)
    if args.json:
        print(json.dumps([asdict(k) for k in found], default=str, indent=2))
        return 0
    for key in found:
        print(_line(key))
    return 0


def _line(key: KeySummary) -> str:
    revoked = f"  revoked {key.revoked_at:%Y-%m-%d %H:%M}" if key.revoked_at else ""
    return f"{key.key_id}  {key.state:8} added {key.added_at:%Y-%m-%d %H:%M}{revoked}"


def _revoke(args: argparse.Namespace) -> int:
    from hub.bootstrap import bootstrap

    revoked = bootstrap().agency_keys.revoke_key(operator(), args.code, args.key_id, args.reason)
    print(f"revoked key {revoked.key_id} of {revoked.agency}: messages signed with it are dead-lettered from now on")
    return 0


def add_commands(agencies: argparse._SubParsersAction) -> None:
    keys = agencies.add_parser(
        "key", help="the Ed25519 public keys an agency signs its Kafka messages with"
    ).add_subparsers(dest="key_action", required=True)
    add = keys.add_parser("add", help="register a public key of the agency (several may be active: rotation)")
    add.add_argument("code", help="the agency's code")
    add.add_argument("--public-key", required=True, help="a file with the public key, PEM (never the private key)")
    add.set_defaults(run=_add)
    listing = keys.add_parser("list", help="the agency's keys, active and revoked")
    listing.add_argument("code")
    listing.add_argument("--json", action="store_true", help="print JSON instead of lines")
    listing.set_defaults(run=_list)
    revoke = keys.add_parser("revoke", help="revoke a key: messages signed with it are refused from now on")
    revoke.add_argument("code")
    revoke.add_argument("key_id", help="the key's id, as `hub agencies key list` shows it")
    revoke.add_argument("--reason", required=True, help="why: rotated, a system retired, a key exposed")
    revoke.set_defaults(run=_revoke)
