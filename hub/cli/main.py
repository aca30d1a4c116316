"""``hub serve | demo | agencies add/list/key/institution | tokens issue/list/revoke | project | ingest | relay |
kafka create-topics | audit ... | erase | migrate | views rebuild``."""

from __future__ import annotations

import argparse
import json
import os
import sys

from hub.aggregates.vocabulary import BodyKind
from hub.bootstrap import bootstrap
from hub.cli.agency_keys import add_commands as add_agency_key_commands
from hub.cli.audit import add_commands as add_audit_commands
from hub.cli.backup import add_commands as add_backup_commands
from hub.cli.erasure import add_commands as add_erasure_commands
from hub.cli.migrate import add_commands as add_migrate_commands
from hub.cli.operator import operator
from hub.cli.retention import add_commands as add_retention_commands
from hub.cli.tokens import add_commands as add_token_commands
from hub.cli.views import add_commands as add_views_commands
from hub.cli.workers import add_commands as add_worker_commands
from hub.errors import HubError
from hub.secret_files import read_secret_files

SERVE_PROJECTS = "HUB_SERVE_PROJECTS"
EXIT_STATUSES = """exit statuses:
  0  done; a check found nothing wrong
  1  the command ran and found failures (audit verify: NOT VERIFIED; a worker that failed)
  2  the command could not run as asked: a usage error, a bad value (a moment that is not ISO 8601),
     an unknown record or agency, a command the hub refused, a secret file that cannot be read"""


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("referral-hub")
    except PackageNotFoundError:
        return "unknown (not installed)"


def _serve(args: argparse.Namespace) -> int:
    """Serves the API; no request projects the views: one thread does, in this process (with several workers:
    in their supervisor), unless ``hub project`` runs apart (``HUB_SERVE_PROJECTS=no``, as deploy/ does).
    The notices are delivered the same way: here, unless ``hub deliver`` runs apart."""
    from eventsourcing.utils import strtobool

    from hub.api import capacity
    from hub.api.app import create_app
    from hub.api.server import serve, serve_workers

    project = strtobool(os.environ.get(SERVE_PROJECTS) or "yes")
    capacity.size_pool(os.environ, capacity.worker_connections(os.environ))  # before any hub, or worker, opens it
    workers = args.workers or capacity.default_workers()
    if workers == 1:
        hub = bootstrap(serving=True)
        hub.start(project=project, deliver=project)  # embedded: one process does all; deploy/ runs hub deliver
        try:
            serve(create_app(hub), args.host, args.port)
        finally:
            hub.close()
        return 0
    serve_workers(args.host, args.port, workers, project)
    return 0


def _workers(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"a number of worker processes, 1 or more, not {value!r}")
    return int(value)


def _demo(args: argparse.Namespace) -> int:
    from hub.demo.scenario import run

    run(bootstrap(), out=sys.stdout)
    return 0


def _agencies_add(args: argparse.Namespace) -> int:
    agency = bootstrap().directory.register_agency(
        operator(), args.code, args.name, BodyKind(args.kind), args.unit, email=args.email, safeguards=args.safeguards
    )
    print(f"registered {agency.code}: {agency.name} ({agency.kind}, {agency.unit})")
    return 0


def _places(args: argparse.Namespace) -> int:
    from hub.geography.units import geography

    places = geography()
    found = list(places.children(args.parent) if args.parent else places.units.values())
    if args.json:
        print(json.dumps([{"code": u.code, "kind": str(u.kind), "parent": u.parent, "name": u.name(args.lang)}
                          for u in found], indent=2, ensure_ascii=False))
        return 0
    for unit in found:
        print(f"{unit.code:10} {unit.kind:32} {unit.parent or '':10} {unit.name(args.lang)}")
    return 0


def _agencies_email(args: argparse.Namespace) -> int:
    agency = bootstrap().directory.set_email(operator(), args.code, None if args.none else args.address)
    print(f"{agency.code}: notices emailed to {agency.email}" if agency.email else f"{agency.code}: no email")
    return 0


def _agencies_institution(args: argparse.Namespace) -> int:
    """A closed institution's places and opening, with the reason (docs/decisions/0040)."""
    agency = bootstrap().directory.set_institution(
        operator(), args.code, args.capacity, None if args.open is None else args.open == "open", args.reason, within=None
    )
    print(f"{agency.code}: {agency.capacity if agency.capacity is not None else '?'} places, "
          f"{'open' if agency.is_open else 'closed'}")
    return 0


def _agencies_list(args: argparse.Namespace) -> int:
    found = bootstrap().directory.agencies()
    if args.json:
        print(json.dumps([a.as_dict() for a in found], indent=2, ensure_ascii=False))
        return 0
    for agency in found:
        email = f" <{agency.email}>" if agency.email else ""
        print(f"{agency.code:32} {agency.kind:22} {agency.unit:10} {agency.name}{email}")
    return 0


