"""Deadlines from the manuals, as clocks derived from a case's events.

The table is data (hub/policy/deadlines.yaml); the clocks are a pure function of
aggregates rebuilt from the log and of ``now`` (:func:`case_clocks`,
:func:`referral_clocks`), so replaying the log gives the same clocks.
Decisions: docs/decisions/0010.
"""

from hub.deadlines.clock import Clock, ClockStatus
from hub.deadlines.clocks import case_clocks, next_due, referral_clocks

__all__ = ["Clock", "ClockStatus", "case_clocks", "next_due", "referral_clocks"]
