"""Fixtures shared by the suite.

Every service-layer test runs twice: on the embedded SQLite store and on the
PostgreSQL server. Where PostgreSQL is absent the PostgreSQL half is skipped
locally, but fails when HUB_REQUIRE_SERVICES=1 (set by .ci/run): CI must never
pass by skipping the production store. The fast subset (``-m "not slow"``) runs the SQLite half alone.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import NoReturn

import psycopg
import pytest

from hub import clock
from hub.bootstrap import Hub, bootstrap
from tests.audience_check import assert_audience_complete
from tests.builders import register_agencies

POSTGRES_URL = os.environ.get("HUB_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
START = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)  # Monday 09:00 in Almaty
TEST_MASTER_KEY = "aHViLXRlc3QtbWFzdGVyLWtleS0wMTIzNDU2Nzg5YWI="  # 32 bytes; PostgreSQL needs one set
TEST_CHECKPOINT_KEY = "aHViLXRlc3QtY2hlY2twb2ludC1zaWduaW5nLWtleSE="  # 32 bytes; signs the checkpoints (0021)

# What `-m "not slow"` leaves out, so that the rest runs in under two minutes on two cores (issue #13); the whole
# suite (scripts/test) runs all of it. The files whose tests start processes, brokers or a browser, or generate
# hundreds of cases (with tests/faults and single tests marked slow where they stand):
SLOW_FILES = frozenset({
    "test_api_fuzz.py", "test_privacy_property.py", "test_web_browser.py", "test_web_journey.py", "test_deploy.py",
    "test_serve_workers.py",
    "test_slow_clients.py", "test_kafka_deploy.py", "test_kafka_ingest.py", "test_kafka_relay.py",
    "test_kafka_restart.py", "test_kafka_signing.py", "test_odd_input_kafka.py", "test_erasure_kafka.py",
    "test_retention_kafka.py", "test_attachments_s3.py", "test_web_accessibility.py", "test_kafka_helpline.py",
})


# The files whose tests took longest in a whole run (2,909 tests, three workers, 2026-12-07: 153 s down to 55 s
# each), longest first. scripts/test hands the workers whole files in the order collected (--dist loadfile
# --no-loadscope-reorder): these first, then the rest by their number of tests. Started last, as xdist's own order
# had them (by number of tests, and most of these hold one or a few), they ran nearly alone at the end of the run
# on a slower machine: its last 1 % of tests took 6 of 18 minutes.
LONGEST_FIRST = (
    "tests/faults/test_sigkill_under_load.py", "tests/test_serve_workers.py", "tests/test_api_fuzz.py",
    "tests/faults/test_leaders_under_load.py", "tests/test_authorization_matrix.py", "tests/test_web_journey.py",
    "tests/test_slow_clients.py", "tests/test_privacy_property.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.name in SLOW_FILES or item.get_closest_marker("faults") or _postgres_half(item):
            item.add_marker(pytest.mark.slow)
    items[:] = _longest_first(items)


def _longest_first(items: list[pytest.Item]) -> list[pytest.Item]:
    """The items of each file together, the files in LONGEST_FIRST's order and then by their number of tests."""
    by_file: dict[str, list[pytest.Item]] = {}
    for item in items:
        by_file.setdefault(item.nodeid.split("::", 1)[0], []).append(item)
    rank = {name: n for n, name in enumerate(LONGEST_FIRST)}
    files = sorted(by_file, key=lambda name: (rank.get(name, len(rank)), -len(by_file[name])))
    return [item for name in files for item in by_file[name]]


def _postgres_half(item: pytest.Item) -> bool:
    """The PostgreSQL run of a test run on both stores: about two thirds of the time of those tests went to it (a
    fresh schema's tables per test), and the SQLite run asserts the same. A test that names its store keeps it."""
    callspec = getattr(item, "callspec", None)
    if callspec is None or callspec.params.get("store_url") != "postgres":
        return False
    return not any("store_url" in marker.args[0] for marker in item.iter_markers("parametrize"))


def _postgres_available() -> str | None:
    try:
        with psycopg.connect(POSTGRES_URL.replace("postgresql://", "postgresql://", 1), connect_timeout=3):
            return None
    except psycopg.OperationalError as error:
        return str(error)


def require_postgres() -> None:
    problem = _postgres_available()
    if problem is None:
        return
    service_missing(f"PostgreSQL at {POSTGRES_URL} is not reachable: {problem}")


def service_missing(message: str) -> NoReturn:
    """A service the test needs is not here: a failure in CI (HUB_REQUIRE_SERVICES=1), a skip elsewhere."""
    if os.environ.get("HUB_REQUIRE_SERVICES") == "1":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh schema on the PostgreSQL server, dropped afterwards."""
    require_postgres()
    schema = f"hub_test_{uuid.uuid4().hex[:12]}"
    yield f"{POSTGRES_URL}?schema={schema}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(autouse=True, scope="session")
def checkpoint_key() -> Iterator[str]:
    """Every hub the tests start, in the test process or as a worker process, signs checkpoints with this key:
    PostgreSQL needs one set, and the embedded store would otherwise make one in the runner's ~/.config."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HUB_CHECKPOINT_KEY", TEST_CHECKPOINT_KEY)
        yield TEST_CHECKPOINT_KEY


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'hub.sqlite'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def frozen() -> Iterator[clock.FrozenClock]:
    with clock.using(clock.FrozenClock(START)) as frozen_clock:
        yield frozen_clock  # type: ignore[misc]


@pytest.fixture
def app(store_url: str, frozen: clock.FrozenClock) -> Iterator[Hub]:
    application = bootstrap({"HUB_DATABASE_URL": store_url, "HUB_MASTER_KEY": TEST_MASTER_KEY})
    register_agencies(application)
    yield application
    if store_url.startswith("sqlite"):  # the audience is the fold's, whatever the store: one half checks it
        assert_audience_complete(application)
    application.close()