def _policy_table(args: argparse.Namespace) -> int:
    from hub.notices.render import policy_tables
    from hub.privacy.policy_file import LoadedPolicy, packaged_policy_text

    sys.stdout.write(policy_tables(LoadedPolicy(packaged_policy_text())))
    return 0


def _policy_matrix(args: argparse.Namespace) -> int:
    from hub.api.authorization_matrix import main as print_matrix

    print_matrix()
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="hub", description="Referral Hub: event-sourced multi-agency referrals", epilog=EXIT_STATUSES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    root.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = root.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="serve the HTTP API (store: HUB_DATABASE_URL, default SQLite)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--workers", type=_workers,
        help="processes serving requests, each with its own interpreter and store connections "
             "(default: HUB_SERVE_WORKERS, else the cores)",
    )
    serve.set_defaults(run=_serve)

    demo = commands.add_parser("demo", help="run a referral from the manuals end to end over the API, and print it")
    demo.set_defaults(run=_demo)

    agencies = commands.add_parser("agencies", help="the register of agencies").add_subparsers(
        dest="action", required=True
    )
    add = agencies.add_parser("add", help="register an agency")
    add.add_argument("code", help="short code, e.g. cam-almaty")
    add.add_argument("--name", required=True)
    add.add_argument("--kind", required=True, choices=[k.value for k in BodyKind])
    add.add_argument(
        "--unit", "--city", dest="unit", required=True,
        help="where it works: a unit's KATO code (hub places), or almaty, shymkent, turkestan_oblast, astana, other",
    )
    add.add_argument("--email", help="where the agency's notices are emailed")
    add.add_argument("--safeguards", help="a safeguarding lead's body: the agency it safeguards (docs/decisions/0035)")
    add.set_defaults(run=_agencies_add)
    email = agencies.add_parser("email", help="set or remove the address an agency's notices are emailed to")
    email.add_argument("code")
    address = email.add_mutually_exclusive_group(required=True)
    address.add_argument("address", nargs="?", help="one mailbox, e.g. duty@police.almaty.kz")
    address.add_argument("--none", action="store_true", help="stop emailing the agency")
    email.set_defaults(run=_agencies_email)
    institution = agencies.add_parser(
        "institution", help="set a closed institution's places or whether it takes children, with the reason (0040)"
    )
    institution.add_argument("code")
    institution.add_argument("--capacity", type=int, help="the number of places")
    institution.add_argument("--open", choices=["open", "closed"], help="whether it takes children")
    institution.add_argument("--reason", required=True, help="why (recorded with who and when; name no child)")
    institution.set_defaults(run=_agencies_institution)
    listing = agencies.add_parser("list", help="list registered agencies")
    listing.add_argument("--json", action="store_true", help="print JSON instead of lines")
    listing.set_defaults(run=_agencies_list)
    add_agency_key_commands(agencies)

    places = commands.add_parser("places", help="the country's units, by KATO code (hub/geography/units.yaml)")
    places.add_argument("--lang", choices=["kk", "ru", "en"], default="ru")
    places.add_argument("--parent", help="only the units directly under this one (KZ: the regions)")
    places.add_argument("--json", action="store_true", help="print JSON instead of lines")
    places.set_defaults(run=_places)

    policy = commands.add_parser("policy", help="the privacy policy").add_subparsers(dest="action", required=True)
    policy.add_parser("table", help="print the policy as markdown tables (docs/privacy-policy.md)").set_defaults(
        run=_policy_table
    )
    policy.add_parser(
        "matrix", help="print every endpoint x every body and role, allowed or refused (docs/authorization-matrix.md)"
    ).set_defaults(run=_policy_matrix)

    add_token_commands(commands)
    add_worker_commands(commands)
    add_audit_commands(commands)
    add_erasure_commands(commands)
    add_retention_commands(commands)
    add_backup_commands(commands)
    add_migrate_commands(commands)
    add_views_commands(commands)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    import logging

    from hub.observability.logs import configure

    # A one-shot command logs warnings only (its answer is on stdout), and the progress of long work;
    # the long-running workers log at INFO (hub/cli/workers.py).
    configure("WARNING")
    logging.getLogger("hub.progress").setLevel(logging.INFO)
    if sys.stderr.isatty():  # a person at a terminal: progress of long work as a bar (hub/progress.py)
        from hub import progress
        from hub.cli.progress import TerminalBar

        progress.show_with(TerminalBar())
    try:
        read_secret_files(os.environ)
    except ValueError as error:
        print(f"hub: {error}", file=sys.stderr)
        return 2
    try:
        return args.run(args)
    except HubError as error:
        print(f"hub: {error.detail}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
