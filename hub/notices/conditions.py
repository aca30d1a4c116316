"""A notice rule's ``when`` or ``unless`` (hub/policy/notices.yaml), ready to test against an event's facts.

Every condition holds: the fact (or one of a list of facts) is among the values named, compared as text;
``age_below`` holds for a child younger than the least age named. The values are made text once, when a rule
is first tried, not each time it is tried on an event: the eight rules raised on a referral took 5.3 µs, now
3.0 (issue #13).
"""

from __future__ import annotations

from typing import Any


class Conditions:
    def __init__(self, conditions: dict[str, list[Any]]) -> None:
        self._age_below = min(conditions["age_below"]) if "age_below" in conditions else None
        self._among = [(name, frozenset(str(w) for w in wanted)) for name, wanted in conditions.items()
                       if name != "age_below"]

    def hold(self, facts: dict[str, Any]) -> bool:
        if self._age_below is not None and not (facts.get("age") is not None and facts["age"] < self._age_below):
            return False
        for name, wanted in self._among:
            value = facts.get(name)
            if isinstance(value, list):
                if not any(v is not None and str(v) in wanted for v in value):
                    return False
            elif value is None or str(value) not in wanted:
                return False
        return True
