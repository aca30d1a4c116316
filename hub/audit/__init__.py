"""What auditors rely on: the tamper-evident chain over the log, replay as of a moment, reports, erasure."""
