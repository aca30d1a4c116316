"""``hub serve --workers 2`` as an operator runs it: a real supervisor and two worker processes on one port.

A referral submitted through one worker is read through the other, by a reader who asks for its own write
(``Hub-Min-Position``); every worker closes a request that trickles in at its deadline; exactly one process,
the supervisor, keeps the views up to date (with
``HUB_SERVE_PROJECTS=no`` nobody does, so a read waits for views that never come); and the workers do not
outlive a supervisor that was killed, which would keep the port from the next one.

Which worker answers a connection is found as an operator would find it: the server's end of the connection
(/proc/net/tcp) is a socket one worker process holds open (/proc/<pid>/fd).
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from hub.bootstrap import bootstrap
from tests.builders import ADMIN, INSPECTOR, referral_content, register_agencies
from tests.conftest import TEST_CHECKPOINT_KEY, TEST_MASTER_KEY
from tests.kafka_support import die_with_parent, free_port, wait_for

pytestmark = pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="finds each connection's worker in /proc")

ROOT = Path(__file__).resolve().parent.parent
BODY = json.dumps(referral_content().model_dump(mode="json"))
START_S = 90
HEADER_DEADLINE_S = 5  # short, for the trickling requests; longer than any pause between a test's requests
METRICS_TOKEN = "scraper-of-the-workers-test"


@dataclass
class Served:
    port: int
    supervisor: subprocess.Popen[bytes]
    log: Path
    token: str

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.supervisor.pid}/task/{self.supervisor.pid}/children").read_text().split()
        return [int(pid) for pid in children if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()]

    def connection_to(self, worker: int) -> http.client.HTTPConnection:
        """A keep-alive connection that the given worker accepted (new connections until one lands there)."""
        found: list[http.client.HTTPConnection] = []

        def landed() -> bool:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            connection.request("GET", "/health")
            assert connection.getresponse().read()
            if _owner(connection.sock, self.port, [worker]) == worker:
                found.append(connection)
                return True
            connection.close()
            return False

        wait_for(landed, START_S, f"a connection accepted by worker {worker}")
        return found[0]

    def lines(self, text: str) -> list[str]:
        return [line for line in self.log.read_text(errors="replace").splitlines() if text in line]


def _owner(sock: socket.socket, port: int, pids: list[int]) -> int | None:
    """The process holding the server's end of this client connection."""
    client_port = sock.getsockname()[1]
    inode = None
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for row in Path(table).read_text().splitlines()[1:]:
            fields = row.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and int(fields[2].rsplit(":", 1)[1], 16) == client_port:
                inode = fields[9]
    for pid in pids:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}") == f"socket:[{inode}]":
                    return pid
            except FileNotFoundError:
                continue
    return None


@pytest.fixture
def serve_workers(store_url: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Served]:
    projects = getattr(request, "param", "yes")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HUB_", "POSTGRES_", "PERSISTENCE_MODULE", "SQLITE_"))}
    env.update({
        "HUB_DATABASE_URL": store_url, "HUB_MASTER_KEY": TEST_MASTER_KEY, "HUB_CHECKPOINT_KEY": TEST_CHECKPOINT_KEY,
        "HUB_SERVE_PROJECTS": projects, "HUB_HEADER_TIMEOUT_S": str(HEADER_DEADLINE_S),
        # A read returns once the views reach its position: with a projector, a loaded machine may take seconds;
        # without one, the bounded wait runs out, which takes its whole length.
        "HUB_READ_WAIT_MS": "30000" if projects == "yes" else "500",
        "HUB_METRICS_TOKEN": METRICS_TOKEN,
        # Two workers are what is tested: each holds a connection a thread, of the test server's 100 that the rest of
        # the suite shares.
        "HUB_SERVE_THREADS": "2",
    })
    hub = bootstrap(env)  # the agencies and a token, before the workers start
    register_agencies(hub)
    token = hub.tokens.issue_token(ADMIN, INSPECTOR, None)
    hub.close()
    port, log = free_port(), tmp_path / "serve.log"
    with log.open("wb") as out:
        supervisor = subprocess.Popen(
            [sys.executable, "-m", "hub.cli.main", "serve", "--workers", "2", "--port", str(port)], env=env, cwd=ROOT,
            stdout=out, stderr=subprocess.STDOUT, preexec_fn=die_with_parent,
        )
    served = Served(port, supervisor, log, token)
    workers: list[int] = []
    try:
        wait_for(lambda: len(served.lines("Application startup complete")) == 2, START_S, "both workers to start")
        workers = served.workers()  # known before any test kills the supervisor: none may outlive the test
        yield served
    finally:
        for pid in [supervisor.pid, *workers, *(served.workers() if supervisor.poll() is None else [])]:
            _signal(pid, signal.SIGKILL)
        supervisor.wait(timeout=30)


