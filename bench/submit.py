"""Referral submission end to end over HTTP, next to the library saving the same aggregates and a raw
SQL insert of the same bytes, at 1, 8 and 64 concurrent clients.

The API runs as deployed (bench/serve.py: uvicorn, FastAPI's thread pool) in a process of its
own, on the dataset's store. The clients are asyncio tasks on one httpx client here, each
sending its next referral when the last is answered: validation, routing, the append (a
referral and a new child), the projection and the recorded read of the answer, a 201 with
the record. Every referral is about a different child, with its own Idempotency-Key.

To show where the time goes, the hub's own ``save`` of the same aggregates (sealed, indexed,
chained) is measured from as many threads on the dataset's store, with group commit on and off.

The baselines run in this process, on a fresh store of the same kind, with as many threads as
there are clients:
- the library: a bare eventsourcing ``Application`` saving the same aggregates (a referral and
  its child, prepared by the hub's referral service beforehand), no encryption, index or chain;
- raw SQL: one transaction per referral inserting its stored events' bytes (as the hub seals
  them) into a table with the library's key, on a connection per thread.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import psycopg
from eventsourcing.application import Application
from eventsourcing.persistence import JSONTranscoder, StoredEvent

from bench.common import Row, fresh_store
from bench.dataset import ADMIN, CITIES, Dataset, dataset, inspector, referral_content
from bench.inbox import percentiles
from hub.bootstrap import Hub, bootstrap
from hub.services.referrals import ReferralRequest
from hub.store import setting_up, store_env
from hub.transcodings import ActorAsDict, DateAsISO

CLIENTS = (1, 8, 64)
WARMUP_S = 2.0
MEASURE_S = 8.0
BASELINE_SAVES = {1: 300, 8: 800, 64: 2000}  # referrals per baseline run
TARGETS = {("postgres", 64): 1000.0, ("sqlite", 64): 2000.0}  # referrals/s


@contextmanager
def api(ds: Dataset) -> Iterator[str]:
    """The API serving the dataset's store from a process of its own; yields its base URL."""
    # Throughput is measured from one token and one address, thousands a second: far over the rate limits a
    # deployment sets for one client (docs/decisions/0022), which would measure the limits instead.
    unlimited = {"HUB_RATE_LIMIT_PER_TOKEN": "off", "HUB_RATE_LIMIT_PER_ADDRESS": "off"}
    server = subprocess.Popen(
        [sys.executable, "-m", "bench.serve"], env={**os.environ, **ds.store.env, **unlimited},
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        line = server.stdout.readline() if server.stdout else ""
        if not line.startswith("ready "):
            raise RuntimeError(f"the API did not start: {line!r}")
        yield line.split()[1]
    finally:
        if server.stdin:
            server.stdin.close()
        server.wait(timeout=60)


def _bodies(rng: random.Random, count: int) -> list[tuple[str, bytes]]:
    cities = list(CITIES)
    out = []
    for n in range(count):
        city = cities[n % len(cities)]
        out.append((city.value, json.dumps(referral_content(rng, city).model_dump(mode="json")).encode()))
    return out


async def _load(url: str, tokens: dict[str, str], clients: int, bodies: list[tuple[str, bytes]], tag: str
                ) -> tuple[int, list[float]]:
    """``clients`` loops posting referrals; the answers received in MEASURE_S after the warm-up, and their latencies."""
    latencies: list[float] = []
    done = 0
    feed = iter(enumerate(bodies))
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=120) as http:
        start = time.perf_counter()
        measure_from, measure_to = start + WARMUP_S, start + WARMUP_S + MEASURE_S

        async def client() -> None:
            nonlocal done
            while (now := time.perf_counter()) < measure_to:
                n, (city, body) = next(feed)
                response = await http.post("/v1/referrals", content=body, headers={
                    "Authorization": f"Bearer {tokens[city]}", "Idempotency-Key": f"{tag}-{n}",
                    "Content-Type": "application/json"})
                if response.status_code != 201:
                    raise RuntimeError(f"submission refused: {response.status_code} {response.text[:300]}")
                end = time.perf_counter()
                if measure_from <= end <= measure_to:
                    latencies.append(end - now)
                    done += 1

        await asyncio.gather(*(client() for _ in range(clients)))
    return done, latencies


class _Library(Application):
    """The library alone, able to store the hub's aggregates (their actors and dates)."""

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(ActorAsDict())
        transcoder.register(DateAsISO())


def _in_threads(threads: int, work: list[Any], call: Callable[[Any], None]) -> tuple[float, list[float]]:
    """``work`` shared out to ``threads`` threads, each item timed; referrals per second and latencies."""
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


def _prepared(ds: Dataset, rng: random.Random, count: int) -> list[list[Any]]:
    """The aggregates ``count`` submissions would save (a referral and its child each), unsaved."""
    cities = list(CITIES)
    out = []
    for n in range(count):
        city = cities[n % len(cities)]
        request = ReferralRequest(referral_content(rng, city), idempotency_key=f"baseline-{rng.random()}")
        _, changed = ds.app.prepare_referrals(inspector(city), [request])
        out.append(changed)
    return out


