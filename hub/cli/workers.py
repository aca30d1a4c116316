"""The long-running processes besides the API: ``hub project``, ``hub escalate``, ``hub deliver``, ``hub ingest``,
``hub relay``, and ``hub kafka create-topics``. Each stops cleanly on SIGTERM (see deploy/OPERATOR.md)."""

from __future__ import annotations

import argparse
import logging
import os
import threading
from dataclasses import replace
from typing import Any


def _observability() -> None:
    """JSON log lines on stderr (``HUB_LOG_FORMAT``, ``HUB_LOG_LEVEL``), and this worker's metrics on
    ``HUB_METRICS_PORT`` when set (docs/decisions/0032)."""
    from hub.observability.logs import configure
    from hub.observability.worker_port import serve_metrics

    configure()
    serve_metrics(os.environ)


def _stopper() -> threading.Event:
    from hub.kafka.running import stop_on_signals

    stop = threading.Event()
    stop_on_signals(stop)
    return stop


def poll_until_stopped(app: Any, stop: threading.Event, step: Any, interval: float, backoff: Any, name: str) -> None:
    """Runs ``step`` until ``stop`` (SIGTERM) while this process leads the workers called ``name`` (one of
    each kind works, the others stand by: docs/decisions/0031), riding out the store's and broker's outages
    (a transient failure replaces the store's dead connections, then waits); then closes the application."""
    from hub.leadership.leader import Leader
    from hub.leadership.leading import poll_as_leader
    from hub.store import discard_dead_connections

    recover = lambda: discard_dead_connections(app.store.recorder)  # noqa: E731
    poll_as_leader(Leader.of(app.store, name), step, stop, interval, backoff, recover)
    app.close()


def once_or_every(app: Any, step: Any, every: float | None, name: str) -> int:
    """Runs ``step`` once, or every ``every`` seconds until SIGTERM as the elected ``name``; then closes the
    application."""
    from hub.kafka.running import Backoff

    if every is None:
        step()
        app.close()
    else:
        _observability()
        poll_until_stopped(app, _stopper(), step, every, Backoff(1.0, 60.0), name)
    return 0


def _count(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"a number of processes, 1 or more, not {value!r}")
    return int(value)


def _settings(args: argparse.Namespace) -> Any:
    from hub.kafka.settings import KafkaSettings

    settings = KafkaSettings.from_env()
    if getattr(args, "interval", None) is not None:
        settings = replace(settings, interval_s=args.interval)
    if getattr(args, "partitions", None) is not None:
        settings = replace(settings, partitions=args.partitions)
    if getattr(args, "replication_factor", None) is not None:
        settings = replace(settings, replication_factor=args.replication_factor)
    return settings


def _project(args: argparse.Namespace) -> int:
    from hub.bootstrap import bootstrap
    from hub.kafka.running import Backoff
    from hub.leadership.leader import Leader
    from hub.projections.projector import KIND, project_as_leader

    _observability()
    settings, stop = _settings(args), _stopper()  # before the store is opened: a SIGTERM meanwhile still stops cleanly
    app = bootstrap()
    backoff = Backoff(settings.backoff_s, settings.backoff_max_s)
    project_as_leader(app.views, Leader.of(app.store, KIND), stop, settings.interval_s, backoff)
    app.close()
    return 0


def _escalate(args: argparse.Namespace) -> int:
    """Raises an escalation for each deadline that has passed unmet; with --once, one pass."""
    from hub.bootstrap import bootstrap
    from hub.kafka.running import Backoff

    _observability()
    app = bootstrap()
    log = logging.getLogger("hub.escalate")
    if args.once:
        raised = app.escalation.escalate_overdue()
        print(f"{len(raised)} escalation(s) raised")
        app.close()
        return 0
    settings, stop = _settings(args), _stopper()

    def step() -> int:
        raised = app.escalation.escalate_overdue()
        for escalation in raised:
            log.info("raised %s for %s %s", escalation.deadline_id, escalation.subject_type, escalation.subject_id)
        return len(raised)

    poll_until_stopped(
        app, stop, step, settings.interval_s, Backoff(settings.backoff_s, settings.backoff_max_s), "escalate"
    )
    return 0


def _deliver(args: argparse.Namespace) -> int:
    """Delivers the notices through the views and email, tries failures again, and gives up after the last
    attempt (docs/decisions/0036); with --once, one pass. Safe to run twice (hub/delivery/queue.py)."""
    from hub.delivery.settings import DeliverySettings
    from hub.delivery.worker import DeliveryWorker

    _observability()
    settings = DeliverySettings.from_env()
    if args.interval is not None:
        settings = replace(settings, interval_s=args.interval)
    if args.once:
        app = bootstrap_hub()
        done = DeliveryWorker(app, settings).run_once()
        print(f"{done} delivery step(s) made")
        app.close()
        return 0
    stop = _stopper()
    app = serving_hub()
    try:
        DeliveryWorker(app, settings).run(stop, lambda: _discard_dead(app))
    finally:
        app.close()
    return 0


def bootstrap_hub() -> Any:
    from hub.bootstrap import bootstrap

    return bootstrap()


def _discard_dead(app: Any) -> None:
    from hub.store import discard_dead_connections

    discard_dead_connections(app.store.recorder)


def serving_hub() -> Any:
    """The hub of a long-running worker: it follows the log on a thread of its own, as ``hub serve`` does,
    so that its caches (the directory, the dossiers its answers are judged on) see every process's changes."""
    from hub.bootstrap import bootstrap
    from hub.young_collections import start_up_done

    hub = bootstrap(serving=True)
    hub.start(project=False)
    start_up_done()
    return hub


