"""What sending a relay round as a Kafka transaction costs, next to the same round sent as before, in one run.

    .venv/bin/python -m bench.relay_rounds [--rounds 200] [--messages 30] [--topics 6]

A round is what the relay hands the broker (hub/kafka/relay.py): ``--messages`` snapshots of about 2 KB, keyed
by child, spread over ``--topics`` outbound topics. The baseline sends it with the producer the relay used
before (``producer_config``: send, flush, look at every acknowledgement); the figure with the relay's own
producer (``fencing_producer``: begin a transaction, the same, then commit). The two alternate in blocks of
ten rounds, so that the machine's load falls on both alike. Prints rounds/s and the CPU time of this process
per round for both and their ratios, and what a takeover's ``init_transactions`` takes; writes
bench/results/relay_rounds.json.

The broker is Tansu, started here, unless HUB_KAFKA_BOOTSTRAP names one (bench/kafka_ingest.py). A benchmark,
not a test.
"""

from __future__ import annotations

import argparse
import statistics
import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from kafka import KafkaProducer

from bench.common import write_results
from bench.kafka_ingest import Broker
from hub.kafka.clients import Topics, close_producer, fencing_producer, producer
from hub.kafka.settings import KafkaSettings

BLOCK = 10  # rounds of one kind before the other's turn
VALUE = b'{"records":[' + b'{"record":"' + b"x" * 2000 + b'"}' + b"]}"


def _round(client: KafkaProducer, transactional: bool, topics: list[str], messages: int) -> None:
    if transactional:
        client.begin_transaction()
    futures = [
        client.send(topics[i % len(topics)], key=uuid.uuid4().hex.encode(), value=VALUE) for i in range(messages)
    ]
    client.flush(timeout=60)
    for future in futures:
        future.get(timeout=0)
    if transactional:
        client.commit_transaction()


def _timed(work: Callable[[], None]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def run(settings: KafkaSettings, rounds: int, messages: int, topics: int) -> dict[str, Any]:
    names = [settings.outbound_topic(f"bench-{i}") for i in range(topics)]
    Topics(settings).ensure(names)
    clients = {False: producer(settings), True: fencing_producer(settings)}
    spent: dict[bool, list[tuple[float, float]]] = {False: [], True: []}
    try:
        for kind in clients:  # connections and metadata, not measured
            _round(clients[kind], kind, names, messages)
        for block in range(0, rounds, BLOCK):
            for kind in (False, True) if block % (2 * BLOCK) == 0 else (True, False):
                for _ in range(min(BLOCK, rounds - block)):
                    spent[kind].append(_timed(lambda kind=kind: _round(clients[kind], kind, names, messages)))
        takeovers = [_timed(lambda: close_producer(fencing_producer(settings)))[0] for _ in range(5)]
    finally:
        for client in clients.values():
            close_producer(client)

    def per_round(kind: bool) -> dict[str, float]:
        walls, cpus = [w for w, _ in spent[kind]], [c for _, c in spent[kind]]
        return {"rounds_per_s": round(len(walls) / sum(walls), 1), "cpu_ms_per_round": round(1000 * statistics.mean(cpus), 2)}

    plain, fenced = per_round(False), per_round(True)
    return {
        "plain": plain,
        "transactional": fenced,
        "rate_ratio": round(fenced["rounds_per_s"] / plain["rounds_per_s"], 2),
        "cpu_ratio": round(fenced["cpu_ms_per_round"] / plain["cpu_ms_per_round"], 2),
        "takeover_init_ms_median": round(1000 * statistics.median(takeovers), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--messages", type=int, default=30)
    parser.add_argument("--topics", type=int, default=6)
    args = parser.parse_args()
    broker = Broker()
    try:
        settings = replace(broker.settings, prefix=f"bench{uuid.uuid4().hex[:8]}")
        result = run(settings, args.rounds, args.messages, args.topics)
    finally:
        broker.stop()
    plain, fenced = result["plain"], result["transactional"]
    print(f"plain producer        {plain['rounds_per_s']:>7.1f} rounds/s   {plain['cpu_ms_per_round']:>6.2f} ms CPU/round")
    print(f"transactional (relay) {fenced['rounds_per_s']:>7.1f} rounds/s   {fenced['cpu_ms_per_round']:>6.2f} ms CPU/round")
    print(f"ratio: rate {result['rate_ratio']:.2f}, CPU {result['cpu_ratio']:.2f}; "
          f"a takeover's init_transactions: {result['takeover_init_ms_median']:.1f} ms (median of 5)")
    path = write_results("relay_rounds", rounds=args.rounds, messages=args.messages, topics=args.topics,
                         broker=broker.name, results=result)
    print(f"written to {path}")


if __name__ == "__main__":
    main()
