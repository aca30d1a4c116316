"""A lean HTTP/1.1 load generator, in a process of its own, so that the benchmark measures the server.

    python -m bench.load SPEC.json    # prints one JSON result on stdout

It keeps ``connections`` keep-alive connections busy, each sending its next request as soon as the last is
answered (a closed loop, as the benchmark's clients are), for ``warmup_s`` and then ``measure_s`` seconds,
and counts the answers completed in the measured window. The requests are whole HTTP requests prepared
before it starts (bench/submit.py writes them, each with its own body and Idempotency-Key), so that per
request it does only a send, a receive and a look for the end of the answer: no HTTP library, no parsing
of what it does not need.

What it costs is reported beside what the server costs: the generator's own CPU time over the measured
window, and that of the server's processes (``server_pids``, from /proc), each per answer; with the
machine's busy time per answer, which includes the database.

Before the load, each connection asks ``worker_path`` which worker process accepted it, and a connection
is opened again while a worker holds more than its share (``workers``): a balancer in front of the workers
spreads its connections, where the kernel would leave a persistent connection wherever it landed first.
"""

from __future__ import annotations

import gc
import json
import math
import os
import pickle
import selectors
import socket
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TICKS = os.sysconf("SC_CLK_TCK")
BALANCE_TRIES = 200
DRAIN_S = 120.0


@dataclass
class Spec:
    host: str
    port: int
    connections: int
    warmup_s: float
    measure_s: float
    requests_file: str  # a pickled list of whole requests (bytes)
    expect: int  # the status every answer must have
    workers: int = 1
    worker_path: str = ""  # answers {"pid": ...}; empty: no balancing
    server_pids: list[int] = field(default_factory=list)


@dataclass
class Connection:
    sock: socket.socket
    worker: int
    received: bytearray = field(default_factory=bytearray)
    sent_at: float = 0.0


def _answer_length(buffer: bytearray) -> tuple[int, int] | None:
    """(status, length of the whole answer) once its head has arrived; bodies are sent with Content-Length."""
    end = buffer.find(b"\r\n\r\n")
    if end < 0:
        return None
    head = bytes(buffer[:end]).lower()
    at = head.find(b"\r\ncontent-length:")
    if at < 0:
        return int(head[9:12]), end + 4
    stop = head.find(b"\r\n", at + 2)
    return int(head[9:12]), end + 4 + int(head[at + 17:stop if stop >= 0 else len(head)])


def _exchange(sock: socket.socket, request: bytes) -> tuple[int, bytes]:
    """One request answered, blocking: for setting up, not for the load."""
    sock.sendall(request)
    buffer = bytearray()
    while (found := _answer_length(buffer)) is None or len(buffer) < found[1]:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        buffer += chunk
    status, length = found
    head_end = buffer.find(b"\r\n\r\n") + 4
    return status, bytes(buffer[head_end:length])


def _connect(spec: Spec) -> list[Connection]:
    """``connections`` connections, spread over the workers as evenly as the tries allow."""
    share = math.ceil(spec.connections / max(spec.workers, 1))
    per_worker: Counter[int] = Counter()
    out = []
    ask = f"GET {spec.worker_path} HTTP/1.1\r\nHost: {spec.host}\r\n\r\n".encode()
    for _ in range(spec.connections):
        for attempt in range(BALANCE_TRIES):
            sock = socket.create_connection((spec.host, spec.port))
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            worker = 0
            if spec.worker_path:
                status, body = _exchange(sock, ask)
                worker = json.loads(body)["pid"] if status == 200 else 0
            if per_worker[worker] < share or attempt == BALANCE_TRIES - 1:
                break
            sock.close()
        per_worker[worker] += 1
        out.append(Connection(sock, worker))
    return out


