"""The shape every benchmark module shares: one row per figure, a table printer, a JSON writer.

A benchmark module exposes ``run(scale: int, store: str) -> list[Row]``: ``scale`` is the
number of events (10**4, 10**5 or 10**6) it should work on, ``store`` is "postgres" or
"sqlite". Each row carries its figure next to a baseline measured in the same run, and the
target it is judged against, so the table says by itself where the hub falls short.
"""

from __future__ import annotations

import base64
import json
import math
import os
import platform
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from hub.audit.signing_key import new_checkpoint_key

RESULTS = Path(__file__).parent / "results"
POSTGRES = os.environ.get("HUB_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


@dataclass(frozen=True)
class Row:
    """One measured figure. ``higher_is_better`` decides how ``target`` is read: a floor or a ceiling."""

    name: str
    scale: int
    store: str
    figure: float
    unit: str
    baseline_name: str = ""
    baseline: float | None = None
    target: float | None = None
    higher_is_better: bool = True
    note: str = ""
    ratio_target: float | None = None  # a floor on figure / baseline, where the target is relative too

    @property
    def ratio(self) -> float | None:
        """Figure over baseline: the share of the baseline the hub keeps (or costs, for latencies)."""
        if self.baseline is None or self.baseline == 0:
            return None
        return self.figure / self.baseline

    @property
    def verdict(self) -> str:
        if self.target is None and self.ratio_target is None:
            return ""
        met = self.target is None or (self.figure >= self.target if self.higher_is_better else self.figure <= self.target)
        if self.ratio_target is not None:
            met = met and self.ratio is not None and self.ratio >= self.ratio_target
        return "met" if met else "SHORT"

    def as_json(self) -> dict[str, object]:
        return {**asdict(self), "ratio": _round(self.ratio), "verdict": self.verdict}


def _round(value: float | None) -> float | None:
    if value is None:
        return None
    return round(value, 3 if abs(value) < 10 else 1)


def _fmt(value: float | None) -> str:
    if value is None:
        return "-"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def _target(row: Row) -> str:
    parts = []
    if row.target is not None:
        parts.append(("≥ " if row.higher_is_better else "≤ ") + _fmt(row.target))
    if row.ratio_target is not None:
        parts.append(f"ratio ≥ {row.ratio_target:.2f}")
    return ", ".join(parts) or "-"


COLUMNS = ("benchmark", "store", "events", "figure", "unit", "baseline", "baseline figure", "ratio", "target", "", "note")


def table(rows: list[Row]) -> str:
    """A Markdown table, readable in a terminal and pasteable into docs/benchmarks.md as is."""
    lines = [[r.name, r.store, f"{r.scale:,}", _fmt(r.figure), r.unit, r.baseline_name or "-", _fmt(r.baseline),
              "-" if r.ratio is None else f"{r.ratio:.2f}", _target(r), r.verdict, r.note] for r in rows]
    widths = [max(len(str(c)) for c in col) for col in zip(COLUMNS, *lines, strict=True)]
    out = ["| " + " | ".join(c.ljust(w) for c, w in zip(COLUMNS, widths, strict=True)) + " |",
           "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += ["| " + " | ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)) + " |" for line in lines]
    return "\n".join(out)


def curve(rows: list[Row]) -> str:
    """How each figure grows with the number of events: one line per benchmark, one column per scale."""
    scales = sorted({_decade(r.scale) for r in rows})
    lines: dict[tuple[str, str, str], dict[int, Row]] = {}
    for r in rows:
        lines.setdefault((r.name, r.store, r.unit), {})[_decade(r.scale)] = r
    head = ["benchmark", "store", "unit", *(f"~{s:,} events" for s in scales)]
    body = [[name, store, unit, *(_fmt(by_scale[s].figure) + f" {by_scale[s].verdict}".rstrip() if s in by_scale else "-"
                                  for s in scales)]
            for (name, store, unit), by_scale in lines.items()]
    widths = [max(len(str(c)) for c in col) for col in zip(head, *body, strict=True)]
    out = ["| " + " | ".join(c.ljust(w) for c, w in zip(head, widths, strict=True)) + " |",
           "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += ["| " + " | ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)) + " |" for line in body]
    return "\n".join(out)


def _decade(scale: int) -> int:
    """The power of ten a row's scale is nearest to: modules report the events they made (981,831), not the 10^6 asked."""
    return 10 ** round(math.log10(max(scale, 1)))


def machine() -> dict[str, object]:
    """What the figures were measured on: they mean little without it."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem_kb = int(next(row for row in Path("/proc/meminfo").read_text().splitlines() if row.startswith("MemTotal")).split()[1])
    except (OSError, StopIteration, ValueError):
        mem_kb = 0
    return {"cpus": os.cpu_count(), "cpu_model": model, "ram_gb": round(mem_kb / 1024 / 1024, 1),
            "python": platform.python_version(), "postgres": _postgres_version(),
            "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None}


def _postgres_version() -> str:
    try:
        import psycopg

        with psycopg.connect(POSTGRES, connect_timeout=3) as conn:
            return str(conn.execute("SHOW server_version").fetchone()[0])
    except Exception:  # noqa: BLE001 - the version is a label; its absence must not stop the run
        return "unavailable"


def write(name: str, rows: list[Row], **context: object) -> Path:
    """bench/results/<name>.json: the rows, the machine and when, plus whatever context the caller adds."""
    return write_results(name, rows=[r.as_json() for r in rows], **context)


def write_results(name: str, **context: object) -> Path:
    """bench/results/<name>.json: the machine, the commit and when, and what the caller gives."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps({
        "benchmark": name,
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "git": _git_head(),
        **context,
    }, indent=2, default=str) + "\n", encoding="utf-8")
    return path


def _git_head() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              cwd=Path(__file__).parent, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


@dataclass(frozen=True)
class Store:
    """A fresh, empty hub store and the settings that open it."""

    name: str
    env: dict[str, str]
    url: str


@contextmanager
def fresh_store(store: str) -> Iterator[Store]:
    """A new SQLite file or PostgreSQL schema with its own master and checkpoint keys; dropped afterwards."""
    key = base64.urlsafe_b64encode(os.urandom(32)).decode()
    keys = {"HUB_MASTER_KEY": key, "HUB_CHECKPOINT_KEY": new_checkpoint_key()}
    with tempfile.TemporaryDirectory() as scratch:
        if store == "sqlite":
            url = f"sqlite:///{Path(scratch) / 'bench.sqlite'}"
            yield Store(store, {"HUB_DATABASE_URL": url, **keys}, url)
            return
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        url = f"{POSTGRES}?schema={schema}"
        try:
            yield Store(store, {"HUB_DATABASE_URL": url, **keys}, url)
        finally:
            import psycopg

            with psycopg.connect(POSTGRES, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
