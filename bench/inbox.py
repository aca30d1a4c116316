"""Inbox query latency with many cases, next to the bare SQL query on the same table.

    .venv/bin/python -m bench.inbox --cases 100000 --store postgres

Fills the inbox of four centres with N cases and referrals (each child with its
own data key, the names sealed as in production), then times the hub's inbox
call (catch-up, query, unsealing, the recorded read) for every queue, and the
bare ``SELECT ... ORDER BY due_at LIMIT 51`` on the same rows. Prints p50/p95/p99
and the ratio; writes bench/results/inbox-<store>.json. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import statistics
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

import psycopg

from hub import clock
from hub.actor import Actor
from hub.aggregates.vocabulary import BodyKind, City
from hub.audit.signing_key import new_checkpoint_key
from hub.bootstrap import Hub, bootstrap
from hub.inbox.item import InboxItem, utc_iso
from hub.inbox.store import TABLES

CENTRES = [("cam-almaty", City.ALMATY), ("cam-shymkent", City.SHYMKENT), ("cam-turkestan", City.TURKESTAN_OBLAST),
           ("csc-astana", City.ASTANA)]
WORKERS = [f"sw-{n:02d}" for n in range(50)]
STATES = ["intake", "initial_assessment", "social_assessment", "cp_meeting_pending", "cp_plan_active",
          "care_plan_pending_approval", "care_plan_active", "awaiting_support_referral"]
QUERIES = 200
POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"


QUEUES = ("new", "mine", "cases", "due_soon", "overdue", "awaiting")
BARE_SQL = (
    "SELECT agency, item_type, item_id, child_id, child_name, state, social_worker, awaiting, deadline_id, "
    "deadline_title, deadline_rule, due_at, updated_at FROM {hub_inbox} WHERE agency = ? "
    "ORDER BY due_at, item_id LIMIT 51"
)


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000  # noqa: E731
    return {"p50_ms": round(pick(0.50), 2), "p95_ms": round(pick(0.95), 2), "p99_ms": round(pick(0.99), 2),
            "mean_ms": round(statistics.fmean(ordered) * 1000, 2)}


def _fill(hub: Hub, cases: int) -> None:
    rng = random.Random(7)
    now = clock.now()
    admin = Actor("hub", "admin", "bench")
    for code, city in CENTRES:
        hub.directory.register_agency(admin, code, code, BodyKind.CSC if code.startswith("csc") else BodyKind.CAM, city)
    hub.views.catch_up()
    chunk: list[InboxItem] = []
    for n in range(cases):
        agency = CENTRES[n % len(CENTRES)][0]
        is_referral = n % 10 == 0
        due = now + timedelta(hours=rng.randint(-24 * 30, 24 * 60))
        chunk.append(InboxItem(
            agency=agency, item_type="referral" if is_referral else "case", item_id=str(uuid.uuid4()),
            child_id=str(uuid.uuid4()), child_name=f"Child {n}", state="submitted" if is_referral else rng.choice(STATES),
            social_worker=None if is_referral else rng.choice(WORKERS),
            awaiting="approval: gta" if not is_referral and n % 7 == 0 else None,
            deadline_id="D12b", deadline_title="Initial assessment within 72 hours", deadline_rule="cam-csc-manual 8.3.3",
            due_at=utc_iso(due), updated_at=utc_iso(now - timedelta(minutes=n)),
        ))
        if len(chunk) == 2000 or n == cases - 1:
            write = hub.views.inbox.replacing([], chunk)
            with hub.views.store.sql.transaction() as cursor:
                write(cursor)
            chunk = []


def timed(call, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return samples


def time_inbox(hub: Hub, manager: Actor, repeat: int) -> dict[str, dict[str, float]]:
    """The bare query on the manager's agency, then the hub's inbox for every queue: p50/p95/p99 each."""
    baseline = percentiles(timed(lambda: hub.views.store.sql.query(BARE_SQL, TABLES, [manager.agency]), repeat))
    results = {"baseline_sql": baseline}
    for queue in QUEUES:
        figures = percentiles(timed(lambda q=queue: hub.inbox.inbox(manager, q), repeat))
        figures["ratio_p95_to_sql"] = round(figures["p95_ms"] / max(baseline["p95_ms"], 0.01), 1)
        results[f"inbox_{queue}"] = figures
    return results


def run(store: str, cases: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        if store == "postgres":
            schema = f"bench_inbox_{uuid.uuid4().hex[:8]}"
            url = f"{POSTGRES}?schema={schema}"
        else:
            url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        hub = bootstrap({"HUB_DATABASE_URL": url, "HUB_MASTER_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),
                         "HUB_CHECKPOINT_KEY": new_checkpoint_key()})
        started = time.perf_counter()
        _fill(hub, cases)
        fill_seconds = time.perf_counter() - started
        manager = Actor("cam-almaty", "manager", "sw-07")
        results: dict[str, object] = {"store": store, "cases": cases, "fill_seconds": round(fill_seconds, 1)}
        results.update(time_inbox(hub, manager, QUERIES))
        hub.close()
        if store == "postgres":
            with psycopg.connect(POSTGRES, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--store", choices=["postgres", "sqlite"], default="postgres")
    args = parser.parse_args()
    results = run(args.store, args.cases)
    print(f"inbox with {args.cases:,} items on {args.store} (filled in {results['fill_seconds']} s), {QUERIES} queries each")
    print(f"{'query':<22}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'p95 / SQL':>11}")
    for name, figures in results.items():
        if isinstance(figures, dict):
            ratio = figures.get("ratio_p95_to_sql", 1.0)
            print(f"{name:<22}{figures['p50_ms']:>9}{figures['p95_ms']:>9}{figures['p99_ms']:>9}{ratio:>11}")
    target = max(v["p95_ms"] for k, v in results.items() if k.startswith("inbox_") and isinstance(v, dict))
    print(f"worst inbox p95: {target} ms (target: under 50 ms)")
    out = Path(__file__).parent / "results" / f"inbox-{args.store}.json"
    out.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