def _hub_saves(ds: Dataset, threads: int, work: list[list[Any]], group_commit: str) -> tuple[float, list[float]]:
    """The hub's own save of the same aggregates (sealed, indexed, chained), on the dataset's store."""
    hub = bootstrap({**ds.store.env, "HUB_GROUP_COMMIT": group_commit})
    try:
        return _in_threads(threads, work, lambda aggregates: hub.store.save(*aggregates))
    finally:
        hub.close()


def _library(store: str, threads: int, work: list[list[Any]]) -> tuple[float, list[float]]:
    with fresh_store(store) as place:
        env = store_env(place.env)
        with setting_up(env):  # creates the PostgreSQL schema
            library = _Library(env)
        try:
            return _in_threads(threads, work, lambda aggregates: library.save(*aggregates))
        finally:
            library.close()


_RAW_TABLE = {
    "postgres": "CREATE TABLE raw_events (originator_id uuid, originator_version bigint, topic text, state bytea, "
                "PRIMARY KEY (originator_id, originator_version))",
    "sqlite": "CREATE TABLE raw_events (originator_id text, originator_version integer, topic text, state blob, "
              "PRIMARY KEY (originator_id, originator_version))",
}


def _raw(store: str, threads: int, work: list[list[StoredEvent]]) -> tuple[float, list[float]]:
    with fresh_store(store) as place:
        env = store_env(place.env)
        local = threading.local()
        if store == "postgres":
            conninfo, options = place.url.split("?")[0], f"-c search_path={env['POSTGRES_SCHEMA']}"

            def connect() -> Any:
                return psycopg.connect(conninfo, options=options)

            def transaction(conn: Any) -> Any:
                return conn.transaction()

            insert = "INSERT INTO raw_events VALUES (%s, %s, %s, %s)"
        else:

            def connect() -> Any:
                conn = sqlite3.connect(env["SQLITE_DBNAME"], timeout=60)
                conn.execute("PRAGMA journal_mode=WAL")
                return conn

            def transaction(conn: Any) -> Any:
                return conn  # sqlite3: commits on leaving

            insert = "INSERT INTO raw_events VALUES (?, ?, ?, ?)"
        with setting_up(env):  # creates the PostgreSQL schema
            setup = connect()
        with transaction(setup):
            setup.execute(_RAW_TABLE[store])
        setup.close()

        def one(events: list[StoredEvent]) -> None:
            if not hasattr(local, "conn"):
                local.conn = connect()
            with transaction(local.conn):
                local.conn.cursor().executemany(insert, [
                    (e.originator_id if store == "postgres" else e.originator_id.hex, e.originator_version, e.topic,
                     e.state) for e in events])

        return _in_threads(threads, work, one)


def _latency_note(latencies: list[float]) -> str:
    figures = percentiles(latencies)
    return f"p50 {figures['p50_ms']} / p95 {figures['p95_ms']} / p99 {figures['p99_ms']} ms"


def run(scale: int, store: str) -> list[Row]:
    ds = dataset(store, scale)
    ds.app.views.catch_up()  # built by the catch-up benchmark when it ran first; not timed here
    rng = random.Random(scale)
    tokens = {city.value: ds.app.issue_token(ADMIN, inspector(city), None) for city in CITIES}
    bodies = _bodies(rng, 30_000)
    http: dict[int, tuple[float, list[float]]] = {}
    with api(ds) as url:
        for clients in CLIENTS:
            done, latencies = asyncio.run(_load(url, tokens, clients, bodies[:], f"http-{clients}-{rng.random()}"))
            http[clients] = done / MEASURE_S, latencies
    rows = []  # the baselines after the API has stopped: PostgreSQL allows 100 connections in all
    for clients in CLIENTS:
        rate, latencies = http[clients]
        library, library_latencies = _library(store, clients, _prepared(ds, rng, BASELINE_SAVES[clients]))
        sealed = [[ds.app.mapper.to_stored_event(e) for a in aggregates for e in a.collect_events()]
                  for aggregates in _prepared(ds, rng, BASELINE_SAVES[clients])]
        raw, raw_latencies = _raw(store, clients, sealed)
        grouped, grouped_latencies = _hub_saves(ds, clients, _prepared(ds, rng, BASELINE_SAVES[clients]), "on")
        serial, _ = _hub_saves(ds, clients, _prepared(ds, rng, BASELINE_SAVES[clients]), "off")
        target = TARGETS.get((store, clients))
        name = f"submit over HTTP, {clients} client{'s' if clients > 1 else ''}"
        rows.append(Row(name, scale, store, rate, "referrals/s", f"library app.store.save, {clients} threads", library,
                        target=target, note=f"HTTP {_latency_note(latencies)}; library {_latency_note(library_latencies)}"))
        rows.append(Row(name, scale, store, rate, "referrals/s", f"raw SQL insert, {clients} threads", raw,
                        target=target, note=f"raw SQL {_latency_note(raw_latencies)}"))
        rows.append(Row(f"hub app.store.save of the same, {clients} thread{'s' if clients > 1 else ''}", scale, store,
                        grouped, "referrals/s", "the same, group commit off", serial,
                        note=f"group commit {_latency_note(grouped_latencies)}"))
    return rows