def _cpu_ticks(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total


def _machine_busy_ticks() -> int:
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(fields[:8]) - fields[3] - fields[4]  # all but idle and iowait


def _sample(spec: Spec) -> tuple[float, float, float, float]:
    own = os.times()
    return time.perf_counter(), own.user + own.system, _cpu_ticks(spec.server_pids) / TICKS, _machine_busy_ticks() / TICKS


def run(spec: Spec) -> dict[str, Any]:
    requests: list[bytes] = pickle.loads(Path(spec.requests_file).read_bytes())
    feed = iter(requests)
    connections = _connect(spec)
    spread = Counter(c.worker for c in connections)
    selector = selectors.DefaultSelector()
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    failure = ""
    gc.disable()  # no collector pauses inside the measured window
    start = time.perf_counter()
    measure_from, measure_to = start + spec.warmup_s, start + spec.warmup_s + spec.measure_s
    begun: tuple[float, float, float, float] | None = None
    ended: tuple[float, float, float, float] | None = None

    def send(connection: Connection) -> bool:
        request = next(feed, None)
        if request is None:
            return False
        connection.sent_at = time.perf_counter()
        connection.sock.sendall(request)
        return True

    for connection in connections:
        selector.register(connection.sock, selectors.EVENT_READ, connection)
        if not send(connection):
            raise RuntimeError("no requests to send")
    in_flight = len(connections)
    while in_flight:
        ready = selector.select(timeout=0.2)
        now = time.perf_counter()  # the window's edges are sampled before the answers that cross them count
        if begun is None and now >= measure_from:
            begun = _sample(spec)
        if ended is None and now >= measure_to:
            ended = _sample(spec)
        if now > measure_to + DRAIN_S:
            raise RuntimeError(f"{in_flight} answers still missing {DRAIN_S:.0f} s after the measured window")
        for key, _ in ready:
            connection: Connection = key.data
            chunk = connection.sock.recv(262144)
            if not chunk:
                raise RuntimeError("the server closed a connection")
            connection.received += chunk
            found = _answer_length(connection.received)
            if found is None or len(connection.received) < found[1]:
                continue
            status, length = found
            answered = time.perf_counter()
            statuses[status] += 1
            if status != spec.expect and not failure:
                failure = bytes(connection.received[:length]).decode(errors="replace")[-600:]
            if measure_from <= answered <= measure_to:
                latencies.append(answered - connection.sent_at)
            del connection.received[:length]
            if answered < measure_to and send(connection):
                continue
            if answered < measure_to:
                raise RuntimeError("ran out of prepared requests before the window ended: prepare more")
            selector.unregister(connection.sock)
            in_flight -= 1
    gc.enable()
    for connection in connections:
        connection.sock.close()
    if begun is None or ended is None:
        raise RuntimeError("the measured window was never reached")
    seconds = ended[0] - begun[0]
    answers = len(latencies)
    latencies.sort()

    def percentile(p: float) -> float:
        return round(1000 * latencies[min(answers - 1, int(p * answers))], 2) if answers else 0.0

    def per_answer(cpu_s: float) -> float:
        return round(1000 * cpu_s / answers, 3) if answers else 0.0

    return {
        "answers": answers, "seconds": round(seconds, 3), "rate": answers / seconds if seconds else 0.0,
        "p50_ms": percentile(0.50), "p95_ms": percentile(0.95), "p99_ms": percentile(0.99),
        "statuses": {str(k): v for k, v in statuses.items()}, "failure": failure,
        "generator_cpu_ms": per_answer(ended[1] - begun[1]), "server_cpu_ms": per_answer(ended[2] - begun[2]),
        "machine_busy_ms": per_answer(ended[3] - begun[3]),
        "spread": {str(k): v for k, v in sorted(spread.items())},
        "load_average": os.getloadavg(),
    }


def main() -> None:
    spec = Spec(**json.loads(Path(sys.argv[1]).read_text()))
    print(json.dumps(run(spec)), flush=True)


if __name__ == "__main__":
    main()