def _signal(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def _submit(connection: http.client.HTTPConnection, token: str, key: str) -> tuple[str, str]:
    connection.request("POST", "/v1/referrals", body=BODY, headers={
        "Authorization": f"Bearer {token}", "Idempotency-Key": key, "Content-Type": "application/json"})
    answer = connection.getresponse()
    body = answer.read()
    assert answer.status == 201, body
    return json.loads(body)["id"], answer.headers["Hub-Position"]


def _read(connection: http.client.HTTPConnection, token: str, referral: str, position: str
          ) -> tuple[int, http.client.HTTPMessage, bytes]:
    connection.request("GET", f"/v1/referrals/{referral}",
                       headers={"Authorization": f"Bearer {token}", "Hub-Min-Position": position})
    answer = connection.getresponse()
    return answer.status, answer.headers, answer.read()


def test_a_write_through_one_worker_is_read_through_the_other(serve_workers: Served) -> None:
    first, second = serve_workers.workers()
    for writer, reader, key in ((first, second, "one"), (second, first, "two")):
        referral, position = _submit(serve_workers.connection_to(writer), serve_workers.token, key)
        status, headers, body = _read(serve_workers.connection_to(reader), serve_workers.token, referral, position)
        assert status == 200, body
        assert json.loads(body)["id"] == referral
        assert "Hub-Views-Behind" not in headers, dict(headers)
        assert int(headers["Hub-Views-Position"]) >= int(position)


def test_every_worker_closes_a_request_that_trickles_in(serve_workers: Served) -> None:
    for worker in serve_workers.workers():
        sock = _trickling_to(serve_workers, worker)
        sock.settimeout(HEADER_DEADLINE_S + START_S)
        try:
            assert sock.recv(1024) == b"", f"worker {worker} answered a request whose head never ended"
        except ConnectionResetError:
            pass  # closed, too
        finally:
            sock.close()


def _trickling_to(served: Served, worker: int) -> socket.socket:
    """A connection the worker accepted, holding a request head that never ends."""
    found: list[socket.socket] = []

    def landed() -> bool:
        sock = socket.create_connection(("127.0.0.1", served.port))
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: hub\r\nX-Slow: ")
        owner = wait_for(lambda: _owner(sock, served.port, served.workers()), START_S, "a worker to accept")
        if owner == worker:
            found.append(sock)
            return True
        sock.close()
        return False

    wait_for(landed, START_S, f"a connection accepted by worker {worker}")
    return found[0]


def test_only_the_supervisor_projects(serve_workers: Served) -> None:
    projectors = serve_workers.lines("keeps the views up to date")
    assert projectors == [projectors[0]] and f"[{serve_workers.supervisor.pid}]" in projectors[0], projectors
    followers = serve_workers.lines("follows the log")
    said = sorted((json.loads(line)["level"], json.loads(line)["message"]) for line in followers)  # JSON lines (0032)
    assert said == sorted(("info", f"worker [{pid}] follows the log") for pid in serve_workers.workers())


@pytest.mark.parametrize("serve_workers", ["no"], indirect=True)
def test_workers_never_project_themselves(serve_workers: Served) -> None:
    """Without the supervisor's projector (``hub project`` would run apart), a read that asks for a write it
    follows waits its bounded time and is answered from views without it: no worker projected for it."""
    first, second = serve_workers.workers()
    referral, position = _submit(serve_workers.connection_to(first), serve_workers.token, "unprojected")
    status, headers, body = _read(serve_workers.connection_to(second), serve_workers.token, referral, position)
    assert status == 404, body
    assert int(headers["Hub-Views-Behind"]) >= 1  # "not found" here says it may only be "not yet"
    assert serve_workers.lines("keeps the views up to date") == []


def test_metrics_asked_of_one_worker_count_the_requests_every_worker_answered(serve_workers: Served) -> None:
    """prometheus-client's multiprocess mode (docs/decisions/0032): requests answered by the second worker
    only are in the first worker's answer to /metrics."""
    first, second = serve_workers.workers()
    to_second = serve_workers.connection_to(second)
    for _ in range(5):
        to_second.request("GET", "/openapi.json")
        assert to_second.getresponse().read()
    to_second.close()
    to_first = serve_workers.connection_to(first)
    to_first.request("GET", "/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    answer = to_first.getresponse()
    text = answer.read().decode()
    assert answer.status == 200, text
    assert 'hub_http_requests_total{method="GET",route="/openapi.json",status="200"} 5.0' in text


def test_the_workers_end_with_a_killed_supervisor(serve_workers: Served) -> None:
    workers = serve_workers.workers()
    serve_workers.supervisor.kill()
    serve_workers.supervisor.wait(timeout=30)
    wait_for(lambda: not any(Path(f"/proc/{pid}").exists() and _running(pid) for pid in workers), START_S,
             "the workers to end with their supervisor")


def _running(pid: int) -> bool:
    """Not yet ended, or ended but not reaped (a zombie, state Z, has ended)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False

