"""``hub tokens issue | list | revoke``: the operators' side of bearer tokens (docs/decisions/0027)."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from datetime import datetime
from uuid import UUID

from hub.actor import Actor
from hub.aggregates.api_token import token_id_for
from hub.cli.operator import operator
from hub.services.token_lifetime import DEFAULT_DAYS, MAX_DAYS_ENV
from hub.services.token_listing import TokenSummary


def _issue(args: argparse.Namespace) -> int:
    from hub.bootstrap import bootstrap

    tokens = bootstrap().tokens
    secret = tokens.issue_token(operator(), Actor(agency=args.agency, role=args.role, user=args.user), args.days)
    issued = tokens.token(token_id_for(secret))
    print(secret)  # alone on stdout, for a script to capture; the rest is for the operator
    print(f"token {issued.id}, expires {issued.expires_at.isoformat(timespec='minutes')}", file=sys.stderr)
    return 0


def _list(args: argparse.Namespace) -> int:
    from hub.bootstrap import bootstrap

    found = bootstrap().tokens.tokens(within=args.agency)
    if args.json:
        print(json.dumps([asdict(t) for t in found], default=str, indent=2))
        return 0
    for token in found:
        print(_line(token))
    return 0


def _line(token: TokenSummary) -> str:
    holder = f"{token.user} ({token.role}, {token.agency})"
    return f"{token.id}  {token.state:8} {holder:48} issued {_when(token.issued_at)}  expires {_when(token.expires_at)}"


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def _revoke(args: argparse.Namespace) -> int:
    from hub.bootstrap import bootstrap

    revoked = bootstrap().tokens.revoke(operator(), args.token_id, args.reason)
    print(f"revoked {revoked.id} of {revoked.user} ({revoked.role}, {revoked.agency}); refused from its next request")
    return 0


def add_commands(commands: argparse._SubParsersAction) -> None:
    tokens = commands.add_parser("tokens", help="API tokens").add_subparsers(dest="action", required=True)
    issue = tokens.add_parser("issue", help="issue a bearer token for one user of an agency in one role")
    issue.add_argument("--agency", required=True)
    issue.add_argument("--role", required=True)
    issue.add_argument("--user", required=True)
    issue.add_argument("--days", type=int, default=None,
                       help=f"validity in days (default {DEFAULT_DAYS}, at most {MAX_DAYS_ENV}: every token expires)")
    issue.set_defaults(run=_issue)

    listing = tokens.add_parser("list", help="every token issued: its id, holder, issue, expiry and state, never a secret")
    listing.add_argument("--agency", help="only this agency's tokens")
    listing.add_argument("--json", action="store_true", help="print JSON instead of lines")
    listing.set_defaults(run=_list)

    revoke = tokens.add_parser("revoke", help="revoke a token for good: every process refuses its next request")
    revoke.add_argument("token_id", type=UUID, help="the token's id, as `hub tokens list` shows it")
    revoke.add_argument("--reason", required=True, help="why (a leaver, a lost laptop); recorded with the revocation")
    revoke.set_defaults(run=_revoke)
