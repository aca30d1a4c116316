"""Whether the hub produces a notice today, derived from the data and the code, never asserted by hand.

An entry of notices.yaml says ``produced: true`` for what the hub is meant to produce (decision 0025);
it is produced only once every event that raises it is recorded by some aggregate, a notice has a rule
raising it, and an answer's notice is itself produced. The table (``hub policy table``) prints this
status, so it says "not produced yet" until the code catches up, and turns by itself when it does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hub.notices.recorded import recorded_events
from hub.notices.table import Entry, NoticeTable


@dataclass(frozen=True)
class Status:
    produced: bool
    why_not: str | None = None  # for an entry meant to be produced that is not yet


def trigger_events(entry: Entry) -> list[str]:
    """The events the entry names as raising it: its trigger's (``A.X | A.Y``) and its rules'."""
    trigger = (entry.model_extra or {}).get("trigger") or {}
    named = [e.strip() for e in str(trigger.get("event") or "").split("|") if e.strip()]
    return list(dict.fromkeys([*named, *(rule.event for rule in entry.produce)]))


def status_of(entry: Entry, table: NoticeTable, recorded: frozenset[str] | None = None) -> Status:
    recorded = recorded_events() if recorded is None else recorded
    if not entry.produced:
        return Status(False)
    missing = [event for event in trigger_events(entry) if event not in recorded]
    if missing:
        return Status(False, f"the hub does not record {', '.join(missing)}")
    produced_as = (entry.model_extra or {}).get("produced_as")
    if produced_as:
        carrier = status_of(table.by_id(produced_as), table, recorded)
        return carrier if not carrier.produced else Status(True)
    answered = [n.strip() for n in re.split(r"[,/]", str((entry.model_extra or {}).get("answer_to") or "")) if n.strip()]
    if answered and not any(status_of(table.by_id(n), table, recorded).produced for n in answered):
        return Status(False, f"it answers {' / '.join(answered)}, not produced yet")
    if entry.form == "notice" and not entry.produce:
        return Status(False, f"no rule of notices.yaml raises it on {', '.join(trigger_events(entry)) or 'any event'}")
    return Status(True)
