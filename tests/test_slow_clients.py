"""Requests that trickle in cannot hold ``hub serve``: 1,500 half-sent requests leave it answering others,
and it closes them once their deadline passes (hub/api/request_deadlines.py), recording each body cut off.

A real ``hub serve`` process, started with the soft limit of open files most systems give (1,024), which
it must raise itself to hold 1,500 connections and still accept one more.
"""

from __future__ import annotations

import resource
import selectors
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import httpx
import pytest

from tests.conftest import TEST_MASTER_KEY
from tests.kafka_support import die_with_parent, free_port, wait_for

STALLED = 1500
DEADLINE_S = 15  # long enough to open every connection and ask once before any is due
SYSTEM_SOFT_LIMIT = 1024
HALF_SENT = [
    b"GET /heal",  # a request line cut short
    b"GET /health HTTP/1.1\r\nHost: hub\r\nX-Slow: ",  # headers that never end
    # a whole head, then a body that stops after 10 of the 1,000 bytes it announced
    b"POST /v1/referrals HTTP/1.1\r\nHost: hub\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n"
    b"\r\n{\"child\": ",
]


def _system_limits() -> None:
    die_with_parent()
    resource.setrlimit(resource.RLIMIT_NOFILE, (SYSTEM_SOFT_LIMIT, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def hub_serve(tmp_path: Path, data_dir: Path) -> Iterator[str]:
    port = free_port()
    env = {
        "PATH": "/usr/bin:/bin", "HUB_DATA_DIR": str(data_dir), "HUB_MASTER_KEY": TEST_MASTER_KEY,
        "HUB_HEADER_TIMEOUT_S": str(DEADLINE_S), "HUB_BODY_TIMEOUT_S": str(DEADLINE_S),
    }
    with (tmp_path / "serve.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "hub.cli.main", "serve", "--port", str(port)], env=env,
            cwd=Path(__file__).resolve().parent.parent, stdout=log, stderr=subprocess.STDOUT, preexec_fn=_system_limits,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _answers(base_url), 60, "hub serve to answer")
        yield base_url
    finally:
        process.terminate()
        process.wait(timeout=30)


def _answers(base_url: str) -> bool:
    try:
        return httpx.get(f"{base_url}/health", timeout=5).status_code == 200
    except httpx.TransportError:
        return False


@pytest.fixture
def descriptors() -> Iterator[None]:
    """Room in this process for the stalled connections' client ends."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    needed = STALLED + 500
    if hard != resource.RLIM_INFINITY and hard < needed:
        pytest.skip(f"the hard limit of open files ({hard}) is below the {needed} this test needs")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, needed), hard))
    yield
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def _closed_by_server(selector: selectors.BaseSelector, wait: float) -> list[socket.socket]:
    """The connections the server closed among those that became readable within ``wait`` seconds."""
    closed = []
    for key, _ in selector.select(wait):
        connection: socket.socket = key.fileobj  # type: ignore[assignment]
        try:
            ended = connection.recv(65536) == b""
        except ConnectionResetError:
            ended = True
        if ended:
            selector.unregister(connection)
            connection.close()
            closed.append(connection)
    return closed


def _bodies_recorded_incomplete(data_dir: Path) -> int:
    with closing(sqlite3.connect(data_dir / "hub.sqlite")) as database:
        (count,) = database.execute(
            "SELECT COALESCE(SUM(times), 0) FROM hub_refused_requests WHERE problem = 'body-incomplete'"
        ).fetchone()
    return int(count)


def test_half_sent_requests_do_not_keep_others_waiting_and_are_closed_at_their_deadline(
    hub_serve: str, data_dir: Path, descriptors: None
) -> None:
    port = int(hub_serve.rsplit(":", 1)[1])
    selector = selectors.DefaultSelector()
    connections = []
    try:
        for n in range(STALLED):
            connection = socket.create_connection(("127.0.0.1", port), timeout=30)
            connection.sendall(HALF_SENT[n % len(HALF_SENT)])
            connection.setblocking(False)
            selector.register(connection, selectors.EVENT_READ)
            connections.append(connection)

        answer = httpx.get(f"{hub_serve}/health", timeout=30)
        assert answer.status_code == 200
        # Answered while every half-sent request was still held open: not merely once they had been dropped.
        assert _closed_by_server(selector, 0) == []

        closed: list[socket.socket] = []
        until = time.monotonic() + DEADLINE_S + 60
        while len(closed) < STALLED and time.monotonic() < until:
            closed += _closed_by_server(selector, 1)
        assert len(closed) == STALLED, f"{STALLED - len(closed)} half-sent requests were still held open"
        assert httpx.get(f"{hub_serve}/health", timeout=30).status_code == 200
        bodies = STALLED // len(HALF_SENT)
        wait_for(lambda: _bodies_recorded_incomplete(data_dir) == bodies, 60, f"{bodies} bodies recorded incomplete")
    finally:
        for connection in connections:
            connection.close()
        selector.close()
