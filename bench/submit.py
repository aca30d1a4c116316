"""Referral submission over HTTP at 1, 8 and 64 concurrent clients, next to the library saving a small
aggregate from as many threads and to an empty route of the same shape, all in the same run; and, in
process, what one submission asks of the store and what its answer costs after 100 earlier referrals.

- **The API** runs as deployed, ``hub serve --workers N`` (bench/serve.py: N = the cores), on the dataset's
  store, with ``HUB_SERVE_PROJECTS=no``: the views are kept up to date apart (``hub project``, measured by
  the catch-up benchmark), as deploy/ runs them.
- **The clients** are bench/load.py, a lean keep-alive HTTP client in a process of its own, sending whole
  requests prepared beforehand: every referral about a different child, with its own Idempotency-Key. Its
  CPU time per answer is reported next to the server's, to show that it is not what is measured.
- **The ceiling**: ``POST /bench/empty`` (bench/serve.py), the submission's route without the hub's work,
  driven by the same generator with the same bodies and tokens, just before the submissions.
- **The one-client ceiling**: the empty route's round trip and one library save, added, as the most a
  submission could answer one client with; its ratio to the library is the most the submission's can be.
- **The baseline**: a bare eventsourcing ``Application`` saving a small aggregate (one event, one short
  field), from as many threads as there are clients, on a fresh store of the same kind, with the library's
  own pool settings, just before the HTTP runs of the same number of clients.
- **Statements**: one submission of a referral about a new child, with its answer, counted by the store's
  own tracing (hub/statement_count.py; tests/test_work_per_command.py pins the number).
- **An answer after 100 referrals**: ``submit_referral(..., child_id=..., reply=Reply(...))`` timed for
  the 1st referral naming a child and for the 101st naming the same child (the 99 between them saved in
  one transaction, so that the two are timed a moment apart); the medians over many children. In process,
  on a hub built as a serving worker builds it (its follower not started, so that only the command's own
  work is timed).
"""

from __future__ import annotations

import json
import os
import pickle
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate

from bench.common import Row, fresh_store
from bench.dataset import ADMIN, CITIES, Dataset, dataset, inspector, referral_content
from bench.inbox import percentiles
from hub.aggregates.vocabulary import City
from hub.api.capacity import default_workers
from hub.bootstrap import Hub, bootstrap
from hub.services.commit import Reply
from hub.services.referrals import ReferralRequest
from hub.statement_count import counted
from hub.store import setting_up, store_env

CLIENTS = (1, 8, 64)
WORKERS = default_workers()
WARMUP_S = 2.0
MEASURE_S = float(os.environ.get("BENCH_MEASURE_S", "8"))  # shorter while developing
REQUESTS = int(3_000 * (WARMUP_S + MEASURE_S))  # prepared per HTTP run: more than the fastest run answers
LIBRARY_SAVES = {1: 1000, 8: 2000, 64: 3000}
RATIO = 0.5  # the issue's floor: HTTP submission over the library's save, same run
ANSWER_PAIRS = 25  # children named by 101 referrals each, for the answer's cost
EARLIER = 100
STATEMENTS_PINNED = 16  # tests/test_work_per_command.py PER_SUBMISSION: one number, kept in step
START_S = 240.0


class Small(Aggregate):
    """The library baseline's aggregate: created, with one short field."""

    def __init__(self, note: str) -> None:
        self.note = note


@dataclass(frozen=True)
class Api:
    url: str
    pids: list[int]  # the supervisor and its workers

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])


@contextmanager
def api(ds: Dataset, log: Path) -> Iterator[Api]:
    """``hub serve --workers N`` with the benchmark's routes, on the dataset's store; yields its URL and pids.
    Its output (the workers' access log among it) goes to ``log``."""
    # Throughput is measured from one address, thousands a second: far over the rate limits a deployment sets
    # for one client (docs/decisions/0022), which would measure the limits instead.
    settings = {"HUB_RATE_LIMIT_PER_TOKEN": "off", "HUB_RATE_LIMIT_PER_ADDRESS": "off", "HUB_SERVE_PROJECTS": "no"}
    ready = log.with_name(f"{log.name}.ready")
    ready.unlink(missing_ok=True)
    with log.open("ab") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "bench.serve", "--ready", str(ready), "--workers", str(WORKERS)],
            env={**os.environ, **ds.store.env, **settings}, stdin=subprocess.PIPE, stdout=out, stderr=out,
        )
    try:
        deadline = time.monotonic() + START_S
        while not ready.exists():
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the API did not start; see {log}")
            time.sleep(0.2)
        url, workers = ready.read_text().split()
        yield Api(url, [server.pid, *map(int, workers.split(","))])
    finally:
        if server.stdin:
            server.stdin.close()
        server.wait(timeout=120)


