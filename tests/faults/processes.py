"""The hub as an operator runs it: ``hub serve``, ``hub ingest`` and ``hub project`` as operating-system
processes on the test's store and broker, which a test kills (SIGKILL) and starts again.

Each process's PostgreSQL connections carry the application name ``<schema>:<process>#<start>``, so
that a test finds exactly the hub's connections to its own schema in ``pg_stat_activity``, and knows
when a process it started has opened the store (its signal handlers are in place by then).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import httpx

from hub.kafka.settings import KafkaSettings
from tests.conftest import TEST_CHECKPOINT_KEY, TEST_MASTER_KEY
from tests.faults.store import Store, own_session
from tests.kafka_support import die_with_parent, free_port, settings_env, wait_for

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 180.0  # a bound for a stuck start, not a speed requirement: 2 shared cores start six at once slowly
STOP_TIMEOUT = 60.0
# Settings of the shell that would point a hub process at another store or broker than the test's.
_NOT_INHERITED = ("HUB_", "POSTGRES_", "PERSISTENCE_MODULE", "SQLITE_", "PGAPPNAME")


def connected(application: str) -> bool:
    """Whether a PostgreSQL session of this application name is open."""
    with own_session() as conn:
        found = conn.execute("SELECT 1 FROM pg_stat_activity WHERE application_name = %s", [application])
        return found.fetchone() is not None


def hub_env(store_url: str, settings: KafkaSettings) -> dict[str, str]:
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(_NOT_INHERITED)}
    return {
        **inherited,
        "HUB_DATABASE_URL": store_url,
        "HUB_MASTER_KEY": TEST_MASTER_KEY,
        "HUB_CHECKPOINT_KEY": TEST_CHECKPOINT_KEY,
        "HUB_LOG_LEVEL": "WARNING",
        # The load of these tests is one token and one address far above any real client's: the hub's
        # behaviour under faults is what is tested, not its rate limits (tests/test_rate_limits.py).
        "HUB_RATE_LIMIT_PER_TOKEN": "off",
        "HUB_RATE_LIMIT_PER_ADDRESS": "off",
        # A deployment's processes each hold their own pool; a dozen of them on the test server, beside the
        # rest of the suite on the other core, must stay within its 100 connections.
        "POSTGRES_POOL_SIZE": "2",
        "POSTGRES_MAX_OVERFLOW": "3",
        "HUB_SERVE_THREADS": "4",
        **settings_env(settings),
    }


class HubProcess:
    """One ``hub`` subcommand. Its output, across restarts, goes to one log file."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], schema: str, log: Path) -> None:
        self.name, self.args, self.log, self.env, self.schema = name, args, log, env, schema
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self) -> None:
        """Call it from the test's main thread: the process is sent SIGTERM when the thread that started
        it ends (die_with_parent), and a helper thread's end is no reason to stop the hub."""
        self.starts += 1
        with self.log.open("ab") as out:
            out.write(f"--- start {self.starts}: hub {' '.join(self.args)}\n".encode())
            out.flush()
            self.process = subprocess.Popen(
                [sys.executable, "-m", "hub.cli.main", *self.args], env={**self.env, "PGAPPNAME": self.application},
                cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, preexec_fn=die_with_parent,
            )

    @property
    def application(self) -> str:
        """This start's PostgreSQL application name."""
        return f"{self.schema}:{self.name}#{self.starts}"

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL: no handler runs, nothing is flushed or committed - a crash."""
        if self.running:
            assert self.process is not None
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self) -> bool:
        """SIGTERM, as ``docker stop`` sends it; whether the process then ended on its own."""
        assert self.process is not None
        if self.running:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.kill()
                return False
        # uvicorn, once shut down gracefully, raises the SIGTERM it caught again, as its exit status.
        return self.process.returncode in (0, -signal.SIGTERM if self.args[0] == "serve" else 0)

    def tail(self, lines: int = 40) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


MakeProcesses = Callable[[KafkaSettings, dict[str, list[str]], Mapping[str, str]], "HubProcesses"]


class HubProcesses:
    """The processes of one hub deployment; ``serve`` keeps its port across restarts, as a load balancer's
    address stays the same."""

    def __init__(
        self, store: Store, settings: KafkaSettings, log_dir: Path, commands: dict[str, list[str]],
        env: Mapping[str, str],
    ) -> None:
        env = {**hub_env(store.url, settings), **env}
        self.port = free_port()
        self.processes = {
            name: HubProcess(name, [*args, "--port", str(self.port)] if args[0] == "serve" else args, env,
                             store.schema, log_dir / f"{name}.log")
            for name, args in commands.items()
        }

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __getitem__(self, name: str) -> HubProcess:
        return self.processes[name]

    def start(self, names: Iterable[str] | None = None) -> None:
        chosen = [self.processes[n] for n in (names or self.processes)]
        for process in chosen:
            process.start()
        for process in chosen:
            self._until_ready(process)

    def restart_killed(self, names: Iterable[str]) -> None:
        names = list(names)
        for name in names:
            self.processes[name].kill()
        self.start(names)

    def _until_ready(self, process: HubProcess) -> None:
        def ready() -> bool:
            assert process.running, f"hub {process.name} exited:\n{process.tail()}"
            if process.args[0] != "serve":
                return connected(process.application)
            try:
                return httpx.get(f"{self.base_url}/health", timeout=2).status_code == 200
            except httpx.TransportError:
                return False

        wait_for(ready, START_TIMEOUT, f"hub {process.name} to start", every=0.1)

    def stop(self) -> dict[str, bool]:
        """Stops every process with SIGTERM; for each, whether it ended cleanly."""
        return {name: process.stop() for name, process in self.processes.items() if process.process is not None}

    def by_pid(self, pid: int) -> HubProcess | None:
        return next((p for p in self.processes.values() if p.running and p.pid == pid), None)

    def kill_all(self) -> None:
        for process in self.processes.values():
            process.kill()

    def logs(self) -> str:
        return "\n".join(
            f"=== hub {p.name} (pid {p.pid}, {p.starts} starts)\n{p.tail()}" for p in self.processes.values()
        )
