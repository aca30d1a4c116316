"""The process's own metrics: what this process did (requests, group commits, relay rounds, leading).

The deployment's state - how far behind the views and the relay are, consumer lag, dead letters, overdue
notices - is read from the store and the broker when scraped (hub/observability/state.py). Under
``hub serve --workers N`` every worker writes its metrics to ``PROMETHEUS_MULTIPROC_DIR``, and whichever
worker answers ``/metrics`` adds them all up (hub/observability/exposition.py).
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

REQUESTS = Counter(
    "hub_http_requests", "HTTP requests answered, per route template (never per id) and status",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "hub_http_request_duration_seconds", "Time to answer an HTTP request, per route template",
    ["method", "route"], buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
GROUP_COMMIT = Histogram(
    "hub_group_commit_batch_events", "Events appended by one transaction of the group commit (0018)",
    buckets=(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048),
)
RELAY_SENT = Counter("hub_relay_messages_sent", "Messages the relay sent to the outbound topics")
DELIVERY_FAILURES = Counter(
    "hub_relay_delivery_failures", "Relay rounds the broker did not take (sent again on the next round)"
)
INGESTED = Counter("hub_ingest_messages", "Inbound Kafka messages handled, per adapter and outcome",
                   ["adapter", "outcome"])
LEADING = Gauge("hub_leader", "1 while this process leads the workers of its kind (0031)", ["kind"],
                multiprocess_mode="livemax")