def _requests(path: str, tokens: dict[City, str], rng: random.Random, tag: str, host: str) -> list[bytes]:
    """Whole HTTP requests, each a referral about a new child with its own key, cycling over the cities."""
    cities = list(CITIES)
    out = []
    for n in range(REQUESTS):
        city = cities[n % len(cities)]
        body = json.dumps(referral_content(rng, city).model_dump(mode="json")).encode()
        out.append(
            f"POST {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {tokens[city]}\r\n"
            f"Idempotency-Key: {tag}-{n}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
            .encode() + body
        )
    return out


def _drive(server: Api, requests: list[bytes], clients: int, expect: int, scratch: Path) -> dict[str, Any]:
    """bench/load.py against the API: its result (rate, latencies, CPU per answer of each side)."""
    requests_file, spec_file = scratch / "requests.pickle", scratch / "spec.json"
    requests_file.write_bytes(pickle.dumps(requests))
    spec_file.write_text(json.dumps({
        "host": "127.0.0.1", "port": server.port, "connections": clients, "warmup_s": WARMUP_S,
        "measure_s": MEASURE_S, "requests_file": str(requests_file), "expect": expect, "workers": WORKERS,
        "worker_path": "/bench/worker", "server_pids": server.pids,
    }))
    done = subprocess.run([sys.executable, "-m", "bench.load", str(spec_file)], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"the load generator failed: {done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout)
    if result["failure"]:
        raise RuntimeError(f"an answer was not {expect}: {result['statuses']} {result['failure']}")
    return result


class _Library(Application):
    """The library alone, as it ships."""


def _library(store: str, threads: int) -> tuple[float, list[float]]:
    """The library's save of a small aggregate from ``threads`` threads, on a fresh store of the kind."""
    with fresh_store(store) as place:
        env = store_env(place.env)
        with setting_up(env):  # creates the PostgreSQL schema
            library = _Library(env)
        try:
            work = [Small(note=f"note {n}") for n in range(LIBRARY_SAVES[threads])]
            return _in_threads(threads, work, library.save)
        finally:
            library.close()


def _in_threads(threads: int, work: list[Any], call: Callable[[Any], Any]) -> tuple[float, list[float]]:
    """``work`` shared out to ``threads`` threads, each item timed; items per second and latencies."""
    latencies: list[float] = []
    items = iter(work)
    lock = threading.Lock()

    def loop() -> None:
        while True:
            with lock:
                item = next(items, None)
            if item is None:
                return
            began = time.perf_counter()
            call(item)
            latencies.append(time.perf_counter() - began)

    pool = [threading.Thread(target=loop) for _ in range(threads)]
    started = time.perf_counter()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return len(work) / (time.perf_counter() - started), latencies


def _serving(ds: Dataset) -> Hub:
    """A hub as a worker of ``hub serve`` builds it, without starting its follower: the command's work alone."""
    return bootstrap(ds.store.env, serving=True)


def _statements(ds: Dataset, scale: int, store: str, rng: random.Random) -> list[Row]:
    hub = _serving(ds)
    try:
        actor, city = inspector(City.ALMATY), City.ALMATY
        hub.referrals.submit_referral(actor, referral_content(rng, city), f"warm-{rng.random()}", reply=Reply("submit"))
        with counted(hub.store.factory.datastore) as statements:
            hub.referrals.submit_referral(actor, referral_content(rng, city), f"count-{rng.random()}", reply=Reply("submit"))
    finally:
        hub.close()
    return [Row("statements per submission (a new child, with its answer)", scale, store, statements.count,
                "statements", target=STATEMENTS_PINNED, higher_is_better=False,
                note=f"{statements.commits} commit; tests/test_work_per_command.py pins {STATEMENTS_PINNED}")]


def _answer_cost(ds: Dataset, scale: int, store: str, rng: random.Random) -> list[Row]:
    """The 1st and the 101st referral naming the same child, timed, for many children."""
    hub = _serving(ds)
    actor, city = inspector(City.ALMATY), City.ALMATY

    def naming(child: UUID) -> float:
        # An untimed referral about another child first, before the 1st and the 101st alike: on SQLite the
        # batch of 99 fills the write-ahead log, and the checkpoint it makes due fell on the next commit (a
        # quarter of a millisecond of the 101st's, profiled), which is the store's work after a large write,
        # not what a child's history costs its next answer.
        hub.referrals.submit_referral(actor, referral_content(rng, city), f"between-{rng.random()}")
        reply = Reply("submit")
        content, key = referral_content(rng, city), f"naming-{rng.random()}"
        began = time.perf_counter()
        hub.referrals.submit_referral(actor, content, key, child_id=child, reply=reply)
        return time.perf_counter() - began

    first: list[float] = []
    later: list[float] = []
    try:
        for _ in range(ANSWER_PAIRS):
            child = hub.referrals.submit_referral(actor, referral_content(rng, city), f"child-{rng.random()}").referral.child_id
            first.append(naming(child))
            hub.referrals.submit_referrals(actor, [  # the 2nd to the 100th naming it, in one transaction
                ReferralRequest(referral_content(rng, city), f"earlier-{rng.random()}", child_id=child)
                for _ in range(EARLIER - 1)])
            later.append(naming(child))
    finally:
        hub.close()
    first_ms, later_ms = statistics.median(first) * 1000, statistics.median(later) * 1000
    return [Row("answer to the 1st referral naming a child", scale, store, first_ms, "ms median",
                f"the {EARLIER + 1}st naming the same child (median)", later_ms, higher_is_better=False,
                ratio_target=round(1 / 1.2, 3),
                note=f"{ANSWER_PAIRS} children, in process; ratio ≥ 0.83 means the {EARLIER + 1}st costs at most 1.2 × "
                     f"the 1st; 1st p95 {percentiles(first)['p95_ms']} ms, {EARLIER + 1}st p95 "
                     f"{percentiles(later)['p95_ms']} ms")]


def _note(result: dict[str, Any]) -> str:
    return (f"p50 {result['p50_ms']} / p95 {result['p95_ms']} / p99 {result['p99_ms']} ms; CPU per answer: server "
            f"{result['server_cpu_ms']} ms, load generator {result['generator_cpu_ms']} ms, machine "
            f"{result['machine_busy_ms']} ms; connections per worker {list(result['spread'].values())}; "
            f"load {result['load_average'][0]:.2f}")


def _one_client_ceiling(scale: int, store: str, empty: float, library: float, baseline: str) -> Row:
    """The most any submission could answer one client with, on this machine and stack, next to the library.

    One client waits for each answer before it sends the next, so the times of what an answer needs add up: at
    the least the empty route's round trip (the stack: connection, token, permission, body, answer) and one save
    through the same library. Whatever the hub's own work, its ratio cannot pass this one's.
    """
    ceiling = 1 / (1 / empty + 1 / library)
    return Row("ceiling for a submission, 1 client: the empty route's round trip plus one library save", scale, store,
               ceiling, "answers/s", baseline, library, ratio_target=RATIO,
               note="at one client the two times add up; SHORT here means the floor cannot be met on this machine")


def run(scale: int, store: str) -> list[Row]:
    ds = dataset(store, scale)
    ds.app.views.catch_up()  # built by the catch-up benchmark when it ran first; not timed here
    rng = random.Random(scale)
    rows = _statements(ds, scale, store, rng) + _answer_cost(ds, scale, store, rng)
    tokens = {city: ds.app.tokens.issue_token(ADMIN, inspector(city), None) for city in CITIES}
    with tempfile.TemporaryDirectory() as scratch_dir:
        scratch = Path(scratch_dir)
        with api(ds, Path(os.environ.get("BENCH_API_LOG") or scratch / "api.log")) as server:
            for clients in CLIENTS:
                library, library_latencies = _library(store, clients)
                tag = f"{clients}-{rng.random()}"
                empty = _drive(server, _requests("/bench/empty", tokens, rng, f"empty-{tag}", "hub"), clients, 201, scratch)
                submit = _drive(server, _requests("/v1/referrals", tokens, rng, f"http-{tag}", "hub"), clients, 201,
                                scratch)
                plural = "s" if clients > 1 else ""
                baseline = f"library save of a small aggregate, {clients} thread{plural}"
                rows.append(Row(f"submit over HTTP, {clients} client{plural}", scale, store, submit["rate"],
                                "referrals/s", baseline, library, ratio_target=RATIO,
                                note=f"{_note(submit)}; library p50 {percentiles(library_latencies)['p50_ms']} ms"))
                rows.append(Row(f"empty route of the same shape, {clients} client{plural}", scale, store, empty["rate"],
                                "answers/s", baseline, library, note=_note(empty)))
                rows.append(Row(f"submit over HTTP against the empty route, {clients} client{plural}", scale, store,
                                submit["rate"], "referrals/s", "empty route of the same shape", empty["rate"]))
                if clients == 1:
                    rows.append(_one_client_ceiling(scale, store, empty["rate"], library, baseline))
    return rows


def main() -> None:
    """``python -m bench.submit [--scale N] [--store sqlite|postgres|both]``: this benchmark alone."""
    import argparse

    from bench.common import table, write
    from bench.dataset import release

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--scale", type=int, default=10_000)
    parser.add_argument("--store", choices=["postgres", "sqlite", "both"], default="both")
    args = parser.parse_args()
    rows: list[Row] = []
    load_at_start = os.getloadavg()
    for store in ("postgres", "sqlite") if args.store == "both" else (args.store,):
        rows += run(args.scale, store)
        release(store, args.scale)
    print(table(rows))
    print(f"written to {write('submit', rows, load_at_start=load_at_start, workers=WORKERS)}")


if __name__ == "__main__":
    main()