def _ingest(args: argparse.Namespace) -> int:
    from hub.kafka.inbound import inbounds
    from hub.kafka.ingest import IngestWorker, run_workers
    from hub.kafka.ingest_processes import default_processes, supervise

    chosen = inbounds(args.adapter)
    _observability()
    settings = _settings(args)
    stop = _stopper()
    processes = args.processes or default_processes()
    if processes > 1:
        return supervise([i.name for i in chosen], processes, stop)
    app = serving_hub()
    failed = run_workers([IngestWorker(app, settings, inbound) for inbound in chosen], stop)
    app.close()
    return 1 if failed else 0


def _relay(args: argparse.Namespace) -> int:
    from hub.kafka.relay import Relay

    _observability()
    settings, stop = _settings(args), _stopper()
    app = serving_hub()
    relay = Relay(app, settings)
    try:
        relay.run(stop)
    finally:
        relay.close()
        app.close()
    return 0


def topic_names(settings: Any, adapters: list[str], agencies: list[str]) -> list[str]:
    return [
        *(settings.inbound_topic(a) for a in adapters),
        *(settings.dead_letter_topic(a) for a in adapters),
        *(settings.outbound_topic(code) for code in agencies),
    ]


def _create_topics(args: argparse.Namespace) -> int:
    from hub.bootstrap import bootstrap
    from hub.kafka.clients import Topics
    from hub.kafka.inbound import inbound_names

    _observability()
    settings = _settings(args)
    app = bootstrap()
    names = topic_names(settings, inbound_names(), [a.code for a in app.directory.agencies()])
    app.close()
    created = Topics(settings).ensure(names)
    print(f"{len(created)} topics created, {len(names) - len(created)} existed already")
    return 0


def add_commands(commands: Any) -> None:
    project = commands.add_parser(
        "project", help="keep the per-agency views up to date with the event log (one active instance)"
    )
    project.add_argument("--interval", type=float, help="seconds between looks at the log (HUB_POLL_INTERVAL_S)")
    project.set_defaults(run=_project)

    escalate = commands.add_parser(
        "escalate", help="raise missed deadlines as events and tell the bodies concerned (one active instance)"
    )
    escalate.add_argument("--interval", type=float, help="seconds between passes (HUB_POLL_INTERVAL_S)")
    escalate.add_argument("--once", action="store_true", help="one pass, then exit")
    escalate.set_defaults(run=_escalate)

    deliver = commands.add_parser(
        "deliver", help="deliver notices by view and email, retry failures, alert when one is given up (safe twice)"
    )
    deliver.add_argument("--interval", type=float, help="seconds between looks for deliveries (HUB_DELIVERY_INTERVAL_S)")
    deliver.add_argument("--once", action="store_true", help="one pass, then exit")
    deliver.set_defaults(run=_deliver)

    ingest = commands.add_parser(
        "ingest", help="consume the agencies' Kafka topics into the hub, a poll's messages in one transaction"
    )
    ingest.add_argument(
        "--processes", type=_count, metavar="N",
        help="consumer processes, sharing each topic's partitions (HUB_INGEST_PROCESSES; default: the cores)",
    )
    ingest.add_argument(
        "--adapter", action="append", metavar="NAME",
        help="consume only this topic: an adapter, or notices (repeatable; default: every one)",
    )
    ingest.set_defaults(run=_ingest)

    relay = commands.add_parser(
        "relay", help="publish what each body may see to its Kafka topic (one active instance)"
    )
    relay.add_argument("--interval", type=float, help="seconds between looks for changes (HUB_POLL_INTERVAL_S)")
    relay.set_defaults(run=_relay)

    kafka = commands.add_parser("kafka", help="Kafka administration").add_subparsers(dest="action", required=True)
    create = kafka.add_parser(
        "create-topics", help="create the inbound, dead-letter and outbound topics that do not exist yet"
    )
    create.add_argument("--partitions", type=int, help="partitions per topic (HUB_KAFKA_PARTITIONS, default 6)")
    create.add_argument("--replication-factor", type=int, help="replicas per partition (HUB_KAFKA_REPLICATION_FACTOR)")
    create.set_defaults(run=_create_topics)
    add_check_command(commands)


def _check(args: argparse.Namespace) -> int:
    """A worker container's health check: the store answers, the broker too where the worker needs it, and
    the worker's loop beat within ``--within`` seconds (``HUB_HEARTBEAT_PATH``); 0 healthy, 1 not."""
    from hub.observability.heartbeat import FILE_ENV, age
    from hub.observability.readiness import Check, broker_answers, store_answers

    found = [store_answers(os.environ)]
    if args.kind in BROKER_WORKERS:
        found.append(broker_answers(os.environ.get("HUB_KAFKA_BOOTSTRAP") or _settings(args).bootstrap))
    heartbeat = os.environ.get(FILE_ENV)
    if heartbeat:
        since = age(heartbeat)
        alive = since is not None and since <= args.within
        said = "never" if since is None else f"{since:.0f} s ago"
        found.append(Check("heartbeat", alive, f"the {args.kind} loop last beat {said} (bound {args.within:.0f} s)"))
    for check in found:
        print(f"{'ok ' if check.ok else 'FAIL'} {check.name}: {check.detail}")
    return 0 if all(c.ok for c in found) else 1


BROKER_WORKERS = ("relay", "ingest")


def add_check_command(commands: Any) -> None:
    check = commands.add_parser(
        "check", help="a worker container's health check: store, broker, heartbeat (exit 0 healthy, 1 not)"
    )
    check.add_argument("kind", choices=["project", "relay", "ingest", "escalate", "deliver", "seal", "retention"])
    check.add_argument("--within", type=float, default=120.0, metavar="SECONDS",
                       help="the longest time since the worker's loop last beat (HUB_HEARTBEAT_PATH)")
    check.set_defaults(run=_check)
